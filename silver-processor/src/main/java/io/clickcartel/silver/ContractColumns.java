package io.clickcartel.silver;

import static io.clickcartel.core.contract.EventField.EVENT_ID;
import static io.clickcartel.core.contract.EventField.EVENT_TYPE;
import static io.clickcartel.core.contract.EventField.PRODUCT_ID;
import static io.clickcartel.core.contract.EventField.QUANTITY;
import static io.clickcartel.core.contract.EventField.RECEIVED_AT;
import static io.clickcartel.core.contract.EventField.SENT_AT;
import static io.clickcartel.core.contract.EventField.SESSION_ID;
import static io.clickcartel.core.contract.EventField.TIMESTAMP;
import static io.clickcartel.core.contract.EventField.USER_ID;
import static org.apache.spark.sql.functions.char_length;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.clickcartel.core.SilverColumns;
import io.clickcartel.core.contract.EventContract;
import io.clickcartel.core.contract.EventType;
import io.clickcartel.core.contract.Rule;
import io.clickcartel.core.contract.StrictJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The event contract as Spark column expressions: the same rules, in the same order, with the same normalisation
 * as {@link io.clickcartel.core.contract.EventValidator}, built from the same constants. A parity test runs both
 * over every kind of event datagen makes and demands identical answers.
 *
 * <p>JSON types: Spark reads any JSON value into a STRING field (a number as its text, an object as its JSON), so a
 * string {@code "123"} and a number {@code 123} would look alike. Before the one parse, every JSON string token
 * (keys included) gets a marker character prepended, so a parsed field is a string exactly when it starts with the
 * marker. (Typed re-parses would tell the types apart too, but a type mismatch costs Spark an exception per field:
 * that ran at ~2,000 rows/s.)
 *
 * <p>Each stage is its own projection of plain columns, so every per-field value is computed once per row.
 */
public final class ContractColumns {

    /** The first rule the event breaks, as its id; null when the event is valid. */
    public static final String RULE = SilverColumns.RULE;
    /** The event time after clock-skew correction. */
    public static final String EVENT_TIME = SilverColumns.EVENT_TIME;
    /** The name of the observed metric with the number of rows checked. */
    public static final String OBSERVATION = "checked";

    private static final List<String> FIELDS =
            List.of(EVENT_ID, TIMESTAMP, USER_ID, EVENT_TYPE, PRODUCT_ID, SESSION_ID, QUANTITY, SENT_AT, RECEIVED_AT);
    /** U+0001: a JSON text cannot hold it raw, and every number, literal, object and array starts otherwise. */
    private static final String MARKER = "\u0001";
    /** A whole JSON string token, escapes included; possessive, so long strings cannot exhaust the stack. */
    private static final String STRING_TOKEN = "\"([^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+)\"";

    private static final String MARKED_STRING_TOKEN = "\"\\\\u0001$1\"";
    private static final StructType MARKED_SCHEMA = markedSchema();
    /** The contract's trimmed characters at either end. */
    private static final String EDGE_WHITESPACE =
            "^[" + EventContract.TRIMMED_CHARACTERS + "]+|[" + EventContract.TRIMMED_CHARACTERS + "]+\\z";
    /** The one definition of strict JSON, called per row (Spark's JSON reader is lenient: last key wins, NaN, …). */
    private static final UserDefinedFunction STRICT_JSON_OBJECT =
            udf((UDF1<String, Boolean>) StrictJson::isSingleObject, DataTypes.BooleanType);

    private static final String INTEGER_TEXT = "^-?[0-9]+\\z";
    /** The event types, matched as Java does: trimmed, ASCII letters in any case ((?i) without UNICODE_CASE). */
    private static final String EVENT_TYPE_NAME = "^(?i:" + String.join("|", EventType.WIRE_NAMES) + ")\\z";

    private static final long MICROS_PER_MILLI = 1_000L;
    /** Beyond this, millis × 1000 overflows a long; such times are out of range anyway. */
    private static final long MAX_ABS_MILLIS = Long.MAX_VALUE / MICROS_PER_MILLI;

    private static final String STAGED = "_contract_";
    private static final String PARSED = STAGED + "parsed";

    private ContractColumns() {}

    /**
     * Adds {@link #RULE}, {@link #EVENT_TIME} and the normalised contract fields (event_id, user_id, event_type,
     * product_id, session_id, quantity) to rows holding the raw event in {@code rawColumn}. An event without
     * event_id gets the id of its content ({@link io.clickcartel.core.contract.EventIds}).
     *
     * @param storedAt  when the row was stored (bronze's ingested_at): the receive time of an event without a
     *                  plausible {@code received_at}, and the latest receive time any event may claim
     *                  ({@link io.clickcartel.core.contract.EventTimes#receivedAt})
     * @param maxFuture how far the event time may lie after the receive time
     */
    public static Dataset<Row> apply(Dataset<Row> rows, String rawColumn, Column storedAt, Duration maxFuture) {
        Column raw = col(rawColumn);
        // an oversized event is quarantined unparsed: no need to spend a regex pass on it
        Column marked = when(
                octet_length(raw).leq(EventContract.MAX_EVENT_BYTES),
                regexp_replace(raw, STRING_TOKEN, MARKED_STRING_TOKEN));
        Dataset<Row> parsed = rows.withColumn(PARSED, from_json(marked, MARKED_SCHEMA));

        List<Column> fieldValues = new ArrayList<>();
        for (String field : FIELDS) {
            Column value = col(PARSED).getField(MARKER + field);
            Column isString = value.startsWith(MARKER);
            fieldValues.add(isString.as(isStringName(field)));
            fieldValues.add(when(isString, value.substr(2, Integer.MAX_VALUE))
                    .otherwise(value)
                    .as(textName(field)));
        }
        Dataset<Row> typed = withColumns(parsed, fieldValues).drop(PARSED);

        List<Column> trimmedValues = new ArrayList<>();
        for (String field : FIELDS) {
            trimmedValues.add(when(isString(field), regexp_replace(text(field), EDGE_WHITESPACE, ""))
                    .as(trimmedName(field)));
        }
        Dataset<Row> trimmed = withColumns(typed, trimmedValues);

        Dataset<Row> timed = withColumns(
                trimmed,
                List.of(
                        timeMicros(TIMESTAMP).as(STAGED + "client_micros"),
                        timeMicros(SENT_AT).as(STAGED + "sent_micros"),
                        receivedMicros(unix_micros(storedAt)).as(STAGED + "received_micros"),
                        text(QUANTITY).cast(DataTypes.IntegerType).as(STAGED + "quantity_int")));
        Column clientMicros = col(STAGED + "client_micros");
        Column sentMicros = col(STAGED + "sent_micros");
        Column receivedMicros = col(STAGED + "received_micros");
        Column quantityInt = col(STAGED + "quantity_int");

        Map<Rule, Column> broken = new EnumMap<>(Rule.class);
        broken.put(Rule.EVENT_TOO_LARGE, octet_length(raw).gt(EventContract.MAX_EVENT_BYTES));
        broken.put(Rule.MALFORMED_JSON, not(STRICT_JSON_OBJECT.apply(raw)));
        broken.put(
                Rule.EVENT_ID_INVALID,
                present(EVENT_ID)
                        .and(not(isString(EVENT_ID))
                                .or(not(trimmed(EVENT_ID).rlike(anchored(EventContract.EVENT_ID_PATTERN.pattern()))))));
        broken.put(Rule.TIMESTAMP_MISSING, not(present(TIMESTAMP)));
        broken.put(Rule.TIMESTAMP_INVALID, clientMicros.isNull());
        broken.put(Rule.TIMESTAMP_OUT_OF_RANGE, not(inPlausibleRange(clientMicros)));
        broken.put(Rule.USER_ID_MISSING, not(present(USER_ID)));
        broken.put(Rule.USER_ID_INVALID, not(isId(USER_ID)));
        broken.put(Rule.EVENT_TYPE_MISSING, not(present(EVENT_TYPE)));
        broken.put(Rule.EVENT_TYPE_UNKNOWN, not(coalesce(textValue(EVENT_TYPE).rlike(EVENT_TYPE_NAME), lit(false))));
        broken.put(Rule.PRODUCT_ID_MISSING, not(present(PRODUCT_ID)));
        broken.put(Rule.PRODUCT_ID_INVALID, not(isId(PRODUCT_ID)));
        broken.put(Rule.SESSION_ID_INVALID, present(SESSION_ID).and(not(isId(SESSION_ID))));
        broken.put(Rule.QUANTITY_INVALID, present(QUANTITY).and(not(isInteger(QUANTITY))));
        broken.put(
                Rule.QUANTITY_OUT_OF_RANGE,
                present(QUANTITY)
                        .and(not(coalesce(
                                length(text(QUANTITY))
                                        .leq(11)
                                        .and(quantityInt.between(
                                                EventContract.MIN_QUANTITY, EventContract.MAX_QUANTITY)),
                                lit(false)))));
        broken.put(Rule.SENT_AT_INVALID, present(SENT_AT).and(sentMicros.isNull()));
        Column eventMicros = when(
                        present(SENT_AT), clientMicros.plus(receivedMicros).minus(sentMicros))
                .otherwise(clientMicros);
        broken.put(
                Rule.SENT_AT_OUT_OF_RANGE,
                present(SENT_AT).and(not(inPlausibleRange(sentMicros)).or(not(inPlausibleRange(eventMicros)))));
        broken.put(Rule.TIMESTAMP_IN_FUTURE, eventMicros.gt(receivedMicros.plus(maxFuture.toNanos() / 1_000)));

        Column rule = lit(null).cast(DataTypes.StringType);
        List<Rule> inReverse = new ArrayList<>(List.of(Rule.values()));
        Collections.reverse(inReverse);
        for (Rule each : inReverse) { // the first rule in contract order wins
            Column condition = broken.get(each);
            if (condition == null) {
                throw new IllegalStateException("no column expression for rule " + each);
            }
            rule = when(coalesce(condition, lit(false)), lit(each.id())).otherwise(rule);
        }

        Dataset<Row> checked = timed.withColumn(RULE, rule)
                // only a valid event has a time: an invalid one's could be any long, even one no timestamp holds
                .withColumn(EVENT_TIME, when(col(RULE).isNull(), timestamp_micros(eventMicros)))
                .withColumn(
                        EVENT_ID,
                        coalesce(
                                textValue(EVENT_ID),
                                concat(
                                        lit(EventContract.CONTENT_ID_PREFIX),
                                        substring(sha2(raw, 256), 1, EventContract.CONTENT_ID_HEX_DIGITS))))
                .withColumn(USER_ID, textValue(USER_ID))
                .withColumn(EVENT_TYPE, lower(textValue(EVENT_TYPE)))
                .withColumn(PRODUCT_ID, textValue(PRODUCT_ID))
                .withColumn(SESSION_ID, textValue(SESSION_ID))
                .withColumn(QUANTITY, when(present(QUANTITY), quantityInt).otherwise(EventContract.DEFAULT_QUANTITY));
        // The observation (rows checked) is also a barrier: the optimiser pushes a filter such as "rule is null"
        // through projections by inlining them, which would evaluate every staged value again inside the filter.
        return checked.drop(Arrays.stream(checked.columns())
                        .filter(name -> name.startsWith(STAGED))
                        .toArray(String[]::new))
                .observe(OBSERVATION, count(lit(1)).as("rows"));
    }

    private static Dataset<Row> withColumns(Dataset<Row> rows, List<Column> added) {
        List<Column> all = new ArrayList<>();
        all.add(col("*"));
        all.addAll(added);
        return rows.select(all.toArray(Column[]::new));
    }

    private static StructType markedSchema() {
        StructType schema = new StructType();
        for (String field : FIELDS) {
            schema = schema.add(MARKER + field, DataTypes.StringType);
        }
        return schema;
    }

    private static String isStringName(String field) {
        return STAGED + field + "_is_string";
    }

    private static String textName(String field) {
        return STAGED + field + "_text";
    }

    private static String trimmedName(String field) {
        return STAGED + field + "_trimmed";
    }

    /** The field as Spark reads it into a STRING: a string's content, any other value's JSON text. */
    private static Column text(String field) {
        return col(textName(field));
    }

    private static Column isString(String field) {
        return coalesce(col(isStringName(field)), lit(false));
    }

    private static Column isInteger(String field) {
        return not(isString(field)).and(text(field).rlike(INTEGER_TEXT));
    }

    /** A string field without the characters {@link String#trim()} removes; null for other JSON types. */
    private static Column trimmed(String field) {
        return col(trimmedName(field));
    }

    /** Not absent, not JSON null, not a blank string. */
    private static Column present(String field) {
        return text(field)
                .isNotNull()
                .and(not(isString(field).and(trimmed(field).equalTo(""))));
    }

    /** The trimmed string, or null when the field is no non-blank string. */
    private static Column textValue(String field) {
        return when(trimmed(field).notEqual(""), trimmed(field));
    }

    private static Column isId(String field) {
        return isString(field)
                .and(char_length(trimmed(field)).leq(EventContract.MAX_ID_LENGTH))
                .and(not(trimmed(field).rlike(EventContract.INVISIBLE_CHARACTER.pattern())));
    }

    /** In [{@link EventContract#EARLIEST_EVENT_TIME}, {@link EventContract#LATEST_EVENT_TIME}). */
    private static Column inPlausibleRange(Column micros) {
        return micros.geq(micros(EventContract.EARLIEST_EVENT_TIME))
                .and(micros.lt(micros(EventContract.LATEST_EVENT_TIME)));
    }

    /** As {@link io.clickcartel.core.contract.EventTimes#receivedAt}: a plausible received_at, at most storedAt. */
    private static Column receivedMicros(Column storedMicros) {
        Column claimed = timeMicros(RECEIVED_AT);
        return when(inPlausibleRange(claimed).and(claimed.lt(storedMicros)), claimed)
                .otherwise(storedMicros);
    }

    /** ISO-8601 with offset or epoch millis (JSON integer or digit string) as epoch micros; null otherwise. */
    private static Column timeMicros(String field) {
        Column integerMillis = when(isInteger(field), text(field).cast(DataTypes.LongType));
        Column digitMillis = when(
                textValue(field).rlike(anchored(EventContract.EPOCH_MILLIS_PATTERN.pattern())),
                textValue(field).cast(DataTypes.LongType));
        Column isoMicros = when(
                textValue(field).rlike(anchored(EventContract.ISO_TIMESTAMP_PATTERN.pattern())),
                unix_micros(textValue(field).cast(DataTypes.TimestampType)));
        return coalesce(millisToMicros(integerMillis), millisToMicros(digitMillis), isoMicros);
    }

    private static Column millisToMicros(Column millis) {
        return when(millis.between(-MAX_ABS_MILLIS, MAX_ABS_MILLIS), millis.multiply(MICROS_PER_MILLI))
                .when(millis.isNotNull(), lit(Long.MIN_VALUE)); // representable only as "out of range"
    }

    private static Column micros(java.time.Instant instant) {
        return lit(instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000);
    }

    /** Whole text: {@code \z}, since {@code $} would also match before a final line terminator (U+2028…). */
    private static String anchored(String pattern) {
        return "^(?:" + pattern + ")\\z";
    }
}
