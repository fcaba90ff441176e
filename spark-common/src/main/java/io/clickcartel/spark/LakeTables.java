package io.clickcartel.spark;

import io.clickcartel.core.BronzeColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.SilverColumns;
import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.types.StructType;
import org.jboss.logging.Logger;
import scala.Option;
import scala.collection.JavaConverters;

/** Creating the tables several processes share, whichever starts first. */
public final class LakeTables {

    /** How long a process waits for another's creation of the same table to commit. */
    static final Duration CREATE_WAIT = Duration.ofSeconds(90);

    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    /** How often a reader on object storage looks for a table its writing layer has not created yet. */
    private static final Duration TABLE_POLL = Duration.ofSeconds(2);

    private static final Logger LOG = Logger.getLogger(LakeTables.class);
    /** Delta's table property that records every change of a table for readers of its change data feed. */
    public static final String CHANGE_DATA_FEED = "delta.enableChangeDataFeed";

    private LakeTables() {}

    /**
     * Creates {@code bronze.events} unless it exists: the bronze writer appends to it from two queries and silver
     * streams from it, so neither may depend on the other having started first.
     */
    public static String createBronzeIfMissing(SparkSession spark, String lake) {
        return createIfMissing(
                spark,
                LakeTable.BRONZE_EVENTS.location(lake),
                TableSchemas.BRONZE_EVENTS,
                BronzeColumns.INGEST_DATE,
                Map.of());
    }

    /**
     * Creates {@code silver.events} unless it exists: silver writes it, gold streams from it. With its change data
     * feed on (also switched on for a table created before), so that gold follows silver's rewrites — a backfill's
     * replaced dates, a deletion — and not only its appends.
     */
    public static String createSilverEventsIfMissing(SparkSession spark, String lake) {
        return createIfMissing(
                spark,
                LakeTable.SILVER_EVENTS.location(lake),
                TableSchemas.SILVER_EVENTS,
                SilverColumns.EVENT_DATE,
                Map.of(CHANGE_DATA_FEED, "true"));
    }

    /**
     * {@code bronze.events} for silver, which streams from it: created here as by the bronze writer where the store
     * makes two processes' creation of one table safe; on object storage, waited for ({@link #forReading}).
     */
    public static String bronzeForReading(SparkSession spark, String lake) {
        return forReading(spark, LakeTable.BRONZE_EVENTS.location(lake), () -> createBronzeIfMissing(spark, lake));
    }

    /** {@code silver.events} for gold, which streams from its change data feed; as {@link #bronzeForReading}. */
    public static String silverEventsForReading(SparkSession spark, String lake) {
        return forReading(
                spark, LakeTable.SILVER_EVENTS.location(lake), () -> createSilverEventsIfMissing(spark, lake));
    }

    /**
     * A table another layer writes, for a stream to read. On a file system whose rename is atomic, a creation by both
     * processes at once is safe (one commit wins, {@link #createIfMissing}), so the reader creates the table and
     * need not wait for its writer. On S3 it is not: Delta's S3 log store (S3SingleDriverLogStore) cannot stop two
     * processes from both writing version 0, and the table is left unreadable. There only the writer creates a
     * table; the reader waits until it exists, with no deadline (it has nothing to do before), saying so once a
     * minute.
     */
    static String forReading(SparkSession spark, String table, java.util.function.Supplier<String> create) {
        if (!createsRaceOnTheStore(table)) {
            return create.get();
        }
        awaitCommitted(spark, table);
        return table;
    }

    /**
     * Waits until another process has committed the table's first version. Read from the store each time, not with
     * {@code DeltaTable.isDeltaTable}: that answers from the log state Delta keeps per path, and a process that first
     * asked while the writer's creation was in flight (its log folder there, no commit yet) kept "no table" and waited
     * forever.
     */
    static void awaitCommitted(SparkSession spark, String table) {
        long started = System.nanoTime();
        long reported = 0;
        while (Double.isNaN(DeltaVersions.latest(spark, table))) {
            // at once, then once a minute: a reader that waits long points the operator at the writing layer
            long waitedMinutes = Duration.ofNanos(System.nanoTime() - started).toMinutes();
            if (reported == 0 || waitedMinutes >= reported) {
                LOG.infof(
                        "waiting for %s (%d min so far): on object storage only the layer that writes it creates"
                                + " it; is that layer running?",
                        table, waitedMinutes);
                reported = waitedMinutes + 1;
            }
            try {
                Thread.sleep(TABLE_POLL.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + table, interrupted);
            }
        }
    }

    /** Whether two processes creating {@code table} at once could both commit its first version: S3's schemes. */
    static boolean createsRaceOnTheStore(String table) {
        String scheme = new org.apache.hadoop.fs.Path(table).toUri().getScheme();
        return scheme != null && scheme.startsWith("s3");
    }

    /**
     * Creates a data-quality log ({@link BatchLog}) unless it exists, so that a stream can read it before the
     * layer's first batch wrote an entry.
     */
    public static String createBatchLogIfMissing(SparkSession spark, String lake, LakeTable log) {
        return createIfMissing(spark, log.location(lake), TableSchemas.BATCHES, null, Map.of());
    }

    /**
     * A concurrent creation by another process is not an error. While the other's first commit is pending, its
     * {@code _delta_log} folder exists without a commit, and Delta answers that the table does not exist; the loser
     * of the commit race fails its commit. Either way this process tries again, for up to {@link #CREATE_WAIT}, and
     * finds the other's table.
     */
    static String createIfMissing(
            SparkSession spark, String table, StructType schema, String partitionedBy, Map<String, String> properties) {
        long deadline = System.nanoTime() + CREATE_WAIT.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                DeltaTableBuilder builder =
                        DeltaTable.createIfNotExists(spark).location(table).addColumns(schema);
                if (partitionedBy != null) {
                    builder = builder.partitionedBy(partitionedBy);
                }
                properties.forEach(builder::property);
                builder.execute();
                setMissingProperties(spark, table, properties);
                return table;
            } catch (Exception e) { // Delta's AnalysisException is checked, thrown undeclared from Scala
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            table + " could not be created, nor did another process create" + " it, within "
                                    + CREATE_WAIT.toSeconds() + " s",
                            e);
                }
                if (attempt == 1) {
                    LOG.infof("%s is being created by another process, it seems; waiting for it", table);
                }
                try {
                    Thread.sleep(RETRY_PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + table, e);
                }
            }
        }
    }

    /**
     * The table at {@code path} as its log stands now, other processes' commits included (the snapshot Delta keeps
     * in memory can be behind them); version -1 while it has no commit.
     */
    public static Snapshot latestSnapshot(SparkSession spark, String path) {
        return DeltaLog.forTable(spark, path).update(false, Option.empty(), Option.empty());
    }

    /** A table created by an earlier version of Clickcartel gets the properties it lacks, in one commit. */
    private static void setMissingProperties(SparkSession spark, String table, Map<String, String> properties) {
        if (properties.isEmpty()) {
            return;
        }
        // from the snapshot's metadata, which Delta has at hand: DeltaTable.detail() runs a Spark job
        Map<String, String> current = JavaConverters.mapAsJavaMap(
                latestSnapshot(spark, table).metadata().configuration());
        String missing = properties.entrySet().stream()
                .filter(property -> !property.getValue().equals(current.get(property.getKey())))
                .map(property -> "'" + property.getKey() + "' = '" + property.getValue() + "'")
                .collect(Collectors.joining(", "));
        if (!missing.isEmpty()) {
            spark.sql("ALTER TABLE delta.`" + table + "` SET TBLPROPERTIES (" + missing + ")");
            LOG.infof("%s: set %s", table, missing);
        }
    }
}
