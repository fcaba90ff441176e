package io.clickcartel.core;

/**
 * Columns of the data-quality logs ({@code ops.bronze_batches}, {@code ops.silver_batches}, {@code ops.gold_batches}):
 * one row per micro-batch of a layer's streaming query. A replayed batch keeps the row of its first run; a new checkpoint is a new query id.
 */
public final class BatchColumns {
    /** The streaming query's name, e.g. {@code silver-events}. */
    public static final String QUERY = "query";
    /** The query's id: it lives in the checkpoint, and batch ids count from 0 again under a new one. */
    public static final String QUERY_ID = "query_id";

    public static final String BATCH_ID = "batch_id";
    /** Rows the batch read from the layer before it. */
    public static final String INPUT_ROWS = "input_rows";
    /** Rows the batch wrote into the layer's main table (silver: silver.events; gold: none, null). */
    public static final String WRITTEN_ROWS = "written_rows";
    /** Rows set aside in quarantine, in all and per broken rule id. */
    public static final String QUARANTINED_ROWS = "quarantined_rows";

    public static final String QUARANTINED_BY_RULE = "quarantined_by_rule";
    /** Rows removed as a repeat of an event already seen. */
    public static final String DUPLICATES_REMOVED = "duplicates_removed";
    /** Rows dropped as older than the watermark. */
    public static final String TOO_LATE = "too_late";
    /** The event-time watermark the batch ran with (null before the first event time). */
    public static final String WATERMARK = "watermark";
    /** When the batch's work began, and how long it took until this row was written. */
    public static final String STARTED_AT = "started_at";

    public static final String DURATION_MS = "duration_ms";
    /** Each table the batch wrote, by qualified name, at its Delta version after the batch. */
    public static final String TABLE_VERSIONS = "table_versions";

    private BatchColumns() {}
}
