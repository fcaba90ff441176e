package io.clickcartel.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.Topics;
import io.clickcartel.testsupport.LocalKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The real Segment and RudderStack Node.js SDKs ({@code src/test/node}, installed by {@code npm ci} at
 * process-test-resources) send a run of messages to the Segment-compatible batch route; Kafka must then hold exactly
 * the commerce events of that run, normalised, no event for the messages that are ignored, which are kept on the
 * rejected topic.
 *
 * <p>Each script sends, with messageIds made of the run id: Product Viewed (userId and anonymousId, product_id and
 * sku, its own time ten minutes back), Product Added (sku only, quantity 2), Order Completed (two products, one by
 * product_id with quantity 1, one by id with quantity 3), "product viewed" from an anonymous visitor, an identify and
 * a Product List Viewed. What each SDK puts on the wire:
 * <ul>
 *   <li>{@code @segment/analytics-node} 3.1.0: {@code POST /v1/batch}, {@code Content-Type: application/json}, no
 *       compression, {@code Authorization: Basic base64(key:)}, body {@code {"batch":[…],"writeKey":…,"sentAt":…}},
 *       messages with {@code timestamp}.</li>
 *   <li>{@code @rudderstack/rudder-sdk-node} 3.0.13: {@code POST /v1/batch}, gzipped JSON labelled
 *       {@code application/x-www-form-urlencoded} with {@code Content-Encoding: gzip}, Basic auth, body
 *       {@code {"batch":[…],"timestamp":…,"sentAt":…}}, messages with {@code originalTimestamp} and {@code sentAt}
 *       but no {@code timestamp}; the first message goes alone in its own request.</li>
 * </ul>
 */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
class SegmentNodeSdkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);
    /** How far an event's time may lie from the time the test expects (send latency, clock-skew correction). */
    private static final Duration TIME_TOLERANCE = Duration.ofSeconds(60);

    @TestHTTPResource
    URL service;

    @Test
    void segmentAnalyticsNodeDeliversItsCommerceEventsAndNothingElse() throws Exception {
        checkRun("segment-node.mjs", "@segment/analytics-node", "test-key");
    }

    @Test
    void rudderSdkNodeDeliversItsGzippedFormLabelledBatchesTheSameWay() throws Exception {
        checkRun("rudder-node.mjs", "@rudderstack/rudder-sdk-node", "second-key");
    }

    /** One event the run must put on the topic. */
    private record Expected(
            String eventId, String type, String user, String product, int quantity, String orderId, boolean ownTime) {}

    private static List<Expected> expected(String run) {
        String user = run + "-user";
        return List.of(
                new Expected(run + "-pv", "view_product", user, run + "-p1", 1, null, true),
                new Expected(run + "-pa", "add_to_cart", user, run + "-p2", 2, null, false),
                new Expected(run + "-oc:0", "purchase", user, run + "-p1", 1, run + "-order", false),
                new Expected(run + "-oc:1", "purchase", user, run + "-p3", 3, run + "-order", false),
                new Expected(run + "-anon", "view_product", run + "-visitor", run + "-p4", 1, null, false));
    }

    private void checkRun(String script, String sdkPackage, String writeKey) throws Exception {
        String run = script.substring(0, 3) + "-" + UUID.randomUUID().toString().substring(0, 13);
        Instant started = Instant.now();
        Result result = runScript(script, sdkPackage, run, writeKey);
        Instant finished = Instant.now();
        String shown = result.describe();

        assertThat(result.exitCode)
                .as("%s exit code (0 = every message delivered)\n%s", script, shown)
                .isZero();
        JsonNode report = result.report();
        assertThat(report).as("the JSON report line of %s\n%s", script, shown).isNotNull();
        assertThat(report.get("errors"))
                .as("delivery errors the SDK reported\n%s", shown)
                .isEmpty();
        assertThat(report.get("messages"))
                .as("messages the SDK reported delivered\n%s", shown)
                .hasSize(6)
                .allSatisfy(m -> assertThat(m.get("delivered").asBoolean()).isTrue());

        List<Expected> expected = expected(run);
        List<String> expectedIds = expected.stream().map(Expected::eventId).toList();

        // The answers: 200 {"success":true,"accepted":[ids],"rejected":[],"ignored":n}, over however many requests.
        List<String> accepted = new ArrayList<>();
        int ignored = 0;
        assertThat(report.get("responses")).as("answers\n%s", shown).isNotEmpty();
        for (JsonNode response : report.get("responses")) {
            assertThat(response.get("status").asInt())
                    .as("status of %s\n%s", response, shown)
                    .isEqualTo(200);
            JsonNode body = json(response.get("body").asText());
            assertThat(body.path("success").asBoolean(false))
                    .as("success in %s", body)
                    .isTrue();
            assertThat(body.get("accepted")).as("accepted in %s", body).isNotNull();
            body.get("accepted").forEach(id -> accepted.add(id.asText()));
            assertThat(body.get("rejected"))
                    .as("rejected in %s", body)
                    .isNotNull()
                    .isEmpty();
            assertThat(body.path("ignored").isInt())
                    .as("ignored (a count) in %s", body)
                    .isTrue();
            ignored += body.get("ignored").asInt();
        }
        assertThat(accepted)
                .as("event ids accepted over all answers\n%s", shown)
                .containsExactlyInAnyOrderElementsOf(expectedIds);
        assertThat(ignored)
                .as("the identify and the Product List Viewed are ignored\n%s", shown)
                .isEqualTo(2);

        // The topic: exactly the run's five events, once each, keyed by user, normalised.
        List<ConsumerRecord<String, String>> ofRun = TopicReader.readAll(Topics.EVENTS).stream()
                .filter(r -> r.value() != null && r.value().contains(run))
                .toList();
        List<String> idsInTopic = ofRun.stream()
                .map(r -> json(r.value()).path("event_id").asText())
                .toList();
        assertThat(idsInTopic)
                .as("event ids of run %s in %s\n%s", run, Topics.EVENTS, shown)
                .containsExactlyInAnyOrderElementsOf(expectedIds);

        Map<String, ConsumerRecord<String, String>> byId = new HashMap<>();
        ofRun.forEach(r -> byId.put(json(r.value()).get("event_id").asText(), r));
        Instant earlier = Instant.parse(report.get("earlier").asText());
        for (Expected e : expected) {
            ConsumerRecord<String, String> record = byId.get(e.eventId());
            JsonNode value = json(record.value());
            String what = "event " + e.eventId() + ": " + record.value();
            assertThat(record.key()).as("key of %s", what).isEqualTo(e.user());
            assertThat(value.path("user_id").asText()).as("user_id of %s", what).isEqualTo(e.user());
            assertThat(value.path("event_type").asText())
                    .as("event_type of %s", what)
                    .isEqualTo(e.type());
            assertThat(value.path("product_id").asText())
                    .as("product_id of %s", what)
                    .isEqualTo(e.product());
            assertThat(value.path("quantity").isInt())
                    .as("quantity of %s is an integer", what)
                    .isTrue();
            assertThat(value.get("quantity").asInt()).as("quantity of %s", what).isEqualTo(e.quantity());
            assertThat(value.hasNonNull("received_at"))
                    .as("received_at in %s", what)
                    .isTrue();
            assertThat(value.path("segment").isObject())
                    .as("a segment object in %s", what)
                    .isTrue();
            if (e.orderId() != null) {
                assertThat(value.path("order_id").asText())
                        .as("order_id of %s", what)
                        .isEqualTo(e.orderId());
            }
            Instant time = Instant.parse(value.path("timestamp").asText());
            if (e.ownTime()) {
                assertThat(time)
                        .as("timestamp of %s: the message's own time", what)
                        .isCloseTo(earlier, within(TIME_TOLERANCE.toMillis(), ChronoUnit.MILLIS));
            } else {
                assertThat(time)
                        .as("timestamp of %s: the SDK's time of the call", what)
                        .isBetween(started.minus(TIME_TOLERANCE), finished.plus(TIME_TOLERANCE));
            }
        }

        // No write key anywhere: not in a value, not in a header; nothing of the run refused, the two ignored kept.
        IngestTestSupport.assertNoWriteKey(ofRun, writeKey);
        IngestTestSupport.assertOnlyIgnoredMessagesKeptAside(run, writeKey, 2);
    }

    private record Result(String command, int exitCode, String stdout, String stderr) {
        String describe() {
            return "--- " + command + " exited " + exitCode + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
        }

        /** The last line of stdout that is a JSON object with "sdk", or null. */
        JsonNode report() {
            String[] lines = stdout.split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (lines[i].startsWith("{")) {
                    try {
                        JsonNode node = JSON.readTree(lines[i]);
                        if (node.has("sdk")) {
                            return node;
                        }
                    } catch (IOException notTheReport) {
                        // an SDK's own log line
                    }
                }
            }
            return null;
        }
    }

    private Result runScript(String script, String sdkPackage, String run, String writeKey) throws Exception {
        String node = findNode();
        Path installed = NODE_DIR.resolve("node_modules").resolve(sdkPackage).resolve("package.json");
        if (!Files.isRegularFile(installed)) {
            throw new AssertionError(sdkPackage + " is not installed in " + NODE_DIR + ": the build runs `npm ci` "
                    + "there at process-test-resources (exec-maven-plugin in ingest-service/pom.xml); run "
                    + "`npm ci` in that folder, or the module's build without -DskipTests");
        }
        String host = service.toString().replaceAll("/+$", "");
        List<String> command = List.of(node, script, "--host", host, "--run-id", run, "--timeout-ms", "60000");
        Path out = Files.createTempFile("sdk-" + run, ".out");
        Path err = Files.createTempFile("sdk-" + run, ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(NODE_DIR.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().put("CLICKCARTEL_WRITE_KEY", writeKey); // not in the arguments
            Process process = builder.start();
            int exitCode;
            if (process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                exitCode = process.exitValue();
            } else {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                exitCode = -1;
                Files.writeString(err, "\n[killed after " + SCRIPT_TIMEOUT + "]", StandardOpenOption.APPEND);
            }
            return new Result(String.join(" ", command), exitCode, Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** {@code node} from CLICKCARTEL_NODE or the PATH; a missing one fails the test, it does not skip it. */
    private static String findNode() {
        String configured = System.getenv("CLICKCARTEL_NODE");
        if (configured != null && !configured.isBlank()) {
            if (!Files.isExecutable(Path.of(configured))) {
                throw new AssertionError("CLICKCARTEL_NODE=" + configured + " is not an executable file");
            }
            return configured;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "node"))) {
                return Path.of(dir, "node").toString();
            }
        }
        throw new AssertionError("Node.js is not installed: `node` is not on the PATH (" + path + "). "
                + "SegmentNodeSdkTest runs the real Segment and RudderStack Node SDKs: install Node.js 18+ and npm "
                + "(Debian: apt-get install nodejs npm; .ci/run does), or set CLICKCARTEL_NODE to the node binary");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
