package io.clickcartel.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import io.clickcartel.core.BatchColumns;
import io.clickcartel.core.LakeTable;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.jboss.logging.Logger;

/**
 * Publishes a layer's data-quality log on Kafka, for live views and alerting: a stream of the log table's new
 * entries into Spark's own Kafka sink, each entry one JSON record (the table's columns) keyed by the query's name.
 * Its checkpoint survives restarts, so every entry is published at least once; a reader keeps one record per
 * {@code query_id} and {@code batch_id}. The table stays the record: the topic is a feed of it.
 */
public final class BatchLogTopic {

    private static final Logger LOG = Logger.getLogger(BatchLogTopic.class);

    private BatchLogTopic() {}

    /**
     * Starts the feed of {@code log} as one of the service's queries when {@code CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS}
     * is set; says so either way.
     */
    public static void startIfConfigured(
            SparkSession spark, PipelineConfig config, LakeTable log, Trigger trigger, StreamingQueries queries)
            throws TimeoutException {
        Optional<String> servers = config.kafka().bootstrapServers();
        if (servers.isEmpty()) {
            LOG.infof(
                    "%s is not published on Kafka: CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS is not set",
                    log.qualifiedName());
            return;
        }
        String topic = config.kafka().pipelineTopic();
        LOG.infof("publishing %s on Kafka %s, topic %s", log.qualifiedName(), servers.get(), topic);
        queries.register(start(spark, config.lake(), config.checkpoints(), log, servers.get(), topic, trigger));
    }

    /** The publishing query of {@code log}: its name and checkpoint folder. */
    public static String queryName(LakeTable log) {
        return log.qualifiedName().replace('.', '-') + "-topic";
    }

    public static StreamingQuery start(
            SparkSession spark,
            String lake,
            String checkpoints,
            LakeTable log,
            String bootstrapServers,
            String topic,
            Trigger trigger)
            throws TimeoutException {
        String name = queryName(log);
        return spark.readStream()
                .format("delta")
                .load(LakeTables.createBatchLogIfMissing(spark, lake, log))
                .select(
                        col(BatchColumns.QUERY).as("key"),
                        to_json(struct(col("*"))).as("value"))
                .writeStream()
                .format("kafka")
                .queryName(name)
                .option("kafka.bootstrap.servers", bootstrapServers)
                .option("topic", topic)
                .option("checkpointLocation", new Path(checkpoints, name).toString())
                .trigger(trigger)
                .start();
    }
}
