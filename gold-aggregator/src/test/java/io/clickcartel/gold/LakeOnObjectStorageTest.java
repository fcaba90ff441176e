package io.clickcartel.gold;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.LakeTable;
import io.clickcartel.datagen.Dataset;
import io.clickcartel.datagen.GeneratorConfig;
import io.clickcartel.datagen.GroundTruth;
import io.clickcartel.datagen.Phase;
import io.clickcartel.locals3.LocalS3Server;
import io.clickcartel.silver.GeneratedBronze;
import io.clickcartel.silver.SilverPipeline;
import io.clickcartel.spark.Lease;
import io.clickcartel.spark.LocalSpark;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lake and the streams' checkpoints on object storage: a real S3 API server (S3Proxy) on loopback, reached
 * through Hadoop's s3a connector as a deployment on S3 reaches it. Silver and gold run phase by phase as on local
 * disk, and every table equals the oracle's.
 */
@ExtendWith(LocalSpark.class)
class LakeOnObjectStorageTest {

    @Test
    void silverAndGoldOnS3aEqualTheGroundTruth(SparkSession spark, Path dir) throws Exception {
        try (LocalS3Server s3 = LocalS3Server.start(dir.resolve("s3"), "company-lake")) {
            s3.hadoopSettings().forEach(spark.sparkContext().hadoopConfiguration()::set);
            GeneratorConfig config = GoldTestData.config(11, 1_500);
            Path data = dir.resolve("data");
            Dataset.generate(config, data);
            String lake = "s3a://company-lake/clickcartel";
            String checkpoints = "s3a://company-lake/checkpoints";
            SilverPipeline silver = GoldTestData.silver(spark, data, lake, checkpoints, config);
            GoldPipeline gold = new GoldPipeline(spark, lake, checkpoints, figures -> {});

            Instant ingestedAt = Instant.parse("2024-06-01T00:00:00Z");
            try (Lease lease = Lease.take(
                    spark.sparkContext().hadoopConfiguration(),
                    Lease.fileFor(checkpoints, GoldPipeline.QUERY),
                    "the gold test")) {
                for (Phase phase : Phase.values()) {
                    GeneratedBronze.append(spark, lake, data, phase, ingestedAt.plusSeconds(phase.ordinal()));
                    silver.start(Trigger.AvailableNow()).awaitTermination();
                    gold.start(Trigger.AvailableNow(), "64k").awaitTermination();
                }
            }

            var counts = new ObjectMapper().readTree(GroundTruth.counts(data).toFile());
            assertThat(spark.read().format("delta").load(silver.eventsTable()).count())
                    .isEqualTo(counts.get(GroundTruth.SILVER_ROWS).asLong());
            assertThat(spark.read()
                            .format("delta")
                            .load(silver.quarantineTable())
                            .count())
                    .isEqualTo(counts.get(GroundTruth.QUARANTINED).asLong());
            Map<GoldPipeline.Table, List<Map<String, String>>> tables = GoldTables.readAll(spark, gold);
            for (GoldPipeline.Table table : GoldPipeline.Table.values()) {
                assertThat(tables.get(table))
                        .as("%s on s3a", table)
                        .isNotEmpty()
                        .containsExactlyInAnyOrderElementsOf(Dataset.readExpectedGold(data, table.lakeTable()));
            }
            // the tables and checkpoints are objects in the server's store, not files beside the test
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path("s3a://company-lake/");
            FileSystem store = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            assertThat(store).isInstanceOf(S3AFileSystem.class);
            for (String written : List.of(
                    LakeTable.GOLD_CUSTOMER_VALUE.location(lake) + "/_delta_log",
                    checkpoints + "/" + GoldPipeline.QUERY + "/commits",
                    checkpoints + "/" + SilverPipeline.QUERY + "/commits")) {
                assertThat(store.listStatus(new org.apache.hadoop.fs.Path(written)))
                        .as(written)
                        .isNotEmpty();
            }
        }
    }
}
