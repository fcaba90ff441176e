package io.clickcartel.core.contract;

import static io.clickcartel.core.contract.EventContract.MAX_EVENT_BYTES;
import static io.clickcartel.core.contract.EventContract.MAX_ID_LENGTH;
import static io.clickcartel.core.contract.EventContract.MAX_QUANTITY;
import static io.clickcartel.core.contract.EventContract.MIN_QUANTITY;

/**
 * Every way an event can break the contract. The id is stable (it is stored in quarantine rows, rejected-topic
 * records and metrics labels); the reason is for humans. Rules are checked in declaration order and an event is
 * reported with the first rule it breaks, at ingest and in silver alike.
 */
public enum Rule {
    EVENT_TOO_LARGE(null, "event is larger than " + MAX_EVENT_BYTES + " bytes"),
    MALFORMED_JSON(
            null,
            "event is not one strict JSON object (UTF-8 without U+FFFD, no trailing content, no duplicate "
                    + "keys, nested at most " + EventContract.MAX_NESTING_DEPTH + " deep)"),
    EVENT_ID_INVALID(
            EventField.EVENT_ID,
            "event_id must be a string of 1-" + MAX_ID_LENGTH + " characters from [A-Za-z0-9._:-]"),
    TIMESTAMP_MISSING(EventField.TIMESTAMP, "timestamp is required"),
    TIMESTAMP_INVALID(
            EventField.TIMESTAMP,
            "timestamp must be ISO-8601 with an offset (2024-05-01T12:00:00.000Z) or epoch milliseconds"),
    TIMESTAMP_OUT_OF_RANGE(
            EventField.TIMESTAMP,
            "timestamp must lie between " + EventContract.EARLIEST_EVENT_TIME + " and "
                    + EventContract.LATEST_EVENT_TIME),
    USER_ID_MISSING(EventField.USER_ID, "user_id is required"),
    USER_ID_INVALID(EventField.USER_ID, "user_id must be a string of 1-" + MAX_ID_LENGTH + Rule.VISIBLE_CHARACTERS),
    EVENT_TYPE_MISSING(EventField.EVENT_TYPE, "event_type is required"),
    EVENT_TYPE_UNKNOWN(EventField.EVENT_TYPE, "event_type must be one of " + String.join(", ", EventType.WIRE_NAMES)),
    PRODUCT_ID_MISSING(EventField.PRODUCT_ID, "product_id is required"),
    PRODUCT_ID_INVALID(
            EventField.PRODUCT_ID, "product_id must be a string of 1-" + MAX_ID_LENGTH + Rule.VISIBLE_CHARACTERS),
    SESSION_ID_INVALID(
            EventField.SESSION_ID,
            "session_id, when present, must be a string of 1-" + MAX_ID_LENGTH + Rule.VISIBLE_CHARACTERS),
    QUANTITY_INVALID(EventField.QUANTITY, "quantity must be a JSON integer"),
    QUANTITY_OUT_OF_RANGE(EventField.QUANTITY, "quantity must be between " + MIN_QUANTITY + " and " + MAX_QUANTITY),
    SENT_AT_INVALID(EventField.SENT_AT, "sent_at, when present, must be ISO-8601 with an offset or epoch milliseconds"),
    SENT_AT_OUT_OF_RANGE(
            EventField.SENT_AT,
            "sent_at, and the event time corrected by it, must lie between " + EventContract.EARLIEST_EVENT_TIME
                    + " and " + EventContract.LATEST_EVENT_TIME),
    TIMESTAMP_IN_FUTURE(
            EventField.TIMESTAMP,
            "timestamp, corrected for clock skew, must not lie more than " + "CLICKCARTEL_MAX_FUTURE (default "
                    + EventContract.DEFAULT_MAX_FUTURE_SETTING + ") after received_at");

    private static final String VISIBLE_CHARACTERS = " characters, none of them a control or invisible character";

    private final String field;
    private final String reason;

    Rule(String field, String reason) {
        this.field = field;
        this.reason = reason;
    }

    /** Stable identifier, e.g. {@code user_id_missing}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The offending field, or {@code null} when the rule is about the event as a whole. */
    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
