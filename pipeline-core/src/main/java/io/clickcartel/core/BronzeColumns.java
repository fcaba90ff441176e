package io.clickcartel.core;

/** Columns of {@code bronze.events}: the raw event and where it came from. Append-only, never rewritten. */
public final class BronzeColumns {
    /** The event exactly as received: a Kafka record value or a landing-file line. */
    public static final String VALUE = "value";
    /** {@link #SOURCE_KAFKA} or {@link #SOURCE_FILE}. */
    public static final String SOURCE = "source";

    public static final String TOPIC = "topic";
    public static final String PARTITION = "partition";
    public static final String OFFSET = "offset";
    public static final String KAFKA_TIMESTAMP = "kafka_timestamp";
    public static final String SOURCE_FILE_NAME = "source_file";
    public static final String INGESTED_AT = "ingested_at";
    /** Partition column: the UTC date of {@link #INGESTED_AT}. */
    public static final String INGEST_DATE = "ingest_date";

    public static final String SOURCE_KAFKA = "kafka";
    public static final String SOURCE_FILE = "file";

    private BronzeColumns() {}
}
