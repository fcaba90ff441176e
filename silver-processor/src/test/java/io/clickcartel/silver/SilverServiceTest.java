package io.clickcartel.silver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.BatchColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.Topics;
import io.clickcartel.datagen.Phase;
import io.clickcartel.spark.BatchLogTopic;
import io.clickcartel.testsupport.LocalKafkaResource;
import io.clickcartel.testsupport.TopicContents;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The service as deployed: it starts on an empty lake, follows bronze as it grows, reports health and metrics, and
 * publishes its data-quality log on Kafka (a broker is configured).
 */
@QuarkusTest
@WithTestResource(GeneratedDataResource.class)
@WithTestResource(LocalKafkaResource.class)
class SilverServiceTest {

    @Inject
    SparkSession spark;

    @Inject
    SilverPipeline pipeline;

    @Test
    void followsBronzeAndSplitsItIntoSilverAndQuarantineWithMetricsAndItsLogOnKafka() throws Exception {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'streaming-queries' }.data.silver-events", equalTo("active"))
                .body(
                        "checks.find { it.name == 'streaming-queries' }.data."
                                + BatchLogTopic.queryName(LakeTable.OPS_SILVER_BATCHES),
                        equalTo("active"));
        long bronze = GeneratedBronze.append(
                spark,
                GeneratedDataResource.lake().toString(),
                GeneratedDataResource.data(),
                Phase.MAIN_LANDING,
                Instant.parse("2024-06-01T00:00:00Z"));
        assertThat(bronze).isPositive();
        JsonNode labels = new ObjectMapper()
                .readTree(GeneratedDataResource.data().resolve("manifest.json").toFile())
                .get("injected")
                .get(Phase.MAIN_LANDING.directory());
        long malformed = labels.get("malformed").asLong();
        long duplicates = labels.get("duplicate").asLong();

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> count(pipeline.eventsTable()) == bronze - malformed - duplicates
                        && count(pipeline.quarantineTable()) == malformed);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/metrics")
                        .then()
                        .body(containsString("clickcartel_stream_state_rows{query=\"silver-events\"}"))
                        .body(containsString(
                                "clickcartel_stream_observed_total{metric=\"written.rows\",query=\"silver-events\"} "
                                        + (double) (bronze - malformed - duplicates)))
                        .body(containsString("clickcartel_stream_dropped_duplicates_total{query=\"silver-events\"} "
                                + (double) duplicates))
                        .body(containsString(
                                "clickcartel_stream_observed_total{metric=\"quarantined.total\",query=\"silver-events\"} "
                                        + (double) malformed)));

        // the data-quality log on the pipeline topic: every entry (at least once: one per batch id counts)
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    Map<Long, JsonNode> byBatch = new TreeMap<>();
                    for (JsonNode entry : pipelineTopic()) {
                        byBatch.put(entry.get(BatchColumns.BATCH_ID).asLong(), entry);
                    }
                    long logged = spark.read()
                            .format("delta")
                            .load(LakeTable.OPS_SILVER_BATCHES.location(
                                    GeneratedDataResource.lake().toString()))
                            .count();
                    assertThat(byBatch).hasSize((int) logged);
                    assertThat(byBatch.values().stream()
                                    .mapToLong(entry ->
                                            entry.get(BatchColumns.INPUT_ROWS).asLong())
                                    .sum())
                            .as("bronze rows read, by the published entries")
                            .isEqualTo(bronze);
                    assertThat(byBatch.values().stream()
                                    .mapToLong(entry -> entry.get(BatchColumns.DUPLICATES_REMOVED)
                                            .asLong())
                                    .sum())
                            .isEqualTo(duplicates);
                });
    }

    private static List<JsonNode> pipelineTopic() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        for (var record : TopicContents.read(LocalKafkaResource.broker().bootstrapServers(), Topics.PIPELINE)) {
            records.add(json.readTree(record.value()));
        }
        return records;
    }

    private long count(String table) {
        try {
            return spark.read().format("delta").load(table).count();
        } catch (Exception notYetCreated) {
            return -1;
        }
    }
}
