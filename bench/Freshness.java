// The reader of bench/freshness.sh: for every event of a run that reached silver, how long after ingest received it
// it became visible in bronze.events, in silver.events and in each gold table; prints p50, p99 and max per table.
// "Visible" is the moment the Delta commit that holds it was written (its _delta_log file's modification time):
// - bronze and silver: the commit that added the data file the row is in;
// - a gold table: the commit of that table by the first gold batch whose read of silver's change data feed took in
//   all of the event's silver version (gold's checkpoint offsets say how far each batch read, ops.gold_batches which
//   table version each batch wrote). A gold batch recomputes its dates from silver as it stands, so an event may
//   show in gold a batch earlier than that: the gold figures are upper bounds.
// Received is ingest's received_at inside the Kafka record bronze stored (set when the POST arrived); silver rows
// from landing files have none and are left out (counted on stderr), as are rows whose received_at does not parse.
// Run by the script once the stack has caught up: java -cp "<gold's jars>" bench/Freshness.java LAKE CHECKPOINTS
// Output lines: "freshness TABLE EVENTS P50_S P99_S MAX_S" (n/a for a table no event reached).
import static org.apache.spark.sql.functions.*;

import io.clickcartel.core.BatchColumns;
import io.clickcartel.core.BronzeColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.contract.EventField;
import io.clickcartel.spark.SparkSessions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

public class Freshness {
    public static void main(String[] args) throws Exception {
        String lake = args[0];
        Path goldOffsets = new Path(args[1], "gold/offsets");
        SparkSession spark = SparkSessions.create("local[2]", "freshness", Map.of("spark.ui.enabled", "false"));
        FileSystem fs = goldOffsets.getFileSystem(spark.sparkContext().hadoopConfiguration());

        Dataset<Row> bronze = withCommit(spark, fs, LakeTable.BRONZE_EVENTS.location(lake), "bronze")
                .select(col(BronzeColumns.TOPIC), col(BronzeColumns.PARTITION), col(BronzeColumns.OFFSET),
                        col("bronze_ms"),
                        millis(get_json_object(col(BronzeColumns.VALUE), "$." + EventField.RECEIVED_AT)
                                .cast("timestamp")).as("received_ms"));
        Dataset<Row> silver = withCommit(spark, fs, LakeTable.SILVER_EVENTS.location(lake), "silver")
                .where(col(BronzeColumns.SOURCE).equalTo(BronzeColumns.SOURCE_KAFKA))
                .select(BronzeColumns.TOPIC, BronzeColumns.PARTITION, BronzeColumns.OFFSET, "silver_ms",
                        "silver_version");
        List<String> kafkaRecord = List.of(BronzeColumns.TOPIC, BronzeColumns.PARTITION, BronzeColumns.OFFSET);
        List<Row> events = silver.join(bronze, scala.collection.JavaConverters.asScalaBuffer(kafkaRecord).toSeq())
                .where(col("received_ms").isNotNull())
                .select("received_ms", "bronze_ms", "silver_ms", "silver_version")
                .collectAsList();
        long inSilver = spark.read().format("delta").load(LakeTable.SILVER_EVENTS.location(lake)).count();
        System.err.printf("freshness of %d of the %d silver rows (the others came from landing files or have no"
                + " readable received_at)%n", events.size(), inSilver);

        int n = events.size();
        Map<String, long[]> delays = new TreeMap<>();
        long[] toBronze = new long[n], toSilver = new long[n];
        for (int i = 0; i < n; i++) {
            Row event = events.get(i);
            toBronze[i] = event.getLong(1) - event.getLong(0);
            toSilver[i] = event.getLong(2) - event.getLong(0);
        }
        delays.put("1 " + LakeTable.BRONZE_EVENTS.qualifiedName(), toBronze);
        delays.put("2 " + LakeTable.SILVER_EVENTS.qualifiedName(), toSilver);

        // gold: each batch, how far it read silver, and the version of each table it wrote
        TreeMap<Long, Map<String, Long>> versionsByBatch = new TreeMap<>();
        for (Row entry : spark.read().format("delta").load(LakeTable.OPS_GOLD_BATCHES.location(lake))
                .select(BatchColumns.BATCH_ID, BatchColumns.TABLE_VERSIONS).collectAsList()) {
            versionsByBatch.put(entry.getLong(0), entry.getJavaMap(1));
        }
        TreeMap<Long, Long> batchByLastSilverVersion = new TreeMap<>(); // silver version read through -> first batch
        for (long batch : versionsByBatch.descendingKeySet()) {
            batchByLastSilverVersion.put(lastSilverVersionRead(fs, new Path(goldOffsets, Long.toString(batch))), batch);
        }
        Map<String, Map<Long, Long>> commitTimes = new HashMap<>();
        for (Map<String, Long> written : versionsByBatch.values()) {
            for (String table : written.keySet()) {
                if (table.startsWith("gold.")) {
                    commitTimes.computeIfAbsent(table, t -> commitTimes(fs, tableLocation(lake, t)));
                }
            }
        }
        for (String table : commitTimes.keySet()) {
            long[] toGold = new long[n];
            int seen = 0;
            for (Row event : events) {
                Map.Entry<Long, Long> batch = batchByLastSilverVersion.ceilingEntry(event.getLong(3));
                Long version = batch == null ? null : versionsByBatch.get(batch.getValue()).get(table);
                Long committed = version == null ? null : commitTimes.get(table).get(version);
                if (committed != null) {
                    toGold[seen++] = committed - event.getLong(0);
                }
            }
            delays.put("3 " + table, Arrays.copyOf(toGold, seen));
        }
        for (Map.Entry<String, long[]> table : delays.entrySet()) {
            long[] ms = table.getValue();
            Arrays.sort(ms);
            System.out.println(ms.length == 0
                    ? "freshness " + table.getKey().substring(2) + " 0 n/a n/a n/a"
                    : String.format("freshness %s %d %.1f %.1f %.1f", table.getKey().substring(2), ms.length,
                            percentile(ms, 0.50), percentile(ms, 0.99), ms[ms.length - 1] / 1000.0));
        }
        spark.stop();
    }

    /** The table's rows with the version and time of the commit that added the file each is in. */
    private static Dataset<Row> withCommit(SparkSession spark, FileSystem fs, String table, String prefix) {
        List<Row> commits = new ArrayList<>();
        commitTimes(fs, table).forEach((version, ms) -> commits.add(
                org.apache.spark.sql.RowFactory.create(version, ms)));
        Dataset<Row> times = spark.createDataFrame(commits, new org.apache.spark.sql.types.StructType()
                .add(prefix + "_version", "long").add(prefix + "_ms", "long"));
        Dataset<Row> files = spark.read().json(table + "/_delta_log/*.json")
                .where(col("add").isNotNull())
                .select(element_at(split(col("add.path"), "/"), -1).as("file_name"),
                        regexp_extract(input_file_name(), "(\\d+)\\.json$", 1).cast("long").as(prefix + "_version"))
                .join(times, prefix + "_version");
        return spark.read().format("delta").load(table)
                .withColumn("file_name", col("_metadata.file_name"))
                .join(broadcast(files), "file_name");
    }

    /** Each version of a table, and when its commit file was written. */
    private static Map<Long, Long> commitTimes(FileSystem fs, String table) {
        Map<Long, Long> times = new HashMap<>();
        try {
            for (FileStatus commit : fs.listStatus(new Path(table, "_delta_log"))) {
                String name = commit.getPath().getName();
                if (name.matches("\\d{20}\\.json")) {
                    times.put(Long.parseLong(name.substring(0, 20)), commit.getModificationTime());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return times;
    }

    /**
     * The last silver version a gold batch read in full, from its offsets file (its last line is the Delta source's
     * end offset): a batch that finished version V ends at (V + 1, index -1); one that stopped inside version V ends
     * at (V, its last index), so V - 1 either way; one still inside its starting snapshot has read no version in
     * full.
     */
    private static long lastSilverVersionRead(FileSystem fs, Path offsets) throws Exception {
        String[] lines;
        try (var in = fs.open(offsets)) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
        }
        String offset = lines[lines.length - 1];
        long version = Long.parseLong(offset.replaceAll(".*\"reservoirVersion\":(\\d+).*", "$1"));
        return offset.contains("\"isStartingVersion\":true") ? -1 : version - 1;
    }

    private static String tableLocation(String lake, String qualifiedName) {
        for (LakeTable table : LakeTable.values()) {
            if (table.qualifiedName().equals(qualifiedName)) {
                return table.location(lake);
            }
        }
        throw new IllegalArgumentException("no table " + qualifiedName);
    }

    private static Column millis(Column timestamp) {
        return unix_micros(timestamp).divide(1000).cast("long");
    }

    /** The nearest-rank percentile, in seconds, of a non-empty sorted array of milliseconds. */
    private static double percentile(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
    }
}
