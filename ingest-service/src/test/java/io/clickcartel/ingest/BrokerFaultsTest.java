package io.clickcartel.ingest;

import static io.clickcartel.ingest.IngestTestSupport.WRITE_KEY;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.Topics;
import io.clickcartel.testsupport.LocalKafkaResource;
import io.clickcartel.testsupport.SustainedLoad;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Durability under broker faults, with clients sending all along: a 2xx only ever names events that Kafka has, every
 * answer comes within the ack timeout and a second, and the service recovers by itself — through a clean restart of
 * the broker, a crash (SIGKILL) and a freeze (SIGSTOP, then SIGCONT).
 */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
class BrokerFaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/v1/events/batch")
    URI batch;

    @ConfigProperty(name = "clickcartel.kafka.ack-timeout")
    Duration ackTimeout;

    @AfterEach
    void brokerIsBack() {
        LocalKafkaResource.broker().thaw();
        LocalKafkaResource.broker().start();
    }

    @Test
    void everyAcknowledgedEventIsInKafkaAndEveryAnswerIsInTimeThroughRestartCrashAndFreeze() throws Exception {
        List<SustainedLoad.Answer> answers;
        Set<String> acknowledged;
        try (SustainedLoad load = SustainedLoad.start(batch, WRITE_KEY, 3, 20_000)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.accepted().size() >= 100);

            outage(
                    load,
                    () -> LocalKafkaResource.broker().stop(),
                    () -> LocalKafkaResource.broker().start());
            outage(
                    load,
                    () -> LocalKafkaResource.broker().kill(),
                    () -> LocalKafkaResource.broker().start());
            outage(
                    load,
                    () -> LocalKafkaResource.broker().freeze(),
                    () -> LocalKafkaResource.broker().thaw());
            answers = load.answers();
            acknowledged = load.accepted();
        }

        assertThat(answers)
                .extracting(SustainedLoad.Answer::status)
                .as("only 202 or 503, never an error")
                .containsOnly(202, 503);
        long limit = ackTimeout.toMillis() + 1_000;
        assertThat(answers)
                .as("every answer within the ack timeout + 1 s")
                .allSatisfy(a -> assertThat(a.tookMillis()).isLessThanOrEqualTo(limit));
        assertThat(eventIdsInKafka()).containsAll(acknowledged);
    }

    /**
     * Takes the broker away for longer than the ack timeout (until a request sent meanwhile got its 503), checks the
     * service stays ready (it answers 503 itself), brings the broker back and waits until the service accepts again
     * by itself.
     */
    private static void outage(SustainedLoad load, Runnable fault, Runnable recovery) {
        long began = System.nanoTime();
        fault.run();
        await("a 503 while the broker is away")
                .atMost(Duration.ofSeconds(60))
                .until(() -> load.answers().stream().anyMatch(a -> a.startedNanos() > began && a.status() == 503));
        given().get("/q/health/ready").then().statusCode(200);
        recovery.run();
        long recovered = System.nanoTime();
        await("accepting again").atMost(Duration.ofSeconds(60)).until(() -> load.acceptedSince(recovered));
    }

    private static Set<String> eventIdsInKafka() {
        return TopicReader.readAll(Topics.EVENTS).stream()
                .map(r -> {
                    try {
                        return JSON.readTree(r.value()).get("event_id").asText();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .collect(Collectors.toSet());
    }
}
