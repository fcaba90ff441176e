package io.clickcartel.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.Topics;
import io.clickcartel.core.segment.SegmentMapping;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Requests as a client would send them. */
final class IngestTestSupport {

    static final String WRITE_KEY = "test-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private IngestTestSupport() {}

    static String event(String eventId, String userId) {
        return """
                {"event_id":"%s","timestamp":"2024-05-01T12:00:00Z","user_id":"%s",
                 "event_type":"view_product","product_id":"p-1","session_id":"s-1","quantity":1}""".formatted(eventId, userId);
    }

    static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static RequestSpecification client() {
        return given().header(WriteKeyFilter.HEADER, WRITE_KEY);
    }

    static Response postSingle(String body) {
        return client().contentType(ContentType.JSON).body(body).post("/v1/events");
    }

    /** Neither the word writeKey nor the key itself in any record's value or headers. */
    static void assertNoWriteKey(Collection<ConsumerRecord<String, String>> records, String writeKey) {
        for (var record : records) {
            assertThat(record.value().toLowerCase(Locale.ROOT))
                    .as("record value %s", record.value())
                    .doesNotContain("writekey")
                    .doesNotContain(writeKey);
            for (Header header : record.headers()) {
                String text = header.key() + "=" + new String(header.value(), StandardCharsets.UTF_8);
                assertThat(text.toLowerCase(Locale.ROOT))
                        .as("record header %s", text)
                        .doesNotContain("writekey")
                        .doesNotContain(writeKey);
            }
        }
    }

    /**
     * The run's records on the rejected topic: exactly {@code ignored} Segment messages kept aside under
     * {@link SegmentMapping#IGNORED_RULE}, no refused event, and no write key.
     */
    static void assertOnlyIgnoredMessagesKeptAside(String run, String writeKey, int ignored) {
        List<ConsumerRecord<String, String>> ofRun = TopicReader.readAll(Topics.REJECTED).stream()
                .filter(record -> record.value() != null && record.value().contains(run))
                .toList();
        assertThat(ofRun)
                .as("the records of run %s on %s", run, Topics.REJECTED)
                .hasSize(ignored);
        for (var record : ofRun) {
            JsonNode kept = json(record.value());
            assertThat(kept.path(Topics.RejectedKeys.RULE).asText())
                    .as("rule of %s", record.value())
                    .isEqualTo(SegmentMapping.IGNORED_RULE);
            assertThat(json(kept.path(Topics.RejectedKeys.RAW).asText()).isObject())
                    .as("the message as sent in %s", record.value())
                    .isTrue();
        }
        assertNoWriteKey(ofRun, writeKey);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static Response postBatch(String body) {
        return client().contentType(ContentType.JSON).body(body).post("/v1/events/batch");
    }
}
