package io.clickcartel.spark;

import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Reads a Delta table's latest version from its log folder: cheap enough for every metrics scrape. */
final class DeltaVersions {

    private DeltaVersions() {}

    /** The highest committed version, or NaN while the table does not exist. */
    static double latest(SparkSession spark, String table) {
        Path log = new Path(table, "_delta_log");
        try {
            FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(log)) {
                return Double.NaN;
            }
            long latest = -1;
            for (FileStatus file : fs.listStatus(log)) {
                String name = file.getPath().getName();
                if (name.endsWith(".json") && name.length() == 25) {
                    latest = Math.max(latest, Long.parseLong(name.substring(0, 20)));
                }
            }
            return latest < 0 ? Double.NaN : latest;
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
    }
}
