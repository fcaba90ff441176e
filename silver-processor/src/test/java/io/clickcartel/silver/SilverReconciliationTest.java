package io.clickcartel.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.BatchColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.contract.EventContract;
import io.clickcartel.datagen.Dataset;
import io.clickcartel.datagen.GeneratorConfig;
import io.clickcartel.datagen.Phase;
import io.clickcartel.spark.LocalSpark;
import io.delta.tables.DeltaTable;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * End to end from bronze: a generated data set, delivered phase by phase, streamed through silver; every count and
 * every product/day figure must equal the oracle's, and bronze = silver + quarantined + duplicates + late, in the
 * query's progress and in the data-quality log (ops.silver_batches), which a replayed batch does not double.
 */
@ExtendWith(LocalSpark.class)
class SilverReconciliationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void silverEqualsTheOracleAndEveryBronzeRowIsAccountedFor(SparkSession spark, Path dir) throws Exception {
        GeneratorConfig config = GeneratorConfig.builder()
                .seed(21)
                .customers(400)
                .products(120)
                .events(8_000)
                .days(2)
                .duplicateRate(0.04)
                .lateRate(0.01)
                .malformedRate(0.03)
                .messyRate(0.1)
                .unknownCustomerRate(0.02)
                .unknownProductRate(0.02)
                .landingShare(0.3)
                .eventsPerFile(3_000)
                .build();
        Path data = dir.resolve("data");
        Dataset.generate(config, data);
        JsonNode expected = JSON.readTree(data.resolve("expected/counts.json").toFile());
        for (String mess : List.of(
                "quarantined",
                "duplicates_removed",
                "too_late",
                "silver_unknown_customer_rows",
                "silver_unknown_product_rows")) {
            assertThat(expected.get(mess).asLong())
                    .as("the data set has %s", mess)
                    .isPositive();
        }
        String lake = dir.resolve("lake").toString();
        SilverPipeline silver = new SilverPipeline(
                spark,
                lake,
                dir.resolve("checkpoints").toString(),
                data.resolve("customers.csv").toString(),
                data.resolve("products.parquet").toString(),
                config.watermarkDelay(),
                EventContract.DEFAULT_MAX_FUTURE,
                "32m");

        long bronzeRows = 0;
        long duplicates = 0;
        long late = 0;
        Instant ingestedAt = Instant.parse("2024-06-01T00:00:00Z");
        for (Phase phase : Phase.values()) {
            bronzeRows += GeneratedBronze.append(spark, lake, data, phase, ingestedAt.plusSeconds(phase.ordinal()));
            StreamingQuery events = silver.start(Trigger.AvailableNow());
            events.awaitTermination();
            for (StreamingQueryProgress progress : events.recentProgress()) {
                for (StateOperatorProgress state : progress.stateOperators()) {
                    late += state.numRowsDroppedByWatermark();
                    duplicates += state.customMetrics().getOrDefault("numDroppedDuplicateRows", 0L);
                }
            }
        }

        var silverEvents = spark.read().format("delta").load(silver.eventsTable());
        var quarantine = spark.read().format("delta").load(silver.quarantineTable());
        long silverRows = silverEvents.count();
        long quarantined = quarantine.count();
        assertThat(bronzeRows).isEqualTo(expected.get("bronze_rows").asLong());
        assertThat(silverRows).isEqualTo(expected.get("silver_rows").asLong());
        assertThat(quarantined).isEqualTo(expected.get("quarantined").asLong());
        assertThat(duplicates).isEqualTo(expected.get("duplicates_removed").asLong());
        assertThat(late).isEqualTo(expected.get("too_late").asLong());
        assertThat(bronzeRows).isEqualTo(silverRows + quarantined + duplicates + late);
        assertThat(byKey(quarantine.groupBy("rule").count().collectAsList()))
                .isEqualTo(counts(expected.get("quarantined_by_rule")));
        assertThat(byKey(silverEvents
                        .groupBy(col("event_date").cast("string"))
                        .count()
                        .collectAsList()))
                .isEqualTo(counts(expected.get("silver_rows_by_date")));
        assertThat(silverEvents.where(col("known_customer").equalTo(false)).count())
                .isEqualTo(expected.get("silver_unknown_customer_rows").asLong());
        assertThat(silverEvents.where(col("known_product").equalTo(false)).count())
                .isEqualTo(expected.get("silver_unknown_product_rows").asLong());
        assertThat(quarantine.where(col("reason").isNull()).count()).isZero();

        assertProductDailyMatches(
                silverEvents,
                JSON.readTree(data.resolve("expected/product_daily.json").toFile()));

        // the data-quality log holds the same books, written with the batches of four runs of the query
        var log = spark.read().format("delta").load(LakeTable.OPS_SILVER_BATCHES.location(lake));
        Map<String, Long> books = books(log);
        assertThat(books)
                .containsEntry("input", bronzeRows)
                .containsEntry("written", silverRows)
                .containsEntry("quarantined", quarantined)
                .containsEntry("duplicates", duplicates)
                .containsEntry("late", late)
                .containsEntry("entries", books.get("batches"));
        assertThat(byKey(log.select(explode(col(BatchColumns.QUARANTINED_BY_RULE)))
                        .groupBy("key")
                        .agg(sum("value"))
                        .collectAsList()))
                .isEqualTo(counts(expected.get("quarantined_by_rule")));
        assertThat(log.agg(max(col(BatchColumns.TABLE_VERSIONS).getItem("silver.events")))
                        .first()
                        .getLong(0))
                .as("the last batch's entry names the version it wrote")
                .isEqualTo(DeltaTable.forPath(spark, silver.eventsTable())
                        .history(1)
                        .first()
                        .getAs("version"));

        // a crash after the last batch's writes, before Spark recorded it done: the restart replays that batch,
        // which writes no row twice, neither into silver nor into the log
        Path commits = dir.resolve("checkpoints").resolve(SilverPipeline.QUERY).resolve("commits");
        long lastBatch = log.agg(max(BatchColumns.BATCH_ID)).first().getLong(0);
        Files.delete(commits.resolve(Long.toString(lastBatch)));
        Files.delete(commits.resolve("." + lastBatch + ".crc"));
        StreamingQuery replay = silver.start(Trigger.AvailableNow());
        replay.awaitTermination();
        assertThat(replay.recentProgress())
                .extracting(StreamingQueryProgress::batchId)
                .contains(lastBatch);
        assertThat(spark.read().format("delta").load(silver.eventsTable()).count())
                .isEqualTo(silverRows);
        assertThat(books(spark.read().format("delta").load(LakeTable.OPS_SILVER_BATCHES.location(lake))))
                .isEqualTo(books);

        // backfill without a watermark brings the late events back, exactly once
        List<String> dates = counts(expected.get("backfill_silver_rows_by_date")).keySet().stream()
                .toList();
        silver.backfill(LocalDate.parse(dates.get(0)), LocalDate.parse(dates.get(dates.size() - 1)));
        var backfilled = spark.read().format("delta").load(silver.eventsTable());
        assertThat(byKey(backfilled
                        .groupBy(col("event_date").cast("string"))
                        .count()
                        .collectAsList()))
                .isEqualTo(counts(expected.get("backfill_silver_rows_by_date")));
        assertThat(backfilled.select("event_id").distinct().count()).isEqualTo(backfilled.count());
    }

    private static void assertProductDailyMatches(org.apache.spark.sql.Dataset<Row> silverEvents, JsonNode expected) {
        Map<String, List<Object>> actual = new TreeMap<>();
        for (Row row : silverEvents
                .groupBy(col("event_date").cast("string").as("d"), col("product_id"))
                .agg(
                        count(when(col("event_type").equalTo("view_product"), 1)),
                        count(when(col("event_type").equalTo("add_to_cart"), 1)),
                        count(when(col("event_type").equalTo("purchase"), 1)),
                        sum(when(col("event_type").equalTo("purchase"), col("quantity"))
                                .otherwise(0)),
                        sum(col("revenue")))
                .collectAsList()) {
            actual.put(
                    row.getString(0) + "/" + row.getString(1),
                    List.of(
                            row.getLong(2),
                            row.getLong(3),
                            row.getLong(4),
                            row.getLong(5),
                            row.getDecimal(6).stripTrailingZeros()));
        }
        Map<String, List<Object>> wanted = new TreeMap<>();
        for (JsonNode row : expected) {
            wanted.put(
                    row.get("event_date").asText() + "/" + row.get("product_id").asText(),
                    List.of(
                            row.get("views").asLong(),
                            row.get("carts").asLong(),
                            row.get("purchases").asLong(),
                            row.get("units_sold").asLong(),
                            new BigDecimal(row.get("revenue").asText()).stripTrailingZeros()));
        }
        assertThat(actual).isEqualTo(wanted);
    }

    private static Map<String, Long> books(org.apache.spark.sql.Dataset<Row> log) {
        Row row = log.agg(
                        sum(BatchColumns.INPUT_ROWS),
                        sum(BatchColumns.WRITTEN_ROWS),
                        sum(BatchColumns.QUARANTINED_ROWS),
                        sum(BatchColumns.DUPLICATES_REMOVED),
                        sum(BatchColumns.TOO_LATE),
                        count("*"),
                        countDistinct(col(BatchColumns.QUERY_ID), col(BatchColumns.BATCH_ID)))
                .first();
        List<String> names = List.of("input", "written", "quarantined", "duplicates", "late", "entries", "batches");
        Map<String, Long> books = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            books.put(names.get(i), row.getLong(i));
        }
        return books;
    }

    private static Map<String, Long> byKey(List<Row> rows) {
        Map<String, Long> result = new TreeMap<>();
        rows.forEach(row -> result.put(row.getString(0), row.getLong(1)));
        return result;
    }

    private static Map<String, Long> counts(JsonNode node) {
        return new TreeMap<>(JSON.convertValue(node, new TypeReference<Map<String, Long>>() {}));
    }
}
