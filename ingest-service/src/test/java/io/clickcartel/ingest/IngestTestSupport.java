package io.clickcartel.ingest;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/** Requests as a client would send them. */
final class IngestTestSupport {

    static final String WRITE_KEY = "test-key";

    private IngestTestSupport() {
    }

    static String event(String eventId, String userId) {
        return """
                {"event_id":"%s","timestamp":"2024-05-01T12:00:00Z","user_id":"%s",
                 "event_type":"view_product","product_id":"p-1","session_id":"s-1","quantity":1}"""
                .formatted(eventId, userId);
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

    static Response postBatch(String body) {
        return client().contentType(ContentType.JSON).body(body).post("/v1/events/batch");
    }
}
