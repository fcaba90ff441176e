package io.clickcartel.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.Topics;
import io.clickcartel.core.contract.Rule;
import io.clickcartel.core.segment.SegmentMapping;
import io.clickcartel.datagen.Dataset;
import io.clickcartel.datagen.EventSender;
import io.clickcartel.datagen.GeneratorConfig;
import io.clickcartel.datagen.Phase;
import io.clickcartel.datagen.Protocol;
import io.clickcartel.testsupport.LocalKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** datagen's sender against this service and a real broker: Kafka ends up holding what the oracle predicts. */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
class DatagenSendTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource
    URL service;

    private static GeneratorConfig small(long seed, int events) {
        return GeneratorConfig.builder()
                .seed(seed)
                .customers(200)
                .products(60)
                .events(events)
                .days(1)
                .duplicateRate(0.03)
                .lateRate(0.01)
                .malformedRate(0.03)
                .build();
    }

    /** How many 503s the batch endpoint has answered, from the service's own metrics. */
    private static double batchAnswers503() {
        java.util.regex.Matcher count = java.util.regex.Pattern.compile(
                        "http_server_requests_seconds_count\\{[^}]*status=\"503\",uri=\"/v1/events/batch\"} (\\S+)")
                .matcher(given().get("/q/metrics").asString());
        return count.find() ? Double.parseDouble(count.group(1)) : 0;
    }

    private static Instant receivedAt(String normalizedEvent) {
        try {
            return Instant.parse(
                    JSON.readTree(normalizedEvent).get("received_at").asText());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private EventSender sender(Protocol protocol, int maxRetries) {
        return new EventSender(
                new EventSender.Options(
                        URI.create(service.toString()),
                        protocol,
                        IngestTestSupport.WRITE_KEY,
                        250,
                        Duration.ofMinutes(1),
                        3,
                        0,
                        maxRetries,
                        Duration.ofSeconds(2)),
                System.err);
    }

    private static Map<String, Long> rejectedInKafkaSince(Instant started, String rawPrefix) throws Exception {
        Map<String, Long> rejected = new TreeMap<>();
        for (var record : TopicReader.readAll(Topics.REJECTED)) {
            JsonNode rejection = JSON.readTree(record.value());
            if (rejection.get("raw").asText().startsWith(rawPrefix)
                    && !Instant.parse(rejection.get("received_at").asText()).isBefore(started)) {
                rejected.merge(rejection.get("rule").asText(), 1L, Long::sum);
            }
        }
        return rejected;
    }

    private static long generatedEventsInKafkaSince(Instant started, String idPattern) throws Exception {
        return TopicReader.readAll(Topics.EVENTS).stream()
                .filter(r -> r.value().matches("\\{\"event_id\":\"" + idPattern + "\".*"))
                .filter(r -> !receivedAt(r.value()).isBefore(started)) // not another test's events
                .count();
    }

    @Test
    void aGeneratedDatasetSentOverHttpLandsInKafkaExactlyAsTheOracleSays(@TempDir Path dataset) throws Exception {
        Dataset.generate(small(11, 5_000), dataset);
        JsonNode expected =
                JSON.readTree(dataset.resolve("expected/counts.json").toFile());

        List<Path> files = new ArrayList<>(Dataset.eventFiles(dataset, Phase.MAIN_HTTP));
        files.addAll(Dataset.eventFiles(dataset, Phase.LATE_HTTP));
        Instant started = Instant.now();
        EventSender.Result result = sender(Protocol.NATIVE, 3).send(files);

        assertThat(result.sent()).isEqualTo(expected.get("sent_over_http").asLong());
        assertThat(result.accepted()).isEqualTo(expected.get("ingest_accepted").asLong());
        assertThat(result.rejectedByRule())
                .isEqualTo(JSON.convertValue(
                        expected.get("ingest_rejected_by_rule"), new TypeReference<Map<String, Long>>() {}));
        assertThat(result.retries()).isZero();
        assertThat(generatedEventsInKafkaSince(started, "e-\\d+"))
                .isEqualTo(expected.get("ingest_accepted").asLong());
        assertThat(rejectedInKafkaSince(started, "{\"event_id\":\"m-")).isEqualTo(result.rejectedByRule());
    }

    /**
     * The same data set as Segment track messages: ingest accepts exactly the oracle's events; what the native API
     * refuses is refused or, for an event type that is no funnel step, ignored (SegmentMessages says which), and
     * both are on the rejected topic.
     */
    @Test
    void aGeneratedDatasetSentAsSegmentMessagesLandsInKafkaAsTheOracleSays(@TempDir Path dataset) throws Exception {
        Dataset.generate(small(13, 5_000), dataset);
        JsonNode expected =
                JSON.readTree(dataset.resolve("expected/counts.json").toFile());
        Map<String, Long> refusedNatively =
                JSON.convertValue(expected.get("ingest_rejected_by_rule"), new TypeReference<Map<String, Long>>() {});
        Map<String, Long> refusedAsSegment = new TreeMap<>(refusedNatively);
        long unknownTypes = refusedAsSegment.getOrDefault(Rule.EVENT_TYPE_UNKNOWN.id(), 0L);
        refusedAsSegment.remove(Rule.EVENT_TYPE_UNKNOWN.id());
        Long withoutTimestamp = refusedAsSegment.remove(Rule.TIMESTAMP_MISSING.id());
        if (withoutTimestamp != null) {
            refusedAsSegment.merge(Rule.MALFORMED_JSON.id(), withoutTimestamp, Long::sum);
        }
        assertThat(unknownTypes)
                .as("the data set has events of an unknown type")
                .isPositive();

        List<Path> files = new ArrayList<>(Dataset.eventFiles(dataset, Phase.MAIN_HTTP));
        files.addAll(Dataset.eventFiles(dataset, Phase.LATE_HTTP));
        Instant started = Instant.now();
        EventSender.Result result = sender(Protocol.SEGMENT, 3).send(files);

        assertThat(result.sent()).isEqualTo(expected.get("sent_over_http").asLong());
        assertThat(result.accepted()).isEqualTo(expected.get("ingest_accepted").asLong());
        assertThat(result.rejectedByRule()).isEqualTo(refusedAsSegment);
        assertThat(result.ignored()).isEqualTo(unknownTypes);
        assertThat(generatedEventsInKafkaSince(started, "e-\\d+(:0)?"))
                .isEqualTo(expected.get("ingest_accepted").asLong());
        // the ignored messages are kept on the rejected topic too, under their own rule
        Map<String, Long> keptAside = new TreeMap<>(result.rejectedByRule());
        keptAside.put(SegmentMapping.IGNORED_RULE, unknownTypes);
        assertThat(rejectedInKafkaSince(started, "")).isEqualTo(keptAside);
    }

    @Test
    void theSenderWaitsOutABrokerOutageHonouringRetryAfterAndLosesNothing(@TempDir Path dataset) throws Exception {
        Dataset.generate(small(12, 1_000), dataset);
        JsonNode expected =
                JSON.readTree(dataset.resolve("expected/counts.json").toFile());
        ExecutorService background = Executors.newSingleThreadExecutor();
        double unavailableBefore = batchAnswers503();
        LocalKafkaResource.broker().stop();
        try {
            Future<EventSender.Result> sending = background.submit(
                    () -> sender(Protocol.NATIVE, 60).send(Dataset.eventFiles(dataset, Phase.MAIN_HTTP)));
            await().atMost(Duration.ofSeconds(60)).until(() -> batchAnswers503() > unavailableBefore);
            LocalKafkaResource.broker().start();

            EventSender.Result result = sending.get(3, TimeUnit.MINUTES);
            assertThat(result.retries()).as("retried after 503").isPositive();
            // all of the oracle's accepted events but the late phase's, which was not sent (late events are valid)
            assertThat(result.accepted())
                    .isEqualTo(expected.get("ingest_accepted").asLong()
                            - expected.get("too_late").asLong());
            assertThat(result.rejectedByRule())
                    .isEqualTo(JSON.convertValue(
                            expected.get("ingest_rejected_by_rule"), new TypeReference<Map<String, Long>>() {}));
        } finally {
            LocalKafkaResource.broker().start();
            background.shutdownNow();
        }
    }
}
