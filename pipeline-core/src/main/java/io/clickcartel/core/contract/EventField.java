package io.clickcartel.core.contract;

/** JSON field names of a clickstream event (DESIGN §3). */
public final class EventField {
    public static final String EVENT_ID = "event_id";
    public static final String TIMESTAMP = "timestamp";
    public static final String USER_ID = "user_id";
    public static final String EVENT_TYPE = "event_type";
    public static final String PRODUCT_ID = "product_id";
    public static final String SESSION_ID = "session_id";
    public static final String QUANTITY = "quantity";
    public static final String SENT_AT = "sent_at";
    /** Set by the receiver (ingest service), never trusted from a client. */
    public static final String RECEIVED_AT = "received_at";
    /** {@code sent_at − received_at} in ms, kept after skew correction so the client's clock error stays visible. */
    public static final String CLOCK_SKEW_MS = "clock_skew_ms";

    private EventField() {}
}
