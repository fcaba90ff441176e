package io.clickcartel.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A valid event and ways to break it, for the contract's unit tests. */
final class TestEvents {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant RECEIVED_AT = Instant.parse("2024-05-01T12:00:10Z");
    static final String VALID = """
            {"event_id":"e-1","timestamp":"2024-05-01T12:00:00.000Z","user_id":"u1",
             "event_type":"view_product","product_id":"p1","session_id":"s1","quantity":2}""";

    /** The fields of {@link #VALID} as raw JSON text, in order. */
    private static final Map<String, String> VALID_FIELDS = validFields();

    private TestEvents() {}

    /** A valid event with one field replaced by raw JSON ({@code null} removes it), re-serialised by Jackson. */
    static String with(String field, String rawValue) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(VALID);
            if (rawValue == null) {
                event.remove(field);
            } else {
                event.set(field, JSON.readTree(rawValue));
            }
            return JSON.writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A valid event with one field's JSON text replaced by {@code rawValue} exactly as given (escapes, raw
     * characters and all: no parser in between); a field {@link #VALID} lacks is appended, {@code null} removes it.
     */
    static String withRaw(String field, String rawValue) {
        Map<String, String> fields = new LinkedHashMap<>(VALID_FIELDS);
        if (rawValue == null) {
            fields.remove(field);
        } else {
            fields.put(field, rawValue);
        }
        return fields.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** {@link #withRaw} with a JSON string whose content (between the quotes) is {@code content} as written. */
    static String withString(String field, String content) {
        return withRaw(field, "\"" + content + "\"");
    }

    /** A JSON string literal of the instant in the contract's wire format. */
    static String iso(Instant time) {
        return "\"" + time + "\"";
    }

    static NormalizedEvent valid(Validation result) {
        assertThat(result).isInstanceOf(Validation.Valid.class);
        return ((Validation.Valid) result).event();
    }

    static Validation.Invalid invalid(Rule rule) {
        return new Validation.Invalid(rule);
    }

    private static Map<String, String> validFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(EventField.EVENT_ID, "\"e-1\"");
        fields.put(EventField.TIMESTAMP, "\"2024-05-01T12:00:00.000Z\"");
        fields.put(EventField.USER_ID, "\"u1\"");
        fields.put(EventField.EVENT_TYPE, "\"view_product\"");
        fields.put(EventField.PRODUCT_ID, "\"p1\"");
        fields.put(EventField.SESSION_ID, "\"s1\"");
        fields.put(EventField.QUANTITY, "2");
        return fields;
    }
}
