// The sampler of bench/lake-growth.sh: every INTERVAL_S seconds, for every table of the lake, the files its current
// version reads (live), the most in one partition, the data files stored (live + replaced ones VACUUM has not yet
// deleted) and the size of its _delta_log; and the batches each layer logged since the last sample, from their
// data-quality logs: how many, their median and slowest duration, their input rows.
// Run by the script: java -cp "<gold's jars>" bench/LakeGrowth.java LAKE INTERVAL_S OUT_TSV ; stops when killed.
// Lines of OUT_TSV: "table MINUTE TABLE LIVE_FILES MAX_PER_PARTITION STORED_FILES LOG_FILES LOG_BYTES" and
// "batches MINUTE QUERY COUNT P50_MS MAX_MS INPUT_ROWS".
import static org.apache.spark.sql.functions.*;

import io.clickcartel.core.BatchColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.spark.SparkSessions;
import java.io.FileWriter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;

public class LakeGrowth {
    public static void main(String[] args) throws Exception {
        String lake = args[0];
        long intervalMs = Long.parseLong(args[1]) * 1000;
        SparkSession spark = SparkSessions.create("local[1]", "lake-growth", Map.of("spark.ui.enabled", "false"));
        FileSystem fs = new Path(lake).getFileSystem(spark.sparkContext().hadoopConfiguration());
        long started = System.currentTimeMillis();
        Map<LakeTable, Set<String>> seen = new HashMap<>();
        try (PrintWriter out = new PrintWriter(new FileWriter(args[2], true), true)) {
            for (long next = started + intervalMs; ; next += intervalMs) {
                Thread.sleep(Math.max(0, next - System.currentTimeMillis()));
                double minute = (System.currentTimeMillis() - started) / 60_000.0;
                DeltaLog.clearCache(); // each table's newest version, read from its log
                for (LakeTable table : LakeTable.values()) {
                    Path root = new Path(table.location(lake));
                    if (!fs.exists(new Path(root, "_delta_log"))) {
                        continue;
                    }
                    try {
                        Snapshot snapshot = DeltaLog.forTable(spark, root).unsafeVolatileSnapshot();
                        Row perPartition = snapshot.allFiles().groupBy(to_json(col("partitionValues"))).count()
                                .agg(max("count")).first();
                        long[] log = sizes(fs, new Path(root, "_delta_log"));
                        out.printf("table\t%.1f\t%s\t%d\t%d\t%d\t%d\t%d%n", minute, table.qualifiedName(),
                                snapshot.numOfFiles(), perPartition.isNullAt(0) ? 0 : perPartition.getLong(0),
                                parquetFiles(fs, root), log[0], log[1]);
                    } catch (Exception e) { // a file replaced while listed: the next sample reads it
                        System.err.println("sample of " + table.qualifiedName() + " failed: " + e);
                    }
                }
                for (LakeTable ops : new LakeTable[] {
                        LakeTable.OPS_BRONZE_BATCHES, LakeTable.OPS_SILVER_BATCHES, LakeTable.OPS_GOLD_BATCHES}) {
                    if (!fs.exists(new Path(ops.location(lake), "_delta_log"))) {
                        continue;
                    }
                    // the entries written since the last sample: a batch longer than the interval is still counted
                    List<Long> durations = new ArrayList<>();
                    long rows = 0;
                    Set<String> known = seen.computeIfAbsent(ops, any -> new HashSet<>());
                    for (Row entry : spark.read().format("delta").load(ops.location(lake))
                            .select(BatchColumns.QUERY_ID, BatchColumns.BATCH_ID, BatchColumns.DURATION_MS,
                                    BatchColumns.INPUT_ROWS)
                            .collectAsList()) {
                        if (known.add(entry.getString(0) + "/" + entry.getLong(1))) {
                            durations.add(entry.getLong(2));
                            rows += entry.getLong(3);
                        }
                    }
                    Collections.sort(durations);
                    out.printf("batches\t%.1f\t%s\t%d\t%d\t%d\t%d%n", minute, ops.qualifiedName(), durations.size(),
                            durations.isEmpty() ? 0 : durations.get((durations.size() - 1) / 2),
                            durations.isEmpty() ? 0 : durations.get(durations.size() - 1), rows);
                }
            }
        }
    }

    /** The parquet files under the table's folder: what its versions still reference, live or replaced. */
    private static long parquetFiles(FileSystem fs, Path dir) throws Exception {
        long files = 0;
        FileStatus[] entries;
        try {
            entries = fs.listStatus(dir);
        } catch (java.io.FileNotFoundException gone) { // a writer's temporary folder, gone meanwhile
            return 0;
        }
        for (FileStatus status : entries) {
            String name = status.getPath().getName();
            if (status.isDirectory() && !name.equals("_delta_log")) {
                files += parquetFiles(fs, status.getPath());
            } else if (status.isFile() && name.endsWith(".parquet")) {
                files++;
            }
        }
        return files;
    }

    /** {files, bytes} directly in {@code dir}. */
    private static long[] sizes(FileSystem fs, Path dir) throws Exception {
        long files = 0, bytes = 0;
        for (FileStatus status : fs.listStatus(dir)) {
            if (status.isFile()) {
                files++;
                bytes += status.getLen();
            }
        }
        return new long[] {files, bytes};
    }
}
