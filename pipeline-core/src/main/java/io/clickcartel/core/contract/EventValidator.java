package io.clickcartel.core.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Checks one event against the contract and normalises it. Rules are checked in {@link Rule} order; the first one
 * broken is reported. Pure: the receive time is passed in.
 */
public final class EventValidator {

    private final ObjectReader json;
    private final Duration maxFuture;

    /** @param maxFuture how far the event time may lie after its receive time ({@code CLICKCARTEL_MAX_FUTURE}) */
    public EventValidator(ObjectMapper json, Duration maxFuture) {
        this.json = json.readerFor(JsonNode.class); // resolved once: readTree on the mapper resolves per call
        this.maxFuture = maxFuture;
    }

    /** With the contract's default {@link EventContract#DEFAULT_MAX_FUTURE}. */
    public EventValidator(ObjectMapper json) {
        this(json, EventContract.DEFAULT_MAX_FUTURE);
    }

    /** Checks raw event text received at {@code receivedAt}, including its size and whether it parses. */
    public Validation validate(String raw, Instant receivedAt) {
        return validate(raw, event -> receivedAt);
    }

    /**
     * Checks raw event text whose receive time depends on the event, as for a line stored with its own
     * {@code received_at} ({@link EventTimes#receivedAt}). An event without event_id is named by its content
     * ({@link EventIds#fromContent}).
     */
    public Validation validate(String raw, Function<JsonNode, Instant> receivedAtOf) {
        if (EventContract.isTooLarge(raw)) {
            return new Validation.Invalid(Rule.EVENT_TOO_LARGE);
        }
        if (!StrictJson.isSingleObject(raw)) {
            return new Validation.Invalid(Rule.MALFORMED_JSON);
        }
        ObjectNode event;
        try {
            event = (ObjectNode) json.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strict JSON that Jackson cannot read", e);
        }
        return validate(
                event, receivedAtOf.apply(event).truncatedTo(ChronoUnit.MICROS), () -> EventIds.fromContent(raw));
    }

    /**
     * What ingest writes: a valid event whose normalised JSON also fits {@link EventContract#MAX_EVENT_BYTES}, so
     * that silver, checking the same limit on what it reads, never refuses an event ingest accepted.
     */
    public Validation admit(String raw, Instant receivedAt) {
        Validation validation = validate(raw, receivedAt);
        if (validation instanceof Validation.Valid valid && EventContract.isTooLarge(valid.json())) {
            return new Validation.Invalid(Rule.EVENT_TOO_LARGE);
        }
        return validation;
    }

    private Validation validate(ObjectNode event, Instant receivedAt, Supplier<String> idFromContent) {
        Optional<String> givenEventId = text(event, EventField.EVENT_ID);
        if (present(event, EventField.EVENT_ID) && givenEventId.isEmpty()
                || givenEventId
                        .filter(id ->
                                !EventContract.EVENT_ID_PATTERN.matcher(id).matches())
                        .isPresent()) {
            return new Validation.Invalid(Rule.EVENT_ID_INVALID);
        }

        if (!present(event, EventField.TIMESTAMP)) {
            return new Validation.Invalid(Rule.TIMESTAMP_MISSING);
        }
        Optional<Instant> clientTime = EventTimes.parse(event.get(EventField.TIMESTAMP));
        if (clientTime.isEmpty()) {
            return new Validation.Invalid(Rule.TIMESTAMP_INVALID);
        }
        if (!EventTimes.inPlausibleRange(clientTime.get())) {
            return new Validation.Invalid(Rule.TIMESTAMP_OUT_OF_RANGE);
        }

        Rule userIdBroken = requiredId(event, EventField.USER_ID, Rule.USER_ID_MISSING, Rule.USER_ID_INVALID);
        if (userIdBroken != null) {
            return new Validation.Invalid(userIdBroken);
        }

        if (!present(event, EventField.EVENT_TYPE)) {
            return new Validation.Invalid(Rule.EVENT_TYPE_MISSING);
        }
        Optional<EventType> eventType = text(event, EventField.EVENT_TYPE).flatMap(EventType::parse);
        if (eventType.isEmpty()) {
            return new Validation.Invalid(Rule.EVENT_TYPE_UNKNOWN);
        }

        Rule productIdBroken =
                requiredId(event, EventField.PRODUCT_ID, Rule.PRODUCT_ID_MISSING, Rule.PRODUCT_ID_INVALID);
        if (productIdBroken != null) {
            return new Validation.Invalid(productIdBroken);
        }

        if (present(event, EventField.SESSION_ID) && !isId(event.get(EventField.SESSION_ID))) {
            return new Validation.Invalid(Rule.SESSION_ID_INVALID);
        }

        int quantity = EventContract.DEFAULT_QUANTITY;
        if (present(event, EventField.QUANTITY)) {
            JsonNode value = event.get(EventField.QUANTITY);
            if (!value.isIntegralNumber()) {
                return new Validation.Invalid(Rule.QUANTITY_INVALID);
            }
            if (!value.canConvertToInt()
                    || value.intValue() < EventContract.MIN_QUANTITY
                    || value.intValue() > EventContract.MAX_QUANTITY) {
                return new Validation.Invalid(Rule.QUANTITY_OUT_OF_RANGE);
            }
            quantity = value.intValue();
        }

        Instant eventTime = clientTime.get();
        // An already normalised event carries its skew; keeping it makes normalisation idempotent.
        JsonNode knownSkew = event.get(EventField.CLOCK_SKEW_MS);
        Long clockSkewMs = knownSkew != null && knownSkew.isIntegralNumber() ? knownSkew.longValue() : null;
        if (present(event, EventField.SENT_AT)) {
            Optional<Instant> sentAt = EventTimes.parse(event.get(EventField.SENT_AT));
            if (sentAt.isEmpty()) {
                return new Validation.Invalid(Rule.SENT_AT_INVALID);
            }
            Duration skew = Duration.between(receivedAt, sentAt.get());
            eventTime = clientTime.get().minus(skew);
            if (!EventTimes.inPlausibleRange(sentAt.get()) || !EventTimes.inPlausibleRange(eventTime)) {
                return new Validation.Invalid(Rule.SENT_AT_OUT_OF_RANGE);
            }
            clockSkewMs = skew.toMillis();
        }
        if (eventTime.isAfter(receivedAt.plus(maxFuture))) {
            return new Validation.Invalid(Rule.TIMESTAMP_IN_FUTURE);
        }

        return new Validation.Valid(new NormalizedEvent(
                givenEventId.orElseGet(idFromContent),
                eventTime,
                text(event, EventField.USER_ID).orElseThrow(),
                eventType.get(),
                text(event, EventField.PRODUCT_ID).orElseThrow(),
                text(event, EventField.SESSION_ID).orElse(null),
                quantity,
                receivedAt,
                clockSkewMs,
                event));
    }

    private static Rule requiredId(ObjectNode event, String field, Rule missing, Rule invalid) {
        if (!present(event, field)) {
            return missing;
        }
        return isId(event.get(field)) ? null : invalid;
    }

    private static boolean isId(JsonNode value) {
        if (!value.isTextual()) {
            return false;
        }
        String id = Strings.trim(value.textValue());
        return id.codePointCount(0, id.length()) <= EventContract.MAX_ID_LENGTH // characters, as Spark counts
                && !EventContract.INVISIBLE_CHARACTER.matcher(id).find();
    }

    /** Blank: nothing left after trimming {@link EventContract#TRIMMED_CHARACTERS}. */
    private static boolean blank(String text) {
        return Strings.trim(text).isEmpty();
    }

    /** Present means: not absent, not JSON null, not a blank string. */
    private static boolean present(ObjectNode event, String field) {
        JsonNode value = event.get(field);
        return value != null && !value.isNull() && !(value.isTextual() && blank(value.textValue()));
    }

    private static Optional<String> text(ObjectNode event, String field) {
        JsonNode value = event.get(field);
        if (value == null || !value.isTextual() || blank(value.textValue())) {
            return Optional.empty();
        }
        return Optional.of(Strings.trim(value.textValue()));
    }
}
