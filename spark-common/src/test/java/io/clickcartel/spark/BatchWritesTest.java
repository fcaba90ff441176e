package io.clickcartel.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.VersionChecksum;
import org.apache.spark.sql.delta.actions.SetTransaction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import scala.collection.JavaConverters;

@ExtendWith(LocalSpark.class)
class BatchWritesTest {

    private static final StructType SCHEMA =
            new StructType().add("batch", DataTypes.LongType).add("day", DataTypes.StringType);

    @Test
    void aReplayedBatchWritesNothingAndRunsNoSparkJobWhileTheChecksumListsTheBatch(SparkSession spark, Path dir)
            throws Exception {
        String table = dir.resolve("replays").toString();
        for (long batch = 0; batch < 3; batch++) {
            assertThat(BatchWrites.once(rows(spark, batch, "a"), BatchWrites.Write.append(), table, "app", batch))
                    .as("batch %d written", batch)
                    .isTrue();
        }

        int jobs = jobsDuring(spark, () -> {
            for (long batch = 0; batch < 3; batch++) {
                assertThat(BatchWrites.once(rows(spark, 9, "a"), BatchWrites.Write.append(), table, "app", batch))
                        .as("replay of batch %d written", batch)
                        .isFalse();
            }
        });

        assertThat(jobs).as("Spark jobs run by three replays").isZero();
        assertThat(batches(spark, table)).containsExactly(0L, 1L, 2L);
    }

    @Test
    void anIdempotentAppendRunsNoMoreSparkJobsThanAPlainOne(SparkSession spark, Path dir) throws Exception {
        String once = dir.resolve("once").toString();
        String plain = dir.resolve("plain").toString();
        for (long batch = 0; batch < 4; batch++) {
            BatchWrites.once(rows(spark, batch, "a"), BatchWrites.Write.append(), once, "app", batch);
            rows(spark, batch, "a").write().format("delta").mode("append").save(plain);
        }

        int onceJobs = jobsDuring(
                spark, () -> BatchWrites.once(rows(spark, 4, "a"), BatchWrites.Write.append(), once, "app", 4));
        int plainJobs = jobsDuring(
                spark,
                () -> rows(spark, 4, "a").write().format("delta").mode("append").save(plain));

        assertThat(onceJobs).as("jobs of the idempotent append").isEqualTo(plainJobs);
        assertThat(batches(spark, once)).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void aVersionWithoutChecksumIsAnsweredByDeltaAndTheNextChecksumListsTheBatchesAgain(SparkSession spark, Path dir)
            throws Exception {
        String table = dir.resolve("no-checksum").toString();
        BatchWrites.once(rows(spark, 0, "a"), BatchWrites.Write.append(), table, "app", 0);
        BatchWrites.once(rows(spark, 1, "a"), BatchWrites.Write.append(), table, "other", 7);
        // a crash between a commit and its checksum file: the version has none
        Files.delete(dir.resolve("no-checksum/_delta_log/00000000000000000001.crc"));
        DeltaLog.clearCache();
        assertThat(checksum(spark, table)).as("checksum of version 1").isEmpty();

        assertThat(BatchWrites.once(rows(spark, 9, "a"), BatchWrites.Write.append(), table, "app", 0))
                .as("replay of app's batch 0 written")
                .isFalse();
        assertThat(BatchWrites.once(rows(spark, 9, "a"), BatchWrites.Write.append(), table, "other", 7))
                .as("replay of other's batch 7 written")
                .isFalse();
        assertThat(BatchWrites.once(rows(spark, 2, "a"), BatchWrites.Write.append(), table, "app", 1))
                .as("app's batch 1 written")
                .isTrue();

        DeltaLog.clearCache();
        assertThat(checksum(spark, table))
                .as("set transactions in the checksum of version 2, read from its file")
                .hasValueSatisfying(listed -> assertThat(listed)
                        .extracting(SetTransaction::appId, SetTransaction::version)
                        .containsExactlyInAnyOrder(tuple("app", 1L), tuple("other", 7L)));
        assertThat(batches(spark, table)).containsExactly(0L, 1L, 2L);
    }

    @Test
    void anOverwriteOfSomePartitionsIsDeltasReplaceWhereAndIsNotRedoneByAReplay(SparkSession spark, Path dir)
            throws Exception {
        String table = dir.resolve("replace").toString();
        BatchWrites.Write byDay = BatchWrites.Write.overwrite().partitionBy("day");
        BatchWrites.once(rows(spark, 0, "a").union(rows(spark, 0, "b")), byDay, table, "app", 0);
        BatchWrites.Write dayA = byDay.option("replaceWhere", "day = 'a'");

        assertThat(BatchWrites.once(rows(spark, 1, "a"), dayA, table, "app", 1)).isTrue();
        assertThat(BatchWrites.once(rows(spark, 2, "a"), dayA, table, "app", 1))
                .as("replay written")
                .isFalse();

        assertThat(spark.read().format("delta").load(table).orderBy("day").collectAsList())
                .map(Row::toString)
                .containsExactly("[1,a]", "[0,b]");
        Row last = spark.sql("DESCRIBE HISTORY delta.`" + table + "` LIMIT 1").first();
        assertThat(last.<String>getAs("operation")).isEqualTo("WRITE");
        assertThat(last.<String, String>getJavaMap(last.fieldIndex("operationParameters")))
                .as("the commit's parameters")
                .containsEntry("mode", "Overwrite")
                .hasEntrySatisfying(
                        "predicate", predicate -> assertThat(predicate).contains("day"));
        Row detail = spark.sql("DESCRIBE DETAIL delta.`" + table + "`").first();
        assertThat(detail.<String>getList(detail.fieldIndex("partitionColumns")))
                .containsExactly("day");
    }

    private static Dataset<Row> rows(SparkSession spark, long batch, String day) {
        return spark.createDataFrame(List.of(RowFactory.create(batch, day)), SCHEMA);
    }

    private static List<Long> batches(SparkSession spark, String table) {
        return spark.read().format("delta").load(table).orderBy("batch").collectAsList().stream()
                .map(row -> row.getLong(0))
                .toList();
    }

    private static Optional<List<SetTransaction>> checksum(SparkSession spark, String table) {
        scala.Option<VersionChecksum> checksum =
                LakeTables.latestSnapshot(spark, table).checksumOpt();
        if (checksum.isEmpty() || checksum.get().setTransactions().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                JavaConverters.seqAsJavaList(checksum.get().setTransactions().get()));
    }

    /** The Spark jobs {@code work} started. */
    private static int jobsDuring(SparkSession spark, Runnable work) throws Exception {
        AtomicInteger jobs = new AtomicInteger();
        SparkListener counter = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart event) {
                jobs.incrementAndGet();
            }
        };
        spark.sparkContext().listenerBus().waitUntilEmpty();
        spark.sparkContext().addSparkListener(counter);
        try {
            work.run();
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } finally {
            spark.sparkContext().removeSparkListener(counter);
        }
        return jobs.get();
    }
}
