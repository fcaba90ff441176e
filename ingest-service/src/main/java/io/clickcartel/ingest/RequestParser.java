package io.clickcartel.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.contract.EventContract;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits request bodies into events and enforces the size limits of the contract. */
@ApplicationScoped
public class RequestParser {

    private final ObjectMapper json;

    public RequestParser(ObjectMapper json) {
        this.json = json;
    }

    public IncomingEvent single(byte[] body) {
        requireEventSize(body.length, 0);
        String raw = new String(body, StandardCharsets.UTF_8);
        return new IncomingEvent(0, raw, parseOrNull(raw));
    }

    /** A JSON array of events; a body that is no JSON at all is refused as a whole. */
    public List<IncomingEvent> jsonArray(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (java.io.IOException e) {
            throw RequestRefusedException.badRequest("the body is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isArray()) {
            throw RequestRefusedException.badRequest("a batch must be a JSON array of events");
        }
        requireBatchSize(root.size());
        List<IncomingEvent> events = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode element = root.get(i);
            String raw = element.toString();
            requireEventSize(raw.getBytes(StandardCharsets.UTF_8).length, i);
            events.add(new IncomingEvent(i, raw, element));
        }
        return events;
    }

    /** Newline-delimited JSON: one event per non-blank line; a line that is not JSON is one rejected event. */
    public List<IncomingEvent> ndjson(byte[] body) {
        List<String> lines = new String(body, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        requireBatchSize(lines.size());
        List<IncomingEvent> events = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            requireEventSize(raw.getBytes(StandardCharsets.UTF_8).length, i);
            events.add(new IncomingEvent(i, raw, parseOrNull(raw)));
        }
        return events;
    }

    private JsonNode parseOrNull(String raw) {
        try {
            return json.readTree(raw);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static void requireEventSize(int bytes, int index) {
        if (bytes > EventContract.MAX_EVENT_BYTES) {
            throw RequestRefusedException.tooLarge("event " + index + " has " + bytes + " bytes; the limit is "
                    + EventContract.MAX_EVENT_BYTES + " bytes per event");
        }
    }

    private static void requireBatchSize(int events) {
        if (events == 0) {
            throw RequestRefusedException.badRequest("the batch holds no events");
        }
        if (events > EventContract.MAX_BATCH_EVENTS) {
            throw RequestRefusedException.tooLarge("the batch holds " + events + " events; the limit is "
                    + EventContract.MAX_BATCH_EVENTS + " per request");
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
