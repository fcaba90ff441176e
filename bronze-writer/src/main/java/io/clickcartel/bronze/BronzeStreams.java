package io.clickcartel.bronze;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;

import io.clickcartel.core.BronzeColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.spark.BatchLog;
import io.clickcartel.spark.BatchLogTopic;
import io.clickcartel.spark.BatchWrites;
import io.clickcartel.spark.LakeTables;
import io.clickcartel.spark.PipelineConfig;
import io.clickcartel.spark.RunningBatch;
import io.clickcartel.spark.StreamingQueries;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.jboss.logging.Logger;

/**
 * The wiring: two streaming queries append to {@code bronze.events} (Kafka's events topic, the landing folder) and a
 * third lands ingest's rejected topic in {@code bronze.rejected}, each with its own checkpoint. Each batch is written
 * with Delta's idempotent commit (query id, batch id; {@link BatchWrites}, under the id Delta's streaming sink used,
 * which bronze wrote with before), so every record lands exactly once across restarts, and then its entry in
 * bronze's data-quality log, {@code ops.bronze_batches}, the same way.
 */
@ApplicationScoped
public class BronzeStreams {

    static final String KAFKA_QUERY = "bronze-kafka";
    static final String FILES_QUERY = "bronze-files";
    static final String REJECTED_QUERY = "bronze-rejected";
    private static final Logger LOG = Logger.getLogger(BronzeStreams.class);

    private final SparkSession spark;
    private final PipelineConfig pipeline;
    private final BronzeConfig bronze;
    private final KafkaSourceConfig kafka;
    private final StreamingQueries queries;

    public BronzeStreams(
            SparkSession spark,
            PipelineConfig pipeline,
            BronzeConfig bronze,
            KafkaSourceConfig kafka,
            StreamingQueries queries) {
        this.spark = spark;
        this.pipeline = pipeline;
        this.bronze = bronze;
        this.kafka = kafka;
        this.queries = queries;
    }

    void start(@Observes StartupEvent event) throws TimeoutException {
        // two queries append to the table: creating it up front keeps them from racing to create it
        String table = LakeTables.createBronzeIfMissing(spark, pipeline.lake());
        mkdirs(bronze.landing());
        LOG.infof(
                "bronze writing %s from Kafka %s (topic %s) and landing folder %s, and %s from topic %s",
                table,
                kafka.bootstrapServers(),
                kafka.eventsTopic(),
                bronze.landing(),
                LakeTable.BRONZE_REJECTED.location(pipeline.lake()),
                kafka.rejectedTopic());
        Trigger trigger = Trigger.ProcessingTime(bronze.trigger().toMillis());
        // three queries log their batches: creating the log up front keeps them from racing to create it
        LakeTables.createBatchLogIfMissing(spark, pipeline.lake(), LakeTable.OPS_BRONZE_BATCHES);

        Dataset<Row> records = kafkaRecords(
                spark,
                kafka.bootstrapServers(),
                kafka.eventsTopic(),
                bronze.maxOffsetsPerTrigger(),
                bronze.failOnDataLoss());
        append(BronzeTransforms.fromKafka(records, current_timestamp()), KAFKA_QUERY, LakeTable.BRONZE_EVENTS, trigger);

        // ingest's refusals, kept past Kafka's retention: a refused event can be found and sent again
        append(
                BronzeTransforms.rejectedFromKafka(
                        kafkaRecords(
                                spark,
                                kafka.bootstrapServers(),
                                kafka.rejectedTopic(),
                                bronze.maxOffsetsPerTrigger(),
                                bronze.failOnDataLoss()),
                        current_timestamp()),
                REJECTED_QUERY,
                LakeTable.BRONZE_REJECTED,
                trigger);

        Dataset<Row> lines = spark.readStream()
                .format("text")
                .option("maxFilesPerTrigger", bronze.maxFilesPerTrigger())
                .load(bronze.landing());
        append(
                BronzeTransforms.fromFiles(lines, col("_metadata.file_path"), current_timestamp()),
                FILES_QUERY,
                LakeTable.BRONZE_EVENTS,
                trigger);
        // bronze always has Kafka: its log is always published, on the broker it reads
        queries.register(BatchLogTopic.start(
                spark,
                pipeline.lake(),
                pipeline.checkpoints(),
                LakeTable.OPS_BRONZE_BATCHES,
                kafka.bootstrapServers(),
                pipeline.kafka().pipelineTopic(),
                trigger));
    }

    /**
     * The topic's records as a stream, from the earliest offset on a first start. With {@code failOnDataLoss}, a
     * batch that finds records it has not read gone (retention, a recreated topic) fails the query; without, it
     * goes on from the earliest record left (BronzeKafkaRetentionTest).
     */
    static Dataset<Row> kafkaRecords(
            SparkSession spark,
            String bootstrapServers,
            String topic,
            long maxOffsetsPerTrigger,
            boolean failOnDataLoss) {
        return spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", bootstrapServers)
                // a pattern, not 'subscribe': the query waits for a topic that does not exist yet instead of failing
                .option("subscribePattern", Pattern.quote(topic))
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", maxOffsetsPerTrigger)
                .option("failOnDataLoss", failOnDataLoss)
                .load();
    }

    /** Starts and registers the query {@code name} that appends {@code rows} to {@code table}. */
    private void append(Dataset<Row> rows, String name, LakeTable table, Trigger trigger) throws TimeoutException {
        queries.register(
                rows.writeStream()
                        .queryName(name)
                        .option("checkpointLocation", new Path(pipeline.checkpoints(), name).toString())
                        .trigger(trigger)
                        .foreachBatch((VoidFunction2<Dataset<Row>, Long>)
                                (batch, batchId) -> write(batch, batchId, name, table))
                        .start(),
                table.location(pipeline.lake()));
    }

    /**
     * One micro-batch into its table, which, like every bronze table, is partitioned by the day rows landed; then
     * its entry in the data-quality log, so that an entry means the rows are in. Each source record is one row, so
     * the rows written are the rows the write read (Spark's own figure, no second pass over the batch). A replay
     * that finds its write committed reads nothing, and counts the batch instead, which is rare: only after a
     * crash between the two commits.
     */
    private void write(Dataset<Row> batch, long batchId, String query, LakeTable table) {
        Instant startedAt = Instant.now();
        String queryId = BatchWrites.queryId(batch.sparkSession());
        // under the query id alone, the application id of Delta's streaming sink, which bronze once wrote with:
        // a batch that sink committed but the checkpoint had not recorded is not written a second time
        BatchWrites.once(
                batch,
                BatchWrites.Write.append().partitionBy(BronzeColumns.INGEST_DATE),
                table.location(pipeline.lake()),
                queryId,
                batchId);
        long read = RunningBatch.current(spark).inputRows();
        long rows = read > 0 ? read : batch.count();
        BatchLog.append(
                spark,
                pipeline.lake(),
                LakeTable.OPS_BRONZE_BATCHES,
                new BatchLog.Entry(
                        query,
                        queryId,
                        batchId,
                        rows,
                        rows,
                        Map.of(),
                        0,
                        0,
                        null,
                        startedAt,
                        Duration.between(startedAt, Instant.now()).toMillis(),
                        BatchLog.versions(spark, pipeline.lake(), List.of(table))));
    }

    private void mkdirs(String folder) {
        Path path = new Path(folder);
        try {
            path.getFileSystem(spark.sparkContext().hadoopConfiguration()).mkdirs(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the landing folder " + folder, e);
        }
    }
}
