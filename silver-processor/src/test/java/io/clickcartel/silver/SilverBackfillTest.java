package io.clickcartel.silver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.contract.EventContract;
import io.clickcartel.datagen.Dataset;
import io.clickcartel.datagen.GeneratorConfig;
import io.clickcartel.datagen.Phase;
import io.clickcartel.spark.LocalSpark;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A backfill derives silver only from the bronze the events stream has already written into silver: run while
 * silver is behind, it leaves the rest to the stream, which appends it once — silver still equals the oracle, no
 * event twice. It refuses where it cannot tell what the stream wrote.
 */
@ExtendWith(LocalSpark.class)
class SilverBackfillTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant INGESTED_AT = Instant.parse("2024-06-01T00:00:00Z");

    @Test
    void aBackfillWhileSilverIsBehindTakesOnlyWhatTheStreamWroteAndTheStreamAppendsTheRestOnce(
            SparkSession spark, Path dir) throws Exception {
        GeneratorConfig config = config(3_000);
        Path data = dir.resolve("data");
        Dataset.generate(config, data);
        JsonNode expected = JSON.readTree(data.resolve("expected/counts.json").toFile());
        String lake = dir.resolve("lake").toString();
        SilverPipeline silver = silver(spark, data, lake, dir.resolve("checkpoints"), config, "32m");
        LocalDate from = config.start().minusDays(1);
        LocalDate to = config.start().plusDays(config.days());

        GeneratedBronze.append(spark, lake, data, Phase.MAIN_HTTP, INGESTED_AT);
        assertThatThrownBy(() -> silver.backfill(from, to))
                .as("before the stream ever ran")
                .isInstanceOf(WrittenBronze.NotAtAVersionException.class)
                .hasMessageContaining("has not run yet");

        silver.start(Trigger.AvailableNow()).awaitTermination();
        long streamed = count(spark, silver);
        // silver falls behind: bronze gains a phase the stream has not read
        GeneratedBronze.append(spark, lake, data, Phase.MAIN_LANDING, INGESTED_AT.plusSeconds(1));
        assertThat(silver.backfill(from, to))
                .as("rows the backfill wrote: only the streamed phase's")
                .isEqualTo(streamed);
        assertThat(count(spark, silver)).isEqualTo(streamed);

        silver.start(Trigger.AvailableNow()).awaitTermination();
        GeneratedBronze.append(spark, lake, data, Phase.LATE_HTTP, INGESTED_AT.plusSeconds(2));
        silver.start(Trigger.AvailableNow()).awaitTermination();
        var events = spark.read().format("delta").load(silver.eventsTable());
        assertThat(events.count())
                .as("silver rows")
                .isEqualTo(expected.get("silver_rows").asLong());
        assertThat(events.select("event_id").distinct().count())
                .as("distinct events")
                .isEqualTo(events.count());
    }

    @Test
    void aBackfillRefusesWhileTheStreamStoppedInsideABronzeVersion(SparkSession spark, Path dir) throws Exception {
        GeneratorConfig config = config(1_000);
        Path data = dir.resolve("data");
        Dataset.generate(config, data);
        String lake = dir.resolve("lake").toString();
        // one file per batch: a bronze version of several files takes several batches
        SilverPipeline silver = silver(spark, data, lake, dir.resolve("checkpoints"), config, "1b");
        GeneratedBronze.append(spark, lake, data, Phase.MAIN_HTTP, INGESTED_AT);
        String bronze = LakeTable.BRONZE_EVENTS.location(lake);
        assertThat(DeltaTable.forPath(spark, bronze).detail().first().<Long>getAs("numFiles"))
                .as("files in bronze's version")
                .isGreaterThan(1);

        StreamingQuery first =
                silver.start(Trigger.ProcessingTime(Duration.ofHours(1).toMillis()));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofMinutes(2))
                .until(() ->
                        first.lastProgress() != null && first.lastProgress().numInputRows() > 0);
        first.stop();
        assertThatThrownBy(() -> silver.backfill(config.start(), config.start().plusDays(config.days())))
                .isInstanceOf(WrittenBronze.NotAtAVersionException.class)
                .hasMessageContaining("part-way");

        silver.start(Trigger.AvailableNow()).awaitTermination();
        long streamed = count(spark, silver);
        // batch by batch the watermark moved on within the phase, so the backfill brings late events back
        assertThat(silver.backfill(config.start().minusDays(1), config.start().plusDays(config.days())))
                .as("once caught up, the backfill runs")
                .isGreaterThanOrEqualTo(streamed);
        var events = spark.read().format("delta").load(silver.eventsTable());
        assertThat(events.select("event_id").distinct().count())
                .as("distinct events")
                .isEqualTo(events.count());
    }

    private static GeneratorConfig config(int events) {
        return GeneratorConfig.builder()
                .seed(13)
                .customers(200)
                .products(60)
                .events(events)
                .days(2)
                .duplicateRate(0.04)
                .lateRate(0.01)
                .malformedRate(0.03)
                .messyRate(0.1)
                .unknownCustomerRate(0.02)
                .unknownProductRate(0.02)
                .landingShare(0.3)
                .eventsPerFile(1_000)
                .build();
    }

    private static SilverPipeline silver(
            SparkSession spark,
            Path data,
            String lake,
            Path checkpoints,
            GeneratorConfig config,
            String maxBytesPerTrigger) {
        return new SilverPipeline(
                spark,
                lake,
                checkpoints.toString(),
                data.resolve("customers.csv").toString(),
                data.resolve("products.parquet").toString(),
                config.watermarkDelay(),
                EventContract.DEFAULT_MAX_FUTURE,
                maxBytesPerTrigger);
    }

    private static long count(SparkSession spark, SilverPipeline silver) {
        return spark.read().format("delta").load(silver.eventsTable()).count();
    }
}
