package io.clickcartel.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalSpark.class)
class DeltaVersionsTest {

    @Test
    void theLatestVersionFollowsTheNewestCheckpointAndTheCommitsAfterIt(SparkSession spark, Path dir) throws Exception {
        String table = dir.resolve("t").toString();
        assertThat(DeltaVersions.latest(spark, table)).as("no table yet").isNaN();
        for (long i = 0; i < 23; i++) {
            spark.createDataFrame(List.of(RowFactory.create(i)), new StructType().add("id", DataTypes.LongType))
                    .write()
                    .format("delta")
                    .mode("append")
                    .save(table);
            assertThat(DeltaVersions.latest(spark, table)).isEqualTo(i);
        }
        Path log = dir.resolve("t/_delta_log");
        assertThat(log.resolve("_last_checkpoint"))
                .as("Delta checkpoints every 10 commits")
                .exists();
        // the commits before the newest checkpoint, as Delta's log clean-up removes them in time: not needed
        try (Stream<Path> files = Files.list(log)) {
            for (Path commit : files.filter(f -> f.getFileName().toString().matches("0+1?[0-9]\\.json"))
                    .toList()) {
                Files.delete(commit);
            }
        }
        assertThat(DeltaVersions.latest(spark, table)).isEqualTo(22.0);
    }
}
