package io.clickcartel.silver;

import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.core.BronzeColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.contract.EventContract;
import io.clickcartel.core.contract.Rule;
import io.clickcartel.datagen.Dataset;
import io.clickcartel.datagen.GeneratorConfig;
import io.clickcartel.spark.LocalSpark;
import io.clickcartel.spark.TableSchemas;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The de-duplication state follows the watermark: it plateaus instead of growing with the input; quarantined rows,
 * which share the stream's de-duplication, are never late, never duplicates and leave nothing in the state.
 */
@ExtendWith(LocalSpark.class)
class BoundedStateTest {

    private static final int BATCHES = 6;
    private static final int EVENTS_PER_BATCH = 300;

    @Test
    void dedupStateStopsGrowingWhileInputKeepsGrowing(SparkSession spark, Path dir) throws Exception {
        String lake = dir.resolve("lake").toString();
        SilverPipeline silver = silver(spark, dir, lake);
        appendBronze(spark, lake, 0); // the table must exist before the stream starts

        StreamingQuery query = silver.start(Trigger.ProcessingTime(0));
        List<Long> stateRows = new ArrayList<>();
        try {
            query.processAllAvailable();
            for (int batch = 1; batch < BATCHES; batch++) {
                appendBronze(spark, lake, batch);
                query.processAllAvailable();
                stateRows.add(query.lastProgress().stateOperators()[0].numRowsTotal());
            }
        } finally {
            query.stop();
        }

        long input = (long) BATCHES * EVENTS_PER_BATCH;
        System.out.println("dedup state rows after each batch: " + stateRows + " (input " + input + " rows)");
        assertThat(spark.read().format("delta").load(silver.eventsTable()).count())
                .isEqualTo(input);
        // an hour of event time per batch, a 10-minute delay: only about one batch of ids is ever remembered
        assertThat(stateRows.subList(2, stateRows.size()))
                .allSatisfy(rows -> assertThat(rows).isLessThanOrEqualTo(2L * EVENTS_PER_BATCH));
        assertThat(stateRows.get(stateRows.size() - 1)).isLessThan(input / 4);
    }

    @Test
    void quarantinedRowsAreNeverLateNorDuplicatesAndLeaveNoState(SparkSession spark, Path classDir) throws Exception {
        Path dir = classDir.resolve("quarantined"); // the class's folder is shared by its tests
        String lake = dir.resolve("lake").toString();
        SilverPipeline silver = silver(spark, dir, lake);
        appendBronze(spark, lake, 5); // an hour of valid events, five hours after the first hour: a watermark
        StreamingQuery query = silver.start(Trigger.ProcessingTime(0));
        StreamingQueryProgress broken;
        try {
            query.processAllAvailable();
            long stateBefore = query.lastProgress().stateOperators()[0].numRowsTotal();
            String oldButBroken = "{\"event_id\":\"old-1\",\"timestamp\":\"2024-05-01T00:00:00Z\",\"user_id\":\"c-1\","
                    + "\"event_type\":\"teleport\",\"product_id\":\"p-1\"}";
            String farFuture = "{\"event_id\":\"future-1\",\"timestamp\":\"2030-01-01T00:00:00Z\",\"user_id\":\"c-1\","
                    + "\"event_type\":\"view_product\",\"product_id\":\"p-1\"}";
            // the same broken line twice, from the same file: both are quarantined
            appendLines(spark, lake, 9, List.of("{not json", "{not json", oldButBroken, farFuture));
            query.processAllAvailable();
            broken = java.util.Arrays.stream(query.recentProgress())
                    .filter(progress -> progress.numInputRows() == 4)
                    .findFirst()
                    .orElseThrow();
            assertThat(broken.stateOperators()[0].numRowsTotal())
                    .as("state rows after the quarantined rows' batch")
                    .isLessThanOrEqualTo(stateBefore);
        } finally {
            query.stop();
        }
        assertThat(broken.stateOperators()[0].numRowsDroppedByWatermark()).isZero();
        assertThat(broken.stateOperators()[0].customMetrics().get("numDroppedDuplicateRows"))
                .isZero();
        assertThat(spark.read()
                        .format("delta")
                        .load(silver.quarantineTable())
                        .groupBy("rule")
                        .count()
                        .collectAsList())
                .extracting(row -> row.getString(0) + "=" + row.getLong(1))
                .containsExactlyInAnyOrder(
                        Rule.MALFORMED_JSON.id() + "=2",
                        Rule.EVENT_TYPE_UNKNOWN.id() + "=1",
                        Rule.TIMESTAMP_IN_FUTURE.id() + "=1");
        assertThat(spark.read().format("delta").load(silver.eventsTable()).count())
                .isEqualTo(EVENTS_PER_BATCH);
        // the far-future event did not move the watermark: still within the valid hour's event times
        assertThat(Instant.parse(broken.eventTime().get("watermark"))).isBefore(Instant.parse("2024-05-01T06:00:00Z"));
    }

    private static SilverPipeline silver(SparkSession spark, Path dir, String lake) throws java.io.IOException {
        Path reference = dir.resolve("reference");
        Dataset.generate(
                GeneratorConfig.builder()
                        .seed(1)
                        .customers(10)
                        .products(10)
                        .events(10)
                        .days(1)
                        .zipfExponent(1)
                        .meanViewsPerSession(1)
                        .cartProbability(0)
                        .purchaseProbability(0)
                        .duplicateRate(0)
                        .lateRate(0)
                        .malformedRate(0)
                        .messyRate(0)
                        .unknownCustomerRate(0)
                        .unknownProductRate(0)
                        .landingShare(0)
                        .eventsPerFile(100)
                        .build(),
                reference);
        return new SilverPipeline(
                spark,
                lake,
                dir.resolve("checkpoints").toString(),
                reference.resolve("customers.csv").toString(),
                reference.resolve("products.parquet").toString(),
                Duration.ofMinutes(10),
                EventContract.DEFAULT_MAX_FUTURE,
                "32m");
    }

    /** One hour of events per batch, each hour after the previous one. */
    private static void appendBronze(SparkSession spark, String lake, int batch) {
        Instant hour = Instant.parse("2024-05-01T00:00:00Z").plus(Duration.ofHours(batch));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            lines.add(
                    "{\"event_id\":\"b%d-%d\",\"timestamp\":\"%s\",\"user_id\":\"c-00001\",\"event_type\":\"view_product\",\"product_id\":\"p-00001\"}"
                            .formatted(batch, i, hour.plusSeconds(i * 9L)));
        }
        appendLines(spark, lake, batch, lines);
    }

    /** Lines of one landing file, stored by bronze {@code batch} seconds after 2024-06-01. */
    private static void appendLines(SparkSession spark, String lake, int batch, List<String> lines) {
        Timestamp now = Timestamp.from(Instant.parse("2024-06-01T00:00:00Z").plusSeconds(batch));
        List<Row> rows = new ArrayList<>();
        for (String line : lines) {
            rows.add(RowFactory.create(
                    line, BronzeColumns.SOURCE_FILE, null, null, null, null, "test", now, Date.valueOf("2024-06-01")));
        }
        spark.createDataFrame(rows, TableSchemas.BRONZE_EVENTS)
                .write()
                .format("delta")
                .mode("append")
                .partitionBy(BronzeColumns.INGEST_DATE)
                .save(LakeTable.BRONZE_EVENTS.location(lake));
    }
}
