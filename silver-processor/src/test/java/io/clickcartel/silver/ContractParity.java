package io.clickcartel.silver;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.contract.EventTimes;
import io.clickcartel.core.contract.EventValidator;
import io.clickcartel.core.contract.NormalizedEvent;
import io.clickcartel.core.contract.Validation;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Runs the contract on the same lines twice: {@link EventValidator} called directly (as ingest does) and through
 * {@link ContractColumns} in Spark (as silver does), each line with the time bronze stored it. One Spark job per call.
 */
final class ContractParity {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A line as bronze stores it: the raw text and when it was stored (ingested_at). */
    record Line(String raw, Instant storedAt) {
        Line {
            Objects.requireNonNull(raw);
            Objects.requireNonNull(storedAt);
        }
    }

    /**
     * A verdict: the broken rule's id, or null and the normalised values (event_id, event_time, user_id,
     * event_type, product_id, session_id, quantity).
     */
    record Verdict(String rule, List<Object> values) {
        static Verdict of(NormalizedEvent event) {
            return new Verdict(
                    null,
                    Arrays.asList(
                            event.eventId(),
                            event.eventTime(),
                            event.userId(),
                            event.eventType().wireName(),
                            event.productId(),
                            event.sessionId(),
                            event.quantity()));
        }

        boolean valid() {
            return rule == null;
        }

        String label() {
            return valid() ? "valid" : rule;
        }

        @Override
        public String toString() {
            return valid()
                    ? "valid "
                            + values.stream()
                                    .map(v -> v instanceof String text ? show(text) : String.valueOf(v))
                                    .toList()
                    : rule;
        }
    }

    record Outcome(Line line, Verdict java, Verdict spark) {
        boolean agrees() {
            return java.equals(spark);
        }

        String describe() {
            return "line " + ContractParity.show(line.raw()) + "\n  stored at " + line.storedAt()
                    + "\n  Java (EventValidator):     " + java + "\n  Spark (ContractColumns):   " + spark;
        }
    }

    private ContractParity() {}

    /** The Java verdict on a stored line: the receive time is {@link EventTimes#receivedAt} of the line. */
    static Verdict java(EventValidator validator, Line line) {
        return verdict(validator.validate(line.raw(), node -> EventTimes.receivedAt(node, line.storedAt())));
    }

    static Verdict verdict(Validation validation) {
        return validation instanceof Validation.Valid valid
                ? Verdict.of(valid.event())
                : new Verdict(((Validation.Invalid) validation).rule().id(), null);
    }

    /** Both verdicts on every line, in order; Spark reads each line's store time from a column. */
    static List<Outcome> compare(SparkSession spark, List<Line> lines, Duration maxFuture) {
        return compare(spark, lines, maxFuture, false);
    }

    /**
     * Both verdicts on every line, in order. With {@code literalStoredAt} every line must have the same store time,
     * and Spark gets it as a literal ({@code lit(timestamp)}), which the optimiser folds into the expressions.
     */
    static List<Outcome> compare(SparkSession spark, List<Line> lines, Duration maxFuture, boolean literalStoredAt) {
        EventValidator validator = new EventValidator(JSON, maxFuture);
        List<Verdict> sparkVerdicts = spark(spark, lines, maxFuture, literalStoredAt);
        List<Outcome> outcomes = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            outcomes.add(new Outcome(lines.get(i), java(validator, lines.get(i)), sparkVerdicts.get(i)));
        }
        return outcomes;
    }

    /**
     * The Spark verdict on every line, in order, computed by one job. The rows go through an RDD, not a local
     * relation, so the optimiser cannot evaluate the contract on the driver: this runs the generated code silver runs.
     */
    static List<Verdict> spark(SparkSession spark, List<Line> lines, Duration maxFuture) {
        return spark(spark, lines, maxFuture, false);
    }

    static List<Verdict> spark(SparkSession spark, List<Line> lines, Duration maxFuture, boolean literalStoredAt) {
        if (lines.isEmpty()) {
            return List.of();
        }
        Column storedAt = functions.col("stored_at");
        if (literalStoredAt) {
            Instant only = lines.get(0).storedAt();
            if (lines.stream().anyMatch(line -> !line.storedAt().equals(only))) {
                throw new IllegalArgumentException("a literal store time needs one store time for every line");
            }
            storedAt = functions.lit(Timestamp.from(only));
        }
        List<Row> rows = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            requireUtf8(line.raw());
            rows.add(RowFactory.create((long) i, line.raw(), Timestamp.from(line.storedAt())));
        }
        StructType schema = new StructType()
                .add("line", DataTypes.LongType)
                .add("value", DataTypes.StringType)
                .add("stored_at", DataTypes.TimestampType);
        var frame = spark.createDataFrame(
                JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 2), schema);
        List<Row> checked = ContractColumns.apply(frame, "value", storedAt, maxFuture)
                .select(
                        "line",
                        ContractColumns.RULE,
                        "event_id",
                        ContractColumns.EVENT_TIME,
                        "user_id",
                        "event_type",
                        "product_id",
                        "session_id",
                        "quantity")
                .collectAsList();
        Verdict[] verdicts = new Verdict[lines.size()];
        for (Row row : checked) {
            int i = (int) row.getLong(0);
            String rule = row.getString(1);
            verdicts[i] = rule != null
                    ? new Verdict(rule, null)
                    : new Verdict(
                            null,
                            Arrays.asList(
                                    row.getString(2),
                                    row.isNullAt(3) ? null : row.getTimestamp(3).toInstant(),
                                    row.getString(4),
                                    row.getString(5),
                                    row.getString(6),
                                    row.getString(7),
                                    row.isNullAt(8) ? null : row.getInt(8)));
        }
        for (int i = 0; i < verdicts.length; i++) {
            if (verdicts[i] == null) {
                throw new AssertionError(
                        "Spark lost line " + i + ": " + show(lines.get(i).raw()));
            }
        }
        return Arrays.asList(verdicts);
    }

    /**
     * A line is text that came as UTF-8: an unpaired surrogate cannot be encoded (Spark's string encoder would
     * silently turn it into '?'). A JSON escape of one (backslash, u, d800) is fine: that is ASCII.
     */
    static void requireUtf8(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("a test line must be encodable as UTF-8: " + show(text));
            }
        }
    }

    /**
     * Shrinks a failing line: removes ever smaller chunks of code points while {@code stillFails} says the smaller
     * line still fails; every round is one batch (one Spark job). Bounded by rounds and time, so a failure is
     * reported quickly with the smallest line found so far.
     */
    static String shrink(
            String failing, Function<List<String>, List<Boolean>> stillFails, int maxRounds, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        String current = failing;
        for (int round = 0; round < maxRounds && System.nanoTime() < deadline; round++) {
            int[] points = current.codePoints().toArray();
            List<String> candidates = new ArrayList<>();
            for (int chunk = Math.max(1, points.length / 2); chunk >= 1 && candidates.size() < 600; chunk /= 2) {
                for (int from = 0; from + chunk <= points.length && candidates.size() < 600; from += chunk) {
                    candidates.add(without(points, from, chunk));
                }
                if (chunk == 1) {
                    break;
                }
            }
            if (candidates.isEmpty()) {
                break;
            }
            List<Boolean> fails = stillFails.apply(candidates);
            String best = null;
            for (int i = 0; i < candidates.size(); i++) {
                if (fails.get(i) && (best == null || candidates.get(i).length() < best.length())) {
                    best = candidates.get(i);
                }
            }
            if (best == null) {
                break;
            }
            current = best;
        }
        return current;
    }

    private static String without(int[] points, int from, int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < points.length; i++) {
            if (i < from || i >= from + count) {
                out.appendCodePoint(points[i]);
            }
        }
        return out.toString();
    }

    /** A line readable in a report: non-ASCII and control characters as escapes, long lines cut. */
    static String show(String text) {
        StringBuilder out = new StringBuilder("\"");
        int shown = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (shown++ > 400) {
                out.append("…(").append(text.length()).append(" chars)");
                break;
            }
            if (c < 0x20 || c >= 0x7F) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
