package io.clickcartel.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clickcartel.core.contract.EventContract;
import io.clickcartel.core.segment.SegmentMapping;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.zip.GZIPInputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Segment's HTTP Tracking API (which RudderStack speaks too), so that sites already tracking with those SDKs send
 * to Clickcartel unchanged: batches and single messages, any content type, gzip, the write key in a header or in
 * the body. Messages are mapped to contract events ({@link SegmentMapping}) and then validated and written exactly
 * like native ones; a message's problems are listed in the answer and never fail the request (SDKs drop a whole
 * batch on a 4xx).
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentResource {

    static final Set<String> BATCH_ROUTES = Set.of("batch", "import", "b");
    /** Single-message routes and the type they imply; analytics.js uses the one-letter forms. */
    static final Map<String, String> MESSAGE_ROUTES = Map.ofEntries(
            Map.entry("track", "track"), Map.entry("t", "track"),
            Map.entry("identify", "identify"), Map.entry("i", "identify"),
            Map.entry("page", "page"), Map.entry("p", "page"),
            Map.entry("screen", "screen"), Map.entry("s", "screen"),
            Map.entry("group", "group"), Map.entry("g", "group"),
            Map.entry("alias", "alias"), Map.entry("a", "alias"));

    private final Ingestor ingestor;
    private final WriteKeys keys;
    private final LoadShedding shedding;
    private final ObjectReader strictJson;
    private final Clock clock = Clock.systemUTC();
    private final MeterRegistry registry;

    public SegmentResource(
            Ingestor ingestor, WriteKeys keys, LoadShedding shedding, ObjectMapper json, MeterRegistry registry) {
        this.ingestor = ingestor;
        this.keys = keys;
        this.shedding = shedding;
        this.strictJson = json.readerFor(JsonNode.class)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.registry = registry;
    }

    /** Whether the key may come in the body: the Segment routes (with or without a trailing slash). */
    static boolean takesKeyInBody(String path) {
        String route = path.replaceFirst("^/v1/", "").replaceFirst("/$", "");
        return path.startsWith("/v1/") && (BATCH_ROUTES.contains(route) || MESSAGE_ROUTES.containsKey(route));
    }

    @POST
    @Path("{route: batch|import|b}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Segment/RudderStack batch: {\"batch\": [messages], \"sentAt\", \"writeKey\"}")
    @APIResponse(
            responseCode = "200",
            description = "Acknowledged by Kafka; accepted event ids, rejected and ignored messages")
    public CompletionStage<Response> batch(
            byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_ENCODING) String encoding,
            @HeaderParam(WriteKeys.HEADER) String writeKey,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        JsonNode envelope = parse(body, encoding);
        JsonNode messages = envelope.get(SegmentMapping.BATCH);
        if (!envelope.isObject() || messages == null || !messages.isArray()) {
            throw RequestRefusedException.badRequest("a batch is a JSON object with a \"batch\" array of messages");
        }
        List<JsonNode> list = new ArrayList<>();
        messages.forEach(list::add);
        return answer(envelope, list, null, writeKey, authorization);
    }

    @POST
    @Path("{route: track|t|identify|i|page|p|screen|s|group|g|alias|a}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "One Segment/RudderStack message; the route names its type")
    @APIResponse(
            responseCode = "200",
            description = "Acknowledged by Kafka; accepted event ids, rejected and ignored messages")
    public CompletionStage<Response> message(
            @PathParam("route") String route,
            byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_ENCODING) String encoding,
            @HeaderParam(WriteKeys.HEADER) String writeKey,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        JsonNode message = parse(body, encoding);
        if (!message.isObject()) {
            throw RequestRefusedException.badRequest("a message is a JSON object");
        }
        return answer(message, List.of(message), MESSAGE_ROUTES.get(route), writeKey, authorization);
    }

    private CompletionStage<Response> answer(
            JsonNode envelope, List<JsonNode> messages, String routeType, String writeKey, String authorization) {
        if (WriteKeys.presented(writeKey, authorization).isEmpty()) {
            // a header key was checked and rate-limited by WriteKeyFilter; a body key is checked here
            Optional<String> key = bodyKey(envelope, messages);
            if (key.isEmpty()) {
                return CompletableFuture.completedFuture(WriteKeyFilter.unauthorized());
            }
            shedding.admit(key.get());
        }
        JsonNode batchSentAt = envelope.get(SegmentMapping.SENT_AT);
        Instant receivedAt = clock.instant();
        List<IncomingEvent> events = new ArrayList<>();
        Map<Integer, String> mappedTypes = new TreeMap<>();
        List<IgnoredMessage> ignored = new ArrayList<>();
        for (int index = 0; index < messages.size(); index++) {
            JsonNode message = messages.get(index);
            if (message instanceof ObjectNode object) {
                object.remove(SegmentMapping.WRITE_KEY);
            }
            SegmentMapping.Outcome outcome = SegmentMapping.map(message, batchSentAt, receivedAt, routeType);
            if (outcome instanceof SegmentMapping.Outcome.Ignored skipped) {
                ignored.add(new IgnoredMessage(new IncomingEvent(index, message.toString()), skipped));
            } else {
                for (String event : ((SegmentMapping.Outcome.Events) outcome).events()) {
                    events.add(new IncomingEvent(index, event));
                }
                mappedTypes.put(index, message.path("type").asText(routeType == null ? "unknown" : routeType));
            }
            // each event and each ignored message is a record on Kafka: the per-request limit bounds them together
            if (events.size() + ignored.size() > EventContract.MAX_BATCH_EVENTS) {
                throw RequestRefusedException.tooLarge("the batch makes more than " + EventContract.MAX_BATCH_EVENTS
                        + " events and ignored messages, the limit per request");
            }
        }
        return ingestor.ingest(events, ignored).thenApply(result -> {
            Set<Integer> rejectedIndexes = new HashSet<>();
            result.rejected().forEach(rejection -> rejectedIndexes.add(rejection.index()));
            mappedTypes.forEach(
                    (index, type) -> count(type, rejectedIndexes.contains(index) ? "rejected" : "accepted", 1));
            ignored.forEach(message -> count(message.outcome().kind(), "ignored", 1));
            return Response.ok(new SegmentAnswer(true, result.accepted(), result.rejected(), ignored.size()))
                    .build();
        });
    }

    /**
     * The batch's writeKey, else the messages' (every message that names one must name a known one); empty when
     * no known key is named.
     */
    private Optional<String> bodyKey(JsonNode envelope, List<JsonNode> messages) {
        JsonNode batchKey = envelope.get(SegmentMapping.WRITE_KEY);
        if (batchKey != null && batchKey.isTextual()) {
            return keys.known(batchKey.textValue()) ? Optional.of(batchKey.textValue()) : Optional.empty();
        }
        String named = null;
        for (JsonNode message : messages) {
            JsonNode key = message.get(SegmentMapping.WRITE_KEY);
            if (key != null) {
                if (!key.isTextual() || !keys.known(key.textValue())) {
                    return Optional.empty();
                }
                named = named == null ? key.textValue() : named;
            }
        }
        return Optional.ofNullable(named);
    }

    private JsonNode parse(byte[] body, String encoding) {
        byte[] json = encoding != null && encoding.trim().equalsIgnoreCase("gzip") ? gunzip(body) : body;
        try {
            JsonNode node = strictJson.readValue(json);
            if (node == null) {
                throw RequestRefusedException.badRequest("the body is empty");
            }
            return node;
        } catch (IOException e) {
            throw RequestRefusedException.badRequest("the body is not strict JSON: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /** At most the request limit of decompressed bytes: a gzip bomb is refused, never inflated. */
    private static byte[] gunzip(byte[] body) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                if (out.size() > EventContract.MAX_REQUEST_BYTES) {
                    throw RequestRefusedException.tooLarge("the body decompresses to more than "
                            + EventContract.MAX_REQUEST_BYTES + " bytes, the limit per request");
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw RequestRefusedException.badRequest(
                    "Content-Encoding is gzip, but the body is not gzip: " + e.getMessage());
        }
    }

    private void count(String type, String outcome, int messages) {
        Counter counter = Counter.builder("clickcartel.ingest.segment.messages")
                .description("Segment/RudderStack messages by type and outcome")
                .tag("type", type)
                .tag("outcome", outcome)
                .register(registry);
        if (messages > 0) {
            counter.increment(messages);
        }
    }

    /** Segment's answer shape ({@code success}), with what became of each message. */
    public record SegmentAnswer(
            boolean success, List<String> accepted, List<IngestResult.Rejection> rejected, int ignored) {}
}
