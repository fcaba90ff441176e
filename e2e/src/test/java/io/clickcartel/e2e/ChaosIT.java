package io.clickcartel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.check.GroundTruthCheck;
import io.clickcartel.core.BatchColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.Topics;
import io.clickcartel.core.segment.SegmentMapping;
import io.clickcartel.datagen.Dataset;
import io.clickcartel.datagen.Phase;
import io.clickcartel.gold.GoldPipeline;
import io.clickcartel.localkafka.LocalKafkaBroker;
import io.clickcartel.localkafka.StablePorts;
import io.clickcartel.spark.LocalSpark;
import io.clickcartel.testsupport.ServiceProcess;
import io.clickcartel.testsupport.TopicContents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo's data set flows through the whole pipeline, each layer its own process, its HTTP phases sent as
 * Segment messages (as a Segment or RudderStack SDK sends them; {@code DemoIT} sends them to the native API),
 * while a seeded schedule SIGKILLs bronze, silver and gold at random moments (several kills per layer, each round
 * of three in a shuffled order) and restarts them; at the end the layer counts and every gold table equal the ground truth exactly. Then,
 * with the stack running, silver is stopped for a backfill of every date (the launcher's {@code silver backfill})
 * and started again; gold, left running, follows the rewrite by itself: every gold table equals the ground truth of
 * the backfilled silver, with no refresh.
 * The kills pause only while one delivery phase is waited through silver before the next is sent, as the
 * data set's late events are late only behind the earlier phases. Longer runs: {@code bench/chaos.sh --kills N
 * --seed S} (the system properties {@code clickcartel.chaos.kills}, {@code .seed}, {@code .events}).
 */
@ExtendWith(LocalSpark.class)
class ChaosIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRITE_KEY = "chaos-key";
    private static final List<String> SPARK_LAYERS = List.of("bronze-writer", "silver-processor", "gold-aggregator");
    private static final Duration CONVERGE = Duration.ofMinutes(6);

    private final int kills = Integer.getInteger("clickcartel.chaos.kills", 10);
    private final long seed = Long.getLong("clickcartel.chaos.seed", 11);
    private final int events = Integer.getInteger("clickcartel.chaos.events", 3_000);

    @Test
    void killedAtRandomAndRestartedTheLayersMatchTheGroundTruthAndGoldFollowsABackfillByItself(
            SparkSession spark, Path dir) throws Exception {
        Path data = dir.resolve("data");
        clickcartel(
                dir,
                "datagen",
                "generate",
                "--out",
                data.toString(),
                "--events",
                "" + events,
                "--days",
                "1",
                "--seed",
                "" + seed);
        JsonNode expected = JSON.readTree(data.resolve("expected/counts.json").toFile());
        Path lake = dir.resolve("lake");
        Path landing = dir.resolve("landing");
        Files.createDirectories(landing);

        try (LocalKafkaBroker broker =
                LocalKafkaBroker.builder(dir.resolve("kafka")).build().start()) {
            int ingestPort = StablePorts.free();
            Map<String, String> lakeSettings = Map.of(
                    "CLICKCARTEL_LAKE", lake.toString(),
                    "CLICKCARTEL_CHECKPOINTS", dir.resolve("checkpoints").toString(),
                    "CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "CLICKCARTEL_SPARK_MASTER", "local[2]");
            Map<String, ServiceProcess> services = new LinkedHashMap<>();
            services.put(
                    "ingest-service",
                    ServiceProcesses.of(
                            "ingest-service",
                            "-Xmx512m",
                            Map.of(
                                    "CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS",
                                    broker.bootstrapServers(),
                                    "CLICKCARTEL_WRITE_KEYS",
                                    WRITE_KEY),
                            dir,
                            ingestPort));
            services.put(
                    "bronze-writer",
                    ServiceProcesses.of(
                            "bronze-writer",
                            "-Xmx768m",
                            ServiceProcesses.with(
                                    lakeSettings,
                                    Map.of(
                                            "CLICKCARTEL_BRONZE_LANDING",
                                            landing.toString(),
                                            "CLICKCARTEL_BRONZE_TRIGGER",
                                            "1s")),
                            dir,
                            StablePorts.free()));
            Map<String, String> silverSettings = ServiceProcesses.with(
                    lakeSettings,
                    Map.of(
                            "CLICKCARTEL_SILVER_CUSTOMERS",
                                    data.resolve("customers.csv").toString(),
                            "CLICKCARTEL_SILVER_PRODUCTS",
                                    data.resolve("products.parquet").toString(),
                            "CLICKCARTEL_SILVER_TRIGGER", "1s"));
            services.put(
                    "silver-processor",
                    ServiceProcesses.of("silver-processor", "-Xmx768m", silverSettings, dir, StablePorts.free()));
            services.put(
                    "gold-aggregator",
                    ServiceProcesses.of(
                            "gold-aggregator",
                            "-Xmx1g",
                            ServiceProcesses.with(lakeSettings, Map.of("CLICKCARTEL_GOLD_TRIGGER", "2s")),
                            dir,
                            StablePorts.free()));
            services.values().forEach(ServiceProcess::start);
            Chaos chaos = new Chaos(services, new Random(seed), kills);
            try {
                for (ServiceProcess service : services.values()) {
                    service.awaitReady(Duration.ofMinutes(3));
                }
                CompletableFuture<Void> schedule = CompletableFuture.runAsync(chaos::run);
                Lake tables = new Lake(spark, lake);
                String ingest = "http://127.0.0.1:" + ingestPort;

                String sent = clickcartel(
                        dir,
                        "datagen",
                        "send",
                        "--from",
                        data.toString(),
                        "--phase",
                        "MAIN_HTTP",
                        "--protocol",
                        "segment",
                        "--url",
                        ingest,
                        "--write-key",
                        WRITE_KEY);
                assertThat(sent).as("the sender's summary of Segment answers").contains("ignored ");
                clickcartel(dir, "datagen", "land", "--from", data.toString(), "--to", landing.toString());
                chaos.pause();
                tables.awaitBronze(accepted(sent) + lines(Dataset.eventFiles(data, Phase.MAIN_LANDING)));
                tables.awaitSilverSettled(services.get("silver-processor"));
                chaos.resume();
                String sentLate = clickcartel(
                        dir,
                        "datagen",
                        "send",
                        "--from",
                        data.toString(),
                        "--phase",
                        "LATE_HTTP",
                        "--protocol",
                        "segment",
                        "--url",
                        ingest,
                        "--write-key",
                        WRITE_KEY);
                schedule.get(20, TimeUnit.MINUTES);
                for (String layer : SPARK_LAYERS) {
                    services.get(layer).awaitReady(Duration.ofMinutes(3));
                }

                await("gold equal to the ground truth after the last restart")
                        .atMost(CONVERGE)
                        .pollInterval(Duration.ofSeconds(5))
                        .ignoreExceptions()
                        .until(() -> goldDifferences(spark, lake, data, false).isEmpty());
                assertThat(chaos.killed()).as("kills").hasSize(kills);
                for (String layer : SPARK_LAYERS) {
                    assertThat(Collections.frequency(chaos.killed(), layer))
                            .as("kills of %s", layer)
                            .isGreaterThanOrEqualTo(kills / SPARK_LAYERS.size());
                }
                long bronze = tables.count(LakeTable.BRONZE_EVENTS);
                long silver = tables.count(LakeTable.SILVER_EVENTS);
                long quarantined = tables.count(LakeTable.SILVER_QUARANTINE);
                assertThat(bronze)
                        .as("bronze rows: every accepted event exactly once")
                        .isEqualTo(expected.get("bronze_rows").asLong());
                assertThat(silver)
                        .as("silver rows")
                        .isEqualTo(expected.get("silver_rows").asLong());
                assertThat(quarantined)
                        .as("quarantined")
                        .isEqualTo(expected.get("quarantined").asLong());
                assertThat(bronze - silver - quarantined)
                        .as("removed as duplicates or too late")
                        .isEqualTo(expected.get("duplicates_removed").asLong()
                                + expected.get("too_late").asLong());
                // ingest's refusals and the Segment messages it ignored, each landed once across bronze's kills
                Map<String, Long> keptAside = new TreeMap<>(refusedByRule(sent));
                refusedByRule(sentLate).forEach((rule, events) -> keptAside.merge(rule, events, Long::sum));
                keptAside.put(SegmentMapping.IGNORED_RULE, figure(sent, "ignored") + figure(sentLate, "ignored"));
                assertThat(keptAside.get(SegmentMapping.IGNORED_RULE))
                        .as("ignored messages in the sends")
                        .isPositive();
                long keptAsideRows =
                        keptAside.values().stream().mapToLong(Long::longValue).sum();
                await("bronze.rejected has every refusal and ignored message, by rule")
                        .atMost(CONVERGE)
                        .pollInterval(Duration.ofSeconds(5))
                        .untilAsserted(() -> assertThat(tables.rejectedByRule()).isEqualTo(keptAside));
                // silver's data-quality log, written with each batch, keeps the books across its kills
                Map<String, Long> books = tables.silverBooks();
                assertThat(books.get(BatchColumns.INPUT_ROWS))
                        .as("bronze rows silver read")
                        .isEqualTo(bronze);
                assertThat(books.get(BatchColumns.WRITTEN_ROWS))
                        .as("silver rows written")
                        .isEqualTo(silver);
                assertThat(books.get(BatchColumns.QUARANTINED_ROWS))
                        .as("quarantined")
                        .isEqualTo(quarantined);
                assertThat(books.get(BatchColumns.DUPLICATES_REMOVED))
                        .as("duplicates removed")
                        .isEqualTo(expected.get("duplicates_removed").asLong());
                assertThat(books.get(BatchColumns.TOO_LATE))
                        .as("too late")
                        .isEqualTo(expected.get("too_late").asLong());
                // bronze's log too, across its kills: what it says each table received is what the table holds (a
                // batch's entry is committed just after its rows)
                await("bronze's data-quality log accounts for both its tables")
                        .atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofSeconds(2))
                        .untilAsserted(() -> {
                            assertThat(tables.bronzeWritten(LakeTable.BRONZE_EVENTS))
                                    .as("bronze.events rows by bronze's log")
                                    .isEqualTo(bronze);
                            assertThat(tables.bronzeWritten(LakeTable.BRONZE_REJECTED))
                                    .as("bronze.rejected rows by bronze's log")
                                    .isEqualTo(keptAsideRows);
                        });
                // the logs' feeds on Kafka, killed with their services: every entry there, at least once
                await("the pipeline topic has every entry of the three logs")
                        .atMost(CONVERGE)
                        .pollInterval(Duration.ofSeconds(5))
                        .untilAsserted(() -> assertThat(published(broker))
                                .containsAll(tables.entries(LakeTable.OPS_BRONZE_BATCHES))
                                .containsAll(tables.entries(LakeTable.OPS_SILVER_BATCHES))
                                .containsAll(tables.entries(LakeTable.OPS_GOLD_BATCHES)));
                assertThat(goldDifferences(spark, lake, data, false))
                        .as("gold tables against the oracle")
                        .isEmpty();

                // an operation while the stack runs: silver stopped for a backfill of every date, gold left running
                List<String> dates = new ArrayList<>();
                expected.get("backfill_silver_rows_by_date").fieldNames().forEachRemaining(dates::add);
                ServiceProcess silverService = services.get("silver-processor");
                silverService.stop();
                clickcartel(dir, silverSettings, "silver", "backfill", dates.get(0), dates.get(dates.size() - 1));
                silverService.start().awaitReady(Duration.ofMinutes(3));
                await("gold equal to the backfilled ground truth, no refresh")
                        .atMost(CONVERGE)
                        .pollInterval(Duration.ofSeconds(5))
                        .ignoreExceptions()
                        .until(() -> goldDifferences(spark, lake, data, true).isEmpty());
                assertThat(tables.count(LakeTable.SILVER_EVENTS))
                        .as("silver rows after the backfill")
                        .isEqualTo(expected.get("backfill_silver_rows").asLong());
                assertThat(services.get("gold-aggregator").isAlive())
                        .as("gold still running: never stopped for the backfill")
                        .isTrue();
            } finally {
                chaos.stop();
                ServiceProcess.stopAll(services.values());
            }
        }
    }

    /** Each gold table that differs from the oracle's (for silver as streamed, or as backfilled). */
    private static List<String> goldDifferences(SparkSession spark, Path lake, Path data, boolean backfilled)
            throws IOException {
        List<String> different = new ArrayList<>();
        for (GoldPipeline.Table table : GoldPipeline.Table.values()) {
            List<Map<String, String>> expected = backfilled
                    ? Dataset.readExpectedGoldAfterBackfill(data, table.lakeTable())
                    : Dataset.readExpectedGold(data, table.lakeTable());
            List<Map<String, String>> actual =
                    GroundTruthCheck.canonicalRows(spark, table.lakeTable().location(lake.toString()));
            if (!sortedText(actual).equals(sortedText(expected))) {
                different.add(table.lakeTable().qualifiedName());
            }
        }
        return different;
    }

    private static List<String> sortedText(List<Map<String, String>> rows) {
        return rows.stream()
                .map(row -> new java.util.TreeMap<>(row).toString())
                .sorted()
                .toList();
    }

    /** The events a send reported accepted ("... accepted 1,234, ..."). */
    private static long accepted(String sendOutput) {
        return figure(sendOutput, "accepted");
    }

    /**
     * A figure of the sender's last summary ({@code accepted 1,234, rejected 5 {…}, ignored 6, …}): a command's log
     * holds the output of every run of that command.
     */
    private static long figure(String sendOutput, String name) {
        return Long.parseLong(lastMatch(sendOutput, name + " ([0-9,]+)").replace(",", ""));
    }

    /** The sender's refusals by rule in its last summary ({@code rejected 5 {malformed_json=2, …}}). */
    private static Map<String, Long> refusedByRule(String sendOutput) {
        Map<String, Long> byRule = new TreeMap<>();
        for (String entry :
                lastMatch(sendOutput, "rejected [0-9,]+ \\{([^}]*)}").split(", ")) {
            if (!entry.isBlank()) {
                String[] ruleAndEvents = entry.split("=");
                byRule.put(ruleAndEvents[0], Long.parseLong(ruleAndEvents[1].replace(",", "")));
            }
        }
        return byRule;
    }

    private static String lastMatch(String sendOutput, String regex) {
        Matcher match = Pattern.compile(regex).matcher(sendOutput);
        String last = null;
        while (match.find()) {
            last = match.group(1);
        }
        assertThat(last).as("%s in the sender's summary: %s", regex, sendOutput).isNotNull();
        return last;
    }

    private static long lines(List<Path> files) throws IOException {
        long lines = 0;
        for (Path file : files) {
            try (var stream = Files.lines(file)) {
                lines += stream.count();
            }
        }
        return lines;
    }

    /** SIGKILLs one Spark layer at a time at seeded random moments and starts it again. */
    private static final class Chaos {
        private final Map<String, ServiceProcess> services;
        private final Random random;
        private final int kills;
        private final List<String> killed = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final AtomicBoolean paused = new AtomicBoolean();
        private final AtomicBoolean stopped = new AtomicBoolean();

        Chaos(Map<String, ServiceProcess> services, Random random, int kills) {
            this.services = services;
            this.random = random;
            this.kills = kills;
        }

        void run() {
            List<String> round = new ArrayList<>();
            while (killed.size() < kills && !stopped.get()) {
                if (round.isEmpty()) {
                    round.addAll(SPARK_LAYERS);
                    Collections.shuffle(round, random);
                }
                sleep(Duration.ofMillis(4_000 + random.nextInt(10_000)));
                while (paused.get() && !stopped.get()) {
                    sleep(Duration.ofMillis(200));
                }
                if (stopped.get()) {
                    return;
                }
                String layer = round.remove(0);
                ServiceProcess service = services.get(layer);
                service.kill();
                killed.add(layer);
                sleep(Duration.ofMillis(random.nextInt(3_000)));
                service.start();
            }
        }

        /** Lets the current kill and restart finish, then holds the next. */
        void pause() {
            paused.set(true);
        }

        void resume() {
            paused.set(false);
        }

        void stop() {
            stopped.set(true);
        }

        List<String> killed() {
            return List.copyOf(killed);
        }

        private static void sleep(Duration duration) {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The entries on the pipeline topic as {@code query/query_id/batch_id}. */
    private static Set<String> published(LocalKafkaBroker broker) throws IOException {
        Set<String> entries = new HashSet<>();
        for (var record : TopicContents.read(broker.bootstrapServers(), Topics.PIPELINE)) {
            JsonNode entry = JSON.readTree(record.value());
            entries.add(entry.get(BatchColumns.QUERY).asText() + "/"
                    + entry.get(BatchColumns.QUERY_ID).asText() + "/"
                    + entry.get(BatchColumns.BATCH_ID).asLong());
        }
        return entries;
    }

    /** The lake's tables as the test reads them. */
    private record Lake(SparkSession spark, Path root) {
        long count(LakeTable table) {
            String location = table.location(root.toString());
            return io.delta.tables.DeltaTable.isDeltaTable(spark, location)
                    ? spark.read().format("delta").load(location).count()
                    : 0;
        }

        /** A data-quality log's entries as {@code query/query_id/batch_id}. */
        Set<String> entries(LakeTable log) {
            return spark
                    .read()
                    .format("delta")
                    .load(log.location(root.toString()))
                    .selectExpr("concat_ws('/', " + BatchColumns.QUERY + ", " + BatchColumns.QUERY_ID + ", "
                            + BatchColumns.BATCH_ID + ")")
                    .as(Encoders.STRING())
                    .collectAsList()
                    .stream()
                    .collect(Collectors.toSet());
        }

        /** bronze.rejected's rows per rule. */
        Map<String, Long> rejectedByRule() {
            Map<String, Long> byRule = new TreeMap<>();
            if (count(LakeTable.BRONZE_REJECTED) > 0) {
                for (Row rule : spark.read()
                        .format("delta")
                        .load(LakeTable.BRONZE_REJECTED.location(root.toString()))
                        .groupBy(Topics.RejectedKeys.RULE)
                        .count()
                        .collectAsList()) {
                    byRule.put(String.valueOf(rule.<String>getAs(0)), rule.getLong(1));
                }
            }
            return byRule;
        }

        /** Rows bronze's data-quality log says its batches wrote into {@code table} (the version each names). */
        long bronzeWritten(LakeTable table) {
            return books(
                            LakeTable.OPS_BRONZE_BATCHES,
                            "map_contains_key(" + BatchColumns.TABLE_VERSIONS + ", '" + table.qualifiedName() + "')")
                    .get(BatchColumns.WRITTEN_ROWS);
        }

        /** Silver's data-quality log summed over its batches, by column. */
        Map<String, Long> silverBooks() {
            return books(LakeTable.OPS_SILVER_BATCHES, "true");
        }

        /** A data-quality log's entries that match {@code condition}, summed by column. */
        private Map<String, Long> books(LakeTable log, String condition) {
            List<String> columns = List.of(
                    BatchColumns.INPUT_ROWS,
                    BatchColumns.WRITTEN_ROWS,
                    BatchColumns.QUARANTINED_ROWS,
                    BatchColumns.DUPLICATES_REMOVED,
                    BatchColumns.TOO_LATE);
            Row sums = spark.read()
                    .format("delta")
                    .load(log.location(root.toString()))
                    .where(condition)
                    .selectExpr(columns.stream()
                            .map(column -> "sum(" + column + ")")
                            .toArray(String[]::new))
                    .first();
            Map<String, Long> books = new HashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                books.put(columns.get(i), sums.getLong(i));
            }
            return books;
        }

        void awaitBronze(long rows) {
            await("bronze has the phase's events")
                    .atMost(CONVERGE)
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> count(LakeTable.BRONZE_EVENTS) >= rows);
        }

        /** Silver's tables unchanged over three looks six seconds apart, with the service up. */
        void awaitSilverSettled(ServiceProcess silver) {
            long[] last = {-1};
            int[] stable = {0};
            await("silver settled")
                    .atMost(CONVERGE)
                    .pollInterval(Duration.ofSeconds(3))
                    .until(() -> {
                        silver.awaitReady(Duration.ofMinutes(3));
                        long now = count(LakeTable.SILVER_EVENTS) + count(LakeTable.SILVER_QUARANTINE);
                        stable[0] = now == last[0] ? stable[0] + 1 : 0;
                        last[0] = now;
                        return stable[0] >= 2;
                    });
        }
    }

    /** {@code ./clickcartel ARGS…}, which must succeed; returns what it printed. */
    private static String clickcartel(Path dir, String... args) throws IOException, InterruptedException {
        return clickcartel(dir, Map.of(), args);
    }

    private static String clickcartel(Path dir, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(ServiceSettings.ROOT.resolve("clickcartel").toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve("command-" + String.join("-", List.of(args).subList(0, 2)) + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(ServiceSettings.ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("CLICKCARTEL_SKIP_BUILD", "1");
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES))
                .as("%s finished", command)
                .isTrue();
        String printed = Files.readString(log);
        assertThat(process.exitValue())
                .as("%s, log %s:%n%s", command, log, printed)
                .isZero();
        return printed;
    }
}
