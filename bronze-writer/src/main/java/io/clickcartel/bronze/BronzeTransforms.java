package io.clickcartel.bronze;

import static io.clickcartel.core.BronzeColumns.INGESTED_AT;
import static io.clickcartel.core.BronzeColumns.INGEST_DATE;
import static io.clickcartel.core.BronzeColumns.KAFKA_TIMESTAMP;
import static io.clickcartel.core.BronzeColumns.OFFSET;
import static io.clickcartel.core.BronzeColumns.PARTITION;
import static io.clickcartel.core.BronzeColumns.SOURCE;
import static io.clickcartel.core.BronzeColumns.SOURCE_FILE;
import static io.clickcartel.core.BronzeColumns.SOURCE_FILE_NAME;
import static io.clickcartel.core.BronzeColumns.SOURCE_KAFKA;
import static io.clickcartel.core.BronzeColumns.TOPIC;
import static io.clickcartel.core.BronzeColumns.VALUE;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_timestamp;

import io.clickcartel.core.Topics;
import io.clickcartel.spark.TableSchemas;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Raw records into bronze rows. Bronze never judges: every record is kept exactly as received. */
public final class BronzeTransforms {

    /** The bronze table's schema, shared with the layers that read it. */
    public static final StructType SCHEMA = TableSchemas.BRONZE_EVENTS;

    private BronzeTransforms() {}

    /** Rows of Spark's Kafka source (key, value, topic, partition, offset, timestamp, …). */
    public static Dataset<Row> fromKafka(Dataset<Row> records, Column ingestedAt) {
        return shape(records.select(
                col("value").cast(DataTypes.StringType).as(VALUE),
                lit(SOURCE_KAFKA).as(SOURCE),
                col("topic").as(TOPIC),
                col("partition").as(PARTITION),
                col("offset").as(OFFSET),
                col("timestamp").as(KAFKA_TIMESTAMP),
                lit(null).cast(DataTypes.StringType).as(SOURCE_FILE_NAME),
                ingestedAt.as(INGESTED_AT)));
    }

    /**
     * Records of ingest's rejected topic: the value as received, and its fields parsed into columns (null where a
     * record lacks one or is not such JSON: the value keeps it whole).
     */
    public static Dataset<Row> rejectedFromKafka(Dataset<Row> records, Column ingestedAt) {
        Column value = col("value").cast(DataTypes.StringType);
        Column fields = from_json(
                value,
                new StructType()
                        .add(Topics.RejectedKeys.RULE, DataTypes.StringType)
                        .add(Topics.RejectedKeys.FIELD, DataTypes.StringType)
                        .add(Topics.RejectedKeys.REASON, DataTypes.StringType)
                        .add(Topics.RejectedKeys.INDEX, DataTypes.IntegerType)
                        .add(Topics.RejectedKeys.RECEIVED_AT, DataTypes.StringType)
                        .add(Topics.RejectedKeys.RAW, DataTypes.StringType));
        return shape(records.select(
                value.as(VALUE),
                fields.getField(Topics.RejectedKeys.RULE).as(Topics.RejectedKeys.RULE),
                fields.getField(Topics.RejectedKeys.FIELD).as(Topics.RejectedKeys.FIELD),
                fields.getField(Topics.RejectedKeys.REASON).as(Topics.RejectedKeys.REASON),
                fields.getField(Topics.RejectedKeys.INDEX).as(Topics.RejectedKeys.INDEX),
                to_timestamp(fields.getField(Topics.RejectedKeys.RECEIVED_AT)).as(Topics.RejectedKeys.RECEIVED_AT),
                fields.getField(Topics.RejectedKeys.RAW).as(Topics.RejectedKeys.RAW),
                col("topic").as(TOPIC),
                col("partition").as(PARTITION),
                col("offset").as(OFFSET),
                col("timestamp").as(KAFKA_TIMESTAMP),
                ingestedAt.as(INGESTED_AT)));
    }

    /** Rows of Spark's text source: one per line, {@code value} as is. */
    public static Dataset<Row> fromFiles(Dataset<Row> lines, Column sourceFile, Column ingestedAt) {
        return shape(lines.select(
                col("value").as(VALUE),
                lit(SOURCE_FILE).as(SOURCE),
                lit(null).cast(DataTypes.StringType).as(TOPIC),
                lit(null).cast(DataTypes.IntegerType).as(PARTITION),
                lit(null).cast(DataTypes.LongType).as(OFFSET),
                lit(null).cast(DataTypes.TimestampType).as(KAFKA_TIMESTAMP),
                sourceFile.as(SOURCE_FILE_NAME),
                ingestedAt.as(INGESTED_AT)));
    }

    private static Dataset<Row> shape(Dataset<Row> rows) {
        return rows.withColumn(INGEST_DATE, to_date(col(INGESTED_AT)));
    }
}
