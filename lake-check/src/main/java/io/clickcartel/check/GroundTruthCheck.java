package io.clickcartel.check;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.BatchColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.datagen.CanonicalText;
import io.clickcartel.datagen.GroundTruth;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Compares the lake with a generated data set's ground truth: the layer counts (every accepted event is in silver,
 * in quarantine, removed as a duplicate or dropped as too late) and every gold table row by row.
 */
public final class GroundTruthCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> lines = new ArrayList<>();
    private boolean matches = true;

    private GroundTruthCheck() {}

    /**
     * What silver removed is in no table of events: it is read from silver's data-quality log (ops.silver_batches),
     * whose entries survive the stream's restarts.
     */
    public static GroundTruthCheck run(SparkSession spark, String lake, Path dataset) throws IOException {
        GroundTruthCheck check = new GroundTruthCheck();
        JsonNode expected = JSON.readTree(GroundTruth.counts(dataset).toFile());
        long bronze = count(spark, LakeTable.BRONZE_EVENTS.location(lake));
        long silver = count(spark, LakeTable.SILVER_EVENTS.location(lake));
        long quarantined = count(spark, LakeTable.SILVER_QUARANTINE.location(lake));
        Row removed = spark.read()
                .format("delta")
                .load(LakeTable.OPS_SILVER_BATCHES.location(lake))
                .agg(
                        coalesce(sum(BatchColumns.DUPLICATES_REMOVED), lit(0L)),
                        coalesce(sum(BatchColumns.TOO_LATE), lit(0L)))
                .first();
        long duplicates = removed.getLong(0);
        long late = removed.getLong(1);
        check.lines.add(String.format("%-34s %12s %14s", "reconciliation", "measured", "ground truth"));
        check.compare(
                "accepted (bronze rows)",
                bronze,
                expected.get(GroundTruth.BRONZE_ROWS).asLong());
        check.compare(
                "silver rows", silver, expected.get(GroundTruth.SILVER_ROWS).asLong());
        check.compare(
                "quarantined",
                quarantined,
                expected.get(GroundTruth.QUARANTINED).asLong());
        check.compare(
                "duplicates removed",
                duplicates,
                expected.get(GroundTruth.DUPLICATES_REMOVED).asLong());
        check.compare(
                "too late (watermark)", late, expected.get(GroundTruth.TOO_LATE).asLong());
        long accountedFor = silver + quarantined + duplicates + late;
        check.verdict(
                String.format("accepted %,d = silver + quarantined + duplicates + late = %,d", bronze, accountedFor),
                bronze == accountedFor);
        check.lines.add("");
        check.lines.add(String.format("%-34s %12s %14s", "gold table", "rows", "ground truth"));
        for (LakeTable table : GroundTruth.GOLD_TABLES) {
            List<Map<String, String>> actual = canonicalRows(spark, table.location(lake));
            List<Map<String, String>> truth = sorted(JSON.readValue(
                    GroundTruth.gold(dataset, table).toFile(), new TypeReference<List<Map<String, String>>>() {}));
            boolean equal = actual.equals(truth);
            check.matches &= equal;
            check.lines.add(String.format(
                    "%-34s %12d %14d  %s",
                    table.qualifiedName(),
                    actual.size(),
                    truth.size(),
                    equal ? "equal" : "DIFFERENT: " + firstDifference(actual, truth)));
        }
        check.lines.add("");
        check.lines.add(check.matches ? "matches ground truth" : "DOES NOT match ground truth");
        return check;
    }

    public boolean matches() {
        return matches;
    }

    public String text() {
        return String.join("\n", lines);
    }

    /** A Delta table's rows with every value in {@link CanonicalText} form, in a stable order. */
    public static List<Map<String, String>> canonicalRows(SparkSession spark, String location) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (Row row : spark.read().format("delta").load(location).collectAsList()) {
            Map<String, String> values = new LinkedHashMap<>();
            for (String field : row.schema().fieldNames()) {
                values.put(field, CanonicalText.of(row.getAs(field)));
            }
            rows.add(values);
        }
        return sorted(rows);
    }

    private static List<Map<String, String>> sorted(List<Map<String, String>> rows) {
        // compare as maps: the order of columns does not matter, the order of rows is fixed here
        List<Map<String, String>> copy = new ArrayList<>(
                rows.stream().map(r -> (Map<String, String>) new TreeMap<>(r)).toList());
        copy.sort(Comparator.comparing(Object::toString));
        return copy;
    }

    private static String firstDifference(List<Map<String, String>> actual, List<Map<String, String>> truth) {
        Map<String, Integer> balance = new HashMap<>();
        truth.forEach(row -> balance.merge(row.toString(), 1, Integer::sum));
        actual.forEach(row -> balance.merge(row.toString(), -1, Integer::sum));
        return balance.entrySet().stream()
                .filter(e -> e.getValue() != 0)
                .findFirst()
                .map(e -> (e.getValue() > 0 ? "missing " : "unexpected ") + e.getKey())
                .orElse("row order");
    }

    private void compare(String what, long measured, long truth) {
        verdict(String.format("%-34s %,12d %,14d", what, measured, truth), measured == truth);
    }

    private void verdict(String line, boolean ok) {
        matches &= ok;
        lines.add(line + (ok ? "  ok" : "  MISMATCH"));
    }

    private static long count(SparkSession spark, String location) {
        return spark.read().format("delta").load(location).count();
    }
}
