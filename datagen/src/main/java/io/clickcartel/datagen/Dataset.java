package io.clickcartel.datagen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.contract.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Generates a complete data set into one folder:
 * <pre>
 *   customers.csv  products.parquet
 *   events/1-main-http/*.jsonl  events/2-main-landing/*.jsonl  events/3-late-http/*.jsonl
 *   expected/counts.json  expected/product_daily.json     (the oracle)
 *   manifest.json                                         (config, injected mess, realised skew and funnel)
 * </pre>
 */
public final class Dataset {

    static final String EXPECTED_DIR = GroundTruth.DIRECTORY;
    static final String PRODUCT_DAILY_FILE = "product_daily.json";
    static final String MANIFEST_FILE = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** What a generation produced, for the summary and for tests. */
    public record Summary(
            Oracle.Expected expected,
            Labels labels,
            double topOnePercentViewShare,
            double viewToCartRate,
            double cartToPurchaseRate) {}

    private Dataset() {}

    public static Summary generate(GeneratorConfig config, Path out) throws IOException {
        return generate(config, out, true);
    }

    /**
     * @param withExpected false skips the oracle and {@code expected/}: for load data whose answers nobody checks
     *                     (the oracle re-validates every line and remembers every event id)
     */
    public static Summary generate(GeneratorConfig config, Path out, boolean withExpected) throws IOException {
        Files.createDirectories(out);
        SplittableRandom random = new SplittableRandom(config.seed());
        Catalog catalog = Catalog.generate(config, random.split());
        ReferenceDataWriter.writeCustomers(catalog, out.resolve(ReferenceDataWriter.CUSTOMERS_FILE));
        ReferenceDataWriter.writeProducts(catalog, out.resolve(ReferenceDataWriter.PRODUCTS_FILE));

        Oracle oracle = new Oracle(catalog, config.watermarkDelay(), new ObjectMapper(), config.events());
        Labels labels = new Labels();
        try (EventFiles files = new EventFiles(out, config.eventsPerFile());
                PipelinedOracle checked = new PipelinedOracle(oracle)) {
            LineSink all = (phase, line, kind, rule) -> {
                files.accept(phase, line, kind, rule);
                labels.accept(phase, line, kind, rule);
                if (withExpected) {
                    checked.accept(phase, line, kind, rule);
                }
            };
            new EventGenerator(config, catalog, random.split()).generate(all);
        }
        if (!withExpected) {
            Summary summary = new Summary(null, labels, Double.NaN, Double.NaN, Double.NaN);
            JSON.writeValue(out.resolve(MANIFEST_FILE).toFile(), manifest(config, summary));
            return summary;
        }
        Oracle.Expected expected = oracle.result();
        Summary summary = summarize(expected, labels, config);
        Files.createDirectories(out.resolve(EXPECTED_DIR));
        JSON.writeValue(GroundTruth.counts(out).toFile(), expected.counts());
        JSON.writeValue(out.resolve(EXPECTED_DIR).resolve(PRODUCT_DAILY_FILE).toFile(), productDaily(expected));
        for (var table : expected.gold().entrySet()) {
            JSON.writeValue(GroundTruth.gold(out, table.getKey()).toFile(), table.getValue());
        }
        for (var table : expected.goldAfterBackfill().entrySet()) {
            Path file = GroundTruth.goldAfterBackfill(out, table.getKey());
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), table.getValue());
        }
        JSON.writeValue(out.resolve(MANIFEST_FILE).toFile(), manifest(config, summary));
        return summary;
    }

    /** The oracle's rows of a gold table, sorted by the table's key (see {@link CanonicalText}). */
    public static List<Map<String, String>> readExpectedGold(Path dataset, LakeTable table) throws IOException {
        return readRows(GroundTruth.gold(dataset, table));
    }

    /** The same, after a silver backfill of every date (see {@link GroundTruth#goldAfterBackfill}). */
    public static List<Map<String, String>> readExpectedGoldAfterBackfill(Path dataset, LakeTable table)
            throws IOException {
        return readRows(GroundTruth.goldAfterBackfill(dataset, table));
    }

    private static List<Map<String, String>> readRows(Path file) throws IOException {
        return JSON.readValue(
                file.toFile(), new com.fasterxml.jackson.core.type.TypeReference<List<Map<String, String>>>() {});
    }

    /** The event files of one phase of a generated data set, in delivery order. */
    public static List<Path> eventFiles(Path dataset, Phase phase) {
        return EventFiles.files(dataset, phase);
    }

    private static Summary summarize(Oracle.Expected expected, Labels labels, GeneratorConfig config) {
        Map<String, Long> viewsByProduct = new HashMap<>();
        long views = 0;
        long carts = 0;
        long purchases = 0;
        for (var entry : expected.productDaily().entrySet()) {
            viewsByProduct.merge(entry.getKey().productId(), entry.getValue().views, Long::sum);
            views += entry.getValue().views;
            carts += entry.getValue().carts;
            purchases += entry.getValue().purchases;
        }
        int top = Math.max(1, (int) Math.ceil(config.products() * 0.01));
        long topViews = viewsByProduct.values().stream()
                .sorted(Comparator.reverseOrder())
                .limit(top)
                .mapToLong(Long::longValue)
                .sum();
        return new Summary(expected, labels, ratio(topViews, views), ratio(carts, views), ratio(purchases, carts));
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : Math.round(1e6 * part / (double) whole) / 1e6;
    }

    private static ArrayNode productDaily(Oracle.Expected expected) {
        ArrayNode rows = JSON.createArrayNode();
        expected.productDaily().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(
                        Comparator.comparing(Oracle.ProductDay::date).thenComparing(Oracle.ProductDay::productId)))
                .forEach(entry -> {
                    ObjectNode row = rows.addObject();
                    row.put("event_date", entry.getKey().date().toString());
                    row.put("product_id", entry.getKey().productId());
                    row.put("views", entry.getValue().views);
                    row.put("carts", entry.getValue().carts);
                    row.put("purchases", entry.getValue().purchases);
                    row.put("units_sold", entry.getValue().unitsSold);
                    row.put("revenue", entry.getValue().revenue.toPlainString());
                });
        return rows;
    }

    private static Map<String, Object> manifest(GeneratorConfig config, Summary summary) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        Map<String, Object> settings = new TreeMap<>();
        for (var component : GeneratorConfig.class.getRecordComponents()) {
            try {
                settings.put(
                        component.getName(),
                        String.valueOf(component.getAccessor().invoke(config)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        manifest.put("config", settings);
        manifest.put("injected", summary.labels().byPhase());
        if (summary.expected() != null) {
            manifest.put(
                    "realised",
                    Map.of(
                            "top_1pct_products_view_share", summary.topOnePercentViewShare(),
                            "view_to_cart_rate", summary.viewToCartRate(),
                            "cart_to_purchase_rate", summary.cartToPurchaseRate()));
        }
        manifest.put(
                "phases", List.of(Phase.values()).stream().map(Phase::directory).toList());
        manifest.put("rules", List.of(Rule.values()).stream().map(Rule::id).toList());
        return manifest;
    }
}
