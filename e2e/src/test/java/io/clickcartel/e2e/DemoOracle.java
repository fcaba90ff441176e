package io.clickcartel.e2e;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.LakeTable;
import io.clickcartel.datagen.GroundTruth;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The oracle's gold tables of a demo run (values in canonical text), and the sums the page should show. */
record DemoOracle(Map<String, List<Map<String, String>>> tables, JsonNode counts) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The oracle of the demo's last run. */
    static DemoOracle ofLatestRun() throws IOException {
        return new DemoOracle(
                Demos.LATEST.resolve("data/expected"),
                JSON.readTree(Demos.LATEST.resolve("data/expected/counts.json").toFile()));
    }

    DemoOracle(Path expected, JsonNode counts) throws IOException {
        this(read(expected), counts);
    }

    Map<String, Long> ingestRejectedByRule() {
        return JSON.convertValue(counts.get("ingest_rejected_by_rule"), new TypeReference<TreeMap<String, Long>>() {});
    }

    Map<String, Long> quarantinedByRule() {
        return JSON.convertValue(counts.get("quarantined_by_rule"), new TypeReference<TreeMap<String, Long>>() {});
    }

    private static Map<String, List<Map<String, String>>> read(Path expected) throws IOException {
        Map<String, List<Map<String, String>>> tables = new TreeMap<>();
        for (String table :
                GroundTruth.GOLD_TABLES.stream().map(LakeTable::qualifiedName).toList()) {
            tables.put(
                    table,
                    JSON.readValue(
                            expected.resolve(table + ".json").toFile(),
                            new TypeReference<List<Map<String, String>>>() {}));
        }
        return tables;
    }

    List<Map<String, String>> rows(String table) {
        return tables.get(table);
    }

    Map<String, Long> rowCounts() {
        Map<String, Long> counts = new TreeMap<>();
        tables.forEach((table, rows) -> counts.put(table, (long) rows.size()));
        return counts;
    }

    long sum(String table, String column) {
        return rows(table).stream()
                .mapToLong(row -> Long.parseLong(row.get(column)))
                .sum();
    }

    long sumWhere(String table, String column, String where, String equals) {
        return rows(table).stream()
                .filter(row -> equals.equals(row.get(where)))
                .mapToLong(row -> Long.parseLong(row.get(column)))
                .sum();
    }

    String lastDate() {
        return rows("gold.product_daily").stream()
                .map(row -> row.get("event_date"))
                .max(String::compareTo)
                .orElseThrow();
    }

    int productIds() {
        return (int) rows("gold.product_daily").stream()
                .map(row -> row.get("product_id"))
                .distinct()
                .count();
    }

    BigDecimal revenue() {
        return rows("gold.product_daily").stream()
                .map(row -> new BigDecimal(row.get("revenue")))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    String biggestCategory(String day) {
        return rows("gold.product_daily").stream()
                .filter(row -> row.get("event_date").equals(day))
                .filter(row -> !row.get("category").equals("unknown"))
                .collect(Collectors.groupingBy(row -> row.get("category"), Collectors.counting()))
                .entrySet()
                .stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .orElseThrow()
                .getKey();
    }

    /** One day's products of a category, by revenue (ties: product id), with the figures the page shows. */
    List<Map<String, String>> productsByRevenue(String day, String category) {
        return rows("gold.product_daily").stream()
                .filter(row ->
                        row.get("event_date").equals(day) && row.get("category").equals(category))
                .sorted(Comparator.comparing((Map<String, String> row) -> new BigDecimal(row.get("revenue")))
                        .reversed()
                        .thenComparing(row -> row.get("product_id")))
                .map(row -> Map.of(
                        "product_id",
                        row.get("product_id"),
                        "views",
                        row.get("views"),
                        "carts",
                        row.get("carts"),
                        "purchases",
                        row.get("purchases"),
                        "units_sold",
                        row.get("units_sold"),
                        "revenue",
                        row.get("revenue")))
                .toList();
    }

    Map<String, String> funnel(String day, String category) {
        return rows("gold.funnel_daily").stream()
                .filter(row ->
                        row.get("event_date").equals(day) && row.get("category").equals(category))
                .findFirst()
                .orElseThrow();
    }

    List<String> topConvertedPaths(int limit) {
        Map<String, Long> sessions = new TreeMap<>();
        rows("gold.purchase_paths").stream()
                .filter(row -> row.get("converted").equals("true"))
                .forEach(row -> sessions.merge(row.get("path"), Long.parseLong(row.get("sessions")), Long::sum));
        return sessions.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .map(Map.Entry::getKey)
                .toList();
    }

    String biggestLocation() {
        return rows("gold.customer_value").stream()
                .map(row -> row.get("location"))
                .filter(location -> !location.equals("unknown"))
                .collect(Collectors.groupingBy(location -> location, TreeMap::new, Collectors.counting()))
                .entrySet()
                .stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
    }

    /** Customers (of a location, or all) by revenue rank, with the figures the page shows. */
    List<Map<String, String>> customersByRank(String location) {
        return rows("gold.customer_value").stream()
                .filter(row -> location == null || row.get("location").equals(location))
                .sorted(Comparator.comparing((Map<String, String> row) -> Long.parseLong(row.get("revenue_rank")))
                        .thenComparing(row -> row.get("user_id")))
                .map(row -> Map.of(
                        "user_id",
                        row.get("user_id"),
                        "revenue_rank",
                        row.get("revenue_rank"),
                        "segment",
                        row.get("segment"),
                        "revenue",
                        row.get("revenue")))
                .toList();
    }

    Map<String, Long> customersPerSegment() {
        return rows("gold.customer_value").stream()
                .map(row -> row.get("segment"))
                .filter(Objects::nonNull)
                .collect(Collectors.groupingBy(segment -> segment, TreeMap::new, Collectors.counting()));
    }
}
