package io.clickcartel.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a Delta table's latest version from its log: the version of the newest checkpoint ({@code
 * _delta_log/_last_checkpoint}), then the commits after it one by one. A few small reads per metrics scrape,
 * however long the log has grown: never a listing of the log folder.
 */
final class DeltaVersions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeltaVersions() {}

    /** The highest committed version, or NaN while the table does not exist. */
    static double latest(SparkSession spark, String table) {
        Path log = new Path(table, "_delta_log");
        try {
            FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
            long version = lastCheckpoint(fs, log);
            while (fs.exists(commit(log, version + 1))) {
                version++;
            }
            return version < 0 ? Double.NaN : version;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The newest checkpoint's version, or -1 before the first checkpoint (the log then starts at version 0). */
    private static long lastCheckpoint(FileSystem fs, Path log) throws IOException {
        try (InputStream in = fs.open(new Path(log, "_last_checkpoint"))) {
            return JSON.readTree(in).path("version").asLong(-1);
        } catch (FileNotFoundException none) {
            return -1;
        }
    }

    private static Path commit(Path log, long version) {
        return new Path(log, String.format("%020d.json", version));
    }
}
