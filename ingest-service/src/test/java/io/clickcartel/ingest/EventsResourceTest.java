package io.clickcartel.ingest;

import static io.clickcartel.ingest.IngestTestSupport.client;
import static io.clickcartel.ingest.IngestTestSupport.event;
import static io.clickcartel.ingest.IngestTestSupport.postBatch;
import static io.clickcartel.ingest.IngestTestSupport.postSingle;
import static io.clickcartel.ingest.IngestTestSupport.uniqueId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.Topics;
import io.clickcartel.core.contract.EventContract;
import io.clickcartel.core.contract.EventIds;
import io.clickcartel.testsupport.LocalKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
class EventsResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, ConsumerRecord<String, String>> eventsById() {
        return TopicReader.readAll(Topics.EVENTS).stream()
                .collect(Collectors.toMap(
                        r -> json(r.value()).get("event_id").asText(), Function.identity(), (first, second) -> second));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Test
    void theTopicsKeepRecordsForTheConfiguredRetention() throws Exception {
        given().get("/q/health/ready").then().statusCode(200);
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                LocalKafkaResource.broker().bootstrapServers()))) {
            for (String topic : List.of(Topics.EVENTS, Topics.REJECTED)) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                assertThat(admin.describeConfigs(List.of(resource))
                                .all()
                                .get()
                                .get(resource)
                                .get(TopicConfig.RETENTION_MS_CONFIG)
                                .value())
                        .as("retention.ms of %s (the test profile's P3D)", topic)
                        .isEqualTo(Long.toString(java.time.Duration.ofDays(3).toMillis()));
            }
        }
    }

    @Test
    void aSingleEventReachesTheTopicKeyedByUserWithItsNormalisedPayload() {
        String id = uniqueId("single");
        String messy = """
                {"event_id":"%s","timestamp":1714564800000,"user_id":"  u-42 ","event_type":" View_Product",
                 "product_id":"p-7","quantity":3,"page":"/home"}""".formatted(id);

        postSingle(messy).then().statusCode(202).body("accepted", equalTo(List.of(id)));

        ConsumerRecord<String, String> record = eventsById().get(id);
        assertThat(record).as("event %s in the topic", id).isNotNull();
        assertThat(record.key()).isEqualTo("u-42");
        JsonNode value = json(record.value());
        assertThat(value.get("user_id").asText()).isEqualTo("u-42");
        assertThat(value.get("event_type").asText()).isEqualTo("view_product");
        assertThat(value.get("timestamp").asText()).isEqualTo("2024-05-01T12:00:00Z");
        assertThat(value.get("quantity").asInt()).isEqualTo(3);
        assertThat(value.get("page").asText()).as("unknown fields are kept").isEqualTo("/home");
        assertThat(value.hasNonNull("received_at")).isTrue();
    }

    @Test
    void aBatchOfOneThousandEventsArrivesCompleteWithTheRightKeys() {
        List<String> ids =
                IntStream.range(0, 1000).mapToObj(i -> uniqueId("batch-" + i)).toList();
        String body = IntStream.range(0, 1000)
                .mapToObj(i -> event(ids.get(i), "user-" + (i % 37)))
                .collect(Collectors.joining(",", "[", "]"));

        postBatch(body).then().statusCode(202).body("accepted", equalTo(ids)).body("rejected", hasSize(0));

        Map<String, ConsumerRecord<String, String>> inTopic = eventsById();
        for (int i = 0; i < ids.size(); i++) {
            ConsumerRecord<String, String> record = inTopic.get(ids.get(i));
            assertThat(record).as("event %s in the topic", ids.get(i)).isNotNull();
            assertThat(record.key()).isEqualTo("user-" + (i % 37));
            assertThat(json(record.value()).get("user_id").asText()).isEqualTo("user-" + (i % 37));
        }
    }

    @Test
    void aBatchAcceptsItsValidEventsAndListsAndKeepsItsInvalidOnes() {
        String good = uniqueId("good");
        String badRaw = "{\"event_id\":\"" + uniqueId("bad") + "\",\"timestamp\":\"2024-05-01T12:00:00Z\","
                + "\"event_type\":\"view_product\",\"product_id\":\"p-1\"}";
        String body = "[" + event(good, "u-1") + "," + badRaw + ",42]";

        postBatch(body)
                .then()
                .statusCode(202)
                .body("accepted", equalTo(List.of(good)))
                .body("rejected.index", equalTo(List.of(1, 2)))
                .body("rejected.rule", equalTo(List.of("user_id_missing", "malformed_json")))
                .body("rejected[0].field", equalTo("user_id"))
                .body("rejected[0].reason", equalTo("user_id is required"));

        assertThat(eventsById()).containsKey(good);
        List<JsonNode> rejected = TopicReader.readAll(Topics.REJECTED).stream()
                .map(r -> json(r.value()))
                .toList();
        assertThat(rejected).anySatisfy(r -> {
            assertThat(r.get("rule").asText()).isEqualTo("user_id_missing");
            assertThat(json(r.get("raw").asText())).isEqualTo(json(badRaw));
            assertThat(r.get("reason").asText()).isEqualTo("user_id is required");
        });
    }

    @Test
    void newlineDelimitedBatchesTreatEachLineAsAnEventAndABrokenLineAsMalformed() {
        String first = uniqueId("nd");
        String second = uniqueId("nd");
        String body = event(first, "u-1").replace("\n", "") + "\n{not json\n\n"
                + event(second, "u-2").replace("\n", "");

        client().contentType("application/x-ndjson")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/v1/events/batch")
                .then()
                .statusCode(202)
                .body("accepted", equalTo(List.of(first, second)))
                .body("rejected[0].index", equalTo(1))
                .body("rejected[0].rule", equalTo("malformed_json"));

        assertThat(eventsById()).containsKeys(first, second);
        assertThat(TopicReader.readAll(Topics.REJECTED))
                .anySatisfy(r -> assertThat(json(r.value()).get("raw").asText()).isEqualTo("{not json"));
    }

    @Test
    void anEventWithoutIdIsNamedByItsContentSoThatARetryIsTheSameEvent() {
        String body = event("x", uniqueId("u")).replace("\"event_id\":\"x\",", "");
        String assigned =
                postSingle(body).then().statusCode(202).extract().jsonPath().getString("accepted[0]");
        assertThat(assigned).isEqualTo(EventIds.fromContent(body)).matches("h-[0-9a-f]{32}");
        postSingle(body).then().statusCode(202).body("accepted", equalTo(List.of(assigned)));
        postBatch("[" + body + "]").then().statusCode(202).body("accepted", equalTo(List.of(assigned)));
        assertThat(TopicReader.readAll(Topics.EVENTS))
                .filteredOn(r -> json(r.value()).get("event_id").asText().equals(assigned))
                .hasSize(3);
    }

    @Test
    void anInvalidSingleEventIsRefusedWithAProblemNamingFieldRuleAndReason() {
        postSingle(event(uniqueId("q"), "u-1").replace("\"quantity\":1", "\"quantity\":5000"))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("field", equalTo("quantity"))
                .body("rule", equalTo("quantity_out_of_range"))
                .body("reason", equalTo("quantity must be between 1 and 1000"));
    }

    @Test
    void malformedJsonIsABadRequest() {
        postSingle("{\"event_id\": ").then().statusCode(400).body("rule", equalTo("malformed_json"));
        postBatch("[{\"event_id\": ")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("not valid JSON"));
        postBatch(event("a", "u")).then().statusCode(400).body("detail", containsString("JSON array"));
        postBatch("[]").then().statusCode(400).body("detail", containsString("no events"));
    }

    @Test
    void oversizeRequestsAreRefusedWith413() {
        String bigEvent = event(uniqueId("big"), "u-1").replace("}", ",\"pad\":\"" + "x".repeat(33 * 1024) + "\"}");
        postSingle(bigEvent).then().statusCode(413);
        postBatch("[" + bigEvent + "]").then().statusCode(413).body("detail", containsString("event 0"));

        String tooMany = IntStream.range(0, 2501).mapToObj(i -> "{}").collect(Collectors.joining(",", "[", "]"));
        postBatch(tooMany).then().statusCode(413).body("detail", containsString("more than 2500 events"));

        String overHalfMegabyte = IntStream.range(0, 40)
                .mapToObj(i -> event("e" + i, "u").replace("}", ",\"pad\":\"" + "y".repeat(14 * 1024) + "\"}"))
                .collect(Collectors.joining(",", "[", "]"));
        assertThat(overHalfMegabyte.getBytes(StandardCharsets.UTF_8).length)
                .isGreaterThan(EventContract.MAX_REQUEST_BYTES);
        postBatch(overHalfMegabyte).then().statusCode(413);
    }

    @Test
    void theHttpBodyLimitIsTheContractsRequestLimit() {
        // an event padded with JSON whitespace to the contract's limit, and one byte over it
        String event = event(uniqueId("limit"), "u-1");
        String atTheLimit = "[" + event + " ".repeat(EventContract.MAX_REQUEST_BYTES - event.length() - 2) + "]";
        assertThat(atTheLimit.getBytes(StandardCharsets.UTF_8)).hasSize(EventContract.MAX_REQUEST_BYTES);
        postBatch(atTheLimit).then().statusCode(202);
        postBatch(atTheLimit.replace("[", "[ ")).then().statusCode(413);
    }

    @Test
    void writingNeedsAKnownWriteKeyAsHeaderOrBasicUser() {
        String body = event(uniqueId("auth"), "u-1");
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/v1/events")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("Basic"));
        given().header(WriteKeyFilter.HEADER, "wrong")
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/events")
                .then()
                .statusCode(401);
        given().header("Authorization", basic("wrong:"))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/events")
                .then()
                .statusCode(401);
        given().header(WriteKeyFilter.HEADER, "")
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/events")
                .then()
                .statusCode(401);
        given().header("Authorization", basic(":"))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/events")
                .then()
                .statusCode(401);

        given().header("Authorization", basic("second-key:"))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/events")
                .then()
                .statusCode(202);
        given().header(WriteKeyFilter.HEADER, "test-key")
                .contentType(ContentType.JSON)
                .body(event(uniqueId("auth"), "u-1"))
                .post("/v1/events")
                .then()
                .statusCode(202);
    }

    @Test
    void healthMetricsAndApiDocsStayOpen() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("kafka-topics"));
        // the messaging extension's startup check: the events topic is there and its partitions have leaders
        given().get("/q/health/started").then().statusCode(200).body("checks.data.collected", hasItem("[OK]"));
        postSingle(event(uniqueId("metrics"), "u-1")).then().statusCode(202);
        postSingle("{}").then().statusCode(400);
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("clickcartel_ingest_events_accepted_total"))
                .body(containsString("clickcartel_ingest_events_rejected_total{rule=\"timestamp_missing\"}"))
                .body(containsString("http_server_requests_seconds"))
                .body(containsString("clickcartel_ingest_requests_shed_total{reason=\"in_flight_limit\"}"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/events/batch"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }
}
