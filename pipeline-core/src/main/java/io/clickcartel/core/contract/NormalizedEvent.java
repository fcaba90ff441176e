package io.clickcartel.core.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Set;

/**
 * An event that satisfies the contract, with every value normalised. The client's unknown fields are kept from
 * {@code source} (the event as received), in the payload and ignored downstream.
 *
 * @param eventTime   the client timestamp, corrected for clock skew when {@code sent_at} was given
 * @param clockSkewMs {@code sent_at − received_at}, or {@code null} when no {@code sent_at} was given
 */
public record NormalizedEvent(
        String eventId,
        Instant eventTime,
        String userId,
        EventType eventType,
        String productId,
        String sessionId,
        int quantity,
        Instant receivedAt,
        Long clockSkewMs,
        ObjectNode source) {

    private static final Set<String> CONTRACT_FIELDS = Set.of(
            EventField.EVENT_ID,
            EventField.TIMESTAMP,
            EventField.USER_ID,
            EventField.EVENT_TYPE,
            EventField.PRODUCT_ID,
            EventField.SESSION_ID,
            EventField.QUANTITY,
            EventField.SENT_AT,
            EventField.RECEIVED_AT,
            EventField.CLOCK_SKEW_MS);

    /**
     * The normalised JSON written to Kafka. Normalising it again yields the same JSON: {@code timestamp} already
     * holds the corrected time and {@code sent_at} is replaced by {@code clock_skew_ms}.
     */
    public ObjectNode toJson() {
        ObjectNode json = source.objectNode();
        json.put(EventField.EVENT_ID, eventId);
        json.put(EventField.TIMESTAMP, EventTimes.format(eventTime));
        json.put(EventField.USER_ID, userId);
        json.put(EventField.EVENT_TYPE, eventType.wireName());
        json.put(EventField.PRODUCT_ID, productId);
        if (sessionId != null) {
            json.put(EventField.SESSION_ID, sessionId);
        }
        json.put(EventField.QUANTITY, quantity);
        json.put(EventField.RECEIVED_AT, EventTimes.format(receivedAt));
        if (clockSkewMs != null) {
            json.put(EventField.CLOCK_SKEW_MS, clockSkewMs);
        }
        source.fields().forEachRemaining(field -> {
            if (!CONTRACT_FIELDS.contains(field.getKey())) {
                json.set(field.getKey(), field.getValue().deepCopy());
            }
        });
        return json;
    }
}
