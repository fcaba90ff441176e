package io.clickcartel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.Topics;
import io.clickcartel.localkafka.LocalKafkaBroker;
import io.clickcartel.localkafka.StablePorts;
import io.clickcartel.testsupport.ServiceProcess;
import io.clickcartel.testsupport.SustainedLoad;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the ingest service while clients send: it stops taking requests, finishes those in flight and flushes
 * the producer, so every event it answered 2xx for is in Kafka, and no request gets anything but 202 or 503 (or a
 * refused connection once it has stopped listening).
 */
class IngestShutdownIT {

    private static final String WRITE_KEY = "it-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSigtermMidLoadLosesNoAcknowledgedEvent(@TempDir Path dir) throws Exception {
        try (LocalKafkaBroker broker =
                LocalKafkaBroker.builder(dir.resolve("kafka")).build().start()) {
            int port = StablePorts.free();
            ServiceProcess ingest = ServiceProcesses.of(
                            "ingest-service",
                            "-Xmx512m",
                            Map.of(
                                    "CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS",
                                    broker.bootstrapServers(),
                                    "CLICKCARTEL_WRITE_KEYS",
                                    WRITE_KEY),
                            dir,
                            port)
                    .start();
            List<SustainedLoad.Answer> answers;
            Set<String> acknowledged;
            try (ingest) {
                ingest.awaitReady(Duration.ofSeconds(90));
                try (SustainedLoad load = SustainedLoad.start(
                        URI.create("http://127.0.0.1:" + port + "/v1/events/batch"), WRITE_KEY, 8, 50_000)) {
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> load.accepted().size() >= 2_000);
                    long stopping = System.nanoTime();
                    ingest.stop(); // SIGTERM, and wait for the exit
                    assertThat(Duration.ofNanos(System.nanoTime() - stopping))
                            .as("the shutdown ends within its 30 s timeout")
                            .isLessThan(Duration.ofSeconds(40));
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> load.answers().stream()
                                    .anyMatch(
                                            a -> a.startedNanos() > stopping && a.status() == SustainedLoad.NO_ANSWER));
                    answers = load.answers();
                    acknowledged = load.accepted();
                }
            }
            assertThat(answers)
                    .extracting(SustainedLoad.Answer::status)
                    .as("accepted, refused for now, or no connection: never an error")
                    .isSubsetOf(202, 503, SustainedLoad.NO_ANSWER);
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(2_000);
            assertThat(eventIds(broker)).containsAll(acknowledged);
        }
    }

    private static Set<String> eventIds(LocalKafkaBroker broker) throws Exception {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "it-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(Topics.EVENTS, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    ids.add(JSON.readTree(record.value()).get("event_id").asText());
                }
            }
        }
        return ids;
    }
}
