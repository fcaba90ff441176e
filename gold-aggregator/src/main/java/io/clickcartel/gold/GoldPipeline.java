package io.clickcartel.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.to_date;

import io.clickcartel.core.GoldColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.SilverColumns;
import io.clickcartel.core.contract.EventField;
import io.clickcartel.spark.BatchLog;
import io.clickcartel.spark.BatchWrites;
import io.clickcartel.spark.LakeTables;
import io.clickcartel.spark.RunningBatch;
import io.delta.tables.DeltaTable;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.jboss.logging.Logger;

/**
 * The wiring of the gold layer: which transform feeds which table, how each is written, and the streaming query
 * that keeps them current ({@value #QUERY}).
 *
 * <p>The stream reads silver's change data feed, so a micro-batch holds silver's appended rows and also the rows a
 * rewrite removed (a backfill's replaced dates, a deletion). Each table is brought up to date for the keys the
 * batch's changes touch, at a cost that follows the batch: product_daily, funnel_daily and customer_daily are
 * recomputed from silver for the dates touched and replace exactly those partitions; the sessions of the touched
 * users are rebuilt from the point the changes can reach ({@link GoldTransforms#redoFrom}), and journey_daily and
 * purchase_paths are recomputed from the stored sessions of the dates from there on; the touched users' totals
 * are recomputed from their daily totals, and customer_value (whose scores rank every buyer) from that
 * one-row-per-customer table. Everything is recomputed from silver, nothing added to, so a batch whose silver
 * has since moved on still leaves gold right once the stream catches up. Tables of which none reads what another
 * writes in the batch are written side by side ({@link Concurrently}): the four chains above, then journey_daily
 * with purchase_paths and customer_totals with customer_value; this fills the gaps that one write's small jobs and
 * commits leave on the cores. Each write carries Delta's
 * {@code txnAppId}/{@code txnVersion}, so a batch replayed after a crash is skipped rather than written twice.
 */
public final class GoldPipeline {

    public static final String QUERY = "gold";
    /** Where a table lives and how it is partitioned (null: not partitioned). */
    private record Target(LakeTable lakeTable, String partitionColumn) {}

    private static final Target SESSIONS = new Target(LakeTable.GOLD_SESSIONS, SilverColumns.EVENT_DATE);
    private static final Target CUSTOMER_DAILY = new Target(LakeTable.GOLD_CUSTOMER_DAILY, SilverColumns.EVENT_DATE);
    private static final Target CUSTOMER_TOTALS = new Target(LakeTable.GOLD_CUSTOMER_TOTALS, null);

    /** A gold table the teams read: its lake location and partition column. */
    public enum Table {
        PRODUCT_DAILY(LakeTable.GOLD_PRODUCT_DAILY, SilverColumns.EVENT_DATE),
        FUNNEL_DAILY(LakeTable.GOLD_FUNNEL_DAILY, SilverColumns.EVENT_DATE),
        JOURNEY_DAILY(LakeTable.GOLD_JOURNEY_DAILY, SilverColumns.EVENT_DATE),
        PURCHASE_PATHS(LakeTable.GOLD_PURCHASE_PATHS, SilverColumns.EVENT_DATE),
        CUSTOMER_VALUE(LakeTable.GOLD_CUSTOMER_VALUE, GoldColumns.LOCATION);

        private final Target target;

        Table(LakeTable lakeTable, String partitionColumn) {
            this.target = new Target(lakeTable, partitionColumn);
        }

        public LakeTable lakeTable() {
            return target.lakeTable();
        }

        public String partitionColumn() {
            return target.partitionColumn();
        }
    }

    private static final Logger LOG = Logger.getLogger(GoldPipeline.class);
    /** The tables a batch may write, gold's own state included. */
    private static final List<LakeTable> GOLD_TABLES =
            List.copyOf(EnumSet.range(LakeTable.GOLD_PRODUCT_DAILY, LakeTable.GOLD_CUSTOMER_TOTALS));

    /** What the pipeline reports as it works. */
    public interface Listener {
        /** What Spark did for a refresh or an update (for metrics). */
        void ran(RunSummary.Figures figures);

        /**
         * A streaming batch's write of one table is committed, or skipped as already done. A batch writes its eight
         * tables in four independent chains side by side (product_daily; funnel_daily; sessions, journey_daily,
         * purchase_paths; customer_daily, customer_totals, customer_value), each chain in that order, so this may
         * be called from several threads at once. Where a test injects a crash between two writes.
         */
        default void wrote(LakeTable table, long batch) {}
    }

    private final SparkSession spark;
    private final String lake;
    private final String checkpoints;
    private final Listener listener;

    public GoldPipeline(SparkSession spark, String lake, String checkpoints, Listener listener) {
        this.spark = spark;
        this.lake = lake;
        this.checkpoints = checkpoints;
        this.listener = listener;
    }

    public String location(Table table) {
        return location(table.target);
    }

    private String location(Target target) {
        return target.lakeTable().location(lake);
    }

    public Dataset<Row> silver() {
        return spark.read().format("delta").load(LakeTable.SILVER_EVENTS.location(lake));
    }

    /** Each gold table as one query over the current silver, unwritten: for {@code --explain}. */
    public Map<Table, Dataset<Row>> queries() {
        Dataset<Row> silver = silver();
        Dataset<Row> sessions = GoldTransforms.sessions(silver);
        Map<Table, Dataset<Row>> queries = new EnumMap<>(Table.class);
        queries.put(Table.PRODUCT_DAILY, GoldTransforms.productDaily(silver));
        queries.put(Table.FUNNEL_DAILY, GoldTransforms.funnelDaily(silver));
        queries.put(Table.JOURNEY_DAILY, GoldTransforms.journeyDaily(sessions));
        queries.put(Table.PURCHASE_PATHS, GoldTransforms.purchasePaths(sessions));
        queries.put(
                Table.CUSTOMER_VALUE,
                GoldTransforms.customerValue(GoldTransforms.customerTotals(GoldTransforms.customerDaily(silver))));
        return queries;
    }

    /**
     * Recomputes every gold table from all of silver and overwrites it. The streaming query's checkpoint is
     * removed first: the totals the stream adds batches to will hold all of silver, so a stream that went on from
     * an older position would count rows twice; it starts over from the beginning of silver instead, and its first
     * batch builds every table from scratch. Removed before any write, so a refresh stopped at any point leaves
     * either a rerun or the service's next start to build gold right. The caller holds the gold lease.
     */
    public RunSummary.Figures refresh() {
        return run("refresh", () -> {
            deleteCheckpoint();
            Dataset<Row> silver = silver().cache();
            try {
                overwrite(Table.PRODUCT_DAILY.target, GoldTransforms.productDaily(silver));
                overwrite(Table.FUNNEL_DAILY.target, GoldTransforms.funnelDaily(silver));
                overwrite(SESSIONS, GoldTransforms.sessions(silver));
                overwrite(CUSTOMER_DAILY, GoldTransforms.customerDaily(silver));
            } finally {
                silver.unpersist();
            }
            overwrite(CUSTOMER_TOTALS, GoldTransforms.customerTotals(read(CUSTOMER_DAILY)));
            Dataset<Row> sessions = read(SESSIONS).cache();
            try {
                overwrite(Table.JOURNEY_DAILY.target, GoldTransforms.journeyDaily(sessions));
                overwrite(Table.PURCHASE_PATHS.target, GoldTransforms.purchasePaths(sessions));
            } finally {
                sessions.unpersist();
            }
            overwrite(Table.CUSTOMER_VALUE.target, GoldTransforms.customerValue(read(CUSTOMER_TOTALS)));
        });
    }

    /**
     * Brings gold up to date after silver changed by {@code changes} (rows of silver's change data feed: appended
     * rows, and rows a rewrite removed or replaced); {@code appId}/{@code version} identify the batch, so that a
     * replay changes nothing. Version 0 is a stream's first batch: it starts from silver's whole snapshot, so gold's
     * own state starts empty.
     */
    public void update(Dataset<Row> changes, String appId, long version) {
        Instant startedAt = Instant.now();
        // cached first: each scan of a streaming batch counts its rows again in the query's progress
        Dataset<Row> rows = changes.cache();
        try {
            List<LocalDate> dates = dates(rows);
            if (!dates.isEmpty()) {
                run(
                        "batch " + version + " (event dates " + dates + ")",
                        () -> update(rows, dates, new Txn(appId, version), version == 0));
            }
            // last: an entry means the batch's writes are in
            BatchLog.append(
                    spark,
                    lake,
                    LakeTable.OPS_GOLD_BATCHES,
                    new BatchLog.Entry(
                            QUERY,
                            appId,
                            version,
                            RunningBatch.current(spark).inputRows(),
                            null,
                            Map.of(),
                            0,
                            0,
                            null,
                            startedAt,
                            Duration.between(startedAt, Instant.now()).toMillis(),
                            BatchLog.versions(spark, lake, GOLD_TABLES)));
        } finally {
            rows.unpersist();
        }
    }

    private void update(Dataset<Row> changes, List<LocalDate> dates, Txn txn, boolean fromScratch) {
        // not cached: in a first batch the touched dates are all of silver, too much to hold on the heap
        Dataset<Row> touched = silver().where(inDates(dates));
        Replace touchedDates = Replace.dates(dates);
        Concurrently.run(
                "gold batch " + txn.version(),
                List.of(
                        () -> write(
                                Table.PRODUCT_DAILY.target, GoldTransforms.productDaily(touched), touchedDates, txn),
                        () -> write(Table.FUNNEL_DAILY.target, GoldTransforms.funnelDaily(touched), touchedDates, txn),
                        () -> updateSessions(changes, fromScratch, txn),
                        () -> updateCustomers(changes, touched, touchedDates, fromScratch, txn)));
    }

    /**
     * Rebuilds the touched dates' customer_daily, then customer_totals for the touched customers, then
     * customer_value from those totals.
     */
    private void updateCustomers(
            Dataset<Row> changes, Dataset<Row> touched, Replace touchedDates, boolean fromScratch, Txn txn) {
        // a first batch holds all of silver: its dates are every date
        write(CUSTOMER_DAILY, GoldTransforms.customerDaily(touched), fromScratch ? Replace.WHOLE : touchedDates, txn);
        Dataset<Row> daily = read(CUSTOMER_DAILY);
        // one row per customer, read twice below: cached rather than read back from the table just written
        Dataset<Row> totals = (fromScratch || !DeltaTable.isDeltaTable(spark, location(CUSTOMER_TOTALS))
                        ? GoldTransforms.customerTotals(daily)
                        : GoldTransforms.customerTotalsAfter(
                                read(CUSTOMER_TOTALS), changes.select(EventField.USER_ID), daily))
                .cache();
        try {
            // the whole table, as customer_value (side by side, over the same cached rows): its rows are one per
            // customer, and a batch's customers are spread over all of its files, which a MERGE would rewrite too
            Concurrently.run(
                    "gold batch " + txn.version() + " customers",
                    List.of(
                            () -> write(CUSTOMER_TOTALS, totals, Replace.WHOLE, txn),
                            () -> write(
                                    Table.CUSTOMER_VALUE.target,
                                    GoldTransforms.customerValue(totals),
                                    Replace.WHOLE,
                                    txn)));
        } finally {
            totals.unpersist();
        }
    }

    /** Rebuilds the sessions the changes reach, then the session tables from them on. */
    private void updateSessions(Dataset<Row> batch, boolean fromScratch, Txn txn) {
        Dataset<Row> noSessions = GoldTransforms.sessions(batch.limit(0));
        Dataset<Row> stored = fromScratch ? noSessions : readLatestOrEmpty(SESSIONS, noSessions);
        Timestamp earliestNew = batch.agg(min(SilverColumns.EVENT_TIME)).first().getTimestamp(0);
        Dataset<Row> redoFrom = GoldTransforms.redoFrom(batch, GoldTransforms.reachableFrom(stored, earliestNew))
                .cache();
        try {
            LocalDate since = redoFrom.agg(min(to_date(col(GoldTransforms.REDO_FROM))))
                    .first()
                    .getDate(0)
                    .toLocalDate();
            // the stored sessions the update keeps or replaces (read twice below): with the rows written they are
            // the table's sessions from `since` after the write, without reading its new version back
            Dataset<Row> storedSince = from(stored, since).cache();
            Dataset<Row> rebuilt = GoldTransforms.sessionsSince(from(silver(), since), redoFrom)
                    .cache();
            try {
                // no session before `since` is replaced or shares a date with one that is: left unread
                GoldTransforms.SessionsUpdate update = GoldTransforms.sessionsUpdate(storedSince, redoFrom, rebuilt);
                List<LocalDate> dates = dates(update.dates());
                // the same rows, filtered by literal dates so that Delta reads only their partitions
                Dataset<Row> written = update.sessions().where(inDates(dates));
                boolean wrote = write(SESSIONS, written, fromScratch ? Replace.WHOLE : Replace.dates(dates), txn);
                // every date whose sessions changed is on or after `since`, also when this is a replay of a batch
                // whose sessions were already written (a replay's redo times are no later than the first run's);
                // a replay's own rows may differ from those the first run wrote, so it reads the table back
                Dataset<Row> sessions = (wrote
                                ? storedSince.where(not(inDates(dates))).unionByName(written)
                                : from(read(SESSIONS), since))
                        .cache();
                try {
                    updateSessionTables(sessions, fromScratch ? Replace.WHOLE : Replace.datesFrom(since), txn);
                } finally {
                    sessions.unpersist();
                }
            } finally {
                rebuilt.unpersist();
                storedSince.unpersist();
            }
        } finally {
            redoFrom.unpersist();
        }
    }

    /** Rewrites journey_daily and purchase_paths where {@code replace} says, from {@code sessions} there. */
    private void updateSessionTables(Dataset<Row> sessions, Replace replace, Txn txn) {
        Concurrently.run(
                "gold batch " + txn.version() + " session tables",
                List.of(
                        () -> write(Table.JOURNEY_DAILY.target, GoldTransforms.journeyDaily(sessions), replace, txn),
                        () -> write(
                                Table.PURCHASE_PATHS.target, GoldTransforms.purchasePaths(sessions), replace, txn)));
    }

    /** Runs {@code work} and reports what Spark did for it. */
    private RunSummary.Figures run(String what, Runnable work) {
        try (RunSummary summary = RunSummary.open(spark)) {
            work.run();
            RunSummary.Figures figures = summary.figures();
            LOG.infof("gold %s: %s", what, figures);
            listener.ran(figures);
            return figures;
        }
    }

    /** Follows silver's change data feed as a stream; each micro-batch runs {@link #update}. */
    public StreamingQuery start(Trigger trigger, String maxBytesPerTrigger)
            throws java.util.concurrent.TimeoutException {
        LakeTables.silverEventsForReading(spark, lake); // gold may start before the silver processor
        return spark.readStream()
                .format("delta")
                .option("readChangeFeed", "true")
                .option("maxBytesPerTrigger", maxBytesPerTrigger)
                .load(LakeTable.SILVER_EVENTS.location(lake))
                .writeStream()
                .queryName(QUERY)
                .option("checkpointLocation", new Path(checkpoints, QUERY).toString())
                .trigger(trigger)
                // the query id lives in the checkpoint: a new checkpoint starts new transactions from batch 0
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>)
                        (batch, batchId) -> update(batch, BatchWrites.queryId(batch.sparkSession()), batchId))
                .start();
    }

    /** The streaming batch a write belongs to: Delta skips a write of a batch it already committed. */
    private record Txn(String appId, long version) {}

    /** Which rows of a table a write replaces. */
    private sealed interface Replace {
        /** All of it, its schema too. */
        Replace WHOLE = new Whole();

        record Whole() implements Replace {}

        /** Only the rows a predicate on the partition column selects (Delta's {@code replaceWhere}). */
        record Where(String predicate) implements Replace {}

        static Replace dates(List<LocalDate> dates) {
            return new Where(SilverColumns.EVENT_DATE + " IN ("
                    + dates.stream().map(date -> "DATE'" + date + "'").collect(Collectors.joining(", ")) + ")");
        }

        static Replace datesFrom(LocalDate since) {
            return new Where(SilverColumns.EVENT_DATE + " >= DATE'" + since + "'");
        }
    }

    private Dataset<Row> read(Target target) {
        return spark.read().format("delta").load(location(target));
    }

    /**
     * The table's latest version, which the rows stay at when read again after later writes, or {@code empty}
     * (same columns) before its first write.
     */
    private Dataset<Row> readLatestOrEmpty(Target target, Dataset<Row> empty) {
        long version = LakeTables.latestSnapshot(spark, location(target)).version();
        if (version < 0) { // no commit yet
            return empty.limit(0);
        }
        // the version Delta holds now: the read and the next write share its state, rebuilt once
        return spark.read().format("delta").option("versionAsOf", version).load(location(target));
    }

    private static List<LocalDate> dates(Dataset<Row> rows) {
        return rows.select(SilverColumns.EVENT_DATE).distinct().collectAsList().stream()
                .map(row -> row.getDate(0).toLocalDate())
                .sorted()
                .toList();
    }

    /** The rows of {@code since} and later, by a literal on the partition column: Delta reads only those dates. */
    private static Dataset<Row> from(Dataset<Row> rows, LocalDate since) {
        return rows.where(
                col(SilverColumns.EVENT_DATE).geq(lit(since.toString()).cast("date")));
    }

    private static Column inDates(List<LocalDate> dates) {
        return col(SilverColumns.EVENT_DATE)
                .isin(dates.stream().map(LocalDate::toString).toArray());
    }

    private void deleteCheckpoint() {
        Path checkpoint = new Path(checkpoints, QUERY);
        try {
            checkpoint.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(checkpoint, true);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException("cannot remove the gold stream's checkpoint " + checkpoint, e);
        }
    }

    /** Overwrites the whole table outside any stream: a refresh. */
    private void overwrite(Target target, Dataset<Row> rows) {
        overwriting(target, Replace.WHOLE).writer(rows).save(location(target));
    }

    /**
     * Writes a streaming batch's rows of the table, once per batch however often the batch runs.
     *
     * @return false when a replay found the batch's write committed already and wrote nothing
     */
    private boolean write(Target target, Dataset<Row> rows, Replace replace, Txn txn) {
        boolean wrote = BatchWrites.once(
                rows,
                overwriting(target, replace),
                location(target),
                BatchWrites.appId(txn.appId(), target.lakeTable()),
                txn.version());
        listener.wrote(target.lakeTable(), txn.version());
        return wrote;
    }

    private static BatchWrites.Write overwriting(Target target, Replace replace) {
        BatchWrites.Write write = BatchWrites.Write.overwrite();
        if (target.partitionColumn() != null) {
            write = write.partitionBy(target.partitionColumn());
        }
        if (replace instanceof Replace.Where where) {
            return write.option("overwriteSchema", "false").option("replaceWhere", where.predicate());
        }
        return write.option("overwriteSchema", "true");
    }
}
