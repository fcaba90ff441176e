package io.clickcartel.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.Topics;
import io.clickcartel.datagen.Dataset;
import io.clickcartel.datagen.EventSender;
import io.clickcartel.datagen.GeneratorConfig;
import io.clickcartel.datagen.Phase;
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
        GeneratorConfig d = GeneratorConfig.defaults();
        return new GeneratorConfig(seed, 200, 60, events, d.start(), 1, d.zipfExponent(),
                d.meanViewsPerSession(), d.cartProbability(), d.purchaseProbability(), 0.03, 0.01, 0.03,
                d.messyRate(), d.unknownCustomerRate(), d.unknownProductRate(), d.landingShare(), d.maxJitter(),
                d.watermarkDelay(), d.eventsPerFile());
    }

    /** How many 503s the batch endpoint has answered, from the service's own metrics. */
    private static double batchAnswers503() {
        java.util.regex.Matcher count = java.util.regex.Pattern
                .compile("http_server_requests_seconds_count\\{[^}]*status=\"503\",uri=\"/v1/events/batch\"} (\\S+)")
                .matcher(given().get("/q/metrics").asString());
        return count.find() ? Double.parseDouble(count.group(1)) : 0;
    }

    private static Instant receivedAt(String normalizedEvent) {
        try {
            return Instant.parse(JSON.readTree(normalizedEvent).get("received_at").asText());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private EventSender sender(int maxRetries) {
        return new EventSender(new EventSender.Options(
                URI.create(service.toString()).resolve("/v1/events/batch"), IngestTestSupport.WRITE_KEY, 250,
                Duration.ofMinutes(1), 3, 0, maxRetries, Duration.ofSeconds(2)), System.err);
    }

    @Test
    void aGeneratedDatasetSentOverHttpLandsInKafkaExactlyAsTheOracleSays(@TempDir Path dataset) throws Exception {
        Dataset.generate(small(11, 5_000), dataset);
        JsonNode expected = JSON.readTree(dataset.resolve("expected/counts.json").toFile());

        List<Path> files = new ArrayList<>(Dataset.eventFiles(dataset, Phase.MAIN_HTTP));
        files.addAll(Dataset.eventFiles(dataset, Phase.LATE_HTTP));
        Instant started = Instant.now();
        EventSender.Result result = sender(3).send(files);

        assertThat(result.sent()).isEqualTo(expected.get("sent_over_http").asLong());
        assertThat(result.accepted()).isEqualTo(expected.get("ingest_accepted").asLong());
        assertThat(result.rejectedByRule()).isEqualTo(
                JSON.convertValue(expected.get("ingest_rejected_by_rule"), new TypeReference<Map<String, Long>>() { }));
        assertThat(result.retries()).isZero();
        long generatedInKafka = TopicReader.readAll(Topics.EVENTS).stream()
                .filter(r -> r.value().matches("\\{\"event_id\":\"e-\\d+\".*"))
                .filter(r -> !receivedAt(r.value()).isBefore(started)) // not another test's events
                .count();
        assertThat(generatedInKafka).isEqualTo(expected.get("ingest_accepted").asLong());
        Map<String, Long> rejectedInKafka = new TreeMap<>();
        for (var record : TopicReader.readAll(Topics.REJECTED)) {
            JsonNode rejected = JSON.readTree(record.value());
            if (rejected.get("raw").asText().startsWith("{\"event_id\":\"m-")
                    && !Instant.parse(rejected.get("received_at").asText()).isBefore(started)) {
                rejectedInKafka.merge(rejected.get("rule").asText(), 1L, Long::sum);
            }
        }
        assertThat(rejectedInKafka).isEqualTo(result.rejectedByRule());
    }

    @Test
    void theSenderWaitsOutABrokerOutageHonouringRetryAfterAndLosesNothing(@TempDir Path dataset) throws Exception {
        Dataset.generate(small(12, 1_000), dataset);
        JsonNode expected = JSON.readTree(dataset.resolve("expected/counts.json").toFile());
        ExecutorService background = Executors.newSingleThreadExecutor();
        double unavailableBefore = batchAnswers503();
        LocalKafkaResource.broker().stop();
        try {
            Future<EventSender.Result> sending = background.submit(
                    () -> sender(60).send(Dataset.eventFiles(dataset, Phase.MAIN_HTTP)));
            await().atMost(Duration.ofSeconds(60)).until(() -> batchAnswers503() > unavailableBefore);
            LocalKafkaResource.broker().start();

            EventSender.Result result = sending.get(3, TimeUnit.MINUTES);
            assertThat(result.retries()).as("retried after 503").isPositive();
            // all of the oracle's accepted events but the late phase's, which was not sent (late events are valid)
            assertThat(result.accepted()).isEqualTo(
                    expected.get("ingest_accepted").asLong() - expected.get("too_late").asLong());
            assertThat(result.rejectedByRule()).isEqualTo(JSON.convertValue(expected.get("ingest_rejected_by_rule"),
                    new TypeReference<Map<String, Long>>() { }));
        } finally {
            LocalKafkaResource.broker().start();
            background.shutdownNow();
        }
    }
}
