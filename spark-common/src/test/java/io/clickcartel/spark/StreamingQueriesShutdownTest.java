package io.clickcartel.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a SIGTERM runs: the queries stop after their running batch, within the configured grace, and only then is the
 * layer's lease given back.
 */
@ExtendWith(LocalSpark.class)
class StreamingQueriesShutdownTest {

    private static final Duration BATCH = Duration.ofSeconds(2);
    private static final Set<Long> STARTED = ConcurrentHashMap.newKeySet();
    private static final Set<Long> FINISHED = ConcurrentHashMap.newKeySet();

    @Test
    void aBatchRunningAtShutdownFinishesWithinTheGraceAndOnlyThenTheQueryStops(SparkSession spark, Path dir)
            throws Exception {
        StreamingQueries queries = queries(spark, dir, Duration.ofSeconds(30));
        queries.leaseLayer("finishes");
        StreamingQuery query = queries.register(
                slowQuery(spark, dir.resolve("finishes"), "finishes"),
                dir.resolve("sink").toString());
        await().atMost(Duration.ofSeconds(60)).until(() -> !STARTED.isEmpty());
        long running = STARTED.iterator().next();
        org.apache.hadoop.fs.Path lease = Lease.fileFor(dir.toString(), "finishes");
        assertThatThrownBy(() -> Lease.take(spark.sparkContext().hadoopConfiguration(), lease, "a refresh"))
                .as("the layer's lease is held while its query runs")
                .isInstanceOf(Lease.HeldException.class);

        queries.stopAll();

        assertThat(query.isActive()).isFalse();
        assertThat(FINISHED).as("the batch running at shutdown completed").contains(running);
        Lease.take(spark.sparkContext().hadoopConfiguration(), lease, "a refresh")
                .close();
    }

    @Test
    void aBatchLongerThanTheGraceIsCutShortSoShutdownStaysBounded(SparkSession spark, Path dir) throws Exception {
        StreamingQueries queries = queries(spark, dir, Duration.ofMillis(500));
        StreamingQuery query = queries.register(
                slowQuery(spark, dir.resolve("cut"), "cut"), dir.resolve("sink").toString());
        await().atMost(Duration.ofSeconds(60)).until(() -> !STARTED.isEmpty());

        queries.stopAll();

        assertThat(query.isActive()).isFalse();
        assertThat(FINISHED).as("stopped before the 2 s batch could end").isEmpty();
    }

    @BeforeEach
    void noBatchesYet() {
        STARTED.clear();
        FINISHED.clear();
    }

    private static StreamingQueries queries(SparkSession spark, Path checkpoints, Duration grace) {
        return new StreamingQueries(new SimpleMeterRegistry(), spark, config(checkpoints, grace));
    }

    private static StreamingQuery slowQuery(SparkSession spark, Path checkpoint, String name) throws Exception {
        VoidFunction2<Dataset<Row>, Long> slowBatch = (rows, batchId) -> {
            STARTED.add(batchId);
            Thread.sleep(BATCH.toMillis());
            FINISHED.add(batchId);
        };
        return spark.readStream()
                .format("rate")
                .option("rowsPerSecond", 1)
                .load()
                .writeStream()
                .queryName(name)
                .option("checkpointLocation", checkpoint.toString())
                .trigger(Trigger.ProcessingTime(200))
                .foreachBatch(slowBatch)
                .start();
    }

    private static PipelineConfig config(Path checkpoints, Duration grace) {
        return (PipelineConfig) Proxy.newProxyInstance(
                PipelineConfig.class.getClassLoader(),
                new Class<?>[] {PipelineConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "shutdownGrace" -> grace;
                    case "checkpoints" -> checkpoints.toString();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
