package io.clickcartel.bronze;

import static io.restassured.RestAssured.given;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.clickcartel.core.LakeTable;
import io.clickcartel.core.Topics;
import io.clickcartel.testsupport.LocalKafkaResource;
import io.clickcartel.testsupport.TempLakeResource;
import io.clickcartel.testsupport.TestProducers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
@WithTestResource(TempLakeResource.class)
class BronzeServiceTest {

    @Inject
    SparkSession spark;

    private Dataset<Row> bronze() {
        return spark.read()
                .format("delta")
                .load(LakeTable.BRONZE_EVENTS.location(TempLakeResource.lake().toString()));
    }

    @Test
    void everyKafkaRecordBecomesExactlyOneBronzeRowWithItsCoordinates() throws Exception {
        int count = 1_000;
        try (KafkaProducer<String, String> producer =
                TestProducers.acksAll(LocalKafkaResource.broker().bootstrapServers())) {
            List<Future<RecordMetadata>> acks = IntStream.range(0, count)
                    .mapToObj(i -> producer.send(
                            new ProducerRecord<>(Topics.EVENTS, "u-" + (i % 17), "{\"event_id\":\"k-" + i + "\"}")))
                    .toList();
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> bronze().where(col("source").equalTo("kafka")).count() >= count);

        Dataset<Row> kafkaRows = bronze().where(col("source").equalTo("kafka"));
        assertThat(kafkaRows.count()).isEqualTo(count);
        assertThat(kafkaRows.select("partition", "offset").distinct().count()).isEqualTo(count);
        // offsets 0..n-1 of every partition: none skipped
        for (Row partition : kafkaRows
                .groupBy("partition")
                .agg(
                        org.apache.spark.sql.functions.min("offset"),
                        org.apache.spark.sql.functions.max("offset"),
                        org.apache.spark.sql.functions.count("*"))
                .collectAsList()) {
            assertThat(partition.getLong(1)).isZero();
            assertThat(partition.getLong(2) + 1).isEqualTo(partition.getLong(3));
        }
        assertThat(kafkaRows
                        .select("value")
                        .as(org.apache.spark.sql.Encoders.STRING())
                        .collectAsList())
                .hasSize(count)
                .contains("{\"event_id\":\"k-0\"}", "{\"event_id\":\"k-999\"}");
        // the rows and the time spent reading them: the query's throughput inside its batches
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = given().get("/q/metrics").asString();
            assertThat(sample(metrics, "clickcartel_stream_rows_total{query=\"bronze-kafka\"}"))
                    .isEqualTo(count);
            assertThat(sample(metrics, "clickcartel_stream_busy_seconds_total{query=\"bronze-kafka\"}"))
                    .isPositive();
        });
        // all read: nothing unread for Kafka's retention to take, and the readiness check says so
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = given().get("/q/metrics").asString();
            assertThat(sample(metrics, "clickcartel_bronze_kafka_unread_records"))
                    .isZero();
            assertThat(sample(metrics, "clickcartel_bronze_kafka_unread_age_seconds"))
                    .isZero();
            assertThat(sample(metrics, "clickcartel_bronze_kafka_retention_seconds"))
                    .as("the broker's default retention of a topic made by a producer: 7 days")
                    .isEqualTo(Duration.ofDays(7).toSeconds());
        });
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'kafka-retention' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'kafka-retention' }.data.unread_records", equalTo(0));
    }

    /** A Prometheus sample's value; fails when the page does not have it. */
    private static double sample(String metrics, String key) {
        return metrics.lines()
                .filter(line -> line.startsWith(key + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(key.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(key + " is not in /q/metrics"));
    }

    @Test
    void everyLineOfALandedFileBecomesABronzeRowMalformedLinesIncluded() throws Exception {
        List<String> lines = List.of("{\"event_id\":\"f-1\"}", "{not json at all", "{\"event_id\":\"f-3\"}");
        Path staged = TempLakeResource.landing().resolve(".drop.tmp");
        Files.write(staged, lines);
        Files.move(staged, TempLakeResource.landing().resolve("drop-1.jsonl"), StandardCopyOption.ATOMIC_MOVE);

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> bronze().where(col("source").equalTo("file")).count() >= lines.size());

        List<Row> rows = bronze().where(col("source").equalTo("file")).collectAsList();
        assertThat(rows).extracting(r -> r.<String>getAs("value")).containsExactlyInAnyOrderElementsOf(lines);
        assertThat(rows)
                .allSatisfy(r -> assertThat(r.<String>getAs("source_file")).endsWith("drop-1.jsonl"));
    }

    @Test
    void ingestsRejectedTopicLandsInBronzeRejected() throws Exception {
        String record = "{\"rule\":\"bad_event_type\",\"field\":\"event_type\",\"reason\":\"unknown\","
                + "\"index\":0,\"received_at\":\"2024-05-01T12:00:00Z\",\"raw\":\"{\\\"event_type\\\":\\\"x\\\"}\"}";
        try (KafkaProducer<String, String> producer =
                TestProducers.acksAll(LocalKafkaResource.broker().bootstrapServers())) {
            producer.send(new ProducerRecord<>(Topics.REJECTED, null, record)).get();
        }
        String table =
                LakeTable.BRONZE_REJECTED.location(TempLakeResource.lake().toString());

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions() // the table exists once the query's first batch committed
                .until(() -> spark.read().format("delta").load(table).count() >= 1);

        List<Row> rows = spark.read().format("delta").load(table).collectAsList();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).<String>getAs("value")).isEqualTo(record);
        assertThat(rows.get(0).<String>getAs("rule")).isEqualTo("bad_event_type");
        assertThat(rows.get(0).<String>getAs("raw")).isEqualTo("{\"event_type\":\"x\"}");
        assertThat(rows.get(0).<String>getAs("topic")).isEqualTo(Topics.REJECTED);
    }

    @Test
    void readyWhileTheQueriesRunAndMetricsPerQuery() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'streaming-queries' }.data.bronze-kafka", equalTo("active"))
                .body("checks.find { it.name == 'streaming-queries' }.data.bronze-files", equalTo("active"))
                .body("checks.find { it.name == 'streaming-queries' }.data.bronze-rejected", equalTo("active"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/metrics")
                        .then()
                        .statusCode(200)
                        .body(containsString("clickcartel_stream_processed_rows_per_second{query=\"bronze-kafka\"}"))
                        .body(containsString("clickcartel_stream_last_batch{query=\"bronze-files\"}"))
                        .body(containsString("clickcartel_delta_table_version{table=")));
    }
}
