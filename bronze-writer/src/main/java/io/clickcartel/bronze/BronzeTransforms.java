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
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

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
