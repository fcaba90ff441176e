package io.clickcartel.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.Topics;
import io.clickcartel.core.contract.Rule;
import io.clickcartel.testsupport.HostileCorpus;
import io.clickcartel.testsupport.HostileCorpus.Case;
import io.clickcartel.testsupport.HostileCorpus.Normalized;
import io.clickcartel.testsupport.HostileCorpus.Rejection;
import io.clickcartel.testsupport.HostileCorpus.Route;
import io.clickcartel.testsupport.LocalKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the hostile-input corpus ({@code test-data/hostile-input}, read by {@link HostileCorpus}) against the real
 * service and broker: every case's status (never a 5xx), the rule of a refused single event, the exact rejected
 * entries of a batch, and for every accepted single event its id and its normalised record on the events topic.
 *
 * <p>Requests go out through {@link HttpClient} rather than RestAssured, which would send
 * {@code application/octet-stream} where a case sends no Content-Type and re-encodes form content types: here the
 * body bytes and the headers are exactly the case's.
 */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
class HostileInputCorpusTest {

    private static final int MIN_CASES = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    /** What each case sent and got back, for the topic checks and the summary. */
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();

    private final Map<String, String> mismatches = new LinkedHashMap<>();
    private Map<String, ConsumerRecord<String, String>> eventsById;
    private volatile HttpClient http = newClient();

    private record Sent(Instant now, byte[] body, int status, JsonNode answer) {}

    @TestFactory
    Stream<DynamicNode> theServiceAnswersEveryHostileInputAsTheContractSays() {
        List<Case> corpus = HostileCorpus.load();
        List<DynamicNode> topicChecks = corpus.stream()
                .filter(c -> c.route() == Route.SINGLE
                        && c.status() == 202
                        && c.line().isPresent())
                .map(c -> (DynamicNode) dynamicTest(c.id(), () -> checkTopicRecord(c)))
                .toList();
        return Stream.of(
                dynamicTest(
                        "the corpus has at least " + MIN_CASES + " cases and covers every rule",
                        () -> checkCoverage(corpus)),
                dynamicContainer(
                        "http",
                        corpus.stream()
                                .map(c ->
                                        dynamicTest(c.id(), URI.create("corpus:" + c.source()), () -> checkAnswer(c)))),
                dynamicContainer("topic", topicChecks),
                dynamicTest("summary of mismatches", this::printSummary));
    }

    private static void checkCoverage(List<Case> corpus) {
        assertThat(corpus).as("cases in the corpus").hasSizeGreaterThanOrEqualTo(MIN_CASES);
        Set<String> expected =
                Arrays.stream(Rule.values()).map(Rule::id).collect(Collectors.toCollection(TreeSet::new));
        Set<String> named =
                corpus.stream().flatMap(c -> c.rules().stream()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(named).as("rules the corpus names").containsAll(expected);
        assertThat(expected)
                .as("the corpus names only rules of the contract (a typo?)")
                .containsAll(named);
    }

    private void checkAnswer(Case c) throws IOException, InterruptedException {
        Instant now = Instant.now();
        byte[] body = c.body(now);
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(root.toString()).resolve(c.path()))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        c.headers().forEach(request::header);
        HttpResponse<byte[]> response = send(request.build());
        int status = response.statusCode();
        JsonNode answer = parseOrNull(response.body());
        sent.put(c.id(), new Sent(now, body, status, answer));

        List<String> problems = new ArrayList<>();
        if (status >= 500) {
            problems.add("a 5xx answer");
        }
        if (status != c.status()) {
            problems.add("status " + status + ", expected " + c.status());
        } else if (status == 400) {
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            if (!contentType.startsWith("application/problem+json")) {
                problems.add("400 with Content-Type '" + contentType + "', expected application/problem+json");
            }
            String rule = text(answer, "rule");
            if (c.rule() != null ? !c.rule().equals(rule) : rule != null) {
                problems.add("rule " + rule + ", expected " + c.rule());
            }
        } else if (status == 413) {
            String rule = text(answer, "rule");
            if (rule != null) {
                problems.add("413 naming rule " + rule + ", expected no rule");
            }
        } else if (status == 202 && c.route() == Route.SINGLE) {
            List<String> accepted = textList(answer, "accepted");
            List<String> expectedIds = c.line()
                    .flatMap(line -> line.normalized(now, body))
                    .map(n -> List.of(n.eventId()))
                    .orElse(null);
            if (expectedIds != null ? !expectedIds.equals(accepted) : accepted == null || accepted.size() != 1) {
                problems.add("accepted " + accepted + ", expected " + (expectedIds != null ? expectedIds : "one id"));
            }
        } else if (status == 202) {
            List<Rejection> rejected = rejections(answer);
            if (!c.rejected().equals(rejected)) {
                problems.add("rejected " + describe(rejected) + ", expected " + describe(c.rejected()));
            }
        }
        if (!problems.isEmpty()) {
            String message = String.join("; ", problems);
            synchronized (mismatches) {
                mismatches.put(
                        c.id(),
                        message + "  [" + c.route().wireName() + " " + c.source() + ": " + c.about() + "] answer: "
                                + excerpt(response.body()));
            }
            throw new AssertionError(c.id() + " (" + c.source() + ", " + c.about() + "): " + message + "\n  answer: "
                    + excerpt(response.body()));
        }
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * On a fresh connection again when the exchange broke without an answer: after a 413 the service closes the
     * connection, and a pooled one may be dead; a body over the limit may still be on its way when the 413 and the
     * close arrive. A request that broke so never reached the service's handler, so a retry is safe.
     */
    private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException broken) {
                http = newClient();
                if (attempt == 3) {
                    throw broken;
                }
            }
        }
    }

    private void checkTopicRecord(Case c) {
        Sent s = sent.get(c.id());
        Assumptions.assumeTrue(s != null && s.status() == 202, "the HTTP answer was not 202");
        Normalized expected =
                c.line().orElseThrow().normalized(s.now(), s.body()).orElseThrow();
        ConsumerRecord<String, String> record = eventsById().get(expected.eventId());
        assertThat(record)
                .as("%s: event %s on %s", c.id(), expected.eventId(), Topics.EVENTS)
                .isNotNull();
        JsonNode value = parseOrNull(record.value().getBytes(StandardCharsets.UTF_8));
        assertThat(value).as("%s: record value is JSON", c.id()).isNotNull();

        Map<String, Object> actual = new LinkedHashMap<>();
        actual.put("key", record.key());
        actual.put("event_id", text(value, "event_id"));
        actual.put("user_id", text(value, "user_id"));
        actual.put("event_type", text(value, "event_type"));
        actual.put("product_id", text(value, "product_id"));
        actual.put("session_id", text(value, "session_id"));
        actual.put(
                "quantity",
                value.path("quantity").isInt() ? value.get("quantity").intValue() : value.get("quantity"));
        Map<String, Object> wanted = new LinkedHashMap<>();
        wanted.put("key", expected.userId());
        wanted.put("event_id", expected.eventId());
        wanted.put("user_id", expected.userId());
        wanted.put("event_type", expected.eventType());
        wanted.put("product_id", expected.productId());
        wanted.put("session_id", expected.sessionId());
        wanted.put("quantity", expected.quantity());
        expected.eventTime().ifPresent(time -> {
            wanted.put("event_time", time);
            String stamp = text(value, "timestamp");
            actual.put("event_time", stamp == null ? null : Instant.parse(stamp));
        });
        assertThat(actual)
                .as("%s (%s): the normalised record", c.id(), c.source())
                .isEqualTo(wanted);
    }

    private synchronized Map<String, ConsumerRecord<String, String>> eventsById() {
        if (eventsById == null) { // every send is done: read the topic once
            eventsById = TopicReader.readAll(Topics.EVENTS).stream()
                    .filter(r -> parseOrNull(r.value().getBytes(StandardCharsets.UTF_8)) != null)
                    .collect(Collectors.toMap(
                            r -> String.valueOf(
                                    text(parseOrNull(r.value().getBytes(StandardCharsets.UTF_8)), "event_id")),
                            Function.identity(),
                            (first, second) -> second));
        }
        return eventsById;
    }

    private void printSummary() {
        synchronized (mismatches) {
            StringBuilder out = new StringBuilder("hostile-input corpus: " + sent.size() + " cases sent, "
                    + mismatches.size() + " answered otherwise than expected");
            mismatches.forEach(
                    (id, message) -> out.append("\n  ").append(id).append(": ").append(message));
            System.out.println(out);
        }
    }

    private static List<Rejection> rejections(JsonNode answer) {
        if (answer == null || !answer.path("rejected").isArray()) {
            return null;
        }
        List<Rejection> list = new ArrayList<>();
        for (JsonNode r : answer.get("rejected")) {
            list.add(new Rejection(r.path("index").asInt(-1), r.path("rule").asText(null)));
        }
        return list;
    }

    private static String describe(List<Rejection> rejected) {
        return rejected == null
                ? "(none)"
                : rejected.stream().map(r -> r.index() + ":" + r.rule()).collect(Collectors.joining(", ", "[", "]"));
    }

    private static List<String> textList(JsonNode answer, String field) {
        if (answer == null || !answer.path(field).isArray()) {
            return null;
        }
        List<String> list = new ArrayList<>();
        answer.get(field).forEach(n -> list.add(n.asText()));
        return list;
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static JsonNode parseOrNull(byte[] bytes) {
        try {
            return bytes.length == 0 ? null : JSON.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).replace("\n", " ");
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }
}
