package io.clickcartel.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.LakeTable;
import io.clickcartel.localkafka.LocalKafkaBroker;
import io.clickcartel.testsupport.TopicContents;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The data-quality log's feed on a real broker: each entry one JSON record, none lost or doubled over restarts. */
@ExtendWith(LocalSpark.class)
class BatchLogTopicTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "pipeline-test";

    @Test
    void eachEntryIsPublishedOnceAsJsonKeyedByItsQueryAcrossRestarts(SparkSession spark, Path dir) throws Exception {
        String lake = dir.resolve("lake").toString();
        String checkpoints = dir.resolve("checkpoints").toString();
        try (LocalKafkaBroker broker =
                LocalKafkaBroker.builder(dir.resolve("kafka")).build().start()) {
            BatchLog.append(spark, lake, LakeTable.OPS_SILVER_BATCHES, entry(0, 3));
            BatchLog.append(spark, lake, LakeTable.OPS_SILVER_BATCHES, entry(1, 0));
            publish(spark, lake, checkpoints, broker);
            List<JsonNode> first = read(broker);
            assertThat(first).hasSize(2);
            JsonNode batch0 = first.stream()
                    .filter(record -> record.get("batch_id").asLong() == 0)
                    .findFirst()
                    .orElseThrow();
            assertThat(batch0.get("query").asText()).isEqualTo("silver-events");
            assertThat(batch0.get("input_rows").asLong()).isEqualTo(10);
            assertThat(batch0.get("duplicates_removed").asLong()).isEqualTo(3);
            assertThat(batch0.get("quarantined_by_rule").get("bad_json").asLong())
                    .isEqualTo(1);
            assertThat(batch0.get("table_versions").get("silver.events").asLong())
                    .isEqualTo(4);

            // batch 1 again (a replay: the log skips it) and batch 2; the restarted feed adds batch 2 only
            BatchLog.append(spark, lake, LakeTable.OPS_SILVER_BATCHES, entry(1, 0));
            BatchLog.append(spark, lake, LakeTable.OPS_SILVER_BATCHES, entry(2, 1));
            publish(spark, lake, checkpoints, broker);
            assertThat(read(broker))
                    .extracting(record -> record.get("batch_id").asLong())
                    .containsExactlyInAnyOrder(0L, 1L, 2L);
        }
    }

    private static void publish(SparkSession spark, String lake, String checkpoints, LocalKafkaBroker broker)
            throws Exception {
        BatchLogTopic.start(
                        spark,
                        lake,
                        checkpoints,
                        LakeTable.OPS_SILVER_BATCHES,
                        broker.bootstrapServers(),
                        TOPIC,
                        Trigger.AvailableNow())
                .awaitTermination();
    }

    private static BatchLog.Entry entry(long batchId, long duplicates) {
        return new BatchLog.Entry(
                "silver-events",
                "query-1",
                batchId,
                10,
                10 - duplicates - 1,
                Map.of("bad_json", 1L),
                duplicates,
                0,
                Instant.parse("2024-05-01T00:00:00Z"),
                Instant.parse("2024-05-01T00:00:05Z"),
                120,
                Map.of("silver.events", 4 + batchId));
    }

    /** Every record of the topic, from the start, each keyed by its query. */
    private static List<JsonNode> read(LocalKafkaBroker broker) throws Exception {
        List<JsonNode> records = new ArrayList<>();
        for (ConsumerRecord<String, String> record : TopicContents.read(broker.bootstrapServers(), TOPIC)) {
            assertThat(record.key()).isEqualTo("silver-events");
            records.add(JSON.readTree(record.value()));
        }
        return records;
    }
}
