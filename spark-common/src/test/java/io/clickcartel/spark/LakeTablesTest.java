package io.clickcartel.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalSpark.class)
class LakeTablesTest {

    private static final StructType SCHEMA =
            new StructType().add("id", DataTypes.LongType).add("day", DataTypes.DateType);

    @Test
    void whileAnotherProcessIsCreatingTheTableItWaitsForItInsteadOfFailing(SparkSession spark, Path dir)
            throws Exception {
        Path table = dir.resolve("being-created");
        // another process's creation in flight: its log folder exists, its first commit does not yet
        Files.createDirectories(table.resolve("_delta_log"));
        assertThatThrownBy(() -> DeltaTable.createIfNotExists(spark)
                        .location(table.toString())
                        .addColumns(SCHEMA)
                        .partitionedBy("day")
                        .execute())
                .as("what Delta answers meanwhile")
                .isInstanceOf(Exception.class);

        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(
                () -> LakeTables.createIfMissing(spark, table.toString(), SCHEMA, "day", java.util.Map.of()));
        // still waiting for the other's commit three seconds on
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> !waiting.isDone());
        commitFirstVersionFromAnotherProcess(spark, table, dir.resolve("made-elsewhere"));

        assertThat(waiting.get(60, TimeUnit.SECONDS)).isEqualTo(table.toString());
        assertThat(DeltaTable.forPath(spark, table.toString()).history().count())
                .as("one creation")
                .isEqualTo(1);
    }

    @Test
    void aReaderThatFirstLookedWhileTheWriterWasCreatingTheTableSeesItOnceTheWriterCommits(SparkSession spark, Path dir)
            throws Exception {
        Path table = dir.resolve("read-while-being-created");
        // the writer's creation in flight: its log folder exists, its first commit does not yet
        Files.createDirectories(table.resolve("_delta_log"));
        // the reader's first look: Delta now keeps this path's log state, with no version
        assertThat(DeltaTable.isDeltaTable(spark, table.toString())).isFalse();

        CompletableFuture<Void> waiting =
                CompletableFuture.runAsync(() -> LakeTables.awaitCommitted(spark, table.toString()));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> !waiting.isDone());
        commitFirstVersionFromAnotherProcess(spark, table, dir.resolve("made-elsewhere-for-the-reader"));

        assertThat(waiting).as("the reader's wait ends").succeedsWithin(Duration.ofSeconds(30));
    }

    /**
     * Another process's first commit of {@code table} lands: the same creation made at {@code elsewhere}, its commit
     * file moved in at once, as a commit appears on the store.
     */
    private static void commitFirstVersionFromAnotherProcess(SparkSession spark, Path table, Path elsewhere)
            throws Exception {
        DeltaTable.create(spark)
                .location(elsewhere.toString())
                .addColumns(SCHEMA)
                .partitionedBy("day")
                .execute();
        String commit = "00000000000000000000.json";
        Files.move(
                elsewhere.resolve("_delta_log").resolve(commit),
                table.resolve("_delta_log").resolve(commit),
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void silverRecordsItsChangesAlsoWhenItsTableWasCreatedWithoutTheChangeDataFeed(SparkSession spark, Path dir) {
        String fresh = LakeTables.createSilverEventsIfMissing(
                spark, dir.resolve("fresh").toString());
        assertThat(properties(spark, fresh)).containsEntry(LakeTables.CHANGE_DATA_FEED, "true");

        // silver.events as an earlier version created it: no change data feed
        String lake = dir.resolve("older").toString();
        String older = io.clickcartel.core.LakeTable.SILVER_EVENTS.location(lake);
        DeltaTable.create(spark)
                .location(older)
                .addColumns(TableSchemas.SILVER_EVENTS)
                .execute();
        assertThat(properties(spark, older)).doesNotContainKey(LakeTables.CHANGE_DATA_FEED);
        LakeTables.createSilverEventsIfMissing(spark, lake);
        assertThat(properties(spark, older)).containsEntry(LakeTables.CHANGE_DATA_FEED, "true");
        long versions = DeltaTable.forPath(spark, older).history().count();
        LakeTables.createSilverEventsIfMissing(spark, lake);
        assertThat(DeltaTable.forPath(spark, older).history().count())
                .as("set once, not on every start")
                .isEqualTo(versions);
    }

    private static java.util.Map<String, String> properties(SparkSession spark, String table) {
        org.apache.spark.sql.Row detail =
                DeltaTable.forPath(spark, table).detail().first();
        return detail.getJavaMap(detail.fieldIndex("properties"));
    }

    @Test
    void onlyOnS3DoesAReaderWaitForTheWriterToCreateATable() {
        assertThat(LakeTables.createsRaceOnTheStore("s3a://company-lake/clickcartel/silver/events"))
                .isTrue();
        assertThat(LakeTables.createsRaceOnTheStore("/var/lib/clickcartel/silver/events"))
                .isFalse();
        assertThat(LakeTables.createsRaceOnTheStore("file:/tmp/lake/silver/events"))
                .isFalse();
        assertThat(LakeTables.createsRaceOnTheStore("abfs://lake@account.dfs.core.windows.net/silver/events"))
                .isFalse();
    }
}
