// The plain baselines of bench/bronze-throughput.sh, on the topic the bronze writer just landed, with the same
// Spark settings, heap and batch size (maxOffsetsPerTrigger) as the service:
//   noop  — Spark's Kafka source into the noop sink with bronze's columns: reading the topic, the floor;
//   delta — the same columns appended with Delta's streaming sink, partitioned by day: bronze written the usual way,
//           without the service's idempotent foreachBatch write and data-quality log entry per batch;
//   foreachbatch — the same append as a batch write inside foreachBatch: what the sink costs against that.
// Run by the script: java -cp "<bronze's jars>" bench/PlainBronze.java BOOTSTRAP TOPIC MAX_OFFSETS WORK SINK
//   ; prints "plain-SINK rows R busy_seconds S wall_seconds W after_the_first_batch R S".
import static org.apache.spark.sql.functions.*;

import io.clickcartel.spark.SparkSessions;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;

public class PlainBronze {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0], topic = args[1], maxOffsets = args[2], work = args[3], sink = args[4];
        SparkSession spark = SparkSessions.create("local[*]", "plain-bronze", Map.of());
        Dataset<Row> rows = spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .option("subscribePattern", Pattern.quote(topic))
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", maxOffsets)
                .load()
                .select(col("value").cast("string").as("value"), lit("kafka").as("source"), col("topic"),
                        col("partition"), col("offset"), col("timestamp").as("kafka_timestamp"),
                        lit(null).cast("string").as("source_file"), current_timestamp().as("ingested_at"))
                .withColumn("ingest_date", to_date(col("ingested_at")));
        DataStreamWriter<Row> writer = rows.writeStream()
                .option("checkpointLocation", work + "/plain-" + sink + "-checkpoint")
                .trigger(Trigger.AvailableNow());
        long started = System.nanoTime();
        StreamingQuery query = switch (sink) {
            case "delta" -> writer.format("delta").partitionBy("ingest_date").start(work + "/plain-delta");
            // the same append, written by foreachBatch as a batch write (no transaction ids)
            case "foreachbatch" -> writer.foreachBatch((org.apache.spark.api.java.function.VoidFunction2<Dataset<Row>, Long>)
                            (batch, id) -> batch.write().format("delta").mode("append").partitionBy("ingest_date")
                                    .save(work + "/plain-foreachbatch"))
                    .start();
            default -> writer.format("noop").start();
        };
        query.awaitTermination();
        double wall = (System.nanoTime() - started) / 1e9;
        long read = 0, readWarm = 0;
        double busy = 0, busyWarm = 0;
        for (StreamingQueryProgress progress : query.recentProgress()) {
            if (progress.numInputRows() > 0) {
                double seconds = progress.durationMs().getOrDefault("triggerExecution", 0L) / 1000.0;
                read += progress.numInputRows();
                busy += seconds;
                if (progress.batchId() > 0) { // the first batch also warms the JVM up
                    readWarm += progress.numInputRows();
                    busyWarm += seconds;
                }
                System.err.printf("plain-%s batch %d: %d rows, %s%n", sink, progress.batchId(),
                        progress.numInputRows(), progress.durationMs());
            }
        }
        System.out.printf("plain-%s rows %d busy_seconds %.1f wall_seconds %.1f after_the_first_batch %d %.1f%n", sink,
                read, busy, wall, readWarm, busyWarm);
        spark.stop();
    }
}
