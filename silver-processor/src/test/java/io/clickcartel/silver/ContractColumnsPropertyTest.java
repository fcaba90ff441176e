package io.clickcartel.silver;

import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.core.contract.EventContract;
import io.clickcartel.core.contract.EventValidator;
import io.clickcartel.core.contract.Rule;
import io.clickcartel.core.contract.Validation;
import io.clickcartel.silver.ContractParity.Line;
import io.clickcartel.silver.ContractParity.Outcome;
import io.clickcartel.silver.ContractParity.Verdict;
import io.clickcartel.spark.LocalSpark;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Property tests of silver's check in Spark against ingest's validator called directly, on generated events. Each try is a list of events checked
 * in one Spark job (a job per event would be far too slow). A failing element is reported directly — the elements
 * are independent, so the list needs no shrinking — and its text is then shrunk, bounded in rounds and time.
 *
 * <p>Replay a failure with {@code -Dclickcartel.seed=<seed>} (printed), run longer with {@code -Dclickcartel.tries=<n>}.
 */
@ExtendWith(LocalSpark.class)
class ContractColumnsPropertyTest {

    private static final int MAX_EVENTS_PER_TRY = 200;
    private static final int SHRINK_ROUNDS = 25;
    private static final Duration SHRINK_BUDGET = Duration.ofSeconds(30);
    private static final Duration MICRO = Duration.of(1, ChronoUnit.MICROS);

    /** The max future of a try: mostly the default, sometimes none, tiny, short or long. */
    private static Duration maxFuture(RandomGenerator random) {
        return switch (random.nextInt(8)) {
            case 0 -> Duration.ZERO;
            case 1 -> MICRO;
            case 2 -> Duration.ofMinutes(5);
            case 3 -> Duration.ofDays(30);
            default -> EventContract.DEFAULT_MAX_FUTURE;
        };
    }

    /** How long after receiving it bronze stores a line: never earlier, often at once, sometimes much later. */
    private static Duration storeDelay(RandomGenerator random) {
        return switch (random.nextInt(10)) {
            case 0, 1 -> Duration.ZERO;
            case 2 -> Duration.ofNanos(random.nextInt(1, 1_000));
            case 3, 4, 5 -> Duration.ofMillis(random.nextInt(0, 5_000));
            case 6, 7, 8 -> Duration.ofSeconds(random.nextInt(0, 4 * 3600));
            default -> Duration.ofDays(random.nextInt(0, 40)).plusNanos(random.nextLong(1_000_000_000L));
        };
    }

    private static int size(RandomGenerator random) {
        return random.nextInt(4) == 0 ? 1 + random.nextInt(20) : 1 + random.nextInt(MAX_EVENTS_PER_TRY);
    }

    /** A raw event ingest may receive, with when it is received. */
    private record Received(String raw, Instant receivedAt, Instant storedAt) {}

    /**
     * What ingest admits, silver accepts: for every event {@code admit} accepts, the normalised JSON it writes to
     * Kafka, stored by bronze at or after the receive time, is valid for {@link ContractColumns} with the same
     * normalised values — and normalising it again in Java changes nothing either.
     */
    @Test
    void acceptedMeansValidForever(SparkSession spark) {
        PropertyRun run = new PropertyRun("accepted means valid forever", 25, 10, 60);
        Map<String, Long> verdicts = new TreeMap<>();
        for (int t = 0; run.runs(t); t++) {
            RandomGenerator random = run.random(t);
            ContractGenerators generate = new ContractGenerators(random);
            Duration maxFuture = maxFuture(random);
            EventValidator validator = new EventValidator(ContractParity.JSON, maxFuture);

            List<Received> received = new ArrayList<>();
            int size = size(random);
            for (int i = 0; i < size; i++) {
                Instant receivedAt = generate.receiveTime();
                ContractGenerators.Event event = generate.validEvent(receivedAt, maxFuture);
                boolean mutated = random.nextInt(5) == 0;
                String raw = mutated ? generate.mutate(event, receivedAt, maxFuture) : generate.render(event);
                received.add(new Received(raw, receivedAt, receivedAt.plus(storeDelay(random))));
                run.count(mutated ? "events mutated" : "events clean");
            }

            List<Received> admitted = new ArrayList<>();
            List<Line> written = new ArrayList<>();
            List<Verdict> expected = new ArrayList<>();
            List<String> javaFailures = new ArrayList<>();
            for (Received event : received) {
                Validation admission = validator.admit(event.raw(), event.receivedAt());
                Verdict verdict = ContractParity.verdict(admission);
                verdicts.merge(verdict.label(), 1L, Long::sum);
                if (admission instanceof Validation.Valid valid) {
                    Line line = new Line(valid.event().toJson().toString(), event.storedAt());
                    admitted.add(event);
                    written.add(line);
                    expected.add(verdict);
                    if (!verdict.equals(ContractParity.java(validator, line))) {
                        javaFailures.add(
                                "normalising again in Java changed the event: " + ContractParity.show(event.raw())
                                        + " received at " + event.receivedAt() + "\n  written "
                                        + ContractParity.show(line.raw())
                                        + "\n  first " + verdict + "\n  again " + ContractParity.java(validator, line));
                    }
                }
            }
            assertThat(javaFailures).as(run.replay(t)).isEmpty();

            long sparkStarted = System.nanoTime();
            List<Verdict> inSpark = ContractParity.spark(spark, written, maxFuture);
            run.time("spark ms", sparkStarted);
            List<String> failures = new ArrayList<>();
            int firstFailure = -1;
            for (int i = 0; i < written.size(); i++) {
                if (!inSpark.get(i).equals(expected.get(i))) {
                    firstFailure = firstFailure < 0 ? i : firstFailure;
                    if (failures.size() < 5) {
                        failures.add("admitted "
                                + ContractParity.show(admitted.get(i).raw()) + " received at "
                                + admitted.get(i).receivedAt() + "\n  "
                                + new Outcome(written.get(i), expected.get(i), inSpark.get(i)).describe());
                    }
                }
            }
            if (firstFailure >= 0) {
                Received failing = admitted.get(firstFailure);
                String shrunk = ContractParity.shrink(
                        failing.raw(),
                        candidates -> {
                            List<Line> lines = new ArrayList<>();
                            List<Verdict> wanted = new ArrayList<>();
                            List<Integer> index = new ArrayList<>();
                            for (int c = 0; c < candidates.size(); c++) {
                                if (validator.admit(candidates.get(c), failing.receivedAt())
                                        instanceof Validation.Valid v) {
                                    lines.add(new Line(v.event().toJson().toString(), failing.storedAt()));
                                    wanted.add(Verdict.of(v.event()));
                                    index.add(c);
                                }
                            }
                            List<Verdict> got = ContractParity.spark(spark, lines, maxFuture);
                            Boolean[] fails = new Boolean[candidates.size()];
                            Arrays.fill(fails, false);
                            for (int k = 0; k < lines.size(); k++) {
                                fails[index.get(k)] = !got.get(k).equals(wanted.get(k));
                            }
                            return Arrays.asList(fails);
                        },
                        SHRINK_ROUNDS,
                        SHRINK_BUDGET);
                String shrunkReport = validator.admit(shrunk, failing.receivedAt()) instanceof Validation.Valid v
                        ? new Outcome(
                                        new Line(v.event().toJson().toString(), failing.storedAt()),
                                        Verdict.of(v.event()),
                                        ContractParity.spark(
                                                        spark,
                                                        List.of(new Line(
                                                                v.event()
                                                                        .toJson()
                                                                        .toString(),
                                                                failing.storedAt())),
                                                        maxFuture)
                                                .get(0))
                                .describe()
                        : "(no longer admitted)";
                throw new AssertionError(run.replay(t) + ", max future " + maxFuture
                        + ": Spark does not accept what ingest "
                        + "admitted, " + (written.size() - countEqual(inSpark, expected)) + " of " + written.size()
                        + " events:\n" + String.join("\n", failures) + "\nshrunk: admitted "
                        + ContractParity.show(shrunk)
                        + " received at " + failing.receivedAt() + "\n  " + shrunkReport);
            }
            run.count("spark jobs");
        }
        run.report("Java verdicts on the generated events (only valid ones go on to Spark)", verdicts);
        run.reportTime();
        long total = verdicts.values().stream().mapToLong(Long::longValue).sum();
        long valid = verdicts.getOrDefault("valid", 0L);
        assertThat(valid).as("admitted events").isGreaterThanOrEqualTo(total * 60 / 100);
        assertThat(total - valid).as("refused events").isGreaterThanOrEqualTo(total * 5 / 100);
        assertThat(run.count("events mutated", 0)).isPositive();
    }

    private static int countEqual(List<Verdict> a, List<Verdict> b) {
        int equal = 0;
        for (int i = 0; i < a.size(); i++) {
            equal += a.get(i).equals(b.get(i)) ? 1 : 0;
        }
        return equal;
    }

    /**
     * The same verdict on any line: mutations of valid events (raw ones, and the normalised JSON ingest writes),
     * field salad, token soup and random text, each stored by bronze at some time — Java and Spark must report the
     * same rule, or both accept it with the same normalised values.
     */
    @Test
    void sameVerdictOnArbitraryLines(SparkSession spark) {
        PropertyRun run = new PropertyRun("same verdict on arbitrary lines", 40, 10, 60);
        Map<String, Long> verdicts = new TreeMap<>();
        for (int t = 0; run.runs(t); t++) {
            RandomGenerator random = run.random(t);
            ContractGenerators generate = new ContractGenerators(random);
            Duration maxFuture = maxFuture(random);
            EventValidator validator = new EventValidator(ContractParity.JSON, maxFuture);

            List<Line> lines = new ArrayList<>();
            int size = size(random);
            for (int i = 0; i < size; i++) {
                Instant receivedAt = generate.receiveTime();
                Instant storedAt = receivedAt.plus(storeDelay(random));
                int kind = random.nextInt(20);
                String raw;
                if (kind < 5) { // what ingest writes, then damaged
                    ContractGenerators.Event event = generate.validEvent(receivedAt, maxFuture);
                    if (validator.admit(generate.render(event), receivedAt) instanceof Validation.Valid valid) {
                        raw = random.nextInt(10) < 7
                                ? generate.mutate(
                                        ContractGenerators.fromJson(
                                                valid.event().toJson(), receivedAt),
                                        storedAt,
                                        maxFuture)
                                : valid.event().toJson().toString();
                        run.count("lines from normalised JSON");
                    } else {
                        raw = generate.render(event);
                        run.count("lines raw, clean");
                    }
                } else if (kind < 16) { // a raw event, as the landing folder holds them, mostly damaged
                    ContractGenerators.Event event = generate.validEvent(receivedAt, maxFuture);
                    if (random.nextInt(10) < 4) { // the collector's received_at
                        event.put(
                                "received_at",
                                generate.string(receivedAt
                                        .truncatedTo(ChronoUnit.MICROS)
                                        .toString()));
                    }
                    boolean mutated = random.nextInt(10) < 8;
                    raw = mutated ? generate.mutate(event, storedAt, maxFuture) : generate.render(event);
                    run.count(mutated ? "lines raw, mutated" : "lines raw, clean");
                } else {
                    raw = generate.randomLine(storedAt);
                    run.count("lines random");
                }
                lines.add(new Line(raw, storedAt));
            }

            long compareStarted = System.nanoTime();
            List<Outcome> outcomes = ContractParity.compare(spark, lines, maxFuture);
            run.time("java + spark ms", compareStarted);
            List<String> failures = new ArrayList<>();
            Outcome first = null;
            for (Outcome outcome : outcomes) {
                verdicts.merge(outcome.java().label(), 1L, Long::sum);
                if (!outcome.agrees()) {
                    first = first == null ? outcome : first;
                    if (failures.size() < 5) {
                        failures.add(outcome.describe());
                    }
                }
            }
            if (first != null) {
                Instant storedAt = first.line().storedAt();
                String shrunk = ContractParity.shrink(
                        first.line().raw(),
                        candidates -> {
                            List<Line> candidateLines = candidates.stream()
                                    .map(c -> new Line(c, storedAt))
                                    .toList();
                            return ContractParity.compare(spark, candidateLines, maxFuture).stream()
                                    .map(o -> !o.agrees())
                                    .toList();
                        },
                        SHRINK_ROUNDS,
                        SHRINK_BUDGET);
                Outcome minimal = ContractParity.compare(spark, List.of(new Line(shrunk, storedAt)), maxFuture)
                        .get(0);
                throw new AssertionError(run.replay(t) + ", max future " + maxFuture + ": Java and Spark disagree on "
                        + failures.size() + "+ lines:\n" + String.join("\n", failures) + "\nshrunk:\n"
                        + minimal.describe());
            }
            run.count("spark jobs");
        }
        run.report("Java verdicts (= Spark verdicts) on the lines", verdicts);
        Map<String, Long> kinds = new TreeMap<>(run.counts());
        kinds.keySet().removeIf(key -> !key.startsWith("lines"));
        run.report("generated lines by kind", kinds);
        run.reportTime();
        long total = verdicts.values().stream().mapToLong(Long::longValue).sum();
        long valid = verdicts.getOrDefault("valid", 0L);
        assertThat(valid).as("valid lines").isGreaterThanOrEqualTo(total * 10 / 100);
        assertThat(total - valid).as("invalid lines").isGreaterThanOrEqualTo(total * 50 / 100);
        assertThat(verdicts.keySet().stream().filter(label -> !label.equals("valid")))
                .as("rules exercised (of %d)", Rule.values().length)
                .hasSizeGreaterThanOrEqualTo(15);
    }
}
