package io.clickcartel.spark;

import io.clickcartel.core.BronzeColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.SilverColumns;
import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.jboss.logging.Logger;

/** Creating the tables several processes share, whichever starts first. */
public final class LakeTables {

    /** How long a process waits for another's creation of the same table to commit. */
    static final Duration CREATE_WAIT = Duration.ofSeconds(90);

    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
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

    /** A table created by an earlier version of Clickcartel gets the properties it lacks, in one commit. */
    private static void setMissingProperties(SparkSession spark, String table, Map<String, String> properties) {
        Row detail = DeltaTable.forPath(spark, table).detail().first();
        Map<String, String> current = detail.getJavaMap(detail.fieldIndex("properties"));
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
