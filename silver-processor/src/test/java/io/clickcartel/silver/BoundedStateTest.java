package io.clickcartel.silver;

import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.core.BronzeColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.contract.EventContract;
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
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The de-duplication state follows the watermark: it plateaus instead of growing with the input. */
@ExtendWith(LocalSpark.class)
class BoundedStateTest {

    private static final int BATCHES = 6;
    private static final int EVENTS_PER_BATCH = 300;

    @Test
    void dedupStateStopsGrowingWhileInputKeepsGrowing(SparkSession spark, Path dir) throws Exception {
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
        String lake = dir.resolve("lake").toString();
        SilverPipeline silver = new SilverPipeline(
                spark,
                lake,
                dir.resolve("checkpoints").toString(),
                reference.resolve("customers.csv").toString(),
                reference.resolve("products.parquet").toString(),
                Duration.ofMinutes(10),
                EventContract.DEFAULT_MAX_FUTURE,
                "32m");
        appendBronze(spark, lake, 0); // the table must exist before the stream starts

        StreamingQuery query = silver.startEvents(Trigger.ProcessingTime(0));
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

    /** One hour of events per batch, each hour after the previous one. */
    private static void appendBronze(SparkSession spark, String lake, int batch) {
        Instant hour = Instant.parse("2024-05-01T00:00:00Z").plus(Duration.ofHours(batch));
        Timestamp now = Timestamp.from(Instant.parse("2024-06-01T00:00:00Z").plusSeconds(batch));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            String json =
                    "{\"event_id\":\"b%d-%d\",\"timestamp\":\"%s\",\"user_id\":\"c-00001\",\"event_type\":\"view_product\",\"product_id\":\"p-00001\"}"
                            .formatted(batch, i, hour.plusSeconds(i * 9L));
            rows.add(RowFactory.create(
                    json, BronzeColumns.SOURCE_FILE, null, null, null, null, "test", now, Date.valueOf("2024-06-01")));
        }
        spark.createDataFrame(rows, TableSchemas.BRONZE_EVENTS)
                .write()
                .format("delta")
                .mode("append")
                .partitionBy(BronzeColumns.INGEST_DATE)
                .save(LakeTable.BRONZE_EVENTS.location(lake));
    }
}
