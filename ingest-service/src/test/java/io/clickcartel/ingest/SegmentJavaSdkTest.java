package io.clickcartel.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.TrackMessage;
import io.clickcartel.core.Topics;
import io.clickcartel.testsupport.LocalKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Segment's own Java client ({@code com.segment.analytics.java:analytics}) against the Segment-compatible routes:
 * what the real SDK sends (its default {@code /v1/import/}, gzip bodies, {@code /v1/batch}) must end up in Kafka
 * as the native events the mapping promises, and the write key — which this SDK sends only in the body — nowhere.
 */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
class SegmentJavaSdkTest {

    private static final Logger LOG = Logger.getLogger(SegmentJavaSdkTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALLBACK_TIMEOUT = Duration.ofSeconds(45);

    @TestHTTPResource
    URL service;

    private String base() {
        return service.getProtocol() + "://" + service.getHost() + ":" + service.getPort();
    }

    @Test
    void theSdkDefaultUploadToV1ImportReachesKafkaAsNativeEvents() {
        Scenario scenario = new Scenario(IngestTestSupport.WRITE_KEY);
        Recorder recorder = new Recorder();
        OkHttpClient http =
                new OkHttpClient.Builder().addNetworkInterceptor(recorder).build();

        // endpoint(host) is the SDK's documented way: it appends its DEFAULT_PATH, "/v1/import/".
        send(scenario, recorder, builder -> builder.endpoint(base()).client(http));

        Exchange exchange = recorder.only();
        logExchange("default endpoint", exchange, scenario.writeKey);
        assertThat(exchange.path()).isEqualTo("/v1/import/");
        assertSdkRequestShape(exchange, scenario);
        assertThat(exchange.requestHeaders()).doesNotContainKey("content-encoding");
        assertAnswer(exchange, scenario);
        assertKafka(scenario);
    }

    @Test
    void gzipBodiesFromTheSdkAreDecompressedAndMappedTheSameWay() {
        Scenario scenario = new Scenario("second-key");
        Recorder recorder = new Recorder();
        OkHttpClient http = new OkHttpClient.Builder()
                .addInterceptor(new GzipRequestBodies())
                .addNetworkInterceptor(recorder)
                .build();

        send(scenario, recorder, builder -> builder.endpoint(base()).client(http));

        Exchange exchange = recorder.only();
        logExchange("gzip", exchange, scenario.writeKey);
        assertThat(exchange.path()).isEqualTo("/v1/import/");
        assertThat(exchange.requestHeaders()).containsEntry("content-encoding", "gzip");
        assertThat(exchange.wireBody()[0] & 0xff).as("gzip magic on the wire").isEqualTo(0x1f);
        assertThat(exchange.wireBody()[1] & 0xff).isEqualTo(0x8b);
        assertSdkRequestShape(exchange, scenario);
        assertAnswer(exchange, scenario);
        assertKafka(scenario);
    }

    @Test
    void aWrongWriteKeyInTheSdkBatchMakesEveryMessageFailAndWritesNothing() {
        Scenario scenario = new Scenario("not-a-key-" + UUID.randomUUID());
        Recorder recorder = new Recorder();
        OkHttpClient http =
                new OkHttpClient.Builder().addNetworkInterceptor(recorder).build();

        // A 4xx is final for the SDK: it gives up at once and reports a failure for each message.
        Map<String, String> outcomes =
                attempt(scenario, recorder, builder -> builder.endpoint(base()).client(http));

        assertThat(recorder.only().status()).as("answer %s", recorder.only()).isEqualTo(401);
        assertThat(outcomes)
                .hasSize(scenario.messages.size())
                .allSatisfy((id, outcome) -> assertThat(outcome).startsWith("failure"));
        assertThat(TopicReader.readAll(Topics.EVENTS)).noneMatch(r -> r.value().contains(scenario.run));
        assertThat(TopicReader.readAll(Topics.REJECTED))
                .noneMatch(r -> r.value().contains(scenario.run));
    }

    @Test
    void setUploadUrlPointsTheSdkAtV1Batch() {
        Scenario scenario = new Scenario(IngestTestSupport.WRITE_KEY);
        Recorder recorder = new Recorder();
        OkHttpClient http =
                new OkHttpClient.Builder().addNetworkInterceptor(recorder).build();

        // setUploadURL takes the whole URL and is used as-is, as long as endpoint(...) is not also called.
        send(
                scenario,
                recorder,
                builder -> builder.setUploadURL(base() + "/v1/batch").client(http));

        Exchange exchange = recorder.only();
        logExchange("setUploadURL /v1/batch", exchange, scenario.writeKey);
        assertThat(exchange.path()).isEqualTo("/v1/batch");
        assertSdkRequestShape(exchange, scenario);
        assertAnswer(exchange, scenario);
        assertKafka(scenario);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** {@link #attempt}, and every message must have succeeded. */
    private void send(Scenario scenario, Recorder recorder, Function<Analytics.Builder, Analytics.Builder> target) {
        Map<String, String> outcomes = attempt(scenario, recorder, target);
        Map<String, String> expected =
                scenario.messages.stream().collect(Collectors.toMap(m -> m.messageId, m -> "success"));
        assertThat(outcomes)
                .as("SDK callbacks; exchanges %s", recorder.exchanges)
                .isEqualTo(expected);
    }

    /** Enqueues the scenario, flushes once and waits for the SDK's callback on every message: id -> outcome. */
    private Map<String, String> attempt(
            Scenario scenario, Recorder recorder, Function<Analytics.Builder, Analytics.Builder> target) {
        Map<String, String> outcomes = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(scenario.messages.size());
        Callback callback = new Callback() {
            @Override
            public void success(Message message) {
                outcomes.put(message.messageId(), "success");
                done.countDown();
            }

            @Override
            public void failure(Message message, Throwable error) {
                outcomes.put(message.messageId(), "failure: " + error);
                done.countDown();
            }
        };
        Analytics analytics = target.apply(Analytics.builder(scenario.writeKey))
                .callback(callback)
                .retries(1)
                // Only the explicit flush below sends: one batch, one request.
                .flushInterval(1, TimeUnit.HOURS)
                .build();
        try {
            scenario.messages.forEach(m -> analytics.enqueue(m.builder));
            analytics.flush();
            long deadline = System.nanoTime() + CALLBACK_TIMEOUT.toNanos();
            while (!done.await(200, TimeUnit.MILLISECONDS)) {
                // A 5xx or 429 makes the SDK back off 15 s and retry: report the answer instead of waiting.
                recorder.exchanges.stream()
                        .filter(e -> e.status() >= 500 || e.status() == 429)
                        .findFirst()
                        .ifPresent(e -> {
                            throw new AssertionError("the service answered " + e.status() + " " + e.responseBody()
                                    + " to " + e.path() + " (headers " + e.requestHeaders() + ")");
                        });
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no callback for " + (done.getCount()) + " of "
                            + scenario.messages.size() + " messages within " + CALLBACK_TIMEOUT
                            + "; outcomes " + outcomes + "; exchanges " + recorder.exchanges);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            analytics.shutdown();
        }
        return outcomes;
    }

    /** What analytics-java 3.5.x puts on the wire: a Batch object, the write key in it, no auth header. */
    private static void assertSdkRequestShape(Exchange exchange, Scenario scenario) {
        assertThat(exchange.method()).isEqualTo("POST");
        assertThat(exchange.requestHeaders().get("content-type")).startsWith("application/json");
        assertThat(exchange.requestHeaders().get("user-agent")).isEqualTo("analytics-java/3.5.1");
        assertThat(exchange.requestHeaders()).doesNotContainKeys("authorization", "x-write-key");
        JsonNode body = json(exchange.json());
        assertThat(iterable(body.fieldNames()))
                .containsExactlyInAnyOrder("batch", "sentAt", "context", "sequence", "writeKey");
        assertThat(body.get("writeKey").asText()).isEqualTo(scenario.writeKey);
        assertThat(body.get("context").get("library").get("name").asText()).isEqualTo("analytics-java");
        assertThat(body.get("batch").size()).isEqualTo(scenario.messages.size());
        List<String> messageIds = StreamSupport.stream(body.get("batch").spliterator(), false)
                .map(m -> m.get("messageId").asText())
                .toList();
        assertThat(messageIds)
                .containsExactlyElementsOf(
                        scenario.messages.stream().map(m -> m.messageId).toList());
        JsonNode first = body.get("batch").get(0);
        assertThat(first.get("type").asText()).isEqualTo("track");
        assertThat(first.has("writeKey"))
                .as("the SDK puts the key on the batch only")
                .isFalse();
        assertThat(first.has("originalTimestamp"))
                .as("the Java SDK sends timestamp")
                .isFalse();
        assertThat(Instant.parse(first.get("timestamp").asText())).isEqualTo(scenario.view.timestamp);
    }

    /** The service's answer: 200, every mapped event accepted, nothing rejected, the two others ignored. */
    private static void assertAnswer(Exchange exchange, Scenario scenario) {
        assertThat(exchange.status())
                .as("status; answer %s", exchange.responseBody())
                .isEqualTo(200);
        JsonNode answer = json(exchange.responseBody());
        assertThat(answer.get("success").asBoolean())
                .as("success in %s", answer)
                .isTrue();
        assertThat(iterable(answer.get("accepted").elements()).stream()
                        .map(JsonNode::asText)
                        .toList())
                .as("accepted in %s", answer)
                .containsExactlyInAnyOrderElementsOf(scenario.expectedEvents().keySet());
        assertThat(answer.get("rejected").size()).as("rejected in %s", answer).isZero();
        assertThat(answer.get("ignored").asInt()).as("ignored in %s", answer).isEqualTo(2);
    }

    /** Kafka holds exactly the expected events of this run, as native events, and no write key. */
    private static void assertKafka(Scenario scenario) {
        List<ConsumerRecord<String, String>> ours = TopicReader.readAll(Topics.EVENTS).stream()
                .filter(r -> r.value().contains(scenario.run))
                .toList();
        Map<String, Expected> expected = scenario.expectedEvents();
        assertThat(ours.stream()
                        .map(r -> json(r.value()).path("event_id").asText())
                        .toList())
                .as("event ids of this run in %s", Topics.EVENTS)
                .containsExactlyInAnyOrderElementsOf(expected.keySet());

        ours.stream()
                .filter(r -> r.value().contains("\"purchase\""))
                .findFirst()
                .ifPresent(r -> LOG.infof(
                        "one of its Kafka records: key %s, headers %s, value %s", r.key(), r.headers(), r.value()));
        for (ConsumerRecord<String, String> record : ours) {
            JsonNode value = json(record.value());
            Expected e = expected.get(value.get("event_id").asText());
            String what = "record " + record.value();
            assertThat(record.key()).as("key of %s", what).isEqualTo(e.userId);
            assertThat(value.get("user_id").asText()).as(what).isEqualTo(e.userId);
            assertThat(value.get("event_type").asText()).as(what).isEqualTo(e.eventType);
            assertThat(value.get("product_id").asText()).as(what).isEqualTo(e.productId);
            assertThat(value.get("quantity").isIntegralNumber()).as(what).isTrue();
            assertThat(value.get("quantity").asInt()).as(what).isEqualTo(e.quantity);
            if (e.sessionId == null) {
                assertThat(value.has("session_id")).as(what).isFalse();
            } else {
                assertThat(value.path("session_id").asText()).as(what).isEqualTo(e.sessionId);
            }
            if (e.orderId == null) {
                assertThat(value.has("order_id")).as(what).isFalse();
            } else {
                assertThat(value.path("order_id").asText()).as(what).isEqualTo(e.orderId);
            }
            // The batch's sentAt is a client send time: native skew correction applies.
            assertThat(value.hasNonNull("received_at")).as(what).isTrue();
            assertThat(value.has("clock_skew_ms")).as(what).isTrue();
            assertThat(Math.abs(value.get("clock_skew_ms").asLong())).as(what).isLessThan(60_000);
            assertThat(value.has("sent_at")).as(what).isFalse();
            Instant timestamp = Instant.parse(value.get("timestamp").asText());
            assertThat(Duration.between(e.timestamp, timestamp).abs()).as(what).isLessThan(Duration.ofMinutes(1));

            JsonNode segment = value.path("segment");
            assertThat(segment.isObject()).as("segment object in %s", what).isTrue();
            assertThat(segment.path("type").asText()).as(what).isEqualTo("track");
            assertThat(segment.path("event").asText()).as(what).isEqualTo(e.segmentEvent);
            assertThat(segment.path("messageId").asText()).as(what).isEqualTo(e.messageId);
            assertThat(segment.path("properties").isObject()).as(what).isTrue();
            if (e.userId.equals(scenario.anonymous)) {
                assertThat(segment.path("anonymousId").asText()).as(what).isEqualTo(scenario.anonymous);
                assertThat(segment.path("userId").isMissingNode()
                                || segment.path("userId").isNull())
                        .as("no userId in the segment object of %s", what)
                        .isTrue();
            } else {
                assertThat(segment.path("userId").asText()).as(what).isEqualTo(scenario.user);
            }
            if (e.messageId.equals(scenario.add.messageId)) {
                assertThat(segment.path("context").path("sessionId").asText())
                        .as(what)
                        .isEqualTo(scenario.session);
                assertThat(segment.path("properties").path("quantity").asInt())
                        .as(what)
                        .isEqualTo(2);
            }
            if (e.eventType.equals("purchase")) {
                assertThat(segment.path("properties").path("order_id").asText())
                        .as(what)
                        .isEqualTo(e.orderId);
            }

            assertThat(record.value())
                    .as("no write key in %s", what)
                    .doesNotContain("writeKey")
                    .doesNotContain(scenario.writeKey);
            for (Header header : record.headers()) {
                assertThat(header.key() + "="
                                + new String(header.value() == null ? new byte[0] : header.value(), UTF_8))
                        .as("header of %s", what)
                        .doesNotContain(scenario.writeKey);
            }
        }

        for (String ignored : List.of(scenario.identify.messageId, scenario.productList.messageId)) {
            assertThat(ours)
                    .as("no event for ignored message %s", ignored)
                    .noneMatch(r -> r.value().contains(ignored));
        }
        // nothing of this run is refused; the identify and the Product List Viewed are kept aside
        IngestTestSupport.assertOnlyIgnoredMessagesKeptAside(scenario.run, scenario.writeKey, 2);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** A message as the test built it, with what it must become. */
    private static final class Sent {
        final String messageId;
        final Instant timestamp;
        final com.segment.analytics.messages.MessageBuilder<?, ?> builder;

        Sent(String messageId, Instant timestamp, com.segment.analytics.messages.MessageBuilder<?, ?> builder) {
            this.messageId = messageId;
            this.timestamp = timestamp;
            this.builder = builder;
        }
    }

    private record Expected(
            String messageId,
            String segmentEvent,
            String eventType,
            String userId,
            String productId,
            int quantity,
            String sessionId,
            String orderId,
            Instant timestamp) {}

    /**
     * Product Viewed, Product Added (quantity 2), Order Completed with two products (quantities 1 and 3), an
     * anonymous-only Viewed Product, an identify and a Product List Viewed; all ids unique to this run.
     */
    private static final class Scenario {
        final String writeKey;
        final String run = UUID.randomUUID().toString();
        final String user = "sdk-user-" + run;
        final String anonymous = "sdk-anon-" + run;
        final String session = "sdk-session-" + run;
        final String orderId = "sdk-order-" + run;
        final Instant start = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);

        final Sent view;
        final Sent add;
        final Sent order;
        final Sent anonymousView;
        final Sent identify;
        final Sent productList;
        final List<Sent> messages;

        Scenario(String writeKey) {
            this.writeKey = writeKey;
            view = track(
                    0,
                    "view",
                    "Product Viewed",
                    user,
                    null,
                    props(
                            "product_id",
                            "p-view-" + run,
                            "sku",
                            "SKU-VIEW",
                            "name",
                            "Mug",
                            "price",
                            12.5,
                            "session_id",
                            session));
            add = track(
                    1,
                    "add",
                    "Product Added",
                    user,
                    null,
                    props("product_id", "p-add-" + run, "quantity", 2, "price", 30));
            ((TrackMessage.Builder) add.builder).context(Map.of("sessionId", session));
            order = track(
                    2,
                    "order",
                    "Order Completed",
                    user,
                    null,
                    props(
                            "order_id",
                            orderId,
                            "total",
                            42.0,
                            "currency",
                            "EUR",
                            "products",
                            List.of(
                                    props(
                                            "product_id",
                                            "p-order-a-" + run,
                                            "sku",
                                            "SKU-A",
                                            "quantity",
                                            1,
                                            "price",
                                            2.0),
                                    props("sku", "sku-order-b-" + run, "quantity", 3, "price", 13.0))));
            anonymousView = track(3, "anon", "Viewed Product", null, anonymous, props("product_id", "p-anon-" + run));
            String identifyId = "sdk-" + run + "-identify";
            identify = new Sent(
                    identifyId,
                    start.plusSeconds(4),
                    IdentifyMessage.builder()
                            .messageId(identifyId)
                            .userId(user)
                            .timestamp(Date.from(start.plusSeconds(4)))
                            .traits(props("email", "sdk@example.com")));
            productList = track(
                    5,
                    "list",
                    "Product List Viewed",
                    user,
                    null,
                    props("list_id", "list-" + run, "products", List.of(props("product_id", "p-list-" + run))));
            messages = List.of(view, add, order, anonymousView, identify, productList);
        }

        private Sent track(
                int second,
                String name,
                String event,
                String userId,
                String anonymousId,
                Map<String, Object> properties) {
            String messageId = "sdk-" + run + "-" + name;
            Instant timestamp = start.plusSeconds(second);
            TrackMessage.Builder builder = TrackMessage.builder(event)
                    .messageId(messageId)
                    .timestamp(Date.from(timestamp))
                    .properties(properties);
            if (userId != null) {
                builder.userId(userId);
            }
            if (anonymousId != null) {
                builder.anonymousId(anonymousId);
            }
            return new Sent(messageId, timestamp, builder);
        }

        Map<String, Expected> expectedEvents() {
            Map<String, Expected> events = new LinkedHashMap<>();
            put(
                    events,
                    new Expected(
                            view.messageId,
                            "Product Viewed",
                            "view_product",
                            user,
                            "p-view-" + run,
                            1,
                            session,
                            null,
                            view.timestamp));
            put(
                    events,
                    new Expected(
                            add.messageId,
                            "Product Added",
                            "add_to_cart",
                            user,
                            "p-add-" + run,
                            2,
                            session,
                            null,
                            add.timestamp));
            put(
                    events,
                    new Expected(
                            order.messageId,
                            "Order Completed",
                            "purchase",
                            user,
                            "p-order-a-" + run,
                            1,
                            null,
                            orderId,
                            order.timestamp));
            put(
                    events,
                    new Expected(
                            order.messageId,
                            "Order Completed",
                            "purchase",
                            user,
                            "sku-order-b-" + run,
                            3,
                            null,
                            orderId,
                            order.timestamp));
            put(
                    events,
                    new Expected(
                            anonymousView.messageId,
                            "Viewed Product",
                            "view_product",
                            anonymous,
                            "p-anon-" + run,
                            1,
                            null,
                            null,
                            anonymousView.timestamp));
            return events;
        }

        private static void put(Map<String, Expected> events, Expected e) {
            String id = e.eventType.equals("purchase")
                    ? e.messageId + ":"
                            + events.values().stream()
                                    .filter(x -> x.eventType.equals("purchase"))
                                    .count()
                    : e.messageId;
            events.put(id, e);
        }
    }

    private static Map<String, Object> props(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    // ---------------------------------------------------------------------------------------------------------

    /** One request the SDK made and the service's answer, as seen on the wire. */
    private record Exchange(
            String method,
            String path,
            Map<String, String> requestHeaders,
            byte[] wireBody,
            String json,
            int status,
            String responseBody) {
        @Override
        public String toString() {
            return method + " " + path + " " + requestHeaders + " -> " + status + " " + responseBody;
        }
    }

    /** A network interceptor: sees the request after the SDK's own interceptors, as it goes out. */
    private static final class Recorder implements Interceptor {
        final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

        @Override
        public Response intercept(Chain chain) throws IOException {
            Request request = chain.request();
            Buffer buffer = new Buffer();
            if (request.body() != null) {
                request.body().writeTo(buffer);
            }
            byte[] wire = buffer.readByteArray();
            boolean gzipped = "gzip".equalsIgnoreCase(request.header("Content-Encoding"));
            String json = new String(gzipped ? gunzip(wire) : wire, UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            request.headers()
                    .forEach(h -> headers.merge(h.getFirst().toLowerCase(), h.getSecond(), (a, b) -> a + ", " + b));
            Response response = chain.proceed(request);
            byte[] answer = response.peekBody(1 << 20).bytes();
            if ("gzip".equalsIgnoreCase(response.header("Content-Encoding"))) {
                answer = gunzip(answer);
            }
            exchanges.add(new Exchange(
                    request.method(),
                    request.url().encodedPath(),
                    headers,
                    wire,
                    json,
                    response.code(),
                    new String(answer, UTF_8)));
            return response;
        }

        Exchange only() {
            assertThat(exchanges).as("requests the SDK made").hasSize(1);
            return exchanges.get(0);
        }
    }

    /** Gzips every request body and says so, as a client saving bandwidth would. */
    private static final class GzipRequestBodies implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws IOException {
            Request request = chain.request();
            if (request.body() == null || request.header("Content-Encoding") != null) {
                return chain.proceed(request);
            }
            Buffer plain = new Buffer();
            request.body().writeTo(plain);
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
                gzip.write(plain.readByteArray());
            }
            RequestBody body =
                    RequestBody.create(zipped.toByteArray(), request.body().contentType());
            return chain.proceed(request.newBuilder()
                    .header("Content-Encoding", "gzip")
                    .method(request.method(), body)
                    .build());
        }
    }

    private static byte[] gunzip(byte[] bytes) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void logExchange(String label, Exchange exchange, String writeKey) {
        String body = exchange.json().replace("\"" + writeKey + "\"", "\"<write key>\"");
        LOG.infof(
                "analytics-java request (%s): %s %s%n  headers %s%n  body (%d bytes on the wire) %s%n"
                        + "  answer %d %s",
                label,
                exchange.method(),
                exchange.path(),
                exchange.requestHeaders(),
                exchange.wireBody().length,
                body,
                exchange.status(),
                exchange.responseBody());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
        List<T> list = new ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
