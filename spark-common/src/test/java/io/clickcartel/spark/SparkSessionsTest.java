package io.clickcartel.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalSpark.class)
class SparkSessionsTest {

    @Test
    void theSessionWritesAndReadsDeltaAndThinksInUtc(SparkSession spark, Path dir) {
        assertThat(spark.conf().get("spark.sql.session.timeZone")).isEqualTo("UTC");
        assertThat(spark.conf().get("spark.sql.warehouse.dir"))
                .as("no spark-warehouse/ in the working directory")
                .doesNotContain(System.getProperty("user.dir"));
        StructType schema = new StructType().add("id", DataTypes.LongType);
        String table = dir.resolve("t").toString();
        spark.createDataFrame(List.of(RowFactory.create(1L), RowFactory.create(2L)), schema)
                .write()
                .format("delta")
                .save(table);
        List<Row> rows = spark.read().format("delta").load(table).orderBy("id").collectAsList();
        assertThat(rows).extracting(r -> r.getLong(0)).containsExactly(1L, 2L);
    }

    @Test
    void localPathsGoThroughTheLocalFilesWithoutProcesses(SparkSession spark) throws Exception {
        Configuration conf = spark.sessionState().newHadoopConf();
        assertThat(FileSystem.get(URI.create("file:///"), conf)).isInstanceOf(LocalFiles.FileSystem.class);
        assertThat(FileContext.getFileContext(URI.create("file:///"), conf).getDefaultFileSystem())
                .isInstanceOf(LocalFiles.Fs.class);
    }
}
