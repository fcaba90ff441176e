package io.clickcartel.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;

import io.clickcartel.core.BronzeColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.SilverColumns;
import io.clickcartel.spark.BatchLog;
import io.clickcartel.spark.BatchWrites;
import io.clickcartel.spark.LakeTables;
import io.clickcartel.spark.RunningBatch;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.storage.StorageLevel;

/**
 * The wiring of the silver layer: sources, sinks, checkpoints, triggers. One streaming query,
 * {@value #QUERY}, reads bronze and checks each row once; each micro-batch writes its quarantined rows to
 * silver.quarantine and its valid, de-duplicated rows, enriched, to silver.events, and its books to
 * ops.silver_batches, each write at most once per batch ({@link BatchWrites}); and one batch job, the backfill.
 */
public final class SilverPipeline {

    /** The layer's name for its lease: the service and the backfill never write silver at once. */
    public static final String LAYER = "silver";

    public static final String QUERY = "silver-events";
    static final String QUARANTINE_OBSERVATION = "quarantined";
    static final String WRITTEN_OBSERVATION = "written";

    private final SparkSession spark;
    private final String lake;
    private final String checkpoints;
    private final String customers;
    private final String products;
    private final Duration watermarkDelay;
    private final Duration maxFuture;
    private final String maxBytesPerTrigger;

    public SilverPipeline(
            SparkSession spark,
            String lake,
            String checkpoints,
            String customers,
            String products,
            Duration watermarkDelay,
            Duration maxFuture,
            String maxBytesPerTrigger) {
        this.spark = spark;
        this.lake = lake;
        this.checkpoints = checkpoints;
        this.customers = customers;
        this.products = products;
        this.watermarkDelay = watermarkDelay;
        this.maxFuture = maxFuture;
        this.maxBytesPerTrigger = maxBytesPerTrigger;
    }

    public String eventsTable() {
        return LakeTable.SILVER_EVENTS.location(lake);
    }

    public String quarantineTable() {
        return LakeTable.SILVER_QUARANTINE.location(lake);
    }

    public StreamingQuery start(Trigger trigger) throws TimeoutException {
        LakeTables.createSilverEventsIfMissing(spark, lake); // with its change data feed, which gold reads
        // a batch is kept only while its writes read it: compressing it cost about a tenth of the batch's CPU (the
        // encoders' statistics over every value) to save memory for seconds; the stream's session copies this one
        spark.conf().set("spark.sql.inMemoryColumnarStorage.compressed", "false");
        Dataset<Row> customers = customers();
        Dataset<Row> products = products();
        // the sinks report no row counts: count what the batch writes where as observations
        return SilverTransforms.deduplicate(SilverTransforms.check(bronzeStream(), maxFuture), watermarkDelay)
                .observe(WRITTEN_OBSERVATION, SilverTransforms.validCount())
                .observe(
                        QUARANTINE_OBSERVATION,
                        SilverTransforms.quarantinedCount(),
                        SilverTransforms.quarantinedByRule())
                .writeStream()
                .queryName(QUERY)
                .option("checkpointLocation", checkpoint())
                .trigger(trigger)
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>)
                        (batch, batchId) -> write(batch, batchId, customers, products))
                .start();
    }

    /**
     * One micro-batch into both tables, then its entry in the data-quality log. The batch is computed once, then
     * kept: every write reads it, and computing it again would run the de-duplication (and count the observations)
     * twice. Its first action, the count per rule, computes all of it, so the de-duplication's figures are final
     * before anything is written. Quarantine goes first: a replay after a crash between the two writes skips it and
     * writes the events, which the backfill reads as the stream's progress ({@link WrittenBronze}); the log entry
     * goes last, so an entry means both writes are in.
     */
    private void write(Dataset<Row> batch, long batchId, Dataset<Row> customers, Dataset<Row> products) {
        Instant startedAt = Instant.now();
        String queryId = BatchWrites.queryId(batch.sparkSession());
        batch.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long valid = 0;
            Map<String, Long> quarantinedByRule = new TreeMap<>();
            for (Row rule : SilverTransforms.countByRule(batch).collectAsList()) {
                if (rule.isNullAt(0)) {
                    valid = rule.getLong(1);
                } else {
                    quarantinedByRule.put(rule.getString(0), rule.getLong(1));
                }
            }
            RunningBatch running = RunningBatch.current(spark);
            BatchWrites.once(
                    SilverTransforms.quarantine(batch, current_timestamp()),
                    BatchWrites.Write.append(),
                    quarantineTable(),
                    BatchWrites.appId(queryId, LakeTable.SILVER_QUARANTINE),
                    batchId);
            BatchWrites.once(
                    SilverTransforms.enrich(SilverTransforms.valid(batch), customers, products),
                    BatchWrites.Write.append().partitionBy(SilverColumns.EVENT_DATE),
                    eventsTable(),
                    BatchWrites.appId(queryId, LakeTable.SILVER_EVENTS),
                    batchId);
            BatchLog.append(
                    spark,
                    lake,
                    LakeTable.OPS_SILVER_BATCHES,
                    new BatchLog.Entry(
                            QUERY,
                            queryId,
                            batchId,
                            running.inputRows(),
                            valid,
                            quarantinedByRule,
                            running.droppedDuplicates(),
                            running.droppedLate(),
                            running.watermark().orElse(null),
                            startedAt,
                            Duration.between(startedAt, Instant.now()).toMillis(),
                            BatchLog.versions(
                                    spark, lake, List.of(LakeTable.SILVER_QUARANTINE, LakeTable.SILVER_EVENTS))));
        } finally {
            batch.unpersist();
        }
    }

    private String checkpoint() {
        return new Path(checkpoints, QUERY).toString();
    }

    /**
     * Re-derives silver for event dates in [from, to] from bronze, in batch, with exact de-duplication and no
     * watermark: late events come back. Reads bronze as far as the events stream has written it into silver
     * ({@link WrittenBronze}), never further, so the stream later appends none of the rows written here. Replaces
     * exactly those dates' partitions in one Delta commit. The caller holds the silver lease: the stream is stopped.
     */
    public long backfill(LocalDate from, LocalDate to) throws WrittenBronze.NotAtAVersionException {
        String bronzeTable = LakeTable.BRONZE_EVENTS.location(lake);
        long bronzeVersion = WrittenBronze.lastVersion(spark, checkpoint(), eventsTable(), bronzeTable);
        Dataset<Row> bronze = spark.read()
                .format("delta")
                .option("versionAsOf", bronzeVersion)
                .load(bronzeTable);
        Dataset<Row> range = SilverTransforms.valid(SilverTransforms.check(bronze, maxFuture))
                .where(col(SilverColumns.EVENT_DATE).between(from.toString(), to.toString()));
        Dataset<Row> events = SilverTransforms.enrich(
                        SilverTransforms.deduplicateExactly(range), customers(), products())
                .cache();
        long rows = events.count();
        events.write()
                .format("delta")
                .mode("overwrite")
                .option(
                        "replaceWhere",
                        SilverColumns.EVENT_DATE + " >= '" + from + "' AND " + SilverColumns.EVENT_DATE + " <= '" + to
                                + "'")
                .partitionBy(SilverColumns.EVENT_DATE)
                .save(eventsTable());
        events.unpersist();
        return rows;
    }

    private Dataset<Row> bronzeStream() {
        return spark.readStream()
                .format("delta")
                .option("maxBytesPerTrigger", maxBytesPerTrigger)
                .load(LakeTable.BRONZE_EVENTS.location(lake))
                .select(
                        col(BronzeColumns.VALUE),
                        col(BronzeColumns.SOURCE),
                        col(BronzeColumns.TOPIC),
                        col(BronzeColumns.PARTITION),
                        col(BronzeColumns.OFFSET),
                        col(BronzeColumns.SOURCE_FILE_NAME),
                        col(BronzeColumns.INGESTED_AT));
    }

    /**
     * The dimension files are listed when a query starts: a changed file is picked up by restarting the service
     * (rows already in silver keep the attributes they were enriched with; a backfill re-enriches a date range).
     */
    private Dataset<Row> customers() {
        return spark.read()
                .option("header", "true")
                .schema(SilverTransforms.CUSTOMERS_SCHEMA)
                .csv(customers);
    }

    private Dataset<Row> products() {
        return spark.read().parquet(products);
    }
}
