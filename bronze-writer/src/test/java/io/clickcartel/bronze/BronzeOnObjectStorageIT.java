package io.clickcartel.bronze;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clickcartel.core.LakeTable;
import io.clickcartel.core.Topics;
import io.clickcartel.localkafka.LocalKafkaBroker;
import io.clickcartel.locals3.LocalS3Server;
import io.clickcartel.spark.LocalSpark;
import io.clickcartel.testsupport.ServiceProcess;
import io.clickcartel.testsupport.TestProducers;
import io.clickcartel.testsupport.TestTopics;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged bronze writer with its lake, checkpoints and landing folder on object storage: a real S3 API server
 * (S3Proxy) on loopback, reached through s3a, configured only as docs/deploy.md says — {@code CLICKCARTEL_SPARK_CONF}
 * for the endpoint and path-style access, the keys in {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}. All
 * three of its queries land every record once, also across a restart from the checkpoints on S3.
 */
@ExtendWith(LocalSpark.class)
class BronzeOnObjectStorageIT {

    private static final String LAKE = "s3a://company-lake/clickcartel";

    @Test
    void theBronzeWriterOnS3aLandsEveryRecordOnceAcrossARestart(SparkSession spark, Path dir) throws Exception {
        try (LocalS3Server s3 = LocalS3Server.start(dir.resolve("s3"), "company-lake");
                LocalKafkaBroker broker =
                        LocalKafkaBroker.builder(dir.resolve("kafka")).build().start()) {
            s3.hadoopSettings().forEach(spark.sparkContext().hadoopConfiguration()::set);
            TestTopics.create(
                    broker.bootstrapServers(),
                    new NewTopic(Topics.EVENTS, 3, (short) 1),
                    new NewTopic(Topics.REJECTED, 1, (short) 1));
            ServiceProcess bronze = bronzeProcess(s3, broker, dir);
            try {
                bronze.start().awaitReady(Duration.ofMinutes(2));
                produce(broker, 0, 500);
                writeLandingFile(spark, "drop-1.jsonl", 40);
                await("bronze on s3a has the first records")
                        .atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> count(spark, LakeTable.BRONZE_EVENTS) >= 540
                                && count(spark, LakeTable.BRONZE_REJECTED) >= 1);
                bronze.stop();

                produce(broker, 500, 1_000); // while it is down
                bronze.start().awaitReady(Duration.ofMinutes(2));
                await("bronze on s3a caught up after its restart")
                        .atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> count(spark, LakeTable.BRONZE_EVENTS) >= 1_040
                                && count(spark, LakeTable.BRONZE_REJECTED) >= 2);
                bronze.stop();
                assertThat(bronze.tail()).doesNotContain("ERROR");
            } finally {
                bronze.stop();
            }

            Dataset<Row> events = table(spark, LakeTable.BRONZE_EVENTS);
            Dataset<Row> fromKafka = events.where(col("source").equalTo("kafka"));
            assertThat(fromKafka.count()).isEqualTo(1_000);
            assertThat(fromKafka.select("partition", "offset").distinct().count())
                    .as("no offset twice")
                    .isEqualTo(1_000);
            Dataset<Row> fromFiles = events.where(col("source").equalTo("file"));
            assertThat(fromFiles.count()).isEqualTo(40);
            assertThat(fromFiles.select("source_file").distinct().collectAsList())
                    .singleElement()
                    .satisfies(row -> assertThat(row.getString(0)).startsWith("s3a://company-lake/landing/"));
            assertThat(table(spark, LakeTable.BRONZE_REJECTED).count()).isEqualTo(2);
            // the checkpoints are objects on the server too: the restart resumed from them
            FileSystem store = new org.apache.hadoop.fs.Path(LAKE)
                    .getFileSystem(spark.sparkContext().hadoopConfiguration());
            for (String query :
                    List.of(BronzeStreams.KAFKA_QUERY, BronzeStreams.FILES_QUERY, BronzeStreams.REJECTED_QUERY)) {
                assertThat(store.listStatus(
                                new org.apache.hadoop.fs.Path("s3a://company-lake/checkpoints/" + query + "/commits")))
                        .as(query)
                        .isNotEmpty();
            }
        }
    }

    /** Events numbered [from, to) on the events topic, and one refused event on the rejected topic. */
    private static void produce(LocalKafkaBroker broker, int from, int to) throws Exception {
        try (KafkaProducer<String, String> producer = TestProducers.acksAll(broker.bootstrapServers())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(Topics.EVENTS, "u-" + (i % 13), "{\"event_id\":\"s3-" + i + "\"}"));
            }
            producer.send(new ProducerRecord<>(
                            Topics.REJECTED,
                            null,
                            "{\"rule\":\"bad_event_type\",\"field\":\"event_type\",\"reason\":\"unknown\",\"index\":0,"
                                    + "\"received_at\":\"2024-05-01T12:00:00Z\",\"raw\":\"{}\"}"))
                    .get();
        }
    }

    private static void writeLandingFile(SparkSession spark, String name, int lines) throws Exception {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path("s3a://company-lake/landing/" + name);
        String body = IntStream.range(0, lines)
                .mapToObj(i -> "{\"event_id\":\"landed-" + i + "\"}")
                .collect(Collectors.joining("\n", "", "\n"));
        try (OutputStream out =
                file.getFileSystem(spark.sparkContext().hadoopConfiguration()).create(file)) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Dataset<Row> table(SparkSession spark, LakeTable table) {
        return spark.read().format("delta").load(table.location(LAKE));
    }

    private static long count(SparkSession spark, LakeTable table) {
        try {
            return table(spark, table).count();
        } catch (Exception notCreatedYet) {
            return 0;
        }
    }

    private static ServiceProcess bronzeProcess(LocalS3Server s3, LocalKafkaBroker broker, Path dir) {
        return PackagedBronze.process(
                dir,
                Map.of(
                        "CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS",
                        broker.bootstrapServers(),
                        "CLICKCARTEL_LAKE",
                        LAKE,
                        "CLICKCARTEL_CHECKPOINTS",
                        "s3a://company-lake/checkpoints",
                        "CLICKCARTEL_BRONZE_LANDING",
                        "s3a://company-lake/landing",
                        "CLICKCARTEL_SPARK_CONF",
                        s3.sparkConf(),
                        "AWS_ACCESS_KEY_ID",
                        LocalS3Server.ACCESS_KEY,
                        "AWS_SECRET_ACCESS_KEY",
                        LocalS3Server.SECRET_KEY));
    }
}
