package io.clickcartel.core.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clickcartel.core.contract.EventContract;
import io.clickcartel.core.contract.EventField;
import io.clickcartel.core.contract.EventIds;
import io.clickcartel.core.contract.EventTimes;
import io.clickcartel.core.contract.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Segment (or RudderStack) message as the contract's events: the e-commerce spec's product views, cart adds and
 * completed orders become events; every other message is ignored. Pure: what the events then must satisfy is the
 * contract's to say, so a message that maps to a broken event (an order without products, a track without user) is
 * refused by the same rules, with the same ids, as a native event.
 */
public final class SegmentMapping {

    /** The message field that carries the write key: never written anywhere. */
    public static final String WRITE_KEY = "writeKey";

    public static final String BATCH = "batch";
    public static final String SENT_AT = "sentAt";
    /** Kept on a purchase: the order it belongs to. */
    public static final String ORDER_ID = "order_id";
    /** Where the message's own identity and context are kept on the event (ignored downstream). */
    public static final String SOURCE = "segment";
    /**
     * The rule id under which an ignored message is kept on the rejected topic (and so in bronze.rejected): not a
     * contract rule, since the message broke none; it is simply no clickstream event.
     */
    public static final String IGNORED_RULE = "segment_ignored";

    private static final Map<String, EventType> TRACKED = Map.of(
            "product viewed",
            EventType.VIEW_PRODUCT,
            "viewed product",
            EventType.VIEW_PRODUCT,
            "product added",
            EventType.ADD_TO_CART,
            "added product",
            EventType.ADD_TO_CART,
            "order completed",
            EventType.PURCHASE);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SegmentMapping() {}

    /** What a message became: events to validate and write (possibly none), or ignored with its type. */
    public sealed interface Outcome {
        /** @param events the raw events, in the contract's field names */
        record Events(List<String> events) implements Outcome {}

        /** @param kind the message type ({@code track} for a track of an event that is no funnel step) */
        record Ignored(String kind) implements Outcome {

            /** Why the message is no event, in words, as a rejected record's reason. */
            public String reason() {
                return kind.equals("track")
                        ? "a track of an event that is no funnel step (product viewed, product added, order completed)"
                        : "a Segment " + kind + " message, which is no clickstream event";
            }
        }
    }

    /**
     * @param message     one message, writeKey already removed
     * @param batchSentAt the batch's {@code sentAt}, for messages without their own
     * @param receivedAt  the event time of a message that carries none
     * @param routeType   the type a single-message route names ({@code /v1/track}), or {@code null} for batch routes
     */
    public static Outcome map(JsonNode message, JsonNode batchSentAt, Instant receivedAt, String routeType) {
        if (!message.isObject()) {
            return new Outcome.Events(List.of(message.toString())); // refused as malformed_json by the contract
        }
        // a single-message route names the type, whatever the body says; a batch's messages say their own
        String type = (routeType != null ? Optional.of(routeType) : text(message.get("type")))
                .orElse("")
                .toLowerCase(Locale.ROOT);
        if (!type.equals("track")) {
            return new Outcome.Ignored(type.isEmpty() ? "unknown" : type);
        }
        Optional<String> name = text(message.get("event"));
        EventType eventType =
                name.map(n -> TRACKED.get(n.trim().toLowerCase(Locale.ROOT))).orElse(null);
        if (name.isPresent() && eventType == null) {
            return new Outcome.Ignored("track");
        }
        JsonNode properties = message.path("properties");
        if (eventType != EventType.PURCHASE) {
            ObjectNode event = common(message, batchSentAt, receivedAt, eventType, properties);
            putProduct(event, properties);
            copyIfPresent(properties, "quantity", event, EventField.QUANTITY);
            putId(event, message, -1);
            return new Outcome.Events(List.of(event.toString()));
        }
        JsonNode products = properties.path("products");
        if (!products.isArray() || products.isEmpty()) {
            ObjectNode event = common(message, batchSentAt, receivedAt, eventType, properties);
            putId(event, message, -1);
            return new Outcome.Events(List.of(event.toString())); // no product: product_id_missing
        }
        List<String> events = new ArrayList<>(products.size());
        for (int i = 0; i < products.size(); i++) {
            JsonNode product = products.get(i);
            ObjectNode event = common(message, batchSentAt, receivedAt, eventType, properties);
            putProduct(event, product);
            copyIfPresent(product, "quantity", event, EventField.QUANTITY);
            copyIfPresent(properties, "order_id", event, ORDER_ID);
            ((ObjectNode) event.get(SOURCE)).set("product", product);
            putId(event, message, i);
            events.add(event.toString());
        }
        return new Outcome.Events(events);
    }

    private static ObjectNode common(
            JsonNode message, JsonNode batchSentAt, Instant receivedAt, EventType type, JsonNode properties) {
        ObjectNode event = NODES.objectNode();
        JsonNode time = firstPresent(message.get("originalTimestamp"), message.get("timestamp"));
        if (time != null) {
            event.set(EventField.TIMESTAMP, time);
        } else {
            event.put(EventField.TIMESTAMP, EventTimes.format(receivedAt));
        }
        JsonNode user = firstPresent(message.get("userId"), message.get("anonymousId"));
        if (user != null) {
            event.set(EventField.USER_ID, user);
        }
        if (type != null) {
            event.put(EventField.EVENT_TYPE, type.wireName());
        }
        JsonNode session = firstPresent(
                properties.get("session_id"), message.path("context").get("sessionId"));
        if (session != null) {
            event.set(EventField.SESSION_ID, session);
        }
        JsonNode sentAt = firstPresent(message.get(SENT_AT), batchSentAt);
        if (sentAt != null) {
            event.set(EventField.SENT_AT, sentAt);
        }
        ObjectNode source = event.putObject(SOURCE);
        for (String field : List.of("type", "event", "messageId", "userId", "anonymousId", "context")) {
            copyIfPresent(message, field, source, field);
        }
        if (properties.isObject()) {
            ObjectNode kept = ((ObjectNode) properties).deepCopy();
            kept.remove("products"); // each purchase keeps its own product, not the whole order's
            source.set("properties", kept);
        }
        return event;
    }

    private static void putProduct(ObjectNode event, JsonNode product) {
        JsonNode id = firstPresent(product.get("product_id"), product.get("sku"), product.get("id"));
        if (id != null) {
            event.set(EventField.PRODUCT_ID, id);
        }
    }

    /** messageId ({@code messageId:i} for an order's i-th product) when it is a contract id; else its content. */
    private static void putId(ObjectNode event, JsonNode message, int product) {
        String suffix = product < 0 ? "" : ":" + product;
        Optional<String> messageId = text(message.get("messageId"))
                .map(id -> id + suffix)
                .filter(id -> EventContract.EVENT_ID_PATTERN.matcher(id).matches());
        event.put(EventField.EVENT_ID, messageId.orElseGet(() -> {
            ObjectNode withoutSentAt = ((ObjectNode) message).deepCopy();
            withoutSentAt.remove(SENT_AT); // a retry may send it anew
            return EventIds.fromContent(withoutSentAt.toString()) + suffix;
        }));
    }

    private static void copyIfPresent(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(as, value);
        }
    }

    private static JsonNode firstPresent(JsonNode... values) {
        for (JsonNode value : values) {
            if (value != null
                    && !value.isNull()
                    && !(value.isTextual() && value.textValue().isBlank())) {
                return value;
            }
        }
        return null;
    }

    private static Optional<String> text(JsonNode value) {
        return value != null && value.isTextual() && !value.textValue().isBlank()
                ? Optional.of(value.textValue().trim())
                : Optional.empty();
    }
}
