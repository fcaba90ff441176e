package io.clickcartel.gold;

import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.check.GroundTruthCheck;
import io.clickcartel.datagen.Dataset;
import io.clickcartel.datagen.GeneratorConfig;
import io.clickcartel.datagen.Phase;
import io.clickcartel.silver.GeneratedBronze;
import io.clickcartel.silver.SilverPipeline;
import io.clickcartel.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Spark layer on a real distributed Spark: a standalone master and two workers as separate JVMs, the gold
 * refresh as a client-mode driver of its own whose tasks run on executors on both workers; its gold tables equal
 * those of the same refresh in {@code local[*]} over the same silver, row for row.
 */
@ExtendWith(LocalSpark.class)
class StandaloneClusterTest {

    @Test
    void goldOnAStandaloneClusterEqualsGoldInLocalMode(SparkSession spark, Path dir) throws Exception {
        GeneratorConfig config = GoldTestData.config(11, 3_000);
        Path data = dir.resolve("data");
        Dataset.generate(config, data);
        String lake = dir.resolve("lake").toString();
        String checkpoints = dir.resolve("checkpoints").toString();
        SilverPipeline silver = GoldTestData.silver(spark, data, lake, checkpoints, config);
        for (Phase phase : Phase.values()) {
            GeneratedBronze.append(spark, lake, data, phase, Instant.parse("2024-06-01T00:00:00Z"));
        }
        // silver in one run: this test compares two gold runs, not gold with the oracle
        silver.start(org.apache.spark.sql.streaming.Trigger.AvailableNow()).awaitTermination();
        GoldPipeline local = new GoldPipeline(spark, lake, checkpoints, figures -> {});
        local.refresh();

        Path clusterLake = dir.resolve("cluster-lake");
        copy(dir.resolve("lake/silver"), clusterLake.resolve("silver"));
        GoldPipeline onCluster = new GoldPipeline(spark, clusterLake.toString(), checkpoints, figures -> {});
        Path log = dir.resolve("driver.log");
        try (StandaloneCluster cluster = new StandaloneCluster(dir.resolve("cluster"), 2)) {
            int exit = cluster.runDriver(
                    log,
                    ClusterRefreshMain.class,
                    cluster.masterUrl(),
                    clusterLake.toString(),
                    dir.resolve("cluster-checkpoints").toString(),
                    "2");
            assertThat(exit)
                    .as("the driver's exit code; its log:%n%s", Files.readString(log))
                    .isZero();
        }
        Files.readAllLines(log).stream()
                .filter(line -> line.startsWith("refresh: ") || line.startsWith("executors "))
                .forEach(line -> System.out.println("cluster driver: " + line));
        assertThat(Files.readAllLines(log))
                .as("tasks ran on both workers' executors")
                .anySatisfy(line -> assertThat(line).startsWith("executors with tasks: 2 "));

        for (GoldPipeline.Table table : GoldPipeline.Table.values()) {
            assertThat(GroundTruthCheck.canonicalRows(spark, onCluster.location(table)))
                    .as("%s computed on the cluster", table)
                    .isNotEmpty()
                    .containsExactlyInAnyOrderElementsOf(GroundTruthCheck.canonicalRows(spark, local.location(table)));
        }
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
