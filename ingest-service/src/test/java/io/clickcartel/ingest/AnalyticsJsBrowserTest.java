package io.clickcartel.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clickcartel.core.Topics;
import io.clickcartel.testsupport.HeadlessChromium;
import io.clickcartel.testsupport.LocalKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Segment's browser SDK, analytics.js ({@code @segment/analytics-next} 1.84.3, its UMD bundle, pinned in
 * {@code src/test/browser/package-lock.json}), in Debian's headless Chromium driven by Selenium, sends a shop's
 * funnel to the Segment-compatible routes: Kafka must then hold exactly the run's commerce events.
 *
 * <p>The page ({@code src/test/browser/shop.html}) comes from a small server of the test's own on another port, so
 * every request to the ingest service is cross-origin and goes through CORS (with a preflight: analytics.js sends
 * {@code Authorization}, which is no CORS-safelisted header). It identifies a run-unique user, views a page, and
 * tracks Product Viewed, Product Added (quantity 2) and Order Completed (two products). Nothing leaves the machine:
 * the CDN settings are given inline, the SDK's CDN is the page's own origin, remote metrics are off, and Chromium
 * runs with background networking off; the test checks every URL the browser requested.
 *
 * <p>What analytics.js 1.84.3 puts on the wire (checked below), per message in the default ("standard") delivery:
 * {@code POST /v1/i}, {@code /v1/p}, {@code /v1/t} (the type's first letter), {@code Content-Type: text/plain},
 * {@code Authorization: Basic base64(key:)}, the body one message with {@code writeKey}, {@code messageId}
 * ({@code ajs-next-…}), {@code timestamp}, {@code sentAt}, {@code userId}, {@code anonymousId}, {@code context} and
 * {@code _metadata}; with {@code deliveryStrategy: {strategy: "batching"}}: {@code POST /v1/b}, same headers, body
 * {@code {"writeKey", "batch": [messages without sentAt], "sentAt"}}.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian's chromium and chromium-driver;
 * .ci/run installs them; CLICKCARTEL_CHROMIUM / CLICKCARTEL_CHROMEDRIVER point elsewhere) and npm (the test runs
 * {@code npm ci} in src/test/browser when the pinned bundle is not installed). A missing one fails the test.
 */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
class AnalyticsJsBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path BROWSER_DIR = Path.of("src", "test", "browser").toAbsolutePath();
    private static final Path BUNDLES = BROWSER_DIR.resolve("node_modules/@segment/analytics-next/dist/umd");
    private static final Pattern BUNDLE_FILE = Pattern.compile("[A-Za-z0-9._-]+\\.js");
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration TIME_TOLERANCE = Duration.ofSeconds(60);
    /** Quiet: "Unable to find CDP implementation matching 156" — no devtools module is on the classpath, none used. */
    private static final java.util.logging.Logger CDP_FINDER =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    @TestHTTPResource
    URL service;

    @BeforeAll
    static void installTheBundle() throws Exception {
        CDP_FINDER.setLevel(Level.OFF);
        String pinned = JSON.readTree(BROWSER_DIR.resolve("package-lock.json").toFile())
                .path("packages")
                .path("node_modules/@segment/analytics-next")
                .path("version")
                .asText();
        assertThat(pinned)
                .as("@segment/analytics-next pinned in src/test/browser/package-lock.json")
                .isNotEmpty();
        Path installed = BROWSER_DIR.resolve("node_modules/@segment/analytics-next/package.json");
        if (Files.isRegularFile(installed)
                && pinned.equals(
                        JSON.readTree(installed.toFile()).path("version").asText())
                && Files.isRegularFile(BUNDLES.resolve("index.js"))) {
            return;
        }
        String npm = onPath("npm")
                .orElseThrow(() -> new AssertionError("npm is not installed: AnalyticsJsBrowserTest "
                        + "installs analytics.js with `npm ci` in " + BROWSER_DIR
                        + " (Debian: apt-get install nodejs npm; "
                        + ".ci/run does)"));
        Path log = Files.createTempFile("npm-ci", ".log");
        try {
            Process process = new ProcessBuilder(npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund")
                    .directory(BROWSER_DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("npm ci in " + BROWSER_DIR + " took over 180 s:\n" + Files.readString(log));
            }
            assertThat(process.exitValue())
                    .as("npm ci in %s:\n%s", BROWSER_DIR, Files.readString(log))
                    .isZero();
        } finally {
            Files.deleteIfExists(log);
        }
        assertThat(BUNDLES.resolve("index.js"))
                .as("analytics.js' UMD bundle after npm ci")
                .isRegularFile();
    }

    @Test
    void analyticsJsSendsEachMessageOnItsOwnAndClickcartelKeepsTheFunnel() throws Exception {
        checkRun("std", "test-key", null, Set.of("/v1/i", "/v1/p", "/v1/t"));
    }

    @Test
    void analyticsJsBatchingSendsTheSameFunnelToTheBatchRoute() throws Exception {
        checkRun(
                "bat",
                "second-key",
                Map.of("strategy", "batching", "config", Map.of("size", 10, "timeout", 500)),
                Set.of("/v1/b"));
    }

    /** One event the run must put on the topic. */
    private record Expected(String eventId, String type, String product, int quantity, String orderId) {}

    private void checkRun(String label, String writeKey, Map<String, Object> deliveryStrategy, Set<String> routes)
            throws Exception {
        String run = label + "-" + UUID.randomUUID().toString().substring(0, 13);
        String user = run + "-user";
        List<String> products = List.of(run + "-p1", run + "-p2", run + "-p3");
        URI ingest = URI.create(service.toString());
        String ingestOrigin = "http://" + ingest.getHost() + ":" + ingest.getPort();

        ObjectNode config = JSON.createObjectNode();
        config.put("run", run)
                .put("writeKey", writeKey)
                .put("userId", user)
                .put("orderId", run + "-order")
                .put("apiHost", ingest.getHost() + ":" + ingest.getPort() + "/v1");
        config.set("products", JSON.valueToTree(products));
        config.set("deliveryStrategy", deliveryStrategy == null ? null : JSON.valueToTree(deliveryStrategy));

        Instant started = Instant.now();
        PageServer page = PageServer.start("window.SHOP = " + config + ";\n");
        Path profile = Files.createTempDirectory("clickcartel-chromium-");
        ChromeDriver browser = null;
        JsonNode shop;
        List<LogEntry> console;
        List<JsonNode> network;
        try {
            browser = HeadlessChromium.start(profile);
            String pageUrl = page.origin() + "/shop.html";
            assertThat(page.origin())
                    .as("the page's origin differs from the service's")
                    .isNotEqualTo(ingestOrigin);
            browser.get(pageUrl);
            ChromeDriver driver = browser;
            try {
                new WebDriverWait(browser, DELIVERY_TIMEOUT, Duration.ofMillis(100))
                        .until(d -> delivered(state(driver)));
            } catch (TimeoutException e) {
                throw new AssertionError(
                        "analytics.js did not deliver within " + DELIVERY_TIMEOUT + ":\n"
                                + state(driver).toPrettyString() + "\nconsole:\n"
                                + describe(browser.manage()
                                        .logs()
                                        .get(LogType.BROWSER)
                                        .getAll()) + "\npage server: " + page.served(),
                        e);
            }
            shop = state(browser);
            console = browser.manage().logs().get(LogType.BROWSER).getAll();
            network = new ArrayList<>();
            for (LogEntry entry :
                    browser.manage().logs().get(LogType.PERFORMANCE).getAll()) {
                network.add(JSON.readTree(entry.getMessage()).path("message"));
            }
        } finally {
            if (browser != null) {
                browser.quit();
            }
            page.stop();
            deleteQuietly(profile);
        }
        Instant finished = Instant.now();
        String shown = "what the page saw:\n" + shop.toPrettyString() + "\nconsole:\n" + describe(console);

        // The SDK: loaded, every call made and none reported failed, no error event.
        assertThat(shop.path("error").isNull())
                .as("an error in the page's script\n%s", shown)
                .isTrue();
        assertThat(shop.get("sdkErrors"))
                .as("errors analytics.js emitted\n%s", shown)
                .isEmpty();
        Map<String, String> messageIds = new HashMap<>();
        for (JsonNode call : shop.get("calls")) {
            assertThat(call.path("failed").isNull())
                    .as("delivery of %s\n%s", call, shown)
                    .isTrue();
            messageIds.put(
                    call.path("name").asText(call.path("kind").asText()),
                    call.path("messageId").asText());
        }
        assertThat(messageIds)
                .as("calls\n%s", shown)
                .containsOnlyKeys("identify", "page", "Product Viewed", "Product Added", "Order Completed");

        // The browser: no CORS error (nor any other error) in its console.
        assertThat(console)
                .as("browser console\n%s", describe(console))
                .noneMatch(e -> e.getMessage().matches("(?is).*(cors|access-control|cross-origin).*"))
                .noneMatch(e -> e.getLevel().intValue() >= Level.SEVERE.intValue());

        // The wire: only the expected routes of the service, text/plain, Basic key:, writeKey in the body; answers
        // 200 {"success":true,"accepted":[…],"rejected":[],"ignored":n} over however many requests.
        List<String> accepted = new ArrayList<>();
        List<String> sentIds = new ArrayList<>();
        int ignored = 0;
        String basic = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        for (JsonNode request : shop.get("requests")) {
            URI url = URI.create(request.get("url").asText());
            String what = "request " + request.toPrettyString();
            assertThat(url.getScheme() + "://" + url.getHost() + ":" + url.getPort())
                    .as(what)
                    .isEqualTo(ingestOrigin);
            assertThat(routes).as("route of %s", what).contains(url.getPath());
            assertThat(request.get("method").asText()).as(what).isEqualTo("POST");
            assertThat(request.path("headers").path("content-type").asText())
                    .as(what)
                    .isEqualTo("text/plain");
            assertThat(request.path("headers").path("authorization").asText())
                    .as(what)
                    .isEqualTo(basic);
            JsonNode body = json(request.get("body").asText());
            assertThat(body.path("writeKey").asText())
                    .as("writeKey in the body of %s", what)
                    .isEqualTo(writeKey);
            JsonNode messages = body.has("batch")
                    ? body.get("batch")
                    : JSON.createArrayNode().add(body);
            messages.forEach(m -> sentIds.add(m.path("messageId").asText()));
            messages.forEach(m -> assertThat(m.path("timestamp").isTextual())
                    .as("timestamp in %s", m)
                    .isTrue());
            assertThat(request.get("status").asInt()).as("status of %s", what).isEqualTo(200);
            JsonNode answer = json(request.get("answer").asText());
            assertThat(answer.path("success").asBoolean(false))
                    .as("success in %s", what)
                    .isTrue();
            assertThat(answer.get("rejected"))
                    .as("rejected in %s", what)
                    .isNotNull()
                    .isEmpty();
            answer.get("accepted").forEach(id -> accepted.add(id.asText()));
            ignored += answer.get("ignored").asInt();
        }
        assertThat(sentIds).as("messageIds sent\n%s", shown).containsExactlyInAnyOrderElementsOf(messageIds.values());

        List<Expected> expected = List.of(
                new Expected(messageIds.get("Product Viewed"), "view_product", products.get(0), 1, null),
                new Expected(messageIds.get("Product Added"), "add_to_cart", products.get(1), 2, null),
                new Expected(messageIds.get("Order Completed") + ":0", "purchase", products.get(0), 1, run + "-order"),
                new Expected(messageIds.get("Order Completed") + ":1", "purchase", products.get(2), 3, run + "-order"));
        List<String> expectedIds = expected.stream().map(Expected::eventId).toList();
        assertThat(accepted)
                .as("event ids accepted over all answers\n%s", shown)
                .containsExactlyInAnyOrderElementsOf(expectedIds);
        assertThat(ignored)
                .as("the identify and the page call are ignored\n%s", shown)
                .isEqualTo(2);

        // The topic: exactly the run's four events, keyed by the identified user; nothing for identify or page.
        List<ConsumerRecord<String, String>> ofRun = TopicReader.readAll(Topics.EVENTS).stream()
                .filter(r -> r.value() != null && r.value().contains(run))
                .toList();
        assertThat(ofRun.stream()
                        .map(r -> json(r.value()).path("event_id").asText())
                        .toList())
                .as("event ids of run %s in %s\n%s", run, Topics.EVENTS, shown)
                .containsExactlyInAnyOrderElementsOf(expectedIds)
                .doesNotContain(messageIds.get("identify"), messageIds.get("page"));
        Map<String, ConsumerRecord<String, String>> byId = ofRun.stream()
                .collect(Collectors.toMap(r -> json(r.value()).get("event_id").asText(), r -> r));
        for (Expected e : expected) {
            ConsumerRecord<String, String> record = byId.get(e.eventId());
            JsonNode value = json(record.value());
            String what = "event " + e.eventId() + ": " + record.value();
            assertThat(record.key()).as("key of %s", what).isEqualTo(user);
            assertThat(value.path("user_id").asText()).as("user_id of %s", what).isEqualTo(user);
            assertThat(value.path("event_type").asText())
                    .as("event_type of %s", what)
                    .isEqualTo(e.type());
            assertThat(value.path("product_id").asText())
                    .as("product_id of %s", what)
                    .isEqualTo(e.product());
            assertThat(value.path("quantity").asInt())
                    .as("quantity of %s", what)
                    .isEqualTo(e.quantity());
            if (e.orderId() != null) {
                assertThat(value.path("order_id").asText())
                        .as("order_id of %s", what)
                        .isEqualTo(e.orderId());
            }
            assertThat(value.path("segment")
                            .path("context")
                            .path("library")
                            .path("name")
                            .asText())
                    .as("the SDK named in %s", what)
                    .isEqualTo("analytics.js");
            assertThat(Instant.parse(value.path("timestamp").asText()))
                    .as("timestamp of %s", what)
                    .isBetween(started.minus(TIME_TOLERANCE), finished.plus(TIME_TOLERANCE));
        }
        IngestTestSupport.assertNoWriteKey(ofRun, writeKey);
        IngestTestSupport.assertOnlyIgnoredMessagesKeptAside(run, writeKey, 2);

        // The network: nothing asked of any other host; the preflights of the cross-origin POSTs allowed the page.
        List<String> requested = network.stream()
                .filter(m -> m.path("method").asText().equals("Network.requestWillBeSent"))
                .map(m -> m.path("params").path("request").path("method").asText() + " "
                        + m.path("params").path("request").path("url").asText())
                .filter(r -> r.matches("[A-Z]+ (https?|wss?|ftp)://.*")) // not chrome://, data:, blob:
                .toList();
        assertThat(requested)
                .as("what the browser requested over the network")
                .isNotEmpty()
                .allMatch(r -> r.contains(" " + page.origin() + "/") || r.contains(" " + ingestOrigin + "/"))
                .as("a preflight before the cross-origin POST (it sends Authorization)")
                .contains("OPTIONS " + ingestOrigin + (deliveryStrategy == null ? "/v1/t" : "/v1/b"));
        assertThat(page.served())
                .as("what the page server was asked for (no CDN settings, no lazy chunk)")
                .allMatch(p -> Set.of(
                                "/shop.html",
                                "/config.js",
                                "/recorder.js",
                                "/shop.js",
                                "/favicon.ico",
                                "/analytics-next/bundles/index.js")
                        .contains(p));
        List<String> preflights = network.stream()
                .filter(m -> m.path("method").asText().startsWith("Network.responseReceived")
                        && m.path("params").path("type").asText().equals("Preflight"))
                .map(m -> m.path("params").path("response"))
                .map(r -> r.path("status").asInt() + " " + r.path("url").asText() + " allows "
                        + r.path("headers").path("access-control-allow-origin").asText("(no origin)"))
                .toList();
        assertThat(preflights)
                .as("CORS preflights answered (network log)")
                .isNotEmpty()
                .allMatch(p -> p.matches(
                        "20[04] " + Pattern.quote(ingestOrigin) + "/v1/[a-z]+ allows " + Pattern.quote(page.origin())));
    }

    private static boolean delivered(JsonNode shop) {
        if (!shop.path("error").isNull() || shop.path("sdkErrors").size() > 0) {
            return true; // reported by the assertions
        }
        if (!shop.path("tracked").asBoolean(false)) {
            return false;
        }
        List<String> sent = new ArrayList<>();
        for (JsonNode request : shop.path("requests")) {
            if (request.path("status").isNull() && request.path("error").isNull()) {
                return false; // still waiting for its answer
            }
            try {
                JsonNode body = JSON.readTree(request.path("body").asText(""));
                (body.has("batch") ? body.get("batch") : JSON.createArrayNode().add(body))
                        .forEach(m -> sent.add(m.path("messageId").asText()));
            } catch (IOException notJson) {
                return true; // reported by the assertions
            }
        }
        for (JsonNode call : shop.path("calls")) {
            if (!sent.contains(call.path("messageId").asText())) {
                return false; // batching: not flushed yet
            }
        }
        return true;
    }

    private static JsonNode state(ChromeDriver browser) {
        Object text = ((JavascriptExecutor) browser)
                .executeScript("return JSON.stringify(Object.assign({}, window.__shop || {loaded: false},"
                        + " {requests: window.__recordedRequests || []}))");
        return json(String.valueOf(text));
    }

    private static java.util.Optional<String> onPath(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a temporary profile
        }
    }

    private static String describe(List<LogEntry> entries) {
        return entries.isEmpty()
                ? "(empty)"
                : entries.stream().map(e -> e.getLevel() + " " + e.getMessage()).collect(Collectors.joining("\n"));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** The shop's own origin: the page, its scripts and analytics.js' bundle directory (as its CDN would). */
    private record PageServer(HttpServer server, List<String> served) {

        static PageServer start(String configJs) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            List<String> served = new CopyOnWriteArrayList<>();
            server.createContext("/", exchange -> {
                try (exchange) {
                    String path = exchange.getRequestURI().getPath();
                    served.add(path);
                    if (path.equals("/config.js")) {
                        send(exchange, 200, "text/javascript", configJs.getBytes(StandardCharsets.UTF_8));
                    } else if (Set.of("/shop.html", "/shop.js", "/recorder.js").contains(path)) {
                        send(
                                exchange,
                                200,
                                path.endsWith(".html") ? "text/html; charset=utf-8" : "text/javascript",
                                Files.readAllBytes(BROWSER_DIR.resolve(path.substring(1))));
                    } else if (path.startsWith("/analytics-next/bundles/")
                            && BUNDLE_FILE
                                    .matcher(path.substring("/analytics-next/bundles/".length()))
                                    .matches()
                            && Files.isRegularFile(
                                    BUNDLES.resolve(path.substring("/analytics-next/bundles/".length())))) {
                        send(
                                exchange,
                                200,
                                "text/javascript",
                                Files.readAllBytes(
                                        BUNDLES.resolve(path.substring("/analytics-next/bundles/".length()))));
                    } else if (path.equals("/favicon.ico")) {
                        exchange.sendResponseHeaders(204, -1);
                    } else {
                        send(exchange, 404, "text/plain", "not here".getBytes(StandardCharsets.UTF_8));
                    }
                }
            });
            server.start();
            return new PageServer(server, served);
        }

        String origin() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void stop() {
            server.stop(0);
        }

        private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}
