package io.clickcartel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SparkConfTest {

    @Test
    void settingsAreKeyValuePairsAndABrokenOneIsNamed() {
        assertThat(SparkConf.parse(" a.b=1, c = x=y ,")).containsExactly(Map.entry("a.b", "1"), Map.entry("c", "x=y"));
        assertThat(SparkConf.parse(" ")).isEmpty();
        assertThat(SparkConf.parse(null)).isEmpty();
        assertThatThrownBy(() -> SparkConf.parse("a=1,oops")).hasMessageContaining("'oops' is not key=value");
    }

    @Test
    void hadoopSettingsAreTheSparkHadoopEntriesWithoutTheirPrefix() {
        assertThat(SparkConf.hadoopSettings(SparkConf.parse(
                        "spark.sql.shuffle.partitions=8,spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:9000,"
                                + "spark.hadoop.fs.s3a.path.style.access=true,spark.hadoop.=x")))
                .containsExactly(
                        Map.entry("fs.s3a.endpoint", "http://127.0.0.1:9000"),
                        Map.entry("fs.s3a.path.style.access", "true"));
    }
}
