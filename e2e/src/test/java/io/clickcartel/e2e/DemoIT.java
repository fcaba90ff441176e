package io.clickcartel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.datagen.GroundTruth;
import io.clickcartel.testsupport.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The README's run command at small scale, kept running: the real stack as separate processes (Kafka broker,
 * ingest, bronze, silver, gold, insights), fed over HTTP and through the landing folder with duplicates, late,
 * malformed and unknown-id events. The demo exits 0 only if the reconciliation holds and every gold table equals
 * the oracle's. Then the insights service's API and its dashboard, in a real browser, are checked against the
 * oracle's gold tables of the same run (read here as JSON, summed here by their own code).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private String printed;
    private DemoOracle oracle;

    @BeforeAll
    void runTheDemoAndKeepItsStack() throws IOException, InterruptedException {
        printed = Demos.runMatchingGroundTruth("--events", "20000", "--days", "2", "--seed", "7", "--keep");
        oracle = DemoOracle.ofLatestRun();
    }

    @AfterAll
    void stopTheStack() throws IOException, InterruptedException {
        Demos.down();
    }

    @Test
    @Order(1)
    void theWholePipelineMatchesGroundTruthAndPrintsTheDashboardUrl() {
        assertThat(printed)
                .contains("matches ground truth")
                .contains("dashboard       http://localhost:" + Demos.INSIGHTS_PORT + "/");
    }

    @Test
    @Order(2)
    void theInsightsApiGivesTheOraclesFiguresWithFiltersAndPaging() throws Exception {
        Demos.awaitInsightsHolding(oracle.rowCounts());
        String day = oracle.lastDate();
        String category = oracle.biggestCategory(day);
        List<Map<String, String>> ranked = oracle.productsByRevenue(day, category);
        assertThat(ranked).as("products of %s on %s", category, day).hasSizeGreaterThan(6);
        for (int offset : List.of(0, 5)) {
            JsonNode page = Demos.insights(
                    "/api/products?from=" + day + "&to=" + day + "&category=" + category + "&limit=5&offset=" + offset);
            assertThat(page.get("total").asInt()).isEqualTo(ranked.size());
            assertThat(productFigures(page.get("items")))
                    .isEqualTo(ranked.subList(offset, Math.min(ranked.size(), offset + 5)));
        }
        JsonNode all = Demos.insights("/api/products?limit=1000");
        assertThat(all.get("total").asInt()).isEqualTo(oracle.productIds());
        assertThat(all.path("totals").get("revenue").decimalValue()).isEqualByComparingTo(oracle.revenue());
        assertThat(all.path("totals").get("views").asLong()).isEqualTo(oracle.sum("gold.product_daily", "views"));

        JsonNode funnel = Demos.insights("/api/funnel?from=" + day + "&to=" + day + "&category=" + category)
                .get("total");
        Map<String, String> funnelRow = oracle.funnel(day, category);
        assertThat(List.of(
                        funnel.get("users_viewed").asText(),
                        funnel.get("users_carted").asText(),
                        funnel.get("users_purchased").asText()))
                .containsExactly(
                        funnelRow.get("users_viewed"), funnelRow.get("users_carted"), funnelRow.get("users_purchased"));
        assertThat(Demos.insights("/api/funnel")
                        .get("total")
                        .get("users_viewed")
                        .asLong())
                .isEqualTo(oracle.sumWhere("gold.funnel_daily", "users_viewed", "category", "ALL"));

        JsonNode sessions = Demos.insights("/api/sessions");
        assertThat(sessions.get("sessions").asLong()).isEqualTo(oracle.sum("gold.journey_daily", "sessions"));
        assertThat(sessions.get("converted_sessions").asLong())
                .isEqualTo(oracle.sum("gold.journey_daily", "converted_sessions"));
        assertThat(sessions.get("days"))
                .hasSize(oracle.rows("gold.journey_daily").size());

        JsonNode paths = Demos.insights("/api/paths?converted=true&limit=5");
        assertThat(paths.get("items").findValuesAsText("path")).isEqualTo(oracle.topConvertedPaths(5));

        String location = oracle.biggestLocation();
        for (int offset : List.of(0, 10)) {
            JsonNode customers = Demos.insights(
                    "/api/customers?location=" + location.replace(" ", "%20") + "&limit=10&offset=" + offset);
            List<Map<String, String>> expected = oracle.customersByRank(location);
            assertThat(customers.get("total").asInt()).isEqualTo(expected.size());
            assertThat(customerFigures(customers.get("items")))
                    .isEqualTo(expected.subList(offset, Math.min(expected.size(), offset + 10)));
        }
        JsonNode pipeline = Demos.insights("/api/pipeline");
        Map<String, Long> quarantined = new TreeMap<>();
        pipeline.get("quarantine_by_rule")
                .forEach(r ->
                        quarantined.put(r.get("rule").asText(), r.get("rows").asLong()));
        assertThat(quarantined).as("quarantine by rule").isEqualTo(oracle.quarantinedByRule());
        assertThat(pipeline.get("layers").findValuesAsText("table")).startsWith("bronze.events", "silver.events");
        // silver's books from its data-quality log, and ingest's refusals from bronze.rejected (read every 5 s)
        await("silver's books and ingest's refusals on the pipeline view")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    JsonNode view = Demos.insights("/api/pipeline");
                    JsonNode books = view.get("books");
                    JsonNode counts = oracle.counts();
                    assertThat(books.get("input_rows").asLong())
                            .as("bronze rows silver read")
                            .isEqualTo(counts.get(GroundTruth.BRONZE_ROWS).asLong());
                    assertThat(books.get("written_rows").asLong())
                            .isEqualTo(counts.get(GroundTruth.SILVER_ROWS).asLong());
                    assertThat(books.get("quarantined_rows").asLong())
                            .isEqualTo(counts.get(GroundTruth.QUARANTINED).asLong());
                    assertThat(books.get("duplicates_removed").asLong())
                            .isEqualTo(
                                    counts.get(GroundTruth.DUPLICATES_REMOVED).asLong());
                    assertThat(books.get("too_late").asLong())
                            .isEqualTo(counts.get(GroundTruth.TOO_LATE).asLong());
                    assertThat(view.get("refused_at_ingest").asLong())
                            .as("events ingest refused, landed in bronze.rejected")
                            .isEqualTo(counts.get(GroundTruth.INGEST_REJECTED).asLong());
                });
        pipeline.get("layers")
                .forEach(layer -> assertThat(layer.get("recent"))
                        .as("%s's batches", layer.get("table"))
                        .isNotEmpty());
        Map<String, JsonNode> services = new TreeMap<>();
        pipeline.get("services")
                .forEach(service -> services.put(service.get("service").asText(), service));
        assertThat(services).containsOnlyKeys("bronze", "silver", "gold");
        services.values()
                .forEach(service -> assertThat(service.get("error").isNull())
                        .as("%s answered", service)
                        .isTrue());
        Map<String, Long> bronzeRead = new TreeMap<>();
        for (JsonNode query : services.get("bronze").get("queries")) {
            bronzeRead.put(query.get("query").asText(), query.get("rows_read").asLong());
        }
        assertThat(bronzeRead.get("bronze-kafka") + bronzeRead.get("bronze-files"))
                .as("rows the bronze queries of bronze.events read")
                .isEqualTo(oracle.counts().get(GroundTruth.BRONZE_ROWS).asLong());
        assertThat(bronzeRead.get("bronze-rejected"))
                .as("rows the bronze query of bronze.rejected read")
                .isEqualTo(oracle.counts().get(GroundTruth.INGEST_REJECTED).asLong());
        JsonNode goldQuery = services.get("gold").get("queries").get(0);
        assertThat(goldQuery.get("rows_read").asLong())
                .as("rows gold read")
                .isEqualTo(oracle.counts().get("silver_rows").asLong());
        assertThat(services.get("gold").get("spark_work").get("jobs").asLong()).isPositive();

        Map<String, Long> segments = new TreeMap<>();
        Demos.insights("/api/segments")
                .forEach(s -> segments.put(
                        s.get("segment").asText(), s.get("customers").asLong()));
        assertThat(segments).isEqualTo(oracle.customersPerSegment());
    }

    @Test
    @Order(4)
    void whileTheStackRunsAGoldRefreshAndASilverBackfillAreRefusedNamingTheService() throws Exception {
        Demos.Result refresh = Demos.onTheKeptRun("gold", "refresh");
        assertThat(refresh.exitCode())
                .as("gold refresh, output:%n%s", refresh.output())
                .isEqualTo(3);
        assertThat(refresh.output()).contains("refresh refused: the gold service (process ");
        Demos.Result backfill = Demos.onTheKeptRun("silver", "backfill", oracle.lastDate(), oracle.lastDate());
        assertThat(backfill.exitCode())
                .as("silver backfill, output:%n%s", backfill.output())
                .isEqualTo(3);
        assertThat(backfill.output()).contains("backfill refused: the silver service (process ");
    }

    @Test
    @Order(3)
    void theDashboardShowsTheOraclesFiguresForAPickedDayAndCategoryInARealBrowser() throws Exception {
        Demos.awaitInsightsHolding(oracle.rowCounts());
        String day = oracle.lastDate();
        String category = oracle.biggestCategory(day);
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeDriver browser = HeadlessChromium.start(profile);
        try {
            browser.manage().window().setSize(new Dimension(1400, 2400));
            browser.get(Demos.INSIGHTS + "/?refresh=2");
            String firstLoad = awaitLoaded(browser, null);
            pickDate(browser, "from", day);
            pickDate(browser, "to", day);
            new Select(browser.findElement(By.id("category"))).selectByValue(category);
            awaitLoaded(browser, firstLoad);
            awaitText(browser, "funnel-scope", category);

            Map<String, String> funnelRow = oracle.funnel(day, category);
            assertThat(number(browser, "funnel-viewed")).isEqualTo(funnelRow.get("users_viewed"));
            assertThat(number(browser, "funnel-carted")).isEqualTo(funnelRow.get("users_carted"));
            assertThat(number(browser, "funnel-purchased")).isEqualTo(funnelRow.get("users_purchased"));

            List<Map<String, String>> top =
                    oracle.productsByRevenue(day, category).subList(0, 5);
            List<Map<String, String>> shown = new ArrayList<>();
            for (TableRow row : rows(browser, "products-table", "data-product-id")) {
                shown.add(Map.of(
                        "product_id",
                        row.key(),
                        "views",
                        row.figure(2),
                        "carts",
                        row.figure(3),
                        "purchases",
                        row.figure(4),
                        "units_sold",
                        row.figure(5),
                        "revenue",
                        row.figure(6)));
            }
            assertThat(shown.subList(0, 5)).isEqualTo(top);

            List<Map<String, String>> customers = oracle.customersByRank(null).subList(0, 10);
            List<Map<String, String>> shownCustomers = new ArrayList<>();
            for (TableRow row : rows(browser, "customers-table", "data-user-id")) {
                shownCustomers.add(Map.of(
                        "user_id",
                        row.key(),
                        "revenue_rank",
                        row.figure(0),
                        "segment",
                        row.cells().get(3),
                        "revenue",
                        row.figure(5)));
            }
            assertThat(shownCustomers).isEqualTo(customers);
            assertThat(browser.findElement(By.id("freshness")).getText()).matches("updated \\d+ (s|min|h) ago");
            Map<String, String> quarantineShown = new TreeMap<>();
            for (TableRow row : rows(browser, "quarantine-table", "data-rule")) {
                quarantineShown.put(row.key(), row.figure(1));
            }
            Map<String, String> quarantineExpected = new TreeMap<>();
            oracle.quarantinedByRule().forEach((rule, rows) -> quarantineExpected.put(rule, rows.toString()));
            assertThat(quarantineShown).as("quarantine by rule on the page").isEqualTo(quarantineExpected);
            assertThat(browser.findElement(By.id("books")).getAttribute("class"))
                    .as(
                            "silver's books add up on the page: %s",
                            browser.findElement(By.id("books")).getText())
                    .isEqualTo("books");
            Map<String, String> refusedShown = new TreeMap<>();
            for (TableRow row : rows(browser, "refused-table", "data-rule")) {
                refusedShown.put(row.key(), row.figure(1));
            }
            Map<String, String> refusedExpected = new TreeMap<>();
            oracle.ingestRejectedByRule().forEach((rule, events) -> refusedExpected.put(rule, events.toString()));
            assertThat(refusedExpected)
                    .as("the demo's data has events ingest refuses")
                    .isNotEmpty();
            assertThat(refusedShown).as("ingest's refusals by rule on the page").isEqualTo(refusedExpected);

            Path screenshot = ServiceSettings.ROOT.resolve("e2e/target/dashboard.png");
            Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));

            browser.manage().window().setSize(new Dimension(420, 900)); // a phone's width: nothing wider than it
            Object overflow = ((JavascriptExecutor) browser)
                    .executeScript("return document.documentElement.scrollWidth - window.innerWidth");
            assertThat(((Number) overflow).intValue())
                    .as("horizontal overflow at 420 px")
                    .isLessThanOrEqualTo(0);

            List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                    .toList();
            assertThat(errors).as("browser console errors").isEmpty();
        } finally {
            browser.quit();
        }
    }

    private static String awaitLoaded(ChromeDriver browser, String previous) {
        return new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> {
            String loaded = driver.findElement(By.tagName("body")).getAttribute("data-loaded");
            return loaded != null && !loaded.equals(previous) ? loaded : null;
        });
    }

    private static void awaitText(ChromeDriver browser, String id, String text) {
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(driver -> driver.findElement(By.id(id)).getText().equals(text));
    }

    /** A date picker is set the way a person's pick ends: its value, then a change event. */
    private static void pickDate(ChromeDriver browser, String id, String date) {
        ((JavascriptExecutor) browser)
                .executeScript(
                        "const input = document.getElementById(arguments[0]);"
                                + " input.value = arguments[1]; input.dispatchEvent(new Event('change', {bubbles: true}));",
                        id,
                        date);
    }

    private static String number(ChromeDriver browser, String id) {
        return plain(browser.findElement(By.id(id)).getText());
    }

    /** A figure as shown ("$1,234.50", "2,345") in the oracle's canonical form ("1234.50", "2345"). */
    private static String plain(String shown) {
        return shown.replace("$", "").replace(",", "").trim();
    }

    /** A table row as shown: its key attribute and its cells' text. */
    private record TableRow(String key, List<String> cells) {
        String figure(int cell) {
            return plain(cells.get(cell));
        }
    }

    /**
     * A table's rows read in one script: the page replaces its rows on every refresh, so reading them cell by cell
     * can meet a row that is no longer there.
     */
    @SuppressWarnings("unchecked")
    private static List<TableRow> rows(ChromeDriver browser, String table, String keyAttribute) {
        List<Map<String, Object>> read = (List<Map<String, Object>>) browser.executeScript(
                "return Array.from(document.getElementById(arguments[0]).tBodies[0].rows).map((tr) =>"
                        + " ({key: tr.getAttribute(arguments[1]), cells: Array.from(tr.cells).map((td) => td.innerText)}));",
                table,
                keyAttribute);
        return read.stream()
                .map(row -> new TableRow((String) row.get("key"), (List<String>) row.get("cells")))
                .toList();
    }

    private static List<Map<String, String>> productFigures(JsonNode items) {
        List<Map<String, String>> figures = new ArrayList<>();
        items.forEach(p -> figures.add(Map.of(
                "product_id",
                p.get("product_id").asText(),
                "views",
                p.get("views").asText(),
                "carts",
                p.get("carts").asText(),
                "purchases",
                p.get("purchases").asText(),
                "units_sold",
                p.get("units_sold").asText(),
                "revenue",
                p.get("revenue").decimalValue().setScale(2).toPlainString())));
        return figures;
    }

    private static List<Map<String, String>> customerFigures(JsonNode items) {
        List<Map<String, String>> figures = new ArrayList<>();
        items.forEach(c -> figures.add(Map.of(
                "user_id",
                c.get("user_id").asText(),
                "revenue_rank",
                c.get("revenue_rank").asText(),
                "segment",
                c.get("segment").asText(),
                "revenue",
                c.get("revenue").decimalValue().setScale(2).toPlainString())));
        return figures;
    }
}
