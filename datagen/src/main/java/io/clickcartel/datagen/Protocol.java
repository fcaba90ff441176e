package io.clickcartel.datagen;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** How the sender speaks to the ingest service: its native batch API, or as a Segment/RudderStack SDK would. */
public enum Protocol {
    /** Newline-delimited events to {@code /v1/events/batch}, key in {@code X-Write-Key}; 202 once acknowledged. */
    NATIVE("/v1/events/batch", 202, "application/x-ndjson"),
    /** {@code {"batch":[…]}} of {@link SegmentMessages} to {@code /v1/batch}, key as the HTTP Basic user; 200. */
    SEGMENT("/v1/batch", 200, "application/json");

    private final String path;
    private final int acknowledged;
    private final String contentType;

    Protocol(String path, int acknowledged, String contentType) {
        this.path = path;
        this.acknowledged = acknowledged;
        this.contentType = contentType;
    }

    URI endpoint(URI base) {
        return base.resolve(path);
    }

    /** The status the service answers once Kafka acknowledged the batch. */
    int acknowledged() {
        return acknowledged;
    }

    String contentType() {
        return contentType;
    }

    String body(List<String> lines) {
        return this == NATIVE ? String.join("\n", lines) : SegmentMessages.batch(lines);
    }

    /** The header that carries the write key, as name and value. */
    String[] authorization(String writeKey) {
        return this == NATIVE
                ? new String[] {"X-Write-Key", writeKey}
                : new String[] {
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8))
                };
    }
}
