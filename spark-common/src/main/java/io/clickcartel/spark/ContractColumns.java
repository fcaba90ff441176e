package io.clickcartel.spark;

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
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.json_object_keys;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.clickcartel.core.SilverColumns;
import io.clickcartel.core.contract.EventContract;
import io.clickcartel.core.contract.EventType;
import io.clickcartel.core.contract.Rule;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The event contract as Spark column expressions: the same rules, in the same order, with the same normalisation
 * as {@link io.clickcartel.core.contract.EventValidator}, built from the same constants. A parity test runs both
 * over every kind of event datagen makes and demands identical answers.
 *
 * <p>JSON types: Spark reads any JSON value into a STRING field (a number as its text, an object as its JSON), so a
 * string {@code "123"} and a number {@code 123} look alike. Parsing the event once more per JSON type (DOUBLE,
 * BOOLEAN, MAP, ARRAY) tells them apart: a field is non-null in a typed parse only if it has that type.
 */
public final class ContractColumns {

    /** The first rule the event breaks, as its id; null when the event is valid. */
    public static final String RULE = SilverColumns.RULE;
    /** The event time after clock-skew correction. */
    public static final String EVENT_TIME = SilverColumns.EVENT_TIME;

    private static final List<String> FIELDS =
            List.of(EVENT_ID, TIMESTAMP, USER_ID, EVENT_TYPE, PRODUCT_ID, SESSION_ID, QUANTITY, SENT_AT, RECEIVED_AT);
    private static final StructType AS_TEXT = schema(DataTypes.StringType);
    private static final StructType AS_NUMBER = schema(DataTypes.DoubleType);
    private static final StructType AS_BOOLEAN = schema(DataTypes.BooleanType);
    private static final StructType AS_OBJECT = schema(DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));
    private static final StructType AS_ARRAY = schema(DataTypes.createArrayType(DataTypes.StringType));
    /** What {@link String#trim()} removes: every char up to U+0020. */
    private static final String EDGE_CONTROL_OR_SPACE = "^[\\x00-\\x20]+|[\\x00-\\x20]+$";
    private static final String INTEGER_TEXT = "^-?[0-9]+$";
    private static final long MICROS_PER_MILLI = 1_000L;
    /** Beyond this, millis × 1000 overflows a long; such times are out of range anyway. */
    private static final long MAX_ABS_MILLIS = Long.MAX_VALUE / MICROS_PER_MILLI;
    private static final String PROBES = "_contract_";

    private ContractColumns() {
    }

    /**
     * Adds {@link #RULE}, {@link #EVENT_TIME} and the normalised contract fields (event_id, user_id, event_type,
     * product_id, session_id, quantity) to rows holding the raw event in {@code rawColumn}.
     *
     * @param receivedAt the receive time for events that carry no {@code received_at} (e.g. bronze's ingested_at)
     * @param idForMissing the event_id of an event without one
     */
    public static Dataset<Row> apply(Dataset<Row> rows, String rawColumn, Column receivedAt, Column idForMissing) {
        Column raw = col(rawColumn);
        Dataset<Row> probed = rows
                .withColumn(PROBES + "text", from_json(raw, AS_TEXT))
                .withColumn(PROBES + "number", from_json(raw, AS_NUMBER))
                .withColumn(PROBES + "boolean", from_json(raw, AS_BOOLEAN))
                .withColumn(PROBES + "object", from_json(raw, AS_OBJECT))
                .withColumn(PROBES + "array", from_json(raw, AS_ARRAY));

        Column clientMicros = timeMicros(TIMESTAMP);
        Column sentMicros = timeMicros(SENT_AT);
        Column receivedMicros = coalesce(timeMicros(RECEIVED_AT), unix_micros(receivedAt));
        Column quantityInt = text(QUANTITY).cast(DataTypes.IntegerType);

        Map<Rule, Column> broken = new EnumMap<>(Rule.class);
        broken.put(Rule.EVENT_TOO_LARGE, octet_length(raw).gt(EventContract.MAX_EVENT_BYTES));
        broken.put(Rule.MALFORMED_JSON, json_object_keys(raw).isNull());
        broken.put(Rule.EVENT_ID_INVALID, present(EVENT_ID).and(not(isString(EVENT_ID))
                .or(not(trimmed(EVENT_ID).rlike(anchored(EventContract.EVENT_ID_PATTERN.pattern()))))));
        broken.put(Rule.TIMESTAMP_MISSING, not(present(TIMESTAMP)));
        broken.put(Rule.TIMESTAMP_INVALID, clientMicros.isNull());
        broken.put(Rule.TIMESTAMP_OUT_OF_RANGE, clientMicros.lt(micros(EventContract.EARLIEST_EVENT_TIME))
                .or(clientMicros.geq(micros(EventContract.LATEST_EVENT_TIME))));
        broken.put(Rule.USER_ID_MISSING, not(present(USER_ID)));
        broken.put(Rule.USER_ID_INVALID, not(isId(USER_ID)));
        broken.put(Rule.EVENT_TYPE_MISSING, not(present(EVENT_TYPE)));
        broken.put(Rule.EVENT_TYPE_UNKNOWN, not(coalesce(lower(textValue(EVENT_TYPE))
                .isin(EventType.WIRE_NAMES.toArray()), lit(false))));
        broken.put(Rule.PRODUCT_ID_MISSING, not(present(PRODUCT_ID)));
        broken.put(Rule.PRODUCT_ID_INVALID, not(isId(PRODUCT_ID)));
        broken.put(Rule.SESSION_ID_INVALID, present(SESSION_ID).and(not(isId(SESSION_ID))));
        broken.put(Rule.QUANTITY_INVALID, present(QUANTITY).and(not(isInteger(QUANTITY))));
        broken.put(Rule.QUANTITY_OUT_OF_RANGE, present(QUANTITY).and(not(coalesce(
                length(text(QUANTITY)).leq(11).and(quantityInt.between(
                        EventContract.MIN_QUANTITY, EventContract.MAX_QUANTITY)), lit(false)))));
        broken.put(Rule.SENT_AT_INVALID, present(SENT_AT).and(sentMicros.isNull()));

        Column rule = lit(null).cast(DataTypes.StringType);
        List<Rule> inReverse = new java.util.ArrayList<>(List.of(Rule.values()));
        java.util.Collections.reverse(inReverse);
        for (Rule each : inReverse) { // the first rule in contract order wins
            Column condition = broken.get(each);
            if (condition == null) {
                throw new IllegalStateException("no column expression for rule " + each);
            }
            rule = when(coalesce(condition, lit(false)), lit(each.id())).otherwise(rule);
        }

        Column eventMicros = when(present(SENT_AT), clientMicros.plus(receivedMicros).minus(sentMicros))
                .otherwise(clientMicros);
        Dataset<Row> checked = probed
                .withColumn(RULE, rule)
                // only a valid event has a time: an invalid one's could be any long, even one no timestamp holds
                .withColumn(EVENT_TIME, when(col(RULE).isNull(), timestamp_micros(eventMicros)))
                .withColumn(EVENT_ID, coalesce(textValue(EVENT_ID), idForMissing))
                .withColumn(USER_ID, textValue(USER_ID))
                .withColumn(EVENT_TYPE, lower(textValue(EVENT_TYPE)))
                .withColumn(PRODUCT_ID, textValue(PRODUCT_ID))
                .withColumn(SESSION_ID, textValue(SESSION_ID))
                .withColumn(QUANTITY, when(present(QUANTITY), quantityInt).otherwise(EventContract.DEFAULT_QUANTITY));
        return checked.drop(PROBES + "text", PROBES + "number", PROBES + "boolean", PROBES + "object",
                PROBES + "array");
    }

    private static StructType schema(DataType type) {
        StructType schema = new StructType();
        for (String field : FIELDS) {
            schema = schema.add(field, type);
        }
        return schema;
    }

    /** The field as Spark reads it into a STRING: a string's content, any other value's JSON text. */
    private static Column text(String field) {
        return col(PROBES + "text." + field);
    }

    private static Column isString(String field) {
        return text(field).isNotNull()
                .and(col(PROBES + "number." + field).isNull())
                .and(col(PROBES + "boolean." + field).isNull())
                .and(col(PROBES + "object." + field).isNull())
                .and(col(PROBES + "array." + field).isNull());
    }

    private static Column isInteger(String field) {
        return col(PROBES + "number." + field).isNotNull().and(text(field).rlike(INTEGER_TEXT));
    }

    private static Column trimmed(String field) {
        return regexp_replace(text(field), EDGE_CONTROL_OR_SPACE, "");
    }

    /** Not absent, not JSON null, not a blank string. */
    private static Column present(String field) {
        return text(field).isNotNull().and(not(isString(field).and(trimmed(field).equalTo(""))));
    }

    /** The trimmed string, or null when the field is no non-blank string. */
    private static Column textValue(String field) {
        return when(isString(field).and(trimmed(field).notEqual("")), trimmed(field));
    }

    private static Column isId(String field) {
        return isString(field).and(char_length(trimmed(field)).leq(EventContract.MAX_ID_LENGTH));
    }

    /** ISO-8601 with offset or epoch millis (JSON integer or digit string) as epoch micros; null otherwise. */
    private static Column timeMicros(String field) {
        Column integerMillis = when(isInteger(field), text(field).cast(DataTypes.LongType));
        Column digitMillis = when(textValue(field).rlike(anchored(EventContract.EPOCH_MILLIS_PATTERN.pattern())),
                textValue(field).cast(DataTypes.LongType));
        Column isoMicros = when(textValue(field).rlike(anchored(EventContract.ISO_TIMESTAMP_PATTERN.pattern())),
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

    private static String anchored(String pattern) {
        return "^(?:" + pattern + ")$";
    }
}
