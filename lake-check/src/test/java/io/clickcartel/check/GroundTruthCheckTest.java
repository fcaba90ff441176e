package io.clickcartel.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clickcartel.core.LakeTable;
import io.clickcartel.datagen.GroundTruth;
import io.clickcartel.spark.LocalSpark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * The check on a small literal lake and ground truth: equal when every count and row agrees in canonical text, and
 * each kind of difference named.
 */
@ExtendWith(LocalSpark.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroundTruthCheckTest {

    /** One row per gold table, as SQL, and the same row as the oracle writes it. */
    private static final Map<LakeTable, String[]> GOLD = Map.of(
            LakeTable.GOLD_PRODUCT_DAILY,
                    new String[] {
                        "select date'2026-11-30' event_date, 'p1' product_id, cast(12.5 as decimal(18,2)) revenue, 3L views",
                        "{\"event_date\":\"2026-11-30\",\"product_id\":\"p1\",\"revenue\":\"12.50\",\"views\":\"3\"}"
                    },
            LakeTable.GOLD_FUNNEL_DAILY,
                    new String[] {
                        "select date'2026-11-30' event_date, 0.25d view_to_cart",
                        "{\"event_date\":\"2026-11-30\",\"view_to_cart\":\"0.25\"}"
                    },
            LakeTable.GOLD_JOURNEY_DAILY,
                    new String[] {
                        "select timestamp'2026-11-30 23:59:58' session_start, cast(null as string) path",
                        "{\"session_start\":\"2026-11-30T23:59:58Z\",\"path\":null}"
                    },
            LakeTable.GOLD_PURCHASE_PATHS,
                    new String[] {
                        "select 'view>cart>purchase' path, 2 purchases",
                        "{\"path\":\"view>cart>purchase\",\"purchases\":\"2\"}"
                    },
            LakeTable.GOLD_CUSTOMER_VALUE,
                    new String[] {
                        "select 'c1' user_id, 'champion' segment", "{\"user_id\":\"c1\",\"segment\":\"champion\"}"
                    });

    private String lake;
    private Path dataset;

    @BeforeAll
    void aLakeOfFiveAcceptedEvents(SparkSession spark, Path dir) throws IOException {
        lake = dir.resolve("lake").toString();
        dataset = dir.resolve("data");
        spark.sql("select id from range(5)").write().format("delta").save(LakeTable.BRONZE_EVENTS.location(lake));
        spark.sql("select id from range(3)").write().format("delta").save(LakeTable.SILVER_EVENTS.location(lake));
        spark.sql("select 1 id").write().format("delta").save(LakeTable.SILVER_QUARANTINE.location(lake));
        writeSilverLog(spark, 1, 0);
        for (var table : GOLD.entrySet()) {
            spark.sql(table.getValue()[0])
                    .write()
                    .format("delta")
                    .save(table.getKey().location(lake));
            writeTruth(table.getKey(), "[" + table.getValue()[1] + "]");
        }
        Files.writeString(
                GroundTruth.counts(dataset),
                "{\"bronze_rows\":5,\"silver_rows\":3,\"quarantined\":1," + "\"duplicates_removed\":1,\"too_late\":0}");
    }

    /** Silver's data-quality log: two batches, which removed {@code duplicates} and {@code late} between them. */
    private void writeSilverLog(SparkSession spark, long duplicates, long late) {
        spark.sql("select 0L batch_id, 0L duplicates_removed, 0L too_late union all select 1L, " + duplicates + "L, "
                        + late + "L")
                .write()
                .format("delta")
                .mode("overwrite")
                .save(LakeTable.OPS_SILVER_BATCHES.location(lake));
    }

    private void writeTruth(LakeTable table, String rows) throws IOException {
        Files.createDirectories(GroundTruth.gold(dataset, table).getParent());
        Files.writeString(GroundTruth.gold(dataset, table), rows);
    }

    @Test
    void equalCountsAndRowsMatch(SparkSession spark) throws IOException {
        GroundTruthCheck check = GroundTruthCheck.run(spark, lake, dataset);
        assertThat(check.matches()).as(check.text()).isTrue();
        assertThat(check.text())
                .contains("accepted 5 = silver + quarantined + duplicates + late = 5  ok")
                .endsWith("matches ground truth")
                .doesNotContain("MISMATCH", "DIFFERENT");
        assertThat(check.text().lines().filter(line -> line.startsWith("gold.")))
                .hasSize(GroundTruth.GOLD_TABLES.size())
                .allSatisfy(line -> assertThat(line).endsWith("equal"));
    }

    @Test
    void aLoggedRemovalThatDoesNotAddUpIsAMismatch(SparkSession spark) throws IOException {
        writeSilverLog(spark, 0, 0);
        try {
            GroundTruthCheck check = GroundTruthCheck.run(spark, lake, dataset);
            assertThat(check.matches()).isFalse();
            assertThat(check.text())
                    .containsPattern("duplicates removed +0 +1  MISMATCH")
                    .contains("accepted 5 = silver + quarantined + duplicates + late = 4  MISMATCH")
                    .endsWith("DOES NOT match ground truth");
        } finally {
            writeSilverLog(spark, 1, 0);
        }
    }

    @Test
    void aGoldValueInAnotherTextFormIsADifferenceNamingTheRow(SparkSession spark) throws IOException {
        writeTruth(
                LakeTable.GOLD_PRODUCT_DAILY,
                "[{\"event_date\":\"2026-11-30\",\"product_id\":\"p1\",\"revenue\":\"12.5\",\"views\":\"3\"}]");
        try {
            GroundTruthCheck check = GroundTruthCheck.run(spark, lake, dataset);
            assertThat(check.matches()).isFalse();
            assertThat(check.text())
                    .contains("gold.product_daily", "DIFFERENT: ", "revenue=12.5")
                    .endsWith("DOES NOT match ground truth");
        } finally {
            writeTruth(LakeTable.GOLD_PRODUCT_DAILY, "[" + GOLD.get(LakeTable.GOLD_PRODUCT_DAILY)[1] + "]");
        }
    }

    @Test
    void aMissingGroundTruthFileIsAnError(SparkSession spark, Path dir) {
        assertThatThrownBy(() -> GroundTruthCheck.run(spark, lake, dir.resolve("nothing-generated-here")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void theCommandLineAnswersWithExitCodes(SparkSession spark, Path dir) {
        assertThat(execute("--help")).isZero();
        assertThat(out.toString()).contains("Usage: check", "DATASET", "data-quality", "--lake", "--spark-conf");
        assertThat(execute("--spark-conf", "oops", "--lake", lake, dataset.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--spark-conf: Spark setting 'oops' is not key=value");
        assertThat(execute("--lake", lake)).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'DATASET'");
        assertThat(execute("--lake", lake, dataset.toString())).isZero();
        assertThat(out.toString()).contains("matches ground truth");
        writeSilverLog(spark, 0, 0);
        try {
            assertThat(execute("--lake", lake, dataset.toString())).isEqualTo(1);
        } finally {
            writeSilverLog(spark, 1, 0);
        }
        assertThat(execute("--lake", dir.resolve("no-lake").toString(), dataset.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("check: the lake cannot be read");
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine commandLine = new CommandLine(new LakeCheck());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
