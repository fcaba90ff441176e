package io.clickcartel.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;

import io.clickcartel.core.BronzeColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.SilverColumns;
import io.clickcartel.spark.LakeTables;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The wiring of the silver layer: sources, sinks, checkpoints, triggers. Two streaming queries read bronze, each
 * with its own checkpoint: {@value #EVENTS_QUERY} (valid → de-duplicated → enriched) and
 * {@value #QUARANTINE_QUERY}; and one batch job, the backfill.
 */
public final class SilverPipeline {

    /** The layer's name for its lease: the service and the backfill never write silver at once. */
    public static final String LAYER = "silver";

    public static final String EVENTS_QUERY = "silver-events";
    public static final String QUARANTINE_QUERY = "silver-quarantine";
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

    public StreamingQuery startEvents(Trigger trigger) throws TimeoutException {
        LakeTables.createSilverEventsIfMissing(spark, lake); // with its change data feed, which gold reads
        Dataset<Row> events = SilverTransforms.enrich(
                SilverTransforms.deduplicate(
                        SilverTransforms.valid(SilverTransforms.check(bronzeStream(), maxFuture)), watermarkDelay),
                customers(),
                products());
        // the Delta sink reports no row count: count what is written (rows out) as an observation
        return events.observe(
                        WRITTEN_OBSERVATION,
                        org.apache.spark.sql.functions.count("*").as("rows"))
                .writeStream()
                .format("delta")
                .outputMode("append")
                .queryName(EVENTS_QUERY)
                .partitionBy(SilverColumns.EVENT_DATE)
                .option("checkpointLocation", new Path(checkpoints, EVENTS_QUERY).toString())
                .trigger(trigger)
                .start(eventsTable());
    }

    public StreamingQuery startQuarantine(Trigger trigger) throws TimeoutException {
        Dataset<Row> quarantined =
                SilverTransforms.quarantine(SilverTransforms.check(bronzeStream(), maxFuture), current_timestamp());
        return quarantined
                .observe(
                        QUARANTINE_OBSERVATION,
                        org.apache.spark.sql.functions.count("*").as("total"),
                        SilverTransforms.countsByRule())
                .writeStream()
                .format("delta")
                .outputMode("append")
                .queryName(QUARANTINE_QUERY)
                .option("checkpointLocation", new Path(checkpoints, QUARANTINE_QUERY).toString())
                .trigger(trigger)
                .start(quarantineTable());
    }

    /**
     * Re-derives silver for event dates in [from, to] from bronze, in batch, with exact de-duplication and no
     * watermark: late events come back. Reads bronze as far as the events stream has written it into silver
     * ({@link WrittenBronze}), never further, so the stream later appends none of the rows written here. Replaces
     * exactly those dates' partitions in one Delta commit. The caller holds the silver lease: the stream is stopped.
     */
    public long backfill(LocalDate from, LocalDate to) throws WrittenBronze.NotAtAVersionException {
        String bronzeTable = LakeTable.BRONZE_EVENTS.location(lake);
        long bronzeVersion = WrittenBronze.lastVersion(
                spark, new Path(checkpoints, EVENTS_QUERY).toString(), eventsTable(), bronzeTable);
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
