package io.clickcartel.bronze;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;

import io.clickcartel.core.BronzeColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.spark.LakeTables;
import io.clickcartel.spark.PipelineConfig;
import io.clickcartel.spark.StreamingQueries;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.jboss.logging.Logger;

/**
 * The wiring: two streaming queries append to {@code bronze.events} (Kafka's events topic, the landing folder) and a
 * third lands ingest's rejected topic in {@code bronze.rejected}, each with its own checkpoint, so the Delta sink's
 * idempotent commits (query id, batch id) make every record land exactly once, across restarts.
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

        Dataset<Row> records = kafkaRecords(
                spark,
                kafka.bootstrapServers(),
                kafka.eventsTopic(),
                bronze.maxOffsetsPerTrigger(),
                bronze.failOnDataLoss());
        queries.register(append(BronzeTransforms.fromKafka(records, current_timestamp()), KAFKA_QUERY, table), table);

        // ingest's refusals, kept past Kafka's retention: a refused event can be found and sent again
        String rejected = LakeTable.BRONZE_REJECTED.location(pipeline.lake());
        queries.register(
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
                        rejected),
                rejected);

        Dataset<Row> lines = spark.readStream()
                .format("text")
                .option("maxFilesPerTrigger", bronze.maxFilesPerTrigger())
                .load(bronze.landing());
        queries.register(
                append(
                        BronzeTransforms.fromFiles(lines, col("_metadata.file_path"), current_timestamp()),
                        FILES_QUERY,
                        table),
                table);
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

    /** Appends to a bronze table, which, like every bronze table, is partitioned by the day rows landed. */
    private StreamingQuery append(Dataset<Row> rows, String name, String table) throws TimeoutException {
        return rows.writeStream()
                .format("delta")
                .outputMode("append")
                .partitionBy(BronzeColumns.INGEST_DATE)
                .queryName(name)
                .option("checkpointLocation", new Path(pipeline.checkpoints(), name).toString())
                .trigger(Trigger.ProcessingTime(bronze.trigger().toMillis()))
                .start(table);
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
