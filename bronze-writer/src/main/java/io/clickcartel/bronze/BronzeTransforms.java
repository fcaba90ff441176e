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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Raw records into bronze rows. Bronze never judges: every record is kept exactly as received. */
public final class BronzeTransforms {

    /** The bronze table's schema, shared with the layers that read it. */
    public static final StructType SCHEMA = TableSchemas.BRONZE_EVENTS;

    /** bronze.rejected's columns that hold the rejected record's fields. */
    private static final List<StructField> REJECTED_FIELDS = Arrays.stream(TableSchemas.BRONZE_REJECTED.fields())
            .filter(field -> Topics.RejectedKeys.ALL.contains(field.name()))
            .toList();

    /** The rejected record as ingest writes it: times as ISO-8601 text, parsed after. */
    private static final StructType REJECTED_RECORD = new StructType(REJECTED_FIELDS.stream()
            .map(field -> field.dataType().equals(DataTypes.TimestampType)
                    ? new StructField(field.name(), DataTypes.StringType, true, Metadata.empty())
                    : field)
            .toArray(StructField[]::new));

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
        Column fields = from_json(value, REJECTED_RECORD);
        List<Column> columns = new ArrayList<>();
        columns.add(value.as(VALUE));
        for (StructField field : REJECTED_FIELDS) {
            Column parsed = fields.getField(field.name());
            columns.add((field.dataType().equals(DataTypes.TimestampType) ? to_timestamp(parsed) : parsed)
                    .as(field.name()));
        }
        columns.addAll(List.of(
                col("topic").as(TOPIC),
                col("partition").as(PARTITION),
                col("offset").as(OFFSET),
                col("timestamp").as(KAFKA_TIMESTAMP),
                ingestedAt.as(INGESTED_AT)));
        return shape(records.select(columns.toArray(Column[]::new)));
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
