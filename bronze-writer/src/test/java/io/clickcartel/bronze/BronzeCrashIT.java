package io.clickcartel.bronze;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clickcartel.core.BatchColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.Topics;
import io.clickcartel.localkafka.LocalKafkaBroker;
import io.clickcartel.spark.LocalSpark;
import io.clickcartel.testsupport.ServiceProcess;
import io.clickcartel.testsupport.TestProducers;
import io.clickcartel.testsupport.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged bronze-writer is killed with SIGKILL in the middle of a stream that keeps flowing, then started
 * again: bronze must still hold every Kafka offset exactly once, and its data-quality log every batch once.
 */
@ExtendWith(LocalSpark.class)
class BronzeCrashIT {

    private static final int EVENTS = 30_000;

    @Test
    void killedMidStreamAndRestartedItHoldsEveryOffsetExactlyOnce(SparkSession spark, Path dir) throws Exception {
        String table = LakeTable.BRONZE_EVENTS.location(dir.resolve("lake").toString());
        try (LocalKafkaBroker broker =
                LocalKafkaBroker.builder(dir.resolve("kafka")).build().start()) {
            TestTopics.create(broker.bootstrapServers(), new NewTopic(Topics.EVENTS, 3, (short) 1));
            ServiceProcess bronze = bronzeProcess(broker, dir);
            ExecutorService producerThread = Executors.newSingleThreadExecutor();
            AtomicInteger produced = new AtomicInteger();
            CountDownLatch crashed = new CountDownLatch(1);
            try {
                bronze.start().awaitReady(Duration.ofMinutes(2));
                Future<?> producing = producerThread.submit(() -> produce(broker, produced, crashed));

                await("bronze has part of the stream")
                        .atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> count(spark, table) > 2_000);
                bronze.kill();
                int producedAtCrash = produced.get();
                crashed.countDown();
                bronze.start().awaitReady(Duration.ofMinutes(2));
                producing.get();
                assertThat(producedAtCrash).as("the crash happened mid-stream").isLessThan(EVENTS);

                await("bronze caught up")
                        .atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> count(spark, table) >= EVENTS);

                bronze.stop();
                assertThat(bronze.tail())
                        .as("SIGTERM stops the queries before Spark")
                        .contains("stopping query bronze-kafka", "stopping query bronze-files")
                        .doesNotContain("ERROR");
            } finally {
                producerThread.shutdownNow();
                bronze.stop();
            }
        }

        Dataset<Row> rows =
                spark.read().format("delta").load(table).where(col("source").equalTo("kafka"));
        assertThat(rows.count()).isEqualTo(EVENTS);
        assertThat(rows.select("partition", "offset").distinct().count())
                .as("no offset twice")
                .isEqualTo(EVENTS);
        assertThat(rows.select("value").distinct().count()).as("every event").isEqualTo(EVENTS);
        for (Row partition : rows.groupBy("partition")
                .agg(org.apache.spark.sql.functions.max("offset"), org.apache.spark.sql.functions.count("*"))
                .collectAsList()) {
            assertThat(partition.getLong(1) + 1).as("no offset missing").isEqualTo(partition.getLong(2));
        }

        // the data-quality log, written with each batch: across the kill, every batch once, its rows all of bronze's
        Dataset<Row> log = spark.read()
                .format("delta")
                .load(LakeTable.OPS_BRONZE_BATCHES.location(dir.resolve("lake").toString()))
                .where(col(BatchColumns.QUERY).equalTo(BronzeStreams.KAFKA_QUERY));
        assertThat(log.select(BatchColumns.QUERY_ID).distinct().count())
                .as("one query across the restart: its checkpoint survived")
                .isOne();
        assertThat(log.select(BatchColumns.BATCH_ID).distinct().count())
                .as("one entry per batch")
                .isEqualTo(log.count())
                .isGreaterThan(1);
        Row books = log.agg(
                        org.apache.spark.sql.functions.sum(BatchColumns.INPUT_ROWS),
                        org.apache.spark.sql.functions.sum(BatchColumns.WRITTEN_ROWS))
                .first();
        assertThat(books.getLong(0)).as("rows read, by the log").isEqualTo(EVENTS);
        assertThat(books.getLong(1)).as("rows written, by the log").isEqualTo(EVENTS);
    }

    private static long count(SparkSession spark, String table) {
        try {
            return spark.read().format("delta").load(table).count();
        } catch (Exception notCreatedYet) {
            return 0;
        }
    }

    /**
     * 30,000 events in batches of 300. The second half starts only once the service is dead, so the crash is
     * always mid-stream and events keep arriving while it is down and restarting.
     */
    private static void produce(LocalKafkaBroker broker, AtomicInteger produced, CountDownLatch crashed) {
        try (KafkaProducer<String, String> producer = TestProducers.acksAll(broker.bootstrapServers())) {
            for (int i = 0; i < EVENTS; i++) {
                producer.send(new ProducerRecord<>(Topics.EVENTS, "u-" + (i % 101), "{\"event_id\":\"c-" + i + "\"}"));
                if (i % 300 == 299) {
                    producer.flush();
                    produced.set(i + 1);
                }
                if (i == EVENTS / 2 && !crashed.await(3, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the service was never killed");
                }
            }
            producer.flush();
            produced.set(EVENTS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ServiceProcess bronzeProcess(LocalKafkaBroker broker, Path dir) {
        return PackagedBronze.process(
                dir,
                Map.of(
                        "CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                        "CLICKCARTEL_LAKE", dir.resolve("lake").toString(),
                        "CLICKCARTEL_CHECKPOINTS", dir.resolve("checkpoints").toString(),
                        "CLICKCARTEL_BRONZE_LANDING", dir.resolve("landing").toString(),
                        "CLICKCARTEL_BRONZE_MAX_OFFSETS_PER_TRIGGER", "2000"));
    }
}
