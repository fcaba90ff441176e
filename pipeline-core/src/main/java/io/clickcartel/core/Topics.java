package io.clickcartel.core;

/** Kafka topic names: the single definition every producer and consumer refers to. */
public final class Topics {
    /** Valid, normalised events; key = user_id. */
    public static final String EVENTS = "clickstream.events.v1";
    /** Events the ingest service refused, as raw text plus the rule and reason. */
    public static final String REJECTED = "clickstream.events.rejected.v1";

    private Topics() {
    }
}
