package io.clickcartel.core;

import java.util.List;

/** Kafka topic names: the single definition every producer and consumer refers to. */
public final class Topics {
    /** Valid, normalised events; key = user_id. */
    public static final String EVENTS = "clickstream.events.v1";
    /**
     * What the ingest service did not take as an event, as raw text plus the rule and reason: events that broke a
     * contract rule, and Segment messages that are no clickstream event (rule {@code segment_ignored}).
     */
    public static final String REJECTED = "clickstream.events.rejected.v1";

    /**
     * The data-quality logs of bronze, silver and gold, as they are written: one JSON record per batch entry, its keys the
     * columns of {@link BatchColumns}; key = the query's name. At least once: keep one per query id and batch id.
     */
    public static final String PIPELINE = "clickcartel.pipeline.v1";

    /** The keys of a {@link #REJECTED} record's JSON value. */
    public static final class RejectedKeys {
        /**
         * The first rule the event broke (or {@code segment_ignored}): its id, the field it concerns (none for an
         * ignored message), and the reason in words.
         */
        public static final String RULE = "rule";

        public static final String FIELD = "field";
        public static final String REASON = "reason";
        /** The event's (or the Segment message's) position in its request (0 for a single event). */
        public static final String INDEX = "index";

        public static final String RECEIVED_AT = "received_at";
        /** The event as it was sent. */
        public static final String RAW = "raw";

        /** Every key of a rejected record, in the order ingest writes them. */
        public static final List<String> ALL = List.of(RULE, FIELD, REASON, INDEX, RECEIVED_AT, RAW);

        private RejectedKeys() {}
    }

    private Topics() {}
}
