package io.clickcartel.bronze;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.spark.LocalSpark;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalSpark.class)
class BronzeTransformsTest {

    private static final Timestamp NOW = Timestamp.valueOf("2024-05-01 23:59:59");
    /** The schema of Spark's Kafka source. */
    private static final StructType KAFKA = new StructType()
            .add("key", DataTypes.BinaryType)
            .add("value", DataTypes.BinaryType)
            .add("topic", DataTypes.StringType)
            .add("partition", DataTypes.IntegerType)
            .add("offset", DataTypes.LongType)
            .add("timestamp", DataTypes.TimestampType)
            .add("timestampType", DataTypes.IntegerType);

    @Test
    void aKafkaRecordKeepsItsValueAsIsAndItsCoordinates(SparkSession spark) {
        String value = "{\"event_id\":\"e-1\", \"odd\": \"ünïcode\"}";
        Timestamp kafkaTime = Timestamp.valueOf("2024-05-01 12:00:00");
        var records = spark.createDataFrame(
                List.of(RowFactory.create(
                        "u-1".getBytes(StandardCharsets.UTF_8),
                        value.getBytes(StandardCharsets.UTF_8),
                        "clickstream.events.v1",
                        2,
                        41L,
                        kafkaTime,
                        0)),
                KAFKA);

        var bronze = BronzeTransforms.fromKafka(records, lit(NOW));

        assertThat(bronze.schema().simpleString()).isEqualTo(BronzeTransforms.SCHEMA.simpleString());
        Row row = bronze.collectAsList().get(0);
        assertThat(row.<String>getAs("value")).isEqualTo(value);
        assertThat(row.<String>getAs("source")).isEqualTo("kafka");
        assertThat(row.<String>getAs("topic")).isEqualTo("clickstream.events.v1");
        assertThat(row.<Integer>getAs("partition")).isEqualTo(2);
        assertThat(row.<Long>getAs("offset")).isEqualTo(41L);
        assertThat(row.<Timestamp>getAs("kafka_timestamp")).isEqualTo(kafkaTime);
        assertThat(row.<String>getAs("source_file")).isNull();
        assertThat(row.<Timestamp>getAs("ingested_at")).isEqualTo(NOW);
        assertThat(row.<Date>getAs("ingest_date")).isEqualTo(Date.valueOf("2024-05-01"));
    }

    @Test
    void everyLandingLineIsKeptRawMalformedOrNot(SparkSession spark) {
        var lines = spark.createDataFrame(
                List.of(
                        RowFactory.create("{\"event_id\":\"e-1\"}"),
                        RowFactory.create("{not json"),
                        RowFactory.create("")),
                new StructType().add("value", DataTypes.StringType));

        var bronze = BronzeTransforms.fromFiles(lines, lit("file:/landing/a.jsonl"), lit(NOW));

        assertThat(bronze.schema().simpleString()).isEqualTo(BronzeTransforms.SCHEMA.simpleString());
        List<Row> rows = bronze.collectAsList();
        assertThat(rows)
                .extracting(r -> r.<String>getAs("value"))
                .containsExactly("{\"event_id\":\"e-1\"}", "{not json", "");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.<String>getAs("source")).isEqualTo("file");
            assertThat(r.<String>getAs("source_file")).isEqualTo("file:/landing/a.jsonl");
            assertThat(r.<Long>getAs("offset")).isNull();
        });
    }
}
