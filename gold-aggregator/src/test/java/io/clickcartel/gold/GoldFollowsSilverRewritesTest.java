package io.clickcartel.gold;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.contract.EventField;
import io.clickcartel.datagen.Dataset;
import io.clickcartel.datagen.GeneratorConfig;
import io.clickcartel.datagen.Phase;
import io.clickcartel.silver.GeneratedBronze;
import io.clickcartel.silver.SilverPipeline;
import io.clickcartel.spark.LocalSpark;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gold's stream follows silver's rewrites, not only its appends, with no refresh: after a silver backfill of every
 * date brings the late events back, every gold table equals the oracle's tables for the backfilled silver; after
 * a customer's rows are deleted from silver, gold (state tables included) equals a full refresh, and the customer
 * is gone from customer_value.
 */
@ExtendWith(LocalSpark.class)
class GoldFollowsSilverRewritesTest {

    private static final String MAX_BYTES_PER_BATCH = "1m";

    @Test
    void theStreamBringsGoldToTheTruthAfterABackfillAndADeletion(SparkSession spark, Path dir) throws Exception {
        GeneratorConfig config = GoldTestData.config(31, 2_000);
        Path data = dir.resolve("data");
        Dataset.generate(config, data);
        String lake = dir.resolve("lake").toString();
        String checkpoints = dir.resolve("checkpoints").toString();
        SilverPipeline silver = GoldTestData.silver(spark, data, lake, checkpoints, config);
        GoldPipeline gold = new GoldPipeline(spark, lake, checkpoints, figures -> {});
        Instant ingestedAt = Instant.parse("2024-06-01T00:00:00Z");
        for (Phase phase : Phase.values()) { // phase by phase: the late phase comes behind the watermark
            GeneratedBronze.append(spark, lake, data, phase, ingestedAt.plusSeconds(phase.ordinal()));
            silver.start(Trigger.AvailableNow()).awaitTermination();
        }
        follow(gold);
        for (GoldPipeline.Table table : GoldPipeline.Table.values()) {
            assertThat(GoldTables.readAll(spark, gold).get(table))
                    .as("%s before the backfill", table)
                    .containsExactlyInAnyOrderElementsOf(Dataset.readExpectedGold(data, table.lakeTable()));
        }

        long tooLate = new ObjectMapper()
                .readTree(io.clickcartel.datagen.GroundTruth.counts(data).toFile())
                .get(io.clickcartel.datagen.GroundTruth.TOO_LATE)
                .asLong();
        assertThat(tooLate).as("late events for the backfill to bring back").isPositive();
        silver.backfill(config.start().minusDays(1), config.start().plusDays(config.days()));
        follow(gold);
        Map<GoldPipeline.Table, List<Map<String, String>>> afterBackfill = GoldTables.readAll(spark, gold);
        for (GoldPipeline.Table table : GoldPipeline.Table.values()) {
            List<Map<String, String>> expected = Dataset.readExpectedGoldAfterBackfill(data, table.lakeTable());
            assertThat(expected)
                    .as("the backfill changes %s", table)
                    .isNotEqualTo(Dataset.readExpectedGold(data, table.lakeTable()));
            assertThat(afterBackfill.get(table))
                    .as("%s after the backfill", table)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }

        // a customer's erasure: every row of the best customer deleted from silver
        String customer = spark.read()
                .format("delta")
                .load(gold.location(GoldPipeline.Table.CUSTOMER_VALUE))
                .orderBy("revenue_rank")
                .first()
                .getAs(EventField.USER_ID);
        DeltaTable.forPath(spark, silver.eventsTable())
                .delete(col(EventField.USER_ID).equalTo(customer));
        follow(gold);
        Map<GoldPipeline.Table, List<Map<String, String>>> afterDeletion = GoldTables.readAll(spark, gold);
        Map<LakeTable, List<Map<String, String>>> stateAfterDeletion = GoldTables.readState(spark, lake);
        assertThat(afterDeletion.get(GoldPipeline.Table.CUSTOMER_VALUE))
                .as("customer_value")
                .noneSatisfy(row -> assertThat(row.get(EventField.USER_ID)).isEqualTo(customer));
        assertThat(afterDeletion).as("the deletion changed gold").isNotEqualTo(afterBackfill);
        gold.refresh();
        assertThat(GoldTables.readAll(spark, gold))
                .as("after the deletion: continuous == full refresh")
                .isEqualTo(afterDeletion);
        assertThat(GoldTables.readState(spark, lake))
                .as("gold's state: continuous == full refresh")
                .isEqualTo(stateAfterDeletion);
    }

    private static void follow(GoldPipeline gold) throws Exception {
        gold.start(Trigger.AvailableNow(), MAX_BYTES_PER_BATCH).awaitTermination();
    }
}
