package io.clickcartel.bronze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.clickcartel.localkafka.LocalKafkaBroker;
import io.clickcartel.spark.LocalSpark;
import io.clickcartel.testsupport.TestProducers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka's retention against a real broker: the watch tells how old the oldest unread record is and warns before the
 * retention takes it, and when records bronze never read are gone, {@code failOnDataLoss} decides between stopping
 * the query and going on from what is left.
 */
@ExtendWith(LocalSpark.class)
class BronzeKafkaRetentionTest {

    private static final String TOPIC = "retention-test";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    @Test
    void theWatchWarnsBeforeUnreadRecordsExpireAndSaysWhenSomeAreGone(Path dir) throws Exception {
        try (LocalKafkaBroker broker =
                        LocalKafkaBroker.builder(dir.resolve("kafka")).build().start();
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            createTopic(admin, Duration.ofHours(1));
            Instant now = Instant.now();
            // three records sent 40 minutes ago (past half the hour's retention), then two just now
            produce(broker, 3, now.minus(Duration.ofMinutes(40)));
            produce(broker, 2, now);
            KafkaRetentionWatch watch = new KafkaRetentionWatch(
                    config(broker.bootstrapServers()), bronzeConfig(0.5), null, new SimpleMeterRegistry());
            try {
                UnreadRecords nothingRead = watch.check(Map.of(0, 0L));
                assertThat(nothingRead.count()).isEqualTo(5);
                assertThat(nothingRead.retention()).isEqualTo(Duration.ofHours(1));
                assertThat(nothingRead.oldestAge()).isBetween(Duration.ofMinutes(40), Duration.ofMinutes(41));
                assertThat(nothingRead.atRisk(0.5))
                        .as("40 minutes of a 60-minute retention")
                        .isTrue();
                assertThat(nothingRead.atRisk(0.75)).isFalse();

                UnreadRecords recentLeft = watch.check(Map.of(0, 3L));
                assertThat(recentLeft.count()).isEqualTo(2);
                assertThat(recentLeft.oldestAge()).isLessThan(Duration.ofMinutes(1));
                assertThat(recentLeft.atRisk(0.5)).isFalse();

                UnreadRecords allRead = watch.check(Map.of(0, 5L));
                assertThat(allRead.count()).isZero();
                assertThat(allRead.oldestAge()).isZero();

                // the retention (here: a deletion) takes offsets 0 and 1 while bronze stands at 1
                admin.deleteRecords(Map.of(PARTITION, RecordsToDelete.beforeOffset(2)))
                        .all()
                        .get();
                UnreadRecords gone = watch.check(Map.of(0, 1L));
                assertThat(gone.lost()).isTrue();
                assertThat(gone.count()).as("offsets 2..4 are still there").isEqualTo(3);
                assertThat(gone.atRisk(0.99)).isTrue();
            } finally {
                watch.stop();
            }
        }
    }

    @Test
    void aPartitionEndingInATransactionMarkerHasNothingUnreadOnceItsRecordsAreRead(Path dir) throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder(dir.resolve("kafka-tx"))
                        .build()
                        .start();
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            createTopic(admin, Duration.ofHours(1));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", broker.bootstrapServers(), "transactional.id", "retention-test-tx"),
                    new StringSerializer(),
                    new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, 0, "k", "{}"));
                }
                producer.commitTransaction(); // offsets 0..2 the records, 3 the commit marker
            }
            // the coordinator writes the marker after the commit returns
            await("the commit marker at offset 3")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> endOffset(admin), end -> end == 4L);
            KafkaRetentionWatch watch = new KafkaRetentionWatch(
                    config(broker.bootstrapServers()), bronzeConfig(0.5), null, new SimpleMeterRegistry());
            try {
                UnreadRecords nothingRead = watch.check(Map.of(0, 0L));
                assertThat(nothingRead.count())
                        .as("offsets 0..3, the marker included")
                        .isEqualTo(4);
                assertThat(nothingRead.oldestAge()).isLessThan(Duration.ofMinutes(1));

                UnreadRecords markerLeft = watch.check(Map.of(0, 3L));
                assertThat(markerLeft.count()).isZero();
                assertThat(markerLeft.oldestAge()).isZero();
                assertThat(markerLeft.lost()).isFalse();
            } finally {
                watch.stop();
            }
        }
    }

    @Test
    void recordsGoneBeforeBronzeReadThemStopTheQueryOrAreSkippedAsConfigured(SparkSession spark, Path dir)
            throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder(dir.resolve("kafka-loss"))
                        .build()
                        .start();
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            createTopic(admin, Duration.ofDays(7));
            String table = dir.resolve("landed").toString();
            String checkpoint = dir.resolve("checkpoint").toString();
            produce(broker, 5, Instant.now());
            land(spark, broker, table, checkpoint, true);
            assertThat(offsets(spark, table)).containsExactly(0L, 1L, 2L, 3L, 4L);

            produce(broker, 5, Instant.now()); // offsets 5..9, of which 5..7 go before bronze reads them
            admin.deleteRecords(Map.of(PARTITION, RecordsToDelete.beforeOffset(8)))
                    .all()
                    .get();
            assertThatThrownBy(() -> land(spark, broker, table, checkpoint, true))
                    .isInstanceOf(StreamingQueryException.class)
                    .hasMessageContaining("failOnDataLoss");
            assertThat(offsets(spark, table)).as("nothing landed past the gap").hasSize(5);

            land(spark, broker, table, checkpoint, false);
            assertThat(offsets(spark, table)).containsExactly(0L, 1L, 2L, 3L, 4L, 8L, 9L);
        }
    }

    /** The records available now, through bronze's Kafka source, into a Delta table. */
    private static void land(SparkSession spark, LocalKafkaBroker broker, String table, String checkpoint, boolean fail)
            throws Exception {
        BronzeStreams.kafkaRecords(spark, broker.bootstrapServers(), TOPIC, 1_000, fail)
                .select("offset")
                .writeStream()
                .format("delta")
                .option("checkpointLocation", checkpoint)
                .trigger(Trigger.AvailableNow())
                .start(table)
                .awaitTermination();
    }

    private static List<Long> offsets(SparkSession spark, String table) {
        return spark.read().format("delta").load(table).orderBy("offset").collectAsList().stream()
                .map(row -> row.getLong(0))
                .toList();
    }

    private static long endOffset(Admin admin) throws Exception {
        return admin.listOffsets(Map.of(PARTITION, OffsetSpec.latest()))
                .partitionResult(PARTITION)
                .get()
                .offset();
    }

    private static void createTopic(Admin admin, Duration retention) throws Exception {
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())))))
                .all()
                .get();
    }

    private static void produce(LocalKafkaBroker broker, int records, Instant timestamp) throws Exception {
        try (KafkaProducer<String, String> producer = TestProducers.acksAll(broker.bootstrapServers())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, timestamp.toEpochMilli(), "k", "{}"))
                        .get();
            }
        }
    }

    private static KafkaSourceConfig config(String bootstrapServers) {
        return new KafkaSourceConfig() {
            @Override
            public String bootstrapServers() {
                return bootstrapServers;
            }

            @Override
            public String eventsTopic() {
                return TOPIC;
            }

            @Override
            public String rejectedTopic() {
                return "unused";
            }
        };
    }

    private static BronzeConfig bronzeConfig(double warnShare) {
        return new BronzeConfig() {
            @Override
            public String landing() {
                return "unused";
            }

            @Override
            public Duration trigger() {
                return Duration.ofSeconds(1);
            }

            @Override
            public long maxOffsetsPerTrigger() {
                return 1_000;
            }

            @Override
            public int maxFilesPerTrigger() {
                return 1;
            }

            @Override
            public boolean failOnDataLoss() {
                return true;
            }

            @Override
            public Duration retentionCheck() {
                return Duration.ofSeconds(30);
            }

            @Override
            public double retentionWarnShare() {
                return warnShare;
            }
        };
    }
}
