package io.clickcartel.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.clickcartel.testsupport.LocalKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Past its limits the service refuses at once, with a status that says why and when to come back. */
@QuarkusTest
@TestProfile(LoadSheddingTest.SmallLimits.class)
@WithTestResource(LocalKafkaResource.class)
class LoadSheddingTest {

    /**
     * 50 events waiting for Kafka's acknowledgement at most; one request per five seconds per key, so
     * a slow machine does not earn a key a new request between two steps of a test.
     */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "clickcartel.write-keys",
                    "test-key,second-key,third-key",
                    "clickcartel.max-in-flight-events",
                    "50",
                    "clickcartel.rate-limit.requests-per-second",
                    "0.2",
                    "clickcartel.rate-limit.burst",
                    "30");
        }
    }

    private static final int EVENTS_PER_REQUEST = 20;

    @AfterEach
    void brokerRuns() {
        LocalKafkaResource.broker().thaw();
    }

    @Test
    void pastTheInFlightBoundRequestsGetA503AtOnceAndTheServiceAcceptsAgainWhenKafkaIsBack() throws Exception {
        LocalKafkaResource.broker().freeze();
        List<Response> answers = new ArrayList<>();
        List<Long> millis = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object[]>> sent = IntStream.range(0, 8)
                    .mapToObj(i -> clients.submit(() -> {
                        long started = System.nanoTime();
                        Response response = post("test-key");
                        return new Object[] {response, (System.nanoTime() - started) / 1_000_000};
                    }))
                    .toList();
            for (Future<Object[]> answer : sent) {
                answers.add((Response) answer.get()[0]);
                millis.add((Long) answer.get()[1]);
            }
        } finally {
            clients.shutdownNow();
        }

        List<Integer> shed = IntStream.range(0, answers.size())
                .filter(i -> answers.get(i).jsonPath().getString("title") != null
                        && answers.get(i).jsonPath().getString("title").equals("Overloaded"))
                .boxed()
                .toList();
        assertThat(answers).extracting(Response::statusCode).containsOnly(503);
        assertThat(shed).as("requests that found no room").isNotEmpty();
        for (int i : shed) {
            assertThat(answers.get(i).header("Retry-After")).isEqualTo("2");
            assertThat(millis.get(i))
                    .as("a shed request does not wait for Kafka (ack timeout 4 s)")
                    .isLessThan(2_000);
        }
        given().get("/q/metrics")
                .then()
                .body(containsString("clickcartel_ingest_requests_shed_total{reason=\"in_flight_limit\"}"));
        assertThat(shedCount("in_flight_limit")).isGreaterThanOrEqualTo(shed.size());

        LocalKafkaResource.broker().thaw();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> post("test-key").statusCode() == 202);
    }

    @Test
    void aWriteKeyOverItsRateGets429WithRetryAfterWhileOtherKeysGoOn() {
        List<Integer> statuses = new ArrayList<>();
        Response limited = null;
        for (int request = 0; request < 40 && limited == null; request++) {
            Response response = post("second-key");
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                limited = response;
            }
        }
        assertThat(statuses.subList(0, 30)).as("the burst").containsOnly(202);
        assertThat(limited).as("a 429 once the burst is spent").isNotNull();
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 5);
        assertThat(limited.jsonPath().getString("title")).isEqualTo("Too many requests");

        // the same key named in a Segment batch's body is held to the same rate: of three requests, which the key's
        // allowance cannot cover (less than one request's worth was left, and it grows by one per five seconds),
        // at least one is refused
        List<Integer> segment = new ArrayList<>();
        for (int request = 0; request < 3; request++) {
            segment.add(given().contentType(ContentType.JSON)
                    .body("{\"writeKey\":\"second-key\",\"batch\":[{\"type\":\"track\",\"event\":\"Product Viewed\","
                            + "\"userId\":\"u-1\",\"messageId\":\"m-" + request
                            + "\",\"timestamp\":\"2024-05-01T12:00:00Z\"}]}")
                    .post("/v1/batch")
                    .statusCode());
        }
        assertThat(segment).contains(429);
        assertThat(post("third-key").statusCode()).isEqualTo(202);
        assertThat(shedCount("rate_limit")).isGreaterThanOrEqualTo(2);
    }

    private static Response post(String writeKey) {
        String body = IntStream.range(0, EVENTS_PER_REQUEST)
                .mapToObj(i -> IngestTestSupport.event(IngestTestSupport.uniqueId("shed"), "u-" + i))
                .collect(Collectors.joining(",", "[", "]"));
        return given().header(WriteKeyFilter.HEADER, writeKey)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/events/batch");
    }

    private static double shedCount(String reason) {
        String metrics = given().get("/q/metrics").asString();
        String prefix = "clickcartel_ingest_requests_shed_total{reason=\"" + reason + "\"} ";
        return metrics.lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length())))
                .sum();
    }
}
