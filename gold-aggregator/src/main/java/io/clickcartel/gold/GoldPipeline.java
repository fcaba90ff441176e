package io.clickcartel.gold;

import static org.apache.spark.sql.functions.col;

import io.clickcartel.core.GoldColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.SilverColumns;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.DataFrameWriter;
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
 * <p>Per micro-batch of new silver rows: the per-date tables (product_daily, funnel_daily) are recomputed for the
 * dates the batch touched only, and replace exactly those partitions. The session tables and customer_value depend
 * on a user's whole history (a session may span midnight; scores rank all buyers), so they are recomputed from all
 * of silver. Each write carries Delta's {@code txnAppId}/{@code txnVersion}, so a batch replayed after a crash is
 * skipped rather than written twice.
 */
public final class GoldPipeline {

    public static final String QUERY = "gold";
    /** Set by Spark while a streaming batch runs (StreamExecution.QUERY_ID_KEY). */
    private static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

    /** What the gold tables are computed from: silver rows, and the sessions built from them once for two tables. */
    public record Sources(Dataset<Row> silver, Dataset<Row> sessions) {
        static Sources of(Dataset<Row> silver) {
            return new Sources(silver, GoldTransforms.sessions(silver));
        }
    }

    /** A gold table: its lake location, what computes it, and its partition column. */
    public enum Table {
        PRODUCT_DAILY(LakeTable.GOLD_PRODUCT_DAILY, in -> GoldTransforms.productDaily(in.silver()),
                SilverColumns.EVENT_DATE, true),
        FUNNEL_DAILY(LakeTable.GOLD_FUNNEL_DAILY, in -> GoldTransforms.funnelDaily(in.silver()),
                SilverColumns.EVENT_DATE, true),
        JOURNEY_DAILY(LakeTable.GOLD_JOURNEY_DAILY, in -> GoldTransforms.journeyDaily(in.sessions()),
                SilverColumns.EVENT_DATE, false),
        PURCHASE_PATHS(LakeTable.GOLD_PURCHASE_PATHS, in -> GoldTransforms.purchasePaths(in.sessions()),
                SilverColumns.EVENT_DATE, false),
        CUSTOMER_VALUE(LakeTable.GOLD_CUSTOMER_VALUE, in -> GoldTransforms.customerValue(in.silver()),
                GoldColumns.LOCATION, false);

        final LakeTable lakeTable;
        final Function<Sources, Dataset<Row>> compute;
        final String partitionColumn;
        /** true: a date's rows depend on that date's silver rows only. */
        final boolean perDate;

        Table(LakeTable lakeTable, Function<Sources, Dataset<Row>> compute, String partitionColumn,
              boolean perDate) {
            this.lakeTable = lakeTable;
            this.compute = compute;
            this.partitionColumn = partitionColumn;
            this.perDate = perDate;
        }

        public LakeTable lakeTable() {
            return lakeTable;
        }
    }

    private static final Logger LOG = Logger.getLogger(GoldPipeline.class);

    private final SparkSession spark;
    private final String lake;
    private final String checkpoints;
    private final Consumer<RunSummary.Figures> onRun;

    /** @param onRun receives what Spark did for each refresh or update (for metrics) */
    public GoldPipeline(SparkSession spark, String lake, String checkpoints, Consumer<RunSummary.Figures> onRun) {
        this.spark = spark;
        this.lake = lake;
        this.checkpoints = checkpoints;
        this.onRun = onRun;
    }

    public String location(Table table) {
        return table.lakeTable.location(lake);
    }

    public Dataset<Row> silver() {
        return spark.read().format("delta").load(LakeTable.SILVER_EVENTS.location(lake));
    }

    /** Each gold table as a query over the current silver, unwritten: for {@code --explain}. */
    public Map<Table, Dataset<Row>> queries() {
        Sources current = Sources.of(silver());
        Map<Table, Dataset<Row>> queries = new EnumMap<>(Table.class);
        for (Table table : Table.values()) {
            queries.put(table, table.compute.apply(current));
        }
        return queries;
    }

    /** Recomputes every gold table from all of silver and overwrites it. */
    public RunSummary.Figures refresh() {
        return run("refresh", all -> {
            for (Table table : Table.values()) {
                write(table, table.compute.apply(all), null, null);
            }
        });
    }

    /**
     * Brings gold up to date after silver gained {@code batch} (the new rows); {@code appId}/{@code version}
     * identify the batch, so that a replay changes nothing.
     */
    public void update(Dataset<Row> batch, String appId, long version) {
        List<LocalDate> dates = batch.select(SilverColumns.EVENT_DATE).distinct().collectAsList().stream()
                .map(row -> row.getDate(0).toLocalDate()).sorted().toList();
        if (dates.isEmpty()) {
            return;
        }
        Txn txn = new Txn(appId, version);
        run("batch " + version + " (event dates " + dates + ")", all -> {
            Sources touched = Sources.of(all.silver().where(col(SilverColumns.EVENT_DATE).isin(
                    dates.stream().map(LocalDate::toString).toArray())));
            for (Table table : Table.values()) {
                if (table.perDate) {
                    write(table, table.compute.apply(touched), dates, txn);
                } else {
                    write(table, table.compute.apply(all), null, txn);
                }
            }
        });
    }

    /** Runs {@code work} over the current silver (read once, cached with its sessions) and reports what Spark did. */
    private RunSummary.Figures run(String what, Consumer<Sources> work) {
        Dataset<Row> silver = silver().cache();
        Dataset<Row> sessions = GoldTransforms.sessions(silver).cache();
        try (RunSummary summary = RunSummary.open(spark)) {
            work.accept(new Sources(silver, sessions));
            RunSummary.Figures figures = summary.figures();
            LOG.infof("gold %s: %s", what, figures);
            onRun.accept(figures);
            return figures;
        } finally {
            sessions.unpersist();
            silver.unpersist();
        }
    }

    /** Follows silver as a stream; each micro-batch runs {@link #update}. */
    public StreamingQuery start(Trigger trigger, String maxBytesPerTrigger) throws java.util.concurrent.TimeoutException {
        return spark.readStream().format("delta").option("maxBytesPerTrigger", maxBytesPerTrigger)
                .load(LakeTable.SILVER_EVENTS.location(lake))
                .writeStream().queryName(QUERY)
                .option("checkpointLocation", new Path(checkpoints, QUERY).toString())
                .trigger(trigger)
                // the query id lives in the checkpoint: a new checkpoint starts new transactions from batch 0
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) -> update(batch,
                        batch.sparkSession().sparkContext().getLocalProperty(QUERY_ID_PROPERTY), batchId))
                .start();
    }

    private record Txn(String appId, long version) {
    }

    /** Overwrites the table, or only the given dates' partitions; idempotently when a transaction is given. */
    private void write(Table table, Dataset<Row> rows, List<LocalDate> onlyDates, Txn txn) {
        DataFrameWriter<Row> writer = rows.write().format("delta").mode("overwrite")
                .option("overwriteSchema", onlyDates == null ? "true" : "false")
                .partitionBy(table.partitionColumn);
        if (onlyDates != null) {
            writer = writer.option("replaceWhere", table.partitionColumn + " IN (" + onlyDates.stream()
                    .map(date -> "DATE'" + date + "'").collect(Collectors.joining(", ")) + ")");
        }
        if (txn != null) {
            writer = writer.option("txnAppId", txn.appId() + "-" + table.lakeTable.qualifiedName())
                    .option("txnVersion", txn.version());
        }
        writer.save(location(table));
    }
}
