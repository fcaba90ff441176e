package io.clickcartel.datagen;

import io.clickcartel.core.LakeTable;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a generated data set keeps its ground truth (written by datagen's oracle, read by checks): counts per layer
 * in {@code expected/counts.json}, and each gold table as a JSON array of rows whose values are in
 * {@link CanonicalText} form.
 */
public final class GroundTruth {

    public static final String DIRECTORY = "expected";
    public static final String COUNTS_FILE = "counts.json";
    private static final String AFTER_BACKFILL = "after-backfill";
    /** Names of the counts in counts.json that the layers' reconciliation compares. */
    public static final String BRONZE_ROWS = "bronze_rows";

    public static final String SILVER_ROWS = "silver_rows";
    public static final String QUARANTINED = "quarantined";
    public static final String DUPLICATES_REMOVED = "duplicates_removed";
    public static final String TOO_LATE = "too_late";
    public static final String INGEST_ACCEPTED = "ingest_accepted";
    public static final String INGEST_REJECTED = "ingest_rejected";
    /** The gold tables the ground truth holds row by row: the answers (gold's own state tables are not). */
    public static final List<LakeTable> GOLD_TABLES = List.of(
            LakeTable.GOLD_PRODUCT_DAILY,
            LakeTable.GOLD_FUNNEL_DAILY,
            LakeTable.GOLD_JOURNEY_DAILY,
            LakeTable.GOLD_PURCHASE_PATHS,
            LakeTable.GOLD_CUSTOMER_VALUE);

    private GroundTruth() {}

    public static Path counts(Path dataset) {
        return dataset.resolve(DIRECTORY).resolve(COUNTS_FILE);
    }

    public static Path gold(Path dataset, LakeTable table) {
        return dataset.resolve(DIRECTORY).resolve(table.qualifiedName() + ".json");
    }

    /**
     * A gold table once a silver backfill of every date has brought back the events the watermark dropped (every
     * valid event, de-duplicated exactly), in {@code expected/after-backfill/}.
     */
    public static Path goldAfterBackfill(Path dataset, LakeTable table) {
        return dataset.resolve(DIRECTORY).resolve(AFTER_BACKFILL).resolve(table.qualifiedName() + ".json");
    }
}
