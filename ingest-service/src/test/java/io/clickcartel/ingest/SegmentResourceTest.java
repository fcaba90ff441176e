package io.clickcartel.ingest;

import static io.clickcartel.ingest.IngestTestSupport.uniqueId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.Topics;
import io.clickcartel.core.contract.EventContract;
import io.clickcartel.core.segment.SegmentMapping;
import io.clickcartel.testsupport.LocalKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Segment's tracking API, spoken by hand: the routes, the envelope, the key in the body, gzip, the mapping. */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
class SegmentResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RestAssuredConfig RAW = RestAssuredConfig.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    private static String track(String messageId, String user, String event, String properties) {
        return """
                {"type":"track","messageId":"%s","userId":"%s","event":"%s","originalTimestamp":"2024-05-01T12:00:00Z",
                 "properties":%s,"context":{"library":{"name":"test"}}}""".formatted(messageId, user, event, properties);
    }

    private static Map<String, JsonNode> eventsById() {
        return TopicReader.readAll(Topics.EVENTS).stream()
                .map(ConsumerRecord::value)
                .map(SegmentResourceTest::json)
                .collect(Collectors.toMap(v -> v.get("event_id").asText(), Function.identity(), (a, b) -> b));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(text, e);
        }
    }

    @Test
    void aBatchWithTheKeyInTheBodyBecomesContractEventsAndKeepsTheRestAsideOnTheRejectedTopic() {
        String run = uniqueId("seg");
        String body = """
                {"writeKey":"test-key","sentAt":"2024-05-01T12:00:05Z","batch":[%s,%s,%s,%s,
                 {"type":"identify","messageId":"%s-id","userId":"u-%s","traits":{"email":"a@b.c"}}]}""".formatted(
                        track(run + "-v", "u-" + run, "Product Viewed", "{\"product_id\":\"p-1\"}"),
                        track(run + "-c", "u-" + run, " added product ", "{\"sku\":\"p-2\",\"quantity\":2}"),
                        track(
                                run + "-o",
                                "u-" + run,
                                "Order Completed",
                                "{\"order_id\":\"o-1\",\"products\":"
                                        + "[{\"product_id\":\"p-1\",\"quantity\":1},{\"id\":\"p-2\",\"quantity\":3}]}"),
                        track(run + "-l", "u-" + run, "Product List Viewed", "{\"list_id\":\"l\"}"),
                        run,
                        run);

        given().config(RAW)
                .contentType("text/plain")
                .body(body)
                .post("/v1/import/")
                .then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("accepted", equalTo(List.of(run + "-v", run + "-c", run + "-o:0", run + "-o:1")))
                .body("rejected.size()", equalTo(0))
                .body("ignored", equalTo(2));

        Map<String, JsonNode> events = eventsById();
        assertThat(events.get(run + "-v").get("event_type").asText()).isEqualTo("view_product");
        assertThat(events.get(run + "-c").get("quantity").asInt()).isEqualTo(2);
        assertThat(events.get(run + "-c").get("product_id").asText()).isEqualTo("p-2");
        assertThat(events.get(run + "-o:1").get("quantity").asInt()).isEqualTo(3);
        assertThat(events.get(run + "-o:1").get("order_id").asText()).isEqualTo("o-1");
        assertThat(events.get(run + "-o:0").get("clock_skew_ms").asLong())
                .as("the batch's sentAt corrects skew")
                .isNotNull();
        assertThat(events).doesNotContainKeys(run + "-l", run + "-id");
        assertThat(events.values()).allSatisfy(v -> assertThat(v.toString()).doesNotContain("writeKey", "test-key"));

        // the identify and the Product List Viewed: on the rejected topic as sent (key removed), under their own rule
        Map<String, JsonNode> keptAside = TopicReader.readAll(Topics.REJECTED).stream()
                .map(ConsumerRecord::value)
                .map(SegmentResourceTest::json)
                .filter(kept -> kept.get(Topics.RejectedKeys.RAW).asText().contains(run))
                .collect(Collectors.toMap(
                        kept -> json(kept.get(Topics.RejectedKeys.RAW).asText())
                                .get("messageId")
                                .asText(),
                        Function.identity()));
        assertThat(keptAside).containsOnlyKeys(run + "-l", run + "-id");
        JsonNode identify = keptAside.get(run + "-id");
        assertThat(identify.get(Topics.RejectedKeys.RULE).asText()).isEqualTo(SegmentMapping.IGNORED_RULE);
        assertThat(identify.get(Topics.RejectedKeys.FIELD).isNull()).isTrue();
        assertThat(identify.get(Topics.RejectedKeys.REASON).asText())
                .isEqualTo("a Segment identify message, which is no clickstream event");
        assertThat(identify.get(Topics.RejectedKeys.INDEX).asInt()).isEqualTo(4);
        assertThat(json(identify.get(Topics.RejectedKeys.RAW).asText())
                        .at("/traits/email")
                        .asText())
                .isEqualTo("a@b.c");
        assertThat(keptAside.get(run + "-l").get(Topics.RejectedKeys.REASON).asText())
                .startsWith("a track of an event that is no funnel step");
        assertThat(keptAside.values()).allSatisfy(v -> assertThat(v.toString()).doesNotContain("writeKey", "test-key"));
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString(
                        "clickcartel_ingest_segment_messages_total{outcome=\"ignored\",type=\"identify\"}"))
                .body(containsString("clickcartel_ingest_segment_messages_total{outcome=\"ignored\",type=\"track\"}"))
                .body(containsString("clickcartel_ingest_segment_messages_total{outcome=\"accepted\",type=\"track\"}"));
    }

    @TestHTTPResource("/v1/track")
    URI trackRoute;

    /** As rudder-sdk-node sends: gzip labelled as a form, the key as Basic user (RestAssured would encode a form). */
    @Test
    void aGzippedSingleMessageWithBasicAuthAndAFormContentTypeIsAccepted() throws Exception {
        String run = uniqueId("gz");
        byte[] gzipped = gzip(
                track(run, "u-1", "Product Viewed", "{\"product_id\":\"p-9\"}").getBytes());
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(trackRoute)
                                .header("Authorization", "Basic dGVzdC1rZXk6")
                                .header("Content-Encoding", "gzip")
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(json(answer.body()).get("accepted").get(0).asText()).isEqualTo(run);
        assertThat(eventsById()).containsKey(run);
    }

    @Test
    void aMessageThatBreaksTheContractIsListedAndTheRequestStillSucceeds() {
        String run = uniqueId("bad");
        String body = "{\"batch\":[" + track(run + "-ok", "u-1", "Product Viewed", "{\"product_id\":\"p-1\"}") + ","
                + track(run + "-empty", "u-1", "Order Completed", "{\"order_id\":\"o\"}") + ","
                + track(run + "-nouser", "", "Product Viewed", "{\"product_id\":\"p-1\"}") + "]}";
        given().header(WriteKeyFilter.HEADER, "test-key")
                .contentType("application/json")
                .body(body)
                .post("/v1/batch")
                .then()
                .statusCode(200)
                .body("accepted", equalTo(List.of(run + "-ok")))
                .body("rejected.index", equalTo(List.of(1, 2)))
                .body("rejected.rule", equalTo(List.of("product_id_missing", "user_id_missing")));
    }

    @Test
    void theKeyIsRequiredAndTheEnvelopeMustBeABatch() throws IOException {
        String message = track(uniqueId("k"), "u-1", "Product Viewed", "{\"product_id\":\"p-1\"}");
        given().contentType("application/json")
                .body("{\"batch\":[" + message + "]}")
                .post("/v1/batch")
                .then()
                .statusCode(401);
        given().contentType("application/json")
                .body("{\"writeKey\":\"wrong\",\"batch\":[" + message + "]}")
                .post("/v1/b")
                .then()
                .statusCode(401);
        given().header(WriteKeyFilter.HEADER, "test-key")
                .contentType("application/json")
                .body("{\"x\":[]}")
                .post("/v1/batch")
                .then()
                .statusCode(400)
                .body("detail", containsString("batch"));
        given().header(WriteKeyFilter.HEADER, "test-key")
                .contentType("application/json")
                .body("{\"batch\":[]}x")
                .post("/v1/batch")
                .then()
                .statusCode(400);
        byte[] bomb = gzip(("{\"batch\":[" + " ".repeat(4 * 1024 * 1024) + "]}").getBytes());
        assertThat(bomb.length).isLessThan(64 * 1024);
        given().config(RAW)
                .header(WriteKeyFilter.HEADER, "test-key")
                .header("Content-Encoding", "gzip")
                .contentType("application/json")
                .body(bomb)
                .post("/v1/batch")
                .then()
                .statusCode(413);
    }

    /** Ignored messages are records too: a batch of more than the limit of them is refused, and nothing written. */
    @Test
    void theLimitPerRequestCountsIgnoredMessages() {
        String run = uniqueId("many");
        String page = "{\"type\":\"page\",\"userId\":\"" + run + "\"}";
        String body =
                "{\"batch\":[" + String.join(",", Collections.nCopies(EventContract.MAX_BATCH_EVENTS + 1, page)) + "]}";
        given().header(WriteKeyFilter.HEADER, "test-key")
                .contentType("application/json")
                .body(body)
                .post("/v1/batch")
                .then()
                .statusCode(413)
                .body("detail", containsString("events and ignored messages"));
        given().header(WriteKeyFilter.HEADER, "test-key")
                .contentType("application/json")
                .body("{\"batch\":[" + page + "," + page + "]}")
                .post("/v1/batch")
                .then()
                .statusCode(200)
                .body("ignored", equalTo(2));
        assertThat(TopicReader.readAll(Topics.REJECTED))
                .as("records of %s: the accepted request's two pages", run)
                .filteredOn(record -> record.value().contains(run))
                .hasSize(2);
    }

    @Test
    void browsersMaySendFromTheirSitesOrigin() {
        given().header("Origin", "https://shop.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .options("/v1/t")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "https://shop.example");
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}
