package io.clickcartel.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalSpark.class)
class RunningBatchTest {

    @Test
    void afterItsWriteABatchHasReadEachSourceRowOnceAndAReplayWhoseWriteWasCommittedHasReadNone(
            SparkSession spark, Path dir) throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        Files.write(input.resolve("a.txt"), List.of("1", "2", "3"));
        Files.write(input.resolve("b.txt"), List.of("4", "5"));
        String table = dir.resolve("t").toString();
        Path checkpoint = dir.resolve("checkpoint");
        Map<Long, Long> readByBatch = new ConcurrentHashMap<>();
        Runnable run = () -> {
            try {
                spark.readStream()
                        .format("text")
                        .load(input.toString())
                        .writeStream()
                        .option("checkpointLocation", checkpoint.toString())
                        .trigger(Trigger.AvailableNow())
                        .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) -> {
                            BatchWrites.once(
                                    batch,
                                    BatchWrites.Write.append(),
                                    table,
                                    BatchWrites.queryId(batch.sparkSession()),
                                    batchId);
                            readByBatch.put(batchId, RunningBatch.current(spark).inputRows());
                        })
                        .start()
                        .awaitTermination();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };

        run.run();
        assertThat(readByBatch).as("rows read by the write").containsExactly(entry(0L, 5L));

        // a crash after the write, before the checkpoint recorded the batch: it runs again, Delta skips its write
        Files.delete(checkpoint.resolve("commits/0"));
        Files.deleteIfExists(checkpoint.resolve("commits/.0.crc"));
        run.run();
        assertThat(readByBatch).as("rows read by the replay").containsExactly(entry(0L, 0L));
        assertThat(spark.read().format("delta").load(table).count())
                .as("rows written")
                .isEqualTo(5);
    }
}
