package io.clickcartel.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.clickcartel.core.contract.Rule;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {

    private static final GeneratorConfig CONFIG = GeneratorConfig.defaults();

    @TempDir
    static Path defaultRun;

    private static Dataset.Summary summary;

    @BeforeAll
    static void generateWithDefaults() throws IOException {
        summary = Dataset.generate(CONFIG, defaultRun);
    }

    private static GeneratorConfig small(long seed) {
        return GeneratorConfig.builder()
                .seed(seed)
                .customers(300)
                .products(80)
                .events(20_000)
                .days(2)
                .eventsPerFile(7_000)
                .build();
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    @Test
    void theSameSeedGivesByteIdenticalOutputAndAnotherSeedDoesNot(
            @TempDir Path first, @TempDir Path second, @TempDir Path other) throws IOException {
        Dataset.generate(small(7), first);
        Dataset.generate(small(7), second);
        Dataset.generate(small(8), other);

        Map<String, byte[]> a = contents(first);
        Map<String, byte[]> b = contents(second);
        assertThat(a.keySet())
                .contains(
                        "customers.csv",
                        "products.parquet",
                        "manifest.json",
                        "expected/counts.json",
                        "expected/product_daily.json",
                        "events/1-main-http/events-00000.jsonl",
                        "events/2-main-landing/events-00000.jsonl",
                        "events/3-late-http/events-00000.jsonl");
        assertThat(b.keySet()).isEqualTo(a.keySet());
        a.forEach((name, bytes) -> assertThat(b.get(name)).as(name).isEqualTo(bytes));
        assertThat(contents(other).get("events/1-main-http/events-00000.jsonl"))
                .isNotEqualTo(a.get("events/1-main-http/events-00000.jsonl"));
    }

    @Test
    void productPopularityIsSkewedAsConfigured() {
        assertThat(summary.topOnePercentViewShare()).isGreaterThanOrEqualTo(0.30);
    }

    @Test
    void theFunnelFollowsTheConfiguredProbabilities() {
        assertThat(summary.viewToCartRate()).isCloseTo(CONFIG.cartProbability(), within(0.015));
        assertThat(summary.cartToPurchaseRate()).isCloseTo(CONFIG.purchaseProbability(), within(0.02));
    }

    @Test
    void messRatesFollowTheConfiguration() {
        Labels labels = summary.labels();
        long main = CONFIG.events();
        long duplicates = labels.count(Phase.MAIN_HTTP, "duplicate") + labels.count(Phase.MAIN_LANDING, "duplicate");
        long malformed = labels.count(Phase.MAIN_HTTP, "malformed") + labels.count(Phase.MAIN_LANDING, "malformed");
        long messy = labels.count(Phase.MAIN_HTTP, "messy") + labels.count(Phase.MAIN_LANDING, "messy");
        assertThat(duplicates / (double) main).isCloseTo(CONFIG.duplicateRate(), within(0.003));
        assertThat(malformed / (double) main).isCloseTo(CONFIG.malformedRate(), within(0.002));
        assertThat(messy / (double) main).isCloseTo(CONFIG.messyRate(), within(0.005));
        assertThat(labels.count(Phase.LATE_HTTP, "late")).isEqualTo(Math.round(main * CONFIG.lateRate()));
        long landingValid = labels.count(Phase.MAIN_LANDING, "clean") + labels.count(Phase.MAIN_LANDING, "messy");
        assertThat(landingValid / (double) main).isCloseTo(CONFIG.landingShare(), within(0.001));
        Oracle.Expected expected = summary.expected();
        assertThat(expected.count("silver_unknown_customer_rows") / (double) main)
                .isCloseTo(CONFIG.unknownCustomerRate(), within(0.004));
        assertThat(expected.count("silver_unknown_product_rows") / (double) main)
                .isCloseTo(CONFIG.unknownProductRate(), within(0.002));
    }

    /** The oracle reads only the lines; what it derives must be exactly what the generator meant. */
    @Test
    void theOracleFindsExactlyTheMessTheGeneratorInjected() {
        Oracle.Expected expected = summary.expected();
        Labels labels = summary.labels();
        assertThat(expected.countsByKey("ingest_rejected_by_rule")).isEqualTo(malformedByRule(labels, Phase.MAIN_HTTP));
        assertThat(expected.countsByKey("quarantined_by_rule")).isEqualTo(malformedByRule(labels, Phase.MAIN_LANDING));
        assertThat(expected.count("duplicates_removed"))
                .isEqualTo(labels.count(Phase.MAIN_HTTP, "duplicate") + labels.count(Phase.MAIN_LANDING, "duplicate"));
        assertThat(expected.count("too_late")).isEqualTo(labels.count(Phase.LATE_HTTP, "late"));
        assertThat(expected.count("silver_rows")).isEqualTo(CONFIG.events());
        assertThat(expected.count("backfill_silver_rows")).isEqualTo(CONFIG.events() + expected.count("too_late"));
        assertThat(expected.count("bronze_rows"))
                .isEqualTo(expected.count("silver_rows")
                        + expected.count("quarantined")
                        + expected.count("duplicates_removed")
                        + expected.count("too_late"));
    }

    private static Map<String, Long> malformedByRule(Labels labels, Phase phase) {
        Map<String, Long> byRule = new TreeMap<>();
        for (Rule rule : Rule.values()) {
            long count = labels.count(phase, "malformed:" + rule.id());
            if (count > 0) {
                byRule.put(rule.id(), count);
            }
        }
        return byRule;
    }

    @Test
    void referenceDataIsReadableInItsFormats() throws IOException {
        List<String> customers = Files.readAllLines(defaultRun.resolve("customers.csv"));
        assertThat(customers.get(0)).isEqualTo("customer_id,signup_date,location");
        assertThat(customers).hasSize(CONFIG.customers() + 1);

        List<Group> products = new ArrayList<>();
        try (ParquetReader<Group> reader = ParquetReader.builder(
                        new GroupReadSupport(),
                        new org.apache.hadoop.fs.Path(
                                defaultRun.resolve("products.parquet").toUri()))
                .withConf(new Configuration(false))
                .build()) {
            for (Group row = reader.read(); row != null; row = reader.read()) {
                products.add(row);
            }
        }
        assertThat(products).hasSize(CONFIG.products());
        Group first = products.get(0);
        assertThat(first.getString("product_id", 0)).isEqualTo("p-00001");
        BigDecimal price = BigDecimal.valueOf(first.getLong("price", 0), 2);
        assertThat(price).isBetween(new BigDecimal("2.00"), new BigDecimal("500.00"));
    }
}
