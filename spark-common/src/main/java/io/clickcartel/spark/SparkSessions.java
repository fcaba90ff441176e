package io.clickcartel.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;
import org.apache.spark.sql.SparkSession;

/** The one way a Clickcartel process configures Spark: Delta, UTC, no UI, small shuffles; overrides win. */
public final class SparkSessions {

    private SparkSessions() {}

    public static Map<String, String> defaults() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
        conf.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        // dates are UTC whatever the machine's zone
        conf.put("spark.sql.session.timeZone", "UTC");
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.ui.showConsoleProgress", "false");
        // small batches on few cores: 200 shuffle partitions would be 200 tiny tasks per batch
        conf.put("spark.sql.shuffle.partitions", "4");
        // Delta rebuilds a table's state from its log in this many tasks each time it loads a new version; the
        // default 50 made every gold write spend seconds on tiny tasks; one task beats four on a gold batch
        // (docs/benchmarks.md): the state of a compacted table is small
        conf.put("spark.databricks.delta.snapshotPartitions", "1");
        // Delta's VACUUM lists a table's files in this many tasks: the default 10,000 made a VACUUM of a table
        // of four files take a minute on two cores
        conf.put("spark.sql.sources.parallelPartitionDiscovery.parallelism", "8");
        // a gold batch plans some 360 distinct generated classes: with the default cache of 100 each batch compiled
        // them all again and the JVM then JIT-compiled the new classes, most of the batch's CPU (docs/benchmarks.md)
        conf.put("spark.sql.codegen.cache.maxEntries", "1000");
        // local files without a chmod or readlink process per file (LocalFiles)
        LocalFiles.HADOOP_SETTINGS.forEach((key, value) -> conf.put("spark.hadoop." + key, value));
        conf.put("spark.sql.streaming.stopGracefullyOnShutdown", "false");
        // on two busy cores a broadcast can wait behind a large batch's tasks longer than the default 300 s
        conf.put("spark.sql.broadcastTimeout", "1200");
        // every table is addressed by path: no catalog table is ever written, so no spark-warehouse/ in the cwd
        conf.put(
                "spark.sql.warehouse.dir",
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "clickcartel-spark-warehouse")
                        .toString());
        conf.put("spark.driver.bindAddress", "127.0.0.1");
        conf.put("spark.driver.host", "127.0.0.1");
        return conf;
    }

    public static SparkSession create(String master, String appName, Map<String, String> overrides) {
        runJvmInUtc();
        SparkSession.Builder builder = SparkSession.builder().master(master).appName(appName);
        Map<String, String> conf = defaults();
        conf.putAll(overrides);
        conf.forEach(builder::config);
        return builder.getOrCreate();
    }

    /**
     * Delta checks every commit's list of files against a full rebuild of the table's state when the JVM's zone is
     * not UTC (its guard against timestamps written in a local zone): about 40% more work per gold batch on a
     * machine set to, say, Europe/Berlin (docs/benchmarks.md). A Spark process of ours thinks in UTC anyway.
     */
    private static void runJvmInUtc() {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        System.setProperty("user.timezone", "UTC");
    }
}
