package io.clickcartel.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clickcartel.core.LakeTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalSpark.class)
class LakeMaintenanceTest {

    private static final StructType ROWS = new StructType().add("id", DataTypes.LongType);

    @Test
    void maintenanceBesideARunningStreamCompactsAppendedTablesAndLosesNoRowNorAnyVersion(SparkSession spark, Path dir)
            throws Exception {
        String lake = dir.resolve("lake").toString();
        String bronze = LakeTable.BRONZE_EVENTS.location(lake);
        String gold = LakeTable.GOLD_PRODUCT_DAILY.location(lake);
        for (long batch = 0; batch < 6; batch++) {
            append(spark, bronze, batch);
        }
        append(spark, gold, 0);
        append(spark, gold, 1);
        long goldFiles = files(spark, gold);
        // a stream reads bronze, as silver does, while maintenance and more appends run
        StreamingQuery reader = spark.readStream()
                .format("delta")
                .option("maxFilesPerTrigger", 2)
                .load(bronze)
                .writeStream()
                .format("delta")
                .option("checkpointLocation", dir.resolve("checkpoint").toString())
                .trigger(Trigger.ProcessingTime(200))
                .start(dir.resolve("copy").toString());
        try {
            long beforeMaintenance = version(spark, bronze);
            List<Row> atThatVersion = rowsAt(spark, bronze, beforeMaintenance);
            List<LakeMaintenance.Outcome> outcomes = new ArrayList<>();
            CompletableFuture<Void> appends = CompletableFuture.runAsync(() -> {
                for (long batch = 6; batch < 10; batch++) {
                    append(spark, bronze, batch);
                }
            });
            LakeMaintenance.run(spark, lake, LakeMaintenance.MINIMUM_RETENTION, outcomes::add);
            appends.get();

            assertThat(outcomes)
                    .extracting(LakeMaintenance.Outcome::table)
                    .containsExactly(LakeTable.BRONZE_EVENTS, LakeTable.GOLD_PRODUCT_DAILY);
            LakeMaintenance.Outcome compacted = outcomes.get(0);
            assertThat(compacted.filesAfter()).isLessThan(compacted.filesBefore());
            assertThat(outcomes.get(1).filesAfter())
                    .as("gold is vacuumed, not compacted")
                    .isEqualTo(goldFiles);
            // every row once, in the table and through the stream that read it during the compaction
            List<Long> expected = LongStream.range(0, 10 * 50).boxed().toList();
            assertThat(ids(spark.read().format("delta").load(bronze))).containsExactlyInAnyOrderElementsOf(expected);
            reader.processAllAvailable();
            assertThat(ids(spark.read().format("delta").load(dir.resolve("copy").toString())))
                    .containsExactlyInAnyOrderElementsOf(expected);
            // time travel within the retention still reads what the table held before maintenance
            assertThat(rowsAt(spark, bronze, beforeMaintenance)).containsExactlyInAnyOrderElementsOf(atThatVersion);
        } finally {
            reader.stop();
        }
    }

    /**
     * What docs/operations.md promises for {@code CLICKCARTEL_SPARK_CONF=spark.databricks.delta.autoCompact.enabled=true}:
     * appends compact their table as they go, and a stream reading it still sees every row once.
     */
    @Test
    void autoCompactionKeepsAnAppendedTableCompactAndAReadingStreamWhole(SparkSession spark, Path dir)
            throws Exception {
        String bronze = LakeTable.BRONZE_EVENTS.location(dir.resolve("auto").toString());
        String copy = dir.resolve("auto-copy").toString();
        spark.conf().set("spark.databricks.delta.autoCompact.enabled", "true");
        spark.conf().set("spark.databricks.delta.autoCompact.minNumFiles", "6");
        StreamingQuery reader = null;
        try {
            append(spark, bronze, 0);
            reader = spark.readStream()
                    .format("delta")
                    .load(bronze)
                    .writeStream()
                    .format("delta")
                    .option("checkpointLocation", dir.resolve("auto-checkpoint").toString())
                    .trigger(Trigger.ProcessingTime(200))
                    .start(copy);
            for (long batch = 1; batch < 12; batch++) {
                append(spark, bronze, batch);
            }
            reader.processAllAvailable();

            // 12 appends of 2 files each, compacted whenever 6 small files gathered
            assertThat(files(spark, bronze)).isLessThan(6);
            List<Long> expected = LongStream.range(0, 12 * 50).boxed().toList();
            assertThat(ids(spark.read().format("delta").load(bronze))).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(ids(spark.read().format("delta").load(copy))).containsExactlyInAnyOrderElementsOf(expected);
        } finally {
            if (reader != null) {
                reader.stop();
            }
            spark.conf().unset("spark.databricks.delta.autoCompact.enabled");
            spark.conf().unset("spark.databricks.delta.autoCompact.minNumFiles");
        }
    }

    @Test
    void aRetentionUnderDeltasFloorIsRefusedBeforeAnythingIsTouched(SparkSession spark, Path dir) {
        String lake = dir.resolve("refused").toString();
        append(spark, LakeTable.BRONZE_EVENTS.location(lake), 0);
        assertThatThrownBy(() -> LakeMaintenance.run(spark, lake, Duration.ofHours(1), outcome -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("under Delta's floor of 7 days");
        assertThat(version(spark, LakeTable.BRONZE_EVENTS.location(lake))).isZero();
    }

    private static void append(SparkSession spark, String table, long batch) {
        List<Row> rows = LongStream.range(batch * 50, batch * 50 + 50)
                .mapToObj(RowFactory::create)
                .toList();
        spark.createDataFrame(rows, ROWS)
                .repartition(2)
                .write()
                .format("delta")
                .mode("append")
                .save(table);
    }

    private static long files(SparkSession spark, String table) {
        return io.delta.tables.DeltaTable.forPath(spark, table).detail().first().<Long>getAs("numFiles");
    }

    private static long version(SparkSession spark, String table) {
        return io.delta.tables.DeltaTable.forPath(spark, table)
                .history(1)
                .first()
                .<Long>getAs("version");
    }

    private static List<Row> rowsAt(SparkSession spark, String table, long version) {
        return spark.read()
                .format("delta")
                .options(Map.of("versionAsOf", Long.toString(version)))
                .load(table)
                .collectAsList();
    }

    private static List<Long> ids(Dataset<Row> rows) {
        return rows.collectAsList().stream().map(row -> row.getLong(0)).toList();
    }
}
