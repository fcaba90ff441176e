package io.clickcartel.spark;

import static io.clickcartel.core.BronzeColumns.INGESTED_AT;
import static io.clickcartel.core.BronzeColumns.INGEST_DATE;
import static io.clickcartel.core.BronzeColumns.KAFKA_TIMESTAMP;
import static io.clickcartel.core.BronzeColumns.OFFSET;
import static io.clickcartel.core.BronzeColumns.PARTITION;
import static io.clickcartel.core.BronzeColumns.SOURCE;
import static io.clickcartel.core.BronzeColumns.SOURCE_FILE_NAME;
import static io.clickcartel.core.BronzeColumns.TOPIC;
import static io.clickcartel.core.BronzeColumns.VALUE;

import io.clickcartel.core.BatchColumns;
import io.clickcartel.core.SilverColumns;
import io.clickcartel.core.Topics;
import io.clickcartel.core.contract.EventField;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

/** Schemas of the tables one layer writes and the next reads: the tables are the contract between layers. */
public final class TableSchemas {

    /** A product's unit price. */
    public static final DecimalType PRICE = DataTypes.createDecimalType(10, 2);
    /** Revenue, in silver and every gold total. */
    public static final DecimalType MONEY = DataTypes.createDecimalType(18, 2);

    public static final StructType BRONZE_EVENTS = new StructType()
            .add(VALUE, DataTypes.StringType)
            .add(SOURCE, DataTypes.StringType, false)
            .add(TOPIC, DataTypes.StringType)
            .add(PARTITION, DataTypes.IntegerType)
            .add(OFFSET, DataTypes.LongType)
            .add(KAFKA_TIMESTAMP, DataTypes.TimestampType)
            .add(SOURCE_FILE_NAME, DataTypes.StringType)
            .add(INGESTED_AT, DataTypes.TimestampType, false)
            .add(INGEST_DATE, DataTypes.DateType, false);

    /**
     * bronze.rejected: a record of ingest's rejected topic, its JSON {@code value} as received and its fields
     * ({@link Topics.RejectedKeys}) as columns, with the record's Kafka coordinates.
     */
    public static final StructType BRONZE_REJECTED = new StructType()
            .add(VALUE, DataTypes.StringType)
            .add(Topics.RejectedKeys.RULE, DataTypes.StringType)
            .add(Topics.RejectedKeys.FIELD, DataTypes.StringType)
            .add(Topics.RejectedKeys.REASON, DataTypes.StringType)
            .add(Topics.RejectedKeys.INDEX, DataTypes.IntegerType)
            .add(Topics.RejectedKeys.RECEIVED_AT, DataTypes.TimestampType)
            .add(Topics.RejectedKeys.RAW, DataTypes.StringType)
            .add(TOPIC, DataTypes.StringType)
            .add(PARTITION, DataTypes.IntegerType)
            .add(OFFSET, DataTypes.LongType)
            .add(KAFKA_TIMESTAMP, DataTypes.TimestampType)
            .add(INGESTED_AT, DataTypes.TimestampType, false)
            .add(INGEST_DATE, DataTypes.DateType, false);

    /** silver.events, as the silver processor's enrichment writes it (a silver test holds it to that). */
    public static final StructType SILVER_EVENTS = new StructType()
            .add(EventField.EVENT_ID, DataTypes.StringType)
            .add(SilverColumns.EVENT_TIME, DataTypes.TimestampType)
            .add(SilverColumns.EVENT_DATE, DataTypes.DateType)
            .add(EventField.USER_ID, DataTypes.StringType)
            .add(EventField.EVENT_TYPE, DataTypes.StringType)
            .add(EventField.PRODUCT_ID, DataTypes.StringType)
            .add(EventField.SESSION_ID, DataTypes.StringType)
            .add(EventField.QUANTITY, DataTypes.IntegerType)
            .add(SilverColumns.PRODUCT_NAME, DataTypes.StringType)
            .add(SilverColumns.CATEGORY, DataTypes.StringType)
            .add(SilverColumns.UNIT_PRICE, PRICE)
            .add(SilverColumns.REVENUE, MONEY)
            .add(SilverColumns.CUSTOMER_SIGNUP_DATE, DataTypes.DateType)
            .add(SilverColumns.CUSTOMER_LOCATION, DataTypes.StringType)
            .add(SilverColumns.KNOWN_CUSTOMER, DataTypes.BooleanType)
            .add(SilverColumns.KNOWN_PRODUCT, DataTypes.BooleanType)
            .add(INGESTED_AT, DataTypes.TimestampType)
            .add(SOURCE, DataTypes.StringType)
            .add(TOPIC, DataTypes.StringType)
            .add(PARTITION, DataTypes.IntegerType)
            .add(OFFSET, DataTypes.LongType)
            .add(SOURCE_FILE_NAME, DataTypes.StringType);

    /** The data-quality logs, one row per streaming micro-batch: ops.bronze_batches, silver_batches, gold_batches. */
    public static final StructType BATCHES = new StructType()
            .add(BatchColumns.QUERY, DataTypes.StringType, false)
            .add(BatchColumns.QUERY_ID, DataTypes.StringType, false)
            .add(BatchColumns.BATCH_ID, DataTypes.LongType, false)
            .add(BatchColumns.INPUT_ROWS, DataTypes.LongType, false)
            .add(BatchColumns.WRITTEN_ROWS, DataTypes.LongType)
            .add(BatchColumns.QUARANTINED_ROWS, DataTypes.LongType, false)
            .add(
                    BatchColumns.QUARANTINED_BY_RULE,
                    DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false),
                    false)
            .add(BatchColumns.DUPLICATES_REMOVED, DataTypes.LongType, false)
            .add(BatchColumns.TOO_LATE, DataTypes.LongType, false)
            .add(BatchColumns.WATERMARK, DataTypes.TimestampType)
            .add(BatchColumns.STARTED_AT, DataTypes.TimestampType, false)
            .add(BatchColumns.DURATION_MS, DataTypes.LongType, false)
            .add(
                    BatchColumns.TABLE_VERSIONS,
                    DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false),
                    false);

    private TableSchemas() {}
}
