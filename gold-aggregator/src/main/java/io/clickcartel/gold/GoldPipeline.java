package io.clickcartel.gold;

import static org.apache.spark.sql.functions.col;

import io.clickcartel.core.GoldColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.SilverColumns;
import java.time.LocalDate;
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

    /** A gold table: its lake location, what computes it from silver, and its partition column. */
    public enum Table {
        PRODUCT_DAILY(LakeTable.GOLD_PRODUCT_DAILY, GoldTransforms::productDaily, SilverColumns.EVENT_DATE, true),
        FUNNEL_DAILY(LakeTable.GOLD_FUNNEL_DAILY, GoldTransforms::funnelDaily, SilverColumns.EVENT_DATE, true),
        JOURNEY_DAILY(LakeTable.GOLD_JOURNEY_DAILY,
                silver -> GoldTransforms.journeyDaily(GoldTransforms.sessions(silver)), SilverColumns.EVENT_DATE,
                false),
        PURCHASE_PATHS(LakeTable.GOLD_PURCHASE_PATHS,
                silver -> GoldTransforms.purchasePaths(GoldTransforms.sessions(silver)), SilverColumns.EVENT_DATE,
                false),
        CUSTOMER_VALUE(LakeTable.GOLD_CUSTOMER_VALUE, GoldTransforms::customerValue, GoldColumns.LOCATION, false);

        final LakeTable lakeTable;
        final Function<Dataset<Row>, Dataset<Row>> fromSilver;
        final String partitionColumn;
        /** true: a date's rows depend on that date's silver rows only. */
        final boolean perDate;

        Table(LakeTable lakeTable, Function<Dataset<Row>, Dataset<Row>> fromSilver, String partitionColumn,
              boolean perDate) {
            this.lakeTable = lakeTable;
            this.fromSilver = fromSilver;
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

    /** Each gold table as a query over the current silver, unwritten: for {@code --explain} and tests. */
    public Map<Table, Dataset<Row>> queries() {
        Dataset<Row> silver = silver();
        return java.util.Arrays.stream(Table.values())
                .collect(Collectors.toMap(Function.identity(), table -> table.fromSilver.apply(silver),
                        (a, b) -> a, () -> new java.util.EnumMap<>(Table.class)));
    }

    /** Recomputes every gold table from all of silver and overwrites it. */
    public RunSummary.Figures refresh() {
        Dataset<Row> silver = silver().cache();
        try (RunSummary summary = RunSummary.open(spark)) {
            for (Table table : Table.values()) {
                write(table, table.fromSilver.apply(silver), null, null);
            }
            RunSummary.Figures figures = summary.figures();
            LOG.infof("gold refresh from %d silver rows: %s", silver.count(), figures);
            onRun.accept(figures);
            return figures;
        } finally {
            silver.unpersist();
        }
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
        Dataset<Row> silver = silver().cache();
        try (RunSummary summary = RunSummary.open(spark)) {
            Dataset<Row> touched = silver.where(col(SilverColumns.EVENT_DATE).isin(
                    dates.stream().map(LocalDate::toString).toArray()));
            for (Table table : Table.values()) {
                if (table.perDate) {
                    write(table, table.fromSilver.apply(touched), dates, new Txn(appId, version));
                } else {
                    write(table, table.fromSilver.apply(silver), null, new Txn(appId, version));
                }
            }
            RunSummary.Figures figures = summary.figures();
            LOG.infof("gold batch %d: event dates %s updated; %s", version, dates, figures);
            onRun.accept(figures);
        } finally {
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
