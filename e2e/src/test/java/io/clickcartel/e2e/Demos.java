package io.clickcartel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.LakeTable;
import io.clickcartel.datagen.GroundTruth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Runs {@code ./clickcartel demo} as the README says, on ports of its own, and reads what it printed. */
final class Demos {

    static final Path ROOT = ServiceSettings.ROOT;
    /** Not a developer's own stack's ports: ingest 18080, bronze +1, silver +2, gold +3, insights +4. */
    static final int PORT_BASE = 18080;

    static final int INSIGHTS_PORT = PORT_BASE + 4;
    /** Where the demo keeps its last run: the data set and the oracle's answers among it. */
    static final Path LATEST = ROOT.resolve("run/demo/latest");

    private static final long TIMEOUT_MINUTES = 20;
    static final String INSIGHTS = "http://127.0.0.1:" + INSIGHTS_PORT;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Demos() {}

    static String runMatchingGroundTruth(String... options) throws IOException, InterruptedException {
        return runMatchingGroundTruth(Map.of(), options);
    }

    /** As {@link #runMatchingGroundTruth(String...)}, with {@code settings} added to the demo's environment. */
    static String runMatchingGroundTruth(Map<String, String> settings, String... options)
            throws IOException, InterruptedException {
        String printed = run(settings, List.of(options));
        assertThat(printed).contains("matches ground truth");
        for (String table :
                GroundTruth.GOLD_TABLES.stream().map(LakeTable::qualifiedName).toList()) {
            assertThat(printed.lines().filter(line -> line.startsWith(table)))
                    .as("%s compared with the oracle", table)
                    .singleElement()
                    .asString()
                    .endsWith("equal");
        }
        assertThat(printed).contains("accepted (bronze rows)").doesNotContain("MISMATCH");
        return printed;
    }

    /** What a command printed (stdout and stderr) and how it ended. */
    record Result(int exitCode, String output) {}

    /**
     * {@code ./clickcartel ARGS…} against the kept demo run's lake and checkpoints, its HTTP server on a free
     * port: a command as an operator runs it beside the running stack.
     */
    static Result onTheKeptRun(String... args) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of(ROOT.resolve("clickcartel").toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("clickcartel-command-", ".txt");
        ProcessBuilder builder = environment(new ProcessBuilder(command))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("CLICKCARTEL_LAKE", LATEST.resolve("lake").toString());
        builder.environment()
                .put("CLICKCARTEL_CHECKPOINTS", LATEST.resolve("checkpoints").toString());
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
        Process process = builder.start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES))
                .as("%s finished", command)
                .isTrue();
        return new Result(process.exitValue(), Files.readString(output));
    }

    /** {@code ./clickcartel down}: stops a stack the demo kept running. */
    static void down() throws IOException, InterruptedException {
        Process down = environment(
                        new ProcessBuilder(ROOT.resolve("clickcartel").toString(), "down"))
                .inheritIO()
                .start();
        assertThat(down.waitFor(3, TimeUnit.MINUTES))
                .as("./clickcartel down finished")
                .isTrue();
    }

    private static String run(Map<String, String> settings, List<String> options)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("clickcartel-demo-", ".txt");
        List<String> command =
                new ArrayList<>(List.of(ROOT.resolve("clickcartel").toString(), "demo"));
        command.addAll(options);
        ProcessBuilder builder = environment(new ProcessBuilder(command))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(settings);
        Process process = builder.start();
        boolean finished = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            process.destroy(); // SIGTERM: the demo stops its stack
            process.waitFor(2, TimeUnit.MINUTES);
        }
        String printed = Files.readString(output);
        System.out.println(printed);
        assertThat(finished)
                .as(() -> "the demo finished within " + TIMEOUT_MINUTES + " minutes; " + failureReport(printed))
                .isTrue();
        assertThat(process.exitValue())
                .as(() -> "exit code of the demo; " + failureReport(printed))
                .isZero();
        return printed;
    }

    /**
     * The end of what a failed demo printed and of each of its logs, for the assertion's message: a CI summary
     * shows the message, not the test's whole output.
     */
    private static String failureReport(String printed) {
        StringBuilder report = new StringBuilder("it printed last:\n").append(tail(printed, 30));
        try (var logs = Files.list(LATEST.resolve("logs"))) {
            for (Path log : logs.sorted().toList()) {
                report.append("\n--- ").append(log.getFileName()).append(", last lines:\n");
                // bytes, not readString: a log cut mid-character must not hide the others
                report.append(tail(new String(Files.readAllBytes(log), StandardCharsets.UTF_8), 12));
            }
        } catch (IOException e) {
            report.append("\n(no logs under ")
                    .append(LATEST)
                    .append(": ")
                    .append(e)
                    .append(')');
        }
        return report.toString();
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** GET {@code path} from the kept stack's insights service: its answer, which must be a 200. */
    static JsonNode insights(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(INSIGHTS + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET %s: %s", path, response.body())
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /**
     * Waits until the insights service, which refreshes on its own schedule, holds {@code expected} rows per gold
     * table (the oracle's).
     */
    static void awaitInsightsHolding(Map<String, Long> expected) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(rowsHeld())
                        .as("rows per gold table the insights service holds")
                        .isEqualTo(expected));
    }

    private static Map<String, Long> rowsHeld() throws IOException, InterruptedException {
        Map<String, Long> held = new TreeMap<>();
        for (JsonNode table : insights("/api/freshness").get("tables")) {
            held.put(table.get("table").asText(), table.get("rows").asLong());
        }
        return held;
    }

    private static ProcessBuilder environment(ProcessBuilder builder) {
        // the reactor has just packaged every module
        builder.directory(ROOT.toFile());
        builder.environment().put("CLICKCARTEL_SKIP_BUILD", "1");
        builder.environment().put("CLICKCARTEL_DEMO_PORT_BASE", Integer.toString(PORT_BASE));
        builder.environment().put("CLICKCARTEL_KAFKA_PORT", "19092");
        // small data sets: shorter triggers than the demo's defaults, so each phase is picked up sooner
        builder.environment().put("CLICKCARTEL_BRONZE_TRIGGER", "1s");
        builder.environment().put("CLICKCARTEL_SILVER_TRIGGER", "1s");
        builder.environment().put("CLICKCARTEL_GOLD_TRIGGER", "2s");
        return builder;
    }
}
