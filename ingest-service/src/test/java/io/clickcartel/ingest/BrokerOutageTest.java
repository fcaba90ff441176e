package io.clickcartel.ingest;

import static io.clickcartel.ingest.IngestTestSupport.event;
import static io.clickcartel.ingest.IngestTestSupport.postBatch;
import static io.clickcartel.ingest.IngestTestSupport.uniqueId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.Topics;
import io.clickcartel.testsupport.LocalKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Durability: a 2xx only ever names events that are in Kafka, whatever happens to the broker. */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
class BrokerOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LOAD_REQUESTS = 5_000;

    @AfterEach
    void brokerIsBack() {
        LocalKafkaResource.broker().start();
    }

    @Test
    void withTheBrokerGoneRequestsGet503AndEverythingReportedAcceptedIsInKafkaOnceItIsBack() throws Exception {
        Set<String> reportedAccepted = ConcurrentHashMap.newKeySet();
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            Future<?> load = client.submit(() -> {
                for (int request = 0; request < MAX_LOAD_REQUESTS && loading.get(); request++) {
                    String body = IntStream.range(0, 20).mapToObj(i -> event(uniqueId("outage"), "u-" + i))
                            .collect(Collectors.joining(",", "[", "]"));
                    Response response = postBatch(body);
                    statuses.add(response.statusCode());
                    if (response.statusCode() == 202) {
                        reportedAccepted.addAll(response.jsonPath().getList("accepted", String.class));
                    }
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> statuses.size() >= 20);

            LocalKafkaResource.broker().stop();

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503));
            postBatch("[" + event(uniqueId("refused"), "u-1") + "]").then()
                    .statusCode(503)
                    .header("Retry-After", "2")
                    .contentType("application/problem+json");

            LocalKafkaResource.broker().start();

            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
            int seenBeforeRecovery = statuses.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> statuses.size() > seenBeforeRecovery
                    && statuses.get(statuses.size() - 1) == 202);
            loading.set(false);
            load.get();
        } finally {
            loading.set(false);
            client.shutdownNow();
        }

        assertThat(statuses).as("only 202 or 503, never an error").containsOnly(202, 503).contains(503);
        Set<String> inKafka = TopicReader.readAll(Topics.EVENTS).stream()
                .map(r -> {
                    try {
                        return JSON.readTree(r.value()).get("event_id").asText();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .collect(Collectors.toSet());
        assertThat(reportedAccepted).isNotEmpty();
        assertThat(inKafka).containsAll(reportedAccepted);
    }

    @Test
    void recoversWithoutARestartAfterTheBrokerComesBack() {
        LocalKafkaResource.broker().stop();
        postBatch("[" + event(uniqueId("down"), "u-1") + "]").then().statusCode(503);

        LocalKafkaResource.broker().start();

        Set<String> accepted = ConcurrentHashMap.newKeySet();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Response response = postBatch("[" + event(uniqueId("after"), "u-1") + "]");
            assertThat(response.statusCode()).isEqualTo(202);
            accepted.addAll(response.jsonPath().getList("accepted", String.class));
        });
        assertThat(TopicReader.readAll(Topics.EVENTS))
                .anySatisfy(r -> assertThat(r.value()).contains(accepted.iterator().next()));
    }
}
