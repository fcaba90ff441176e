package io.clickcartel.datagen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.clickcartel.core.contract.EventField;
import io.clickcartel.core.contract.StrictJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A native event line as the Segment track message a site's tracking would send for the same event, following
 * Segment's e-commerce spec: a view is {@code Product Viewed}, a cart add {@code Product Added}, a purchase an
 * {@code Order Completed} with the one product. The event's id becomes the {@code messageId}, its time the
 * {@code originalTimestamp}, its {@code sent_at} the {@code sentAt}; user, product, quantity and session keep their
 * values exactly as written (padding, case, types), so what the service must refuse it still must.
 *
 * <p>Two kinds of line have no Segment form with the same meaning: a line that is not one strict JSON object, and
 * an event without a timestamp (Segment stamps a message without one with its receive time). Such a line is sent
 * as a JSON string in the batch, which the service refuses as {@code malformed_json}: what is accepted is exactly
 * what the native API would accept. An event type that is none of the three becomes a track of that name, which the
 * service ignores, as the native API refuses it.
 */
final class SegmentMessages {

    static final String VIEWED = "Product Viewed";
    static final String ADDED = "Product Added";
    static final String ORDER_COMPLETED = "Order Completed";

    private static final Map<String, String> NAMES =
            Map.of("view_product", VIEWED, "add_to_cart", ADDED, "purchase", ORDER_COMPLETED);
    /** The native type's surrounding JSON whitespace, kept around the Segment name. */
    private static final Pattern PADDED = Pattern.compile("([ \\t\\r\\n]*)(.*?)([ \\t\\r\\n]*)", Pattern.DOTALL);

    private static final ObjectMapper JSON = new ObjectMapper();

    private SegmentMessages() {}

    /** The batch body for these native lines. */
    static String batch(List<String> lines) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode batch = body.putArray("batch");
        lines.forEach(line -> batch.add(of(line)));
        return body.toString();
    }

    /** One line's Segment message, or the line itself as a JSON string when it has no Segment form. */
    static JsonNode of(String line) {
        if (!StrictJson.isSingleObject(line)) {
            return TextNode.valueOf(line);
        }
        JsonNode event = parse(line);
        JsonNode timestamp = event.get(EventField.TIMESTAMP);
        if (timestamp == null
                || timestamp.isNull()
                || timestamp.isTextual() && timestamp.textValue().isBlank()) {
            return TextNode.valueOf(line);
        }
        ObjectNode message = JSON.createObjectNode().put("type", "track");
        copy(event, EventField.EVENT_ID, message, "messageId");
        JsonNode type = event.get(EventField.EVENT_TYPE);
        if (type != null) {
            message.set("event", type.isTextual() ? TextNode.valueOf(name(type.textValue())) : type);
        }
        copy(event, EventField.USER_ID, message, "userId");
        message.set("originalTimestamp", timestamp);
        copy(event, EventField.SENT_AT, message, "sentAt");
        ObjectNode properties = message.putObject("properties");
        copy(event, EventField.SESSION_ID, properties, "session_id");
        ObjectNode product = isPurchase(type) ? properties.putArray("products").addObject() : properties;
        copy(event, EventField.PRODUCT_ID, product, "product_id");
        copy(event, EventField.QUANTITY, product, "quantity");
        return message;
    }

    /** The Segment name of a native type, in upper case when the type was not in its wire case, padding kept. */
    private static String name(String nativeType) {
        Matcher parts = PADDED.matcher(nativeType);
        parts.matches(); // always: every part may be empty
        String core = parts.group(2);
        String name = NAMES.get(asciiLowerCase(core));
        if (name == null) {
            return nativeType;
        }
        return parts.group(1) + (NAMES.containsKey(core) ? name : name.toUpperCase(Locale.ROOT)) + parts.group(3);
    }

    private static boolean isPurchase(JsonNode type) {
        return type != null
                && type.isTextual()
                && ORDER_COMPLETED.equalsIgnoreCase(name(type.textValue()).trim());
    }

    private static String asciiLowerCase(String text) {
        StringBuilder lower = new StringBuilder(text.length());
        text.chars().forEach(c -> lower.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : (char) c));
        return lower.toString();
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.get(field);
        if (value != null) {
            to.set(as, value);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("a strict JSON object did not parse", e);
        }
    }
}
