package io.clickcartel.spark;

import io.clickcartel.core.LakeTable;
import io.delta.tables.DeltaTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What a lake needs to live for years, run on a schedule beside the running services: compaction of the small
 * files the streams append every few seconds (Delta's OPTIMIZE) and removal of the files no version within the
 * retention needs any more (VACUUM).
 *
 * <p>Safe while the services run: compaction commits change no data ({@code dataChange=false}), so the streams
 * that read a table (silver reads bronze, gold reads silver's change data feed) skip them, and it never conflicts
 * with the appends of the stream that writes the table. Only the tables that grow by appends are compacted; gold
 * rewrites whole partitions (and MERGEs its customers) in every batch, so its files stay few, and a compaction
 * there would race each batch. A compaction that meets a {@code silver backfill} rewriting the same partitions
 * loses or wins as Delta decides, and the loser fails cleanly: run it again.
 */
public final class LakeMaintenance {

    /** The tables that only grow by appends (silver.events also by a backfill's rewrite). */
    public static final Set<LakeTable> COMPACTED = EnumSet.of(
            LakeTable.BRONZE_EVENTS,
            LakeTable.BRONZE_REJECTED,
            LakeTable.SILVER_EVENTS,
            LakeTable.SILVER_QUARANTINE,
            LakeTable.OPS_BRONZE_BATCHES,
            LakeTable.OPS_SILVER_BATCHES,
            LakeTable.OPS_GOLD_BATCHES);

    /**
     * Delta's own floor for VACUUM ({@code delta.deletedFileRetentionDuration}): a stream or a time-travel read
     * older than the retention may need a file VACUUM removed.
     */
    public static final Duration MINIMUM_RETENTION = Duration.ofDays(7);

    /** What maintenance did to one table. */
    public record Outcome(LakeTable table, long filesBefore, long filesAfter, long version, double seconds) {
        @Override
        public String toString() {
            return String.format(
                    "%s: %d files -> %d (version %d), %.1f s",
                    table.qualifiedName(), filesBefore, filesAfter, version, seconds);
        }
    }

    private LakeMaintenance() {}

    /**
     * Compacts the {@link #COMPACTED} tables and vacuums every table of the lake that exists, keeping every file
     * a version of the last {@code retention} needs; reports each table to {@code progress} as it is done.
     *
     * @throws IllegalArgumentException when {@code retention} is under {@link #MINIMUM_RETENTION}
     */
    public static List<Outcome> run(SparkSession spark, String lake, Duration retention, Consumer<Outcome> progress) {
        if (retention.compareTo(MINIMUM_RETENTION) < 0) {
            throw new IllegalArgumentException("a retention of " + retention + " is under Delta's floor of "
                    + MINIMUM_RETENTION.toDays() + " days: streams and time travel could lose files they need");
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (LakeTable table : LakeTable.values()) {
            String location = table.location(lake);
            if (!DeltaTable.isDeltaTable(spark, location)) {
                continue; // not written yet
            }
            long started = System.nanoTime();
            DeltaTable delta = DeltaTable.forPath(spark, location);
            long before = files(delta);
            if (COMPACTED.contains(table)) {
                delta.optimize().executeCompaction();
            }
            delta.vacuum(retention.toMinutes() / 60.0);
            Row detail = delta.detail().first();
            Outcome outcome = new Outcome(
                    table,
                    before,
                    detail.<Long>getAs("numFiles"),
                    delta.history(1).first().<Long>getAs("version"),
                    (System.nanoTime() - started) / 1e9);
            progress.accept(outcome);
            outcomes.add(outcome);
        }
        return outcomes;
    }

    private static long files(DeltaTable table) {
        return table.detail().first().<Long>getAs("numFiles");
    }
}
