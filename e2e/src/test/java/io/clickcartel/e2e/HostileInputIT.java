package io.clickcartel.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clickcartel.core.LakeTable;
import io.clickcartel.core.contract.Rule;
import io.clickcartel.localkafka.LocalKafkaBroker;
import io.clickcartel.localkafka.StablePorts;
import io.clickcartel.spark.LocalSpark;
import io.clickcartel.testsupport.HostileCorpus;
import io.clickcartel.testsupport.ServiceProcess;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole stack as separate processes (broker, ingest, bronze, silver, gold) under hostile input:
 * <ol>
 *   <li>every event line of the hostile-input corpus goes through the landing folder → bronze → silver and is
 *       quarantined with the corpus's rule, or reaches silver with the corpus's normalised values;
 *   <li>ordinary traffic, then the poison — a far-future timestamp, far-off {@code sent_at}s, over HTTP and in a
 *       landing file, also a landing line claiming to be received in 2099 — then more ordinary traffic: the poison
 *       is refused, the later traffic still reaches silver and gold, and gold's "as of" date is the ordinary
 *       traffic's;
 *   <li>every bronze row is accounted for: bronze = silver + quarantined + duplicates + too late.
 * </ol>
 */
@ExtendWith(LocalSpark.class)
class HostileInputIT {

    private static final Path ROOT = ServiceSettings.ROOT;
    private static final String WRITE_KEY = "it-key";
    private static final List<String> USERS = List.of("c-1", "c-2", "c-3", "c-4");
    private static final List<String> PRODUCTS = List.of("p-1", "p-2", "p-3");
    private static final BigDecimal PRICE = new BigDecimal("12.50");
    private static final Duration WAIT = Duration.ofMinutes(4);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void hostileInputIsRefusedOrQuarantinedAndOrdinaryTrafficStillReachesGold(SparkSession spark, Path dir)
            throws Exception {
        Path lake = dir.resolve("lake");
        Path landing = dir.resolve("landing");
        Files.createDirectories(landing);
        Path reference = writeReferenceData(spark, dir.resolve("reference"));
        List<ServiceProcess> services = new ArrayList<>();
        try (LocalKafkaBroker broker =
                LocalKafkaBroker.builder(dir.resolve("kafka")).build().start()) {
            int ingestPort = StablePorts.free();
            int silverPort = StablePorts.free();
            Map<String, String> lakeSettings = Map.of(
                    "CLICKCARTEL_LAKE", lake.toString(),
                    "CLICKCARTEL_CHECKPOINTS", dir.resolve("checkpoints").toString(),
                    "CLICKCARTEL_SPARK_MASTER", "local[2]");
            services.add(ServiceProcesses.of(
                    "ingest-service",
                    "-Xmx512m",
                    Map.of(
                            "CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS",
                            broker.bootstrapServers(),
                            "CLICKCARTEL_WRITE_KEYS",
                            WRITE_KEY),
                    dir,
                    ingestPort));
            services.add(ServiceProcesses.of(
                    "bronze-writer",
                    "-Xmx1g",
                    ServiceProcesses.with(
                            lakeSettings,
                            Map.of(
                                    "CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                                    "CLICKCARTEL_BRONZE_LANDING", landing.toString(),
                                    "CLICKCARTEL_BRONZE_TRIGGER", "1s")),
                    dir,
                    StablePorts.free()));
            services.add(ServiceProcesses.of(
                    "silver-processor",
                    "-Xmx900m",
                    ServiceProcesses.with(
                            lakeSettings,
                            Map.of(
                                    "CLICKCARTEL_SILVER_CUSTOMERS",
                                            reference.resolve("customers.csv").toString(),
                                    "CLICKCARTEL_SILVER_PRODUCTS",
                                            reference
                                                    .resolve("products.parquet")
                                                    .toString(),
                                    "CLICKCARTEL_SILVER_TRIGGER", "1s")),
                    dir,
                    silverPort));
            services.add(ServiceProcesses.of(
                    "gold-aggregator",
                    "-Xmx900m",
                    ServiceProcesses.with(lakeSettings, Map.of("CLICKCARTEL_GOLD_TRIGGER", "2s")),
                    dir,
                    StablePorts.free()));
            for (ServiceProcess service : services) {
                service.start();
            }
            for (ServiceProcess service : services) {
                service.awaitReady(Duration.ofMinutes(3));
            }
            Lake tables = new Lake(spark, lake);

            // 1. the corpus through the landing folder, first and as one file: in one micro-batch none is "late"
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            List<HostileCorpus.Case> lineCases = HostileCorpus.load(HostileCorpus.defaultDir()).stream()
                    .filter(c -> c.line().isPresent())
                    // a valid event ahead of the ordinary traffic below would move the watermark past it
                    .filter(c -> !c.line().get().valid() || !eventTimeAfter(c, now))
                    .toList();
            assertThat(lineCases).as("corpus cases usable as landing lines").hasSizeGreaterThan(150);
            land(landing, "corpus", lineBytes(lineCases, now));
            long corpusValidIds = lineCases.stream()
                    .filter(c -> c.line().get().valid())
                    .map(c -> c.line()
                            .get()
                            .normalized(now, c.body(now))
                            .orElseThrow()
                            .eventId())
                    .distinct()
                    .count();
            long corpusInvalid =
                    lineCases.stream().filter(c -> !c.line().get().valid()).count();
            long corpusDuplicates = lineCases.size() - corpusInvalid - corpusValidIds;
            await("the corpus through bronze and silver")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> tables.count(LakeTable.SILVER_EVENTS) == corpusValidIds
                            && tables.count(LakeTable.SILVER_QUARANTINE) == corpusInvalid);
            assertCorpusVerdicts(tables, lineCases, now);

            // 2. ordinary traffic, the poison, ordinary traffic again
            Traffic before = Traffic.ordinary("a", Instant.now().minus(Duration.ofMinutes(5)));
            assertThat(post(ingestPort, "/v1/events/batch", before.batch()).statusCode())
                    .isEqualTo(202);
            await("silver has the first ordinary traffic")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> tables.silverIds(before.ids()).size() == before.size());

            Instant poisonTime = Instant.now();
            assertRefused(ingestPort, """
                    {"event_id":"poison-1","timestamp":"2099-12-31T23:00:00Z","user_id":"c-1",
                     "event_type":"view_product","product_id":"p-1"}""", Rule.TIMESTAMP_IN_FUTURE);
            assertRefused(ingestPort, """
                    {"event_id":"poison-2","timestamp":"%s","sent_at":"2000-01-01T00:00:00Z","user_id":"c-1",
                     "event_type":"purchase","product_id":"p-1"}""".formatted(poisonTime), Rule.TIMESTAMP_IN_FUTURE);
            assertRefused(ingestPort, """
                    {"event_id":"poison-3","timestamp":"%s","sent_at":"-999999999999999","user_id":"c-1",
                     "event_type":"purchase","product_id":"p-1"}""".formatted(poisonTime), Rule.SENT_AT_OUT_OF_RANGE);
            assertRefused(ingestPort, """
                    {"event_id":"poison-4","timestamp":"%s","user_id":"c-1","event_type":"purchase",
                     "product_id":"p-1"}""".formatted(poisonTime.plus(Duration.ofMinutes(65))), Rule.TIMESTAMP_IN_FUTURE);
            List<String> poisonLines = List.of(
                    // no received_at: judged by the time bronze stored it
                    "{\"event_id\":\"poison-l1\",\"timestamp\":\"2099-12-31T23:00:00Z\",\"user_id\":\"c-2\","
                            + "\"event_type\":\"purchase\",\"product_id\":\"p-1\"}",
                    // a collector claiming the future is not believed
                    "{\"event_id\":\"poison-l2\",\"timestamp\":\"2099-12-31T23:00:00Z\",\"received_at\":"
                            + "\"2099-12-31T23:00:00Z\",\"user_id\":\"c-2\",\"event_type\":\"purchase\",\"product_id\":\"p-1\"}",
                    "{\"event_id\":\"poison-l3\",\"timestamp\":\"" + poisonTime
                            + "\",\"sent_at\":\"2000-01-01T00:00:00Z\","
                            + "\"user_id\":\"c-2\",\"event_type\":\"purchase\",\"product_id\":\"p-1\"}",
                    "{\"event_id\":\"poison-l4\",\"timestamp\":\"" + poisonTime + "\",\"sent_at\":-999999999999999,"
                            + "\"user_id\":\"c-2\",\"event_type\":\"purchase\",\"product_id\":\"p-1\"}");
            land(landing, "poison", String.join("\n", poisonLines).getBytes(StandardCharsets.UTF_8));
            await("silver has seen the poisoned landing file")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> tables.count(LakeTable.SILVER_QUARANTINE) == corpusInvalid + poisonLines.size());

            Traffic after = Traffic.ordinary("b", Instant.now().minus(Duration.ofMinutes(1)));
            assertThat(post(ingestPort, "/v1/events/batch", after.batch()).statusCode())
                    .isEqualTo(202);
            land(landing, "ordinary", after.landingLines().getBytes(StandardCharsets.UTF_8));
            await("gold has the ordinary traffic sent after the poison")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> tables.goldOrders() == before.purchases() + after.purchases());

            Map<String, String> rulesByLine = tables.quarantineRules();
            Map<String, String> poisonRules = new TreeMap<>();
            poisonLines.forEach(line -> poisonRules.put(line, rulesByLine.get(line)));
            assertThat(poisonRules)
                    .as("the poisoned landing lines, quarantined")
                    .isEqualTo(Map.of(
                            poisonLines.get(0),
                            Rule.TIMESTAMP_IN_FUTURE.id(),
                            poisonLines.get(1),
                            Rule.TIMESTAMP_IN_FUTURE.id(),
                            poisonLines.get(2),
                            Rule.TIMESTAMP_IN_FUTURE.id(),
                            poisonLines.get(3),
                            Rule.SENT_AT_OUT_OF_RANGE.id()));
            assertThat(tables.silverIds(List.of(
                            "poison-1",
                            "poison-2",
                            "poison-3",
                            "poison-4",
                            "poison-l1",
                            "poison-l2",
                            "poison-l3",
                            "poison-l4")))
                    .as("no poison in silver")
                    .isEmpty();
            Instant newestOrdinary = after.newest();
            assertThat(tables.silverNewest())
                    .as("silver's newest event time is ordinary traffic's")
                    .isEqualTo(newestOrdinary);
            LocalDate asOf = tables.goldAsOf();
            assertThat(asOf)
                    .as("gold's as-of date")
                    .isEqualTo(newestOrdinary.atZone(ZoneOffset.UTC).toLocalDate());
            assertThat(tables.goldRecencyDays(USERS))
                    .as("the ordinary buyers' recency is measured from that date")
                    .allSatisfy(days -> assertThat(days).isBetween(0, 1));

            // 3. every bronze row accounted for, by the silver service's own counters
            Map<String, Double> metrics = metrics(silverPort);
            long duplicates =
                    (long) (double) metrics.get("clickcartel_stream_dropped_duplicates_total{query=\"silver-events\"}");
            long late = (long) (double) metrics.get("clickcartel_stream_dropped_late_total{query=\"silver-events\"}");
            long bronze = tables.count(LakeTable.BRONZE_EVENTS);
            long silver = tables.count(LakeTable.SILVER_EVENTS);
            long quarantined = tables.count(LakeTable.SILVER_QUARANTINE);
            assertThat(duplicates)
                    .as("the ordinary traffic's landing copies, the corpus's repeated ids")
                    .isEqualTo(after.size() + corpusDuplicates);
            assertThat(bronze)
                    .as("bronze = silver + quarantined + duplicates + late")
                    .isEqualTo(silver + quarantined + duplicates + late);
            assertThat(bronze).isEqualTo(lineCases.size() + poisonLines.size() + before.size() + 2L * after.size());
            assertThat(metrics.get("clickcartel_stream_watermark_lag_seconds{query=\"silver-events\"}"))
                    .as("silver's watermark trails the wall clock")
                    .isPositive();
            for (ServiceProcess service : services) {
                service.awaitReady(Duration.ofSeconds(30)); // no input stalled or stopped a layer
            }
        } finally {
            ServiceProcess.stopAll(services);
        }
    }

    private static void assertCorpusVerdicts(Lake tables, List<HostileCorpus.Case> cases, Instant now) {
        Map<String, String> byLine = tables.quarantineRules();
        Map<String, Map<String, Object>> silverById = tables.silverRows();
        List<String> wrong = new ArrayList<>();
        for (HostileCorpus.Case c : cases) {
            HostileCorpus.LineVerdict verdict = c.line().get();
            String line = new String(c.body(now), StandardCharsets.UTF_8);
            if (!verdict.valid()) {
                if (!verdict.rule().equals(byLine.get(line))) {
                    wrong.add(c.id() + ": expected quarantine rule " + verdict.rule() + ", got " + byLine.get(line));
                }
                continue;
            }
            HostileCorpus.Normalized expected =
                    verdict.normalized(now, c.body(now)).orElseThrow();
            Map<String, Object> actual = silverById.get(expected.eventId());
            if (actual == null) {
                wrong.add(c.id() + ": expected in silver as " + expected.eventId());
                continue;
            }
            Map<String, Object> wanted = new LinkedHashMap<>();
            wanted.put("user_id", expected.userId());
            wanted.put("event_type", expected.eventType());
            wanted.put("product_id", expected.productId());
            wanted.put("session_id", expected.sessionId());
            wanted.put("quantity", expected.quantity());
            expected.eventTime().ifPresent(time -> wanted.put("event_time", time.toString()));
            wanted.forEach((field, value) -> {
                if (!Objects.equals(value, actual.get(field))) {
                    wrong.add(c.id() + ": " + field + " expected " + value + ", silver has " + actual.get(field));
                }
            });
        }
        assertThat(wrong)
                .as("corpus lines whose silver verdict differs from the corpus")
                .isEmpty();
    }

    private static byte[] lineBytes(List<HostileCorpus.Case> cases, Instant now) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        for (HostileCorpus.Case c : cases) {
            out.write(c.body(now));
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static boolean eventTimeAfter(HostileCorpus.Case c, Instant now) {
        // without an expected time (sent_at corrects it against the receive time), it may lie up to the tolerance ahead
        return c.line()
                .get()
                .normalized(now, c.body(now))
                .orElseThrow()
                .eventTime()
                .map(time -> time.isAfter(now))
                .orElse(true);
    }

    private void assertRefused(int port, String event, Rule rule) throws Exception {
        HttpResponse<String> answer = post(port, "/v1/events", event.replace("\n", ""));
        assertThat(answer.statusCode())
                .as("answer to %s: %s", event, answer.body())
                .isEqualTo(400);
        assertThat(answer.body()).contains("\"rule\":\"" + rule.id() + "\"");
    }

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json")
                        .header("X-Write-Key", WRITE_KEY)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, Double> metrics(int port) throws Exception {
        String text = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Map<String, Double> values = new HashMap<>();
        Matcher line =
                Pattern.compile("(?m)^([a-z_]+\\{[^}]*\\}|[a-z_]+) (\\S+)$").matcher(text);
        while (line.find()) {
            values.put(line.group(1), Double.parseDouble(line.group(2)));
        }
        return values;
    }

    /** Files appear in the landing folder whole: written under a dot name, then moved in. */
    private static void land(Path landing, String name, byte[] content) throws IOException {
        Path hidden = landing.resolve("." + name + ".jsonl");
        Files.write(hidden, content);
        Files.move(hidden, landing.resolve(name + ".jsonl"));
    }

    private static Path writeReferenceData(SparkSession spark, Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder customers = new StringBuilder("customer_id,signup_date,location\n");
        USERS.forEach(user -> customers.append(user).append(",2024-01-15,Oslo\n"));
        Files.writeString(dir.resolve("customers.csv"), customers);
        List<Row> products = PRODUCTS.stream()
                .map(id -> RowFactory.create(id, "Product " + id, "home", PRICE))
                .toList();
        spark.createDataFrame(
                        products,
                        new StructType()
                                .add("product_id", DataTypes.StringType)
                                .add("product_name", DataTypes.StringType)
                                .add("category", DataTypes.StringType)
                                .add("price", io.clickcartel.spark.TableSchemas.PRICE))
                .coalesce(1)
                .write()
                .parquet(dir.resolve("products.parquet").toString());
        return dir;
    }

    /**
     * Ordinary events: each user views, carts and buys each product once, a second apart from {@code start}
     * (in the past: nothing of it is in the future). Also as landing lines, the same events again.
     */
    private record Traffic(List<String> ids, List<String> events, int purchases, Instant newest) {

        static Traffic ordinary(String tag, Instant start) {
            List<String> ids = new ArrayList<>();
            List<String> events = new ArrayList<>();
            Instant time = start.truncatedTo(ChronoUnit.MILLIS);
            int purchases = 0;
            for (String user : USERS) {
                for (String product : PRODUCTS) {
                    for (String type : List.of("view_product", "add_to_cart", "purchase")) {
                        time = time.plusSeconds(1);
                        String id = tag + "-" + user + "-" + product + "-" + type;
                        ids.add(id);
                        events.add(("{\"event_id\":\"%s\",\"timestamp\":\"%s\",\"user_id\":\"%s\","
                                        + "\"event_type\":\"%s\",\"product_id\":\"%s\",\"session_id\":\"s-%s-%s\"}")
                                .formatted(id, time, user, type, product, tag, user));
                        purchases += type.equals("purchase") ? 1 : 0;
                    }
                }
            }
            return new Traffic(ids, events, purchases, time);
        }

        String batch() {
            return "[" + String.join(",", events) + "]";
        }

        String landingLines() {
            return String.join("\n", events);
        }

        int size() {
            return events.size();
        }
    }

    /** The tables the services write, read by this test's own Spark. */
    private record Lake(SparkSession spark, Path root) {

        Dataset<Row> table(LakeTable table) {
            return spark.read().format("delta").load(table.location(root.toString()));
        }

        long count(LakeTable table) {
            try {
                return table(table).count();
            } catch (Exception notCreatedYet) {
                return -1;
            }
        }

        /** Orders of the ordinary traffic's users (the corpus has buyers of its own). */
        long goldOrders() {
            try {
                Row row = table(LakeTable.GOLD_CUSTOMER_VALUE)
                        .where(col("user_id").isin(USERS.toArray()))
                        .agg(sum(col("orders")))
                        .first();
                return row.isNullAt(0) ? 0 : row.getLong(0);
            } catch (Exception notCreatedYet) {
                return -1;
            }
        }

        LocalDate goldAsOf() {
            return table(LakeTable.GOLD_CUSTOMER_VALUE)
                    .agg(max(to_date(col("last_event_at"))))
                    .first()
                    .<Date>getAs(0)
                    .toLocalDate();
        }

        List<Integer> goldRecencyDays(List<String> users) {
            return table(LakeTable.GOLD_CUSTOMER_VALUE)
                    .where(col("user_id").isin(users.toArray()))
                    .select(col("recency_days").cast("int"))
                    .as(org.apache.spark.sql.Encoders.INT())
                    .collectAsList();
        }

        Instant silverNewest() {
            return table(LakeTable.SILVER_EVENTS)
                    .agg(max(col("event_time")))
                    .first()
                    .<java.sql.Timestamp>getAs(0)
                    .toInstant();
        }

        List<String> silverIds(List<String> ids) {
            return table(LakeTable.SILVER_EVENTS)
                    .where(col("event_id").isin(ids.toArray()))
                    .select("event_id")
                    .as(org.apache.spark.sql.Encoders.STRING())
                    .collectAsList();
        }

        /**
         * value → rule of every quarantined row, compared as Java strings: bronze keeps a line's bytes, and bytes
         * that are no UTF-8 become U+FFFD only when read into a string, as the corpus's lines are.
         */
        Map<String, String> quarantineRules() {
            Map<String, String> rules = new HashMap<>();
            for (Row row :
                    table(LakeTable.SILVER_QUARANTINE).select("value", "rule").collectAsList()) {
                rules.put(row.getString(0), row.getString(1));
            }
            return rules;
        }

        /** event_id → the normalised contract fields, as the corpus names them. */
        Map<String, Map<String, Object>> silverRows() {
            Map<String, Map<String, Object>> rows = new HashMap<>();
            for (Row row : table(LakeTable.SILVER_EVENTS)
                    .select("event_id", "event_time", "user_id", "event_type", "product_id", "session_id", "quantity")
                    .collectAsList()) {
                Map<String, Object> fields = new HashMap<>();
                fields.put("event_id", row.getString(0));
                fields.put(
                        "event_time",
                        row.<java.sql.Timestamp>getAs(1).toInstant().toString());
                fields.put("user_id", row.getString(2));
                fields.put("event_type", row.getString(3));
                fields.put("product_id", row.getString(4));
                fields.put("session_id", row.getString(5));
                fields.put("quantity", row.getInt(6));
                rows.put(row.getString(0), fields);
            }
            return rows;
        }
    }
}
