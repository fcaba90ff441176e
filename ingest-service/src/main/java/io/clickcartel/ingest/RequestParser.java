package io.clickcartel.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.clickcartel.core.contract.EventContract;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits request bodies into events, each as its raw text, and enforces the size limits of the contract. Bytes
 * that are not UTF-8 become U+FFFD, which the contract refuses as malformed JSON, as silver does for landing files.
 */
@ApplicationScoped
public class RequestParser {

    private static final JsonFactory JSON = new JsonFactory();

    public IncomingEvent single(byte[] body) {
        if (body.length > EventContract.MAX_EVENT_BYTES) {
            throw eventTooLarge(0, body.length);
        }
        return new IncomingEvent(0, new String(body, StandardCharsets.UTF_8));
    }

    /**
     * A JSON array of events; each element is taken as the exact text it spans in the body, so it is validated and
     * named just like the same event sent alone or as a line. A body that is no JSON array is refused as a whole.
     */
    public List<IncomingEvent> jsonArray(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        List<IncomingEvent> events = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw RequestRefusedException.badRequest("a batch must be a JSON array of events");
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token == null) {
                    throw RequestRefusedException.badRequest("the body is not valid JSON: the array is not closed");
                }
                int start = (int) parser.currentTokenLocation().getCharOffset();
                parser.skipChildren();
                String raw =
                        text.substring(start, (int) parser.currentLocation().getCharOffset());
                requireEventSize(raw, events.size());
                requireBatchSize(events.size() + 1);
                events.add(new IncomingEvent(events.size(), raw));
            }
            if (parser.nextToken() != null) {
                throw RequestRefusedException.badRequest("the body is not valid JSON: content after the array");
            }
        } catch (IOException e) {
            throw RequestRefusedException.badRequest("the body is not valid JSON: " + firstLine(e.getMessage()));
        }
        requireBatchSize(events.size());
        return events;
    }

    /**
     * Newline-delimited JSON: one event per line that holds more than JSON whitespace; a line that is not JSON is
     * one rejected event.
     */
    public List<IncomingEvent> ndjson(byte[] body) {
        List<String> lines = new String(body, StandardCharsets.UTF_8)
                .lines()
                .filter(line -> !line.chars().allMatch(c -> EventContract.TRIMMED_CHARACTERS.indexOf(c) >= 0))
                .toList();
        requireBatchSize(lines.size());
        List<IncomingEvent> events = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            requireEventSize(raw, i);
            events.add(new IncomingEvent(i, raw));
        }
        return events;
    }

    private static void requireEventSize(String raw, int index) {
        if (EventContract.isTooLarge(raw)) {
            throw eventTooLarge(index, raw.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    private static RequestRefusedException eventTooLarge(int index, int bytes) {
        return RequestRefusedException.tooLarge("event " + index + " has " + bytes + " bytes; the limit is "
                + EventContract.MAX_EVENT_BYTES + " bytes per event");
    }

    private static void requireBatchSize(int events) {
        if (events == 0) {
            throw RequestRefusedException.badRequest("the batch holds no events");
        }
        if (events > EventContract.MAX_BATCH_EVENTS) {
            throw RequestRefusedException.tooLarge(
                    "the batch holds more than " + EventContract.MAX_BATCH_EVENTS + " events, the limit per request");
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
