package io.clickcartel.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code CLICKCARTEL_SPARK_CONF}: extra Spark settings as {@code key=value} pairs separated by commas, the same text
 * for every service. The Spark layers apply all of it; the services that read the lake without Spark (insights)
 * take its {@code spark.hadoop.*} entries, as Spark itself does, so one setting points every reader at the lake's
 * store (an S3 endpoint, path-style access).
 */
public final class SparkConf {

    /** The environment variable. */
    public static final String ENVIRONMENT_VARIABLE = "CLICKCARTEL_SPARK_CONF";

    private static final String HADOOP_PREFIX = "spark.hadoop.";

    private SparkConf() {}

    /** Parses {@code k=v,k=v}; a blank or missing text is no setting. */
    public static Map<String, String> parse(String text) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (text == null) {
            return settings;
        }
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("Spark setting '" + pair.trim() + "' is not key=value");
            }
            settings.put(
                    pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return settings;
    }

    /** The Hadoop settings among {@code sparkSettings}: its {@code spark.hadoop.*} entries, without the prefix. */
    public static Map<String, String> hadoopSettings(Map<String, String> sparkSettings) {
        Map<String, String> hadoop = new LinkedHashMap<>();
        sparkSettings.forEach((key, value) -> {
            if (key.startsWith(HADOOP_PREFIX) && key.length() > HADOOP_PREFIX.length()) {
                hadoop.put(key.substring(HADOOP_PREFIX.length()), value);
            }
        });
        return hadoop;
    }
}
