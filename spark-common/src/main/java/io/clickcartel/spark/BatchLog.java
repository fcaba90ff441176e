package io.clickcartel.spark;

import io.clickcartel.core.LakeTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;

/**
 * The data-quality log: each micro-batch of a layer's stream appends one {@link Entry} to the layer's ops table as
 * the last write of the batch, at most once ({@link BatchWrites}): a batch replayed after a crash before its entry
 * landed writes it then; one replayed after writes nothing. So the log holds every committed batch once, whatever
 * restarts happened, which counters held in a process's memory cannot.
 */
public final class BatchLog {

    private BatchLog() {}

    /**
     * One batch's books.
     *
     * @param writtenRows null where the layer has no single main table (gold)
     * @param watermark null while no event time has been seen
     */
    public record Entry(
            String query,
            String queryId,
            long batchId,
            long inputRows,
            Long writtenRows,
            Map<String, Long> quarantinedByRule,
            long duplicatesRemoved,
            long tooLate,
            Instant watermark,
            Instant startedAt,
            long durationMs,
            Map<String, Long> tableVersions) {

        public long quarantinedRows() {
            return quarantinedByRule.values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    /** Appends {@code entry} to {@code table} under {@code lake}, unless its batch's entry is there already. */
    public static void append(SparkSession spark, String lake, LakeTable table, Entry entry) {
        var row = RowFactory.create(
                entry.query(),
                entry.queryId(),
                entry.batchId(),
                entry.inputRows(),
                entry.writtenRows(),
                entry.quarantinedRows(),
                new TreeMap<>(entry.quarantinedByRule()),
                entry.duplicatesRemoved(),
                entry.tooLate(),
                entry.watermark() == null ? null : Timestamp.from(entry.watermark()),
                Timestamp.from(entry.startedAt()),
                entry.durationMs(),
                new TreeMap<>(entry.tableVersions()));
        BatchWrites.once(
                spark.createDataFrame(List.of(row), TableSchemas.BATCHES).coalesce(1),
                BatchWrites.Write.append(),
                table.location(lake),
                BatchWrites.appId(entry.queryId(), table),
                entry.batchId());
    }

    /**
     * Each of {@code tables}, by qualified name, at the version this process last wrote or read (tables not created
     * yet are left out). Called right after a batch's writes, that is the version each write committed or, for a
     * write a replay skipped, the one it found: taken from the snapshot Delta keeps in memory, not read again.
     */
    public static Map<String, Long> versions(SparkSession spark, String lake, List<LakeTable> tables) {
        Map<String, Long> versions = new TreeMap<>();
        for (LakeTable table : tables) {
            long version = DeltaLog.forTable(spark, table.location(lake))
                    .unsafeVolatileSnapshot()
                    .version();
            if (version >= 0) {
                versions.put(table.qualifiedName(), version);
            }
        }
        return versions;
    }
}
