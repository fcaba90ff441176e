package io.clickcartel.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.core.BatchColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.datagen.Dataset;
import io.clickcartel.datagen.GeneratorConfig;
import io.clickcartel.datagen.Phase;
import io.clickcartel.silver.GeneratedBronze;
import io.clickcartel.silver.SilverPipeline;
import io.clickcartel.spark.LocalSpark;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Gold against the generator's ground truth, end to end from bronze: datagen → bronze → the real silver pipeline
 * phase by phase (duplicates, late, malformed, unknown ids) → gold kept current by its streaming query in small
 * batches (incremental sessions and customer totals) → every gold table equals the oracle's exactly; a replayed
 * batch changes nothing; a full refresh gives the same tables, state tables included. With crashes, batch runs fail
 * after each of the eight tables' writes in turn (a batch writes its tables in independent chains side by side, so
 * the other chains' writes may or may not be in when it fails, as with a process killed there) and the restarted
 * query replays them.
 */
@ExtendWith(LocalSpark.class)
class GoldReconciliationTest {

    @ParameterizedTest(name = "seed {0}, crashes between writes {1}")
    @CsvSource({"7, true", "23, false"})
    void goldEqualsTheOracleContinuouslyAndAfterARefresh(long seed, boolean crashes, SparkSession spark, Path dir)
            throws Exception {
        GeneratorConfig config = GoldTestData.config(seed, 5_000);
        Path run = dir.resolve("seed-" + seed);
        Path data = run.resolve("data");
        Dataset.generate(config, data);
        String lake = run.resolve("lake").toString();
        String checkpoints = run.resolve("checkpoints").toString();
        SilverPipeline silver = GoldTestData.silver(spark, data, lake, checkpoints, config);
        List<RunSummary.Figures> runs = new ArrayList<>();
        CrashBetweenWrites crash = new CrashBetweenWrites(runs, crashes);
        GoldPipeline gold = new GoldPipeline(spark, lake, checkpoints, crash);
        String maxBytesPerBatch = "16k";

        Instant ingestedAt = Instant.parse("2024-06-01T00:00:00Z");
        long lastBatchWithRows = -1;
        for (Phase phase : Phase.values()) {
            GeneratedBronze.append(spark, lake, data, phase, ingestedAt.plusSeconds(phase.ordinal()));
            silver.start(Trigger.AvailableNow()).awaitTermination();
            StreamingQuery query = runToTheEnd(gold, crash, maxBytesPerBatch);
            for (StreamingQueryProgress progress : query.recentProgress()) {
                if (progress.numInputRows() > 0) {
                    lastBatchWithRows = progress.batchId();
                }
            }
        }
        // small batches, so that sessions and customers span many updates
        assertThat(runs)
                .as("gold updates")
                .hasSizeGreaterThan(Phase.values().length)
                .allSatisfy(figures -> assertThat(figures.tasks()).isPositive());

        if (crashes) {
            assertThat(crash.crashedAfter)
                    .as("a crash after each of the eight tables' writes")
                    .containsExactly(
                            LakeTable.GOLD_JOURNEY_DAILY,
                            LakeTable.GOLD_PRODUCT_DAILY,
                            LakeTable.GOLD_FUNNEL_DAILY,
                            LakeTable.GOLD_SESSIONS,
                            LakeTable.GOLD_JOURNEY_DAILY,
                            LakeTable.GOLD_PURCHASE_PATHS,
                            LakeTable.GOLD_CUSTOMER_DAILY,
                            LakeTable.GOLD_CUSTOMER_TOTALS,
                            LakeTable.GOLD_CUSTOMER_VALUE);
        }

        Map<GoldPipeline.Table, List<Map<String, String>>> continuous = GoldTables.readAll(spark, gold);
        Map<LakeTable, List<Map<String, String>>> continuousState = GoldTables.readState(spark, lake);
        for (GoldPipeline.Table table : GoldPipeline.Table.values()) {
            List<Map<String, String>> expected = Dataset.readExpectedGold(data, table.lakeTable());
            assertThat(expected).as("the oracle has rows for %s", table).isNotEmpty();
            assertThat(continuous.get(table))
                    .as("%s, kept current batch by batch", table)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(continuous.get(GoldPipeline.Table.CUSTOMER_VALUE))
                .as("the data has customers unknown to customers.csv")
                .anySatisfy(row -> assertThat(row.get("location")).isEqualTo("unknown"));

        // a crash after gold wrote its last batch with rows, before the checkpoint recorded it: that batch runs again
        assertThat(lastBatchWithRows).as("a gold batch with rows").isNotNegative();
        Path checkpoint = Path.of(checkpoints, GoldPipeline.QUERY);
        for (long batch = lastBatchWithRows;
                Files.exists(checkpoint.resolve("offsets").resolve("" + batch));
                batch++) {
            if (batch > lastBatchWithRows) {
                deleteWithChecksum(checkpoint.resolve("offsets").resolve("" + batch));
            }
            deleteWithChecksum(checkpoint.resolve("commits").resolve("" + batch));
        }
        Map<GoldPipeline.Table, Long> versions = versions(spark, gold);
        int updates = runs.size();
        gold.start(Trigger.AvailableNow(), maxBytesPerBatch).awaitTermination();
        assertThat(runs).as("the last batch ran again").hasSize(updates + 1);
        assertThat(versions(spark, gold)).as("a replayed batch writes nothing").isEqualTo(versions);

        // the data-quality log: every batch once, the crashed and the replayed ones too, and all of silver read once
        Row log = spark.read()
                .format("delta")
                .load(LakeTable.OPS_GOLD_BATCHES.location(lake))
                .agg(
                        count("*"),
                        countDistinct(col(BatchColumns.QUERY_ID), col(BatchColumns.BATCH_ID)),
                        max(BatchColumns.BATCH_ID),
                        sum(BatchColumns.INPUT_ROWS))
                .first();
        assertThat(log.getLong(0)).as("entries").isEqualTo(log.getLong(1)).isEqualTo(log.getLong(2) + 1);
        assertThat(log.getLong(3))
                .as("silver rows read, in all")
                .isEqualTo(gold.silver().count());

        gold.refresh();
        assertThat(GoldTables.readAll(spark, gold))
                .as("full refresh == continuous")
                .isEqualTo(continuous);
        assertThat(GoldTables.readState(spark, lake))
                .as("sessions, customer daily and customer totals: full refresh == continuous")
                .isEqualTo(continuousState);

        for (GoldPipeline.Table table : GoldPipeline.Table.values()) {
            Row detail =
                    DeltaTable.forPath(spark, gold.location(table)).detail().first();
            assertThat(detail.<String>getList(detail.fieldIndex("partitionColumns")))
                    .as("partition columns of %s in the Delta log", table)
                    .containsExactly(table.partitionColumn());
        }
    }

    /** Runs the stream until it has caught up with silver, restarting it after each injected crash. */
    private static StreamingQuery runToTheEnd(GoldPipeline gold, CrashBetweenWrites crash, String maxBytesPerBatch)
            throws Exception {
        while (true) {
            crash.restarted();
            StreamingQuery query = gold.start(Trigger.AvailableNow(), maxBytesPerBatch);
            try {
                query.awaitTermination();
                return query;
            } catch (StreamingQueryException e) {
                if (!(ExceptionUtils.getRootCause(e) instanceof InjectedCrash)) {
                    throw e;
                }
            }
        }
    }

    /** Stands for a process killed between two commits: the same tables and checkpoint are left behind. */
    static final class InjectedCrash extends RuntimeException {
        InjectedCrash(String message) {
            super(message);
        }
    }

    /**
     * Fails runs of batches after a planned table's write: the stream's first batch (it starts from scratch) once,
     * then batches 1 to 4 after two tables each, so a batch's replay crashes again after another table. A table
     * whose write a replay skips as committed still counts as written, as a crash right after its commit would
     * leave it. As in a killed process, the batch's other chains write nothing more once it has crashed: a write
     * they had under way is committed, the next one fails, until the query is restarted. Writes come from several
     * threads (the batch's chains), hence synchronized.
     */
    static final class CrashBetweenWrites implements GoldPipeline.Listener {
        /** (batch, the table after whose write it crashes), in the order they happen. */
        private static final List<Map.Entry<Long, LakeTable>> PLAN = List.of(
                Map.entry(0L, LakeTable.GOLD_JOURNEY_DAILY),
                Map.entry(1L, LakeTable.GOLD_PRODUCT_DAILY),
                Map.entry(1L, LakeTable.GOLD_FUNNEL_DAILY),
                Map.entry(2L, LakeTable.GOLD_SESSIONS),
                Map.entry(2L, LakeTable.GOLD_JOURNEY_DAILY),
                Map.entry(3L, LakeTable.GOLD_PURCHASE_PATHS),
                Map.entry(3L, LakeTable.GOLD_CUSTOMER_DAILY),
                Map.entry(4L, LakeTable.GOLD_CUSTOMER_TOTALS),
                Map.entry(4L, LakeTable.GOLD_CUSTOMER_VALUE));

        private final List<RunSummary.Figures> runs;
        private final boolean enabled;
        final List<LakeTable> crashedAfter = new ArrayList<>();
        private boolean crashed;

        CrashBetweenWrites(List<RunSummary.Figures> runs, boolean enabled) {
            this.runs = runs;
            this.enabled = enabled;
        }

        @Override
        public synchronized void ran(RunSummary.Figures figures) {
            runs.add(figures);
        }

        synchronized void restarted() {
            crashed = false;
        }

        @Override
        public synchronized void wrote(LakeTable table, long batchId) {
            if (crashed) {
                throw new InjectedCrash("batch " + batchId + " has crashed: no write after " + table);
            }
            int next = crashedAfter.size();
            if (enabled && next < PLAN.size() && PLAN.get(next).equals(Map.entry(batchId, table))) {
                crashedAfter.add(table);
                crashed = true;
                throw new InjectedCrash("injected crash in batch " + batchId + " after writing " + table);
            }
        }
    }

    private static void deleteWithChecksum(Path checkpointFile) throws java.io.IOException {
        Files.deleteIfExists(checkpointFile);
        Files.deleteIfExists(checkpointFile.resolveSibling("." + checkpointFile.getFileName() + ".crc"));
    }

    private static Map<GoldPipeline.Table, Long> versions(SparkSession spark, GoldPipeline gold) {
        Map<GoldPipeline.Table, Long> versions = new EnumMap<>(GoldPipeline.Table.class);
        for (GoldPipeline.Table table : GoldPipeline.Table.values()) {
            versions.put(
                    table,
                    DeltaTable.forPath(spark, gold.location(table))
                            .history(1)
                            .first()
                            .getLong(0));
        }
        return versions;
    }
}
