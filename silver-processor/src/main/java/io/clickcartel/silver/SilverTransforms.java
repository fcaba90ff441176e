package io.clickcartel.silver;

import static io.clickcartel.core.BronzeColumns.INGESTED_AT;
import static io.clickcartel.core.BronzeColumns.OFFSET;
import static io.clickcartel.core.BronzeColumns.PARTITION;
import static io.clickcartel.core.BronzeColumns.SOURCE;
import static io.clickcartel.core.BronzeColumns.SOURCE_FILE_NAME;
import static io.clickcartel.core.BronzeColumns.TOPIC;
import static io.clickcartel.core.BronzeColumns.VALUE;
import static io.clickcartel.core.SilverColumns.CATEGORY;
import static io.clickcartel.core.SilverColumns.CUSTOMER_LOCATION;
import static io.clickcartel.core.SilverColumns.CUSTOMER_SIGNUP_DATE;
import static io.clickcartel.core.SilverColumns.EVENT_DATE;
import static io.clickcartel.core.SilverColumns.EVENT_TIME;
import static io.clickcartel.core.SilverColumns.KNOWN_CUSTOMER;
import static io.clickcartel.core.SilverColumns.KNOWN_PRODUCT;
import static io.clickcartel.core.SilverColumns.PRODUCT_NAME;
import static io.clickcartel.core.SilverColumns.QUARANTINED_AT;
import static io.clickcartel.core.SilverColumns.REASON;
import static io.clickcartel.core.SilverColumns.REVENUE;
import static io.clickcartel.core.SilverColumns.RULE;
import static io.clickcartel.core.SilverColumns.UNIT_PRICE;
import static io.clickcartel.core.contract.EventField.EVENT_ID;
import static io.clickcartel.core.contract.EventField.EVENT_TYPE;
import static io.clickcartel.core.contract.EventField.PRODUCT_ID;
import static io.clickcartel.core.contract.EventField.QUANTITY;
import static io.clickcartel.core.contract.EventField.SESSION_ID;
import static io.clickcartel.core.contract.EventField.USER_ID;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.clickcartel.core.ReferenceData;
import io.clickcartel.core.contract.EventType;
import io.clickcartel.core.contract.Rule;
import io.clickcartel.spark.TableSchemas;
import java.time.Duration;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Bronze rows into silver rows, as pure functions over DataFrames: no I/O, no clock, no session lookups. */
public final class SilverTransforms {

    public static final StructType CUSTOMERS_SCHEMA = new StructType()
            .add(ReferenceData.CUSTOMER_ID, DataTypes.StringType)
            .add(ReferenceData.SIGNUP_DATE, DataTypes.DateType)
            .add(ReferenceData.LOCATION, DataTypes.StringType);

    /** rule id → reason, as a literal map column. */
    private static final Column REASONS = org.apache.spark.sql.functions.map(Arrays.stream(Rule.values())
            .flatMap(rule -> java.util.stream.Stream.of(lit(rule.id()), lit(rule.reason())))
            .toArray(Column[]::new));

    /** What {@link #deduplicate} keys rows on; never written. */
    private static final String DEDUPLICATION_KEY = "_deduplication_key";

    private SilverTransforms() {}

    /**
     * Every bronze row checked against the contract ({@link ContractColumns}), received at the latest when bronze
     * stored it; an event without event_id gets a content hash, so re-delivered copies of it still de-duplicate.
     */
    public static Dataset<Row> check(Dataset<Row> bronze, Duration maxFuture) {
        return ContractColumns.apply(bronze, VALUE, col(INGESTED_AT), maxFuture);
    }

    /** The rows that broke a rule: raw value, rule, reason, bronze coordinates. */
    public static Dataset<Row> quarantine(Dataset<Row> checked, Column now) {
        return checked.where(col(RULE).isNotNull())
                .select(
                        col(VALUE),
                        col(RULE),
                        element_at(REASONS, col(RULE)).as(REASON),
                        col(SOURCE),
                        col(TOPIC),
                        col(PARTITION),
                        col(OFFSET),
                        col(SOURCE_FILE_NAME),
                        col(INGESTED_AT),
                        now.as(QUARANTINED_AT));
    }

    /** The valid rows, normalised, with their UTC event date. */
    public static Dataset<Row> valid(Dataset<Row> checked) {
        return checked.where(col(RULE).isNull())
                .select(
                        col(EVENT_ID),
                        col(EVENT_TIME),
                        to_date(col(EVENT_TIME)).as(EVENT_DATE),
                        col(USER_ID),
                        col(EVENT_TYPE),
                        col(PRODUCT_ID),
                        col(SESSION_ID),
                        col(QUANTITY),
                        col(SOURCE),
                        col(TOPIC),
                        col(PARTITION),
                        col(OFFSET),
                        col(SOURCE_FILE_NAME),
                        col(INGESTED_AT));
    }

    /**
     * The silver stream's de-duplication, over every checked row, with bounded state: a valid event is kept once
     * per event_id until the watermark (newest event time − delay) passes it, and dropped (counted by Spark) when
     * older than the watermark. A quarantined row has no event time, so it never moves the watermark and is never
     * too late; its key is a random id (an event_id never holds the '|' it starts with), so it is never a duplicate, and
     * it leaves the state as soon as there is a watermark. Only a quarantined row keeps its raw value.
     */
    public static Dataset<Row> deduplicate(Dataset<Row> checked, Duration delay) {
        Column valid = col(RULE).isNull();
        // a bronze row has no unique coordinates of its own (a landing file's lines share theirs): a random id
        Column key = when(valid, col(EVENT_ID)).otherwise(concat(lit("|"), expr("uuid()")));
        return checked.withColumn(DEDUPLICATION_KEY, key)
                .withColumn(VALUE, when(not(valid), col(VALUE)))
                .withWatermark(EVENT_TIME, delay.toMillis() + " milliseconds")
                .dropDuplicatesWithinWatermark(DEDUPLICATION_KEY);
    }

    /** Batch de-duplication, exact: the first received copy of each event_id. */
    public static Dataset<Row> deduplicateExactly(Dataset<Row> valid) {
        return valid.withColumn(
                        "_copy",
                        row_number()
                                .over(Window.partitionBy(EVENT_ID)
                                        .orderBy(
                                                col(INGESTED_AT),
                                                col(SOURCE),
                                                col(PARTITION),
                                                col(OFFSET),
                                                col(SOURCE_FILE_NAME))))
                .where(col("_copy").equalTo(1))
                .drop("_copy");
    }

    /**
     * Adds product and customer attributes by broadcast joins (both dimensions are small; the events are skewed
     * toward a few hot products, which a shuffle join would pile onto a few tasks). Unknown ids are kept, flagged.
     * Revenue: unit price × quantity for purchases of known products, 0 otherwise.
     */
    public static Dataset<Row> enrich(Dataset<Row> events, Dataset<Row> customers, Dataset<Row> products) {
        Dataset<Row> product = products.dropDuplicates(ReferenceData.PRODUCT_ID)
                .select(
                        col(ReferenceData.PRODUCT_ID).as("_product"),
                        col(ReferenceData.PRODUCT_NAME).as(PRODUCT_NAME),
                        col(ReferenceData.CATEGORY).as(CATEGORY),
                        col(ReferenceData.PRICE).cast(TableSchemas.PRICE).as(UNIT_PRICE));
        Dataset<Row> customer = customers
                .dropDuplicates(ReferenceData.CUSTOMER_ID)
                .select(
                        col(ReferenceData.CUSTOMER_ID).as("_customer"),
                        col(ReferenceData.SIGNUP_DATE).as(CUSTOMER_SIGNUP_DATE),
                        col(ReferenceData.LOCATION).as(CUSTOMER_LOCATION));
        Column revenue = when(
                        col(EVENT_TYPE)
                                .equalTo(EventType.PURCHASE.wireName())
                                .and(col(UNIT_PRICE).isNotNull()),
                        col(UNIT_PRICE).multiply(col(QUANTITY)))
                .otherwise(lit(0))
                .cast(TableSchemas.MONEY);
        return events.join(broadcast(product), col(PRODUCT_ID).equalTo(col("_product")), "left")
                .join(broadcast(customer), col(USER_ID).equalTo(col("_customer")), "left")
                .select(
                        col(EVENT_ID),
                        col(EVENT_TIME),
                        col(EVENT_DATE),
                        col(USER_ID),
                        col(EVENT_TYPE),
                        col(PRODUCT_ID),
                        col(SESSION_ID),
                        col(QUANTITY),
                        col(PRODUCT_NAME),
                        col(CATEGORY),
                        col(UNIT_PRICE),
                        revenue.as(REVENUE),
                        col(CUSTOMER_SIGNUP_DATE),
                        col(CUSTOMER_LOCATION),
                        col("_customer").isNotNull().as(KNOWN_CUSTOMER),
                        col("_product").isNotNull().as(KNOWN_PRODUCT),
                        col(INGESTED_AT),
                        col(SOURCE),
                        col(TOPIC),
                        col(PARTITION),
                        col(OFFSET),
                        col(SOURCE_FILE_NAME));
    }

    /** Of a batch of checked rows, for Dataset.observe: how many are valid. */
    static Column validCount() {
        return count(when(col(RULE).isNull(), 1)).as("rows");
    }

    /** Of a batch of checked rows: rows per broken rule id, the valid ones under a null rule. */
    static Dataset<Row> countByRule(Dataset<Row> checked) {
        return checked.groupBy(col(RULE)).count();
    }

    /** Of a batch of checked rows, for Dataset.observe: how many are quarantined. */
    static Column quarantinedCount() {
        return count(when(col(RULE).isNotNull(), 1)).as("total");
    }

    /** Of a batch of checked rows, for Dataset.observe: how many broke each rule. */
    static Column[] quarantinedByRule() {
        return Arrays.stream(Rule.values())
                .map(rule -> count(when(col(RULE).equalTo(rule.id()), 1)).as(rule.id()))
                .toArray(Column[]::new);
    }
}
