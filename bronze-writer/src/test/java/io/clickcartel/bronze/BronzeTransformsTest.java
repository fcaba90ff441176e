package io.clickcartel.bronze;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.spark.LocalSpark;
import io.clickcartel.spark.TableSchemas;
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
    void aRejectedRecordKeepsItsValueAndGetsItsFieldsAsColumnsEvenWhenItIsNotSuchJson(SparkSession spark) {
        String rejected = "{\"rule\":\"missing_field\",\"field\":\"user_id\",\"reason\":\"user_id is missing\","
                + "\"index\":3,\"received_at\":\"2024-05-01T12:00:01.250Z\",\"raw\":\"{\\\"event_id\\\":\\\"e-9\\\"}\"}";
        var records = spark.createDataFrame(
                List.of(
                        RowFactory.create(
                                null,
                                rejected.getBytes(StandardCharsets.UTF_8),
                                "clickstream.events.rejected.v1",
                                0,
                                7L,
                                NOW,
                                0),
                        RowFactory.create(
                                null,
                                "not json".getBytes(StandardCharsets.UTF_8),
                                "clickstream.events.rejected.v1",
                                0,
                                8L,
                                NOW,
                                0)),
                KAFKA);

        var landed = BronzeTransforms.rejectedFromKafka(records, lit(NOW));

        assertThat(landed.schema().simpleString()).isEqualTo(TableSchemas.BRONZE_REJECTED.simpleString());
        List<Row> rows = landed.orderBy("offset").collectAsList();
        Row row = rows.get(0);
        assertThat(row.<String>getAs("value")).isEqualTo(rejected);
        assertThat(row.<String>getAs("rule")).isEqualTo("missing_field");
        assertThat(row.<String>getAs("field")).isEqualTo("user_id");
        assertThat(row.<String>getAs("reason")).isEqualTo("user_id is missing");
        assertThat(row.<Integer>getAs("index")).isEqualTo(3);
        assertThat(row.<Timestamp>getAs("received_at").toInstant())
                .isEqualTo(java.time.Instant.parse("2024-05-01T12:00:01.250Z"));
        assertThat(row.<String>getAs("raw")).isEqualTo("{\"event_id\":\"e-9\"}");
        assertThat(row.<Long>getAs("offset")).isEqualTo(7L);
        assertThat(row.<Date>getAs("ingest_date")).isEqualTo(Date.valueOf("2024-05-01"));
        Row notJson = rows.get(1);
        assertThat(notJson.<String>getAs("value")).isEqualTo("not json");
        assertThat(notJson.<String>getAs("rule")).isNull();
        assertThat(notJson.<String>getAs("raw")).isNull();
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
