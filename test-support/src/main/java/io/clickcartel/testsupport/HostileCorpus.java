package io.clickcartel.testsupport;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The hostile-input corpus in {@code test-data/hostile-input/*.jsonl}: HTTP requests with the answer the ingest
 * service must give, and for one-line single events the verdict on the body as a landing-folder line.
 *
 * <p>One case per line, a compact JSON object:
 * <pre>
 * id            unique kebab-case id
 * about         what the case is about, for humans
 * route         "single" (POST /v1/events), "batch" (POST /v1/events/batch, JSON array),
 *               "ndjson" (POST /v1/events/batch, application/x-ndjson)
 * content_type  optional; default application/json (single, batch) or application/x-ndjson (ndjson);
 *               null = send no Content-Type
 * auth          optional; "key" (default: X-Write-Key: test-key), "none", or {"header": "X-Write-Key" | "Authorization",
 *               "value": "..."}
 * body          the request body as text (UTF-8 on the wire), or
 * body_base64   the request body as bytes (for bytes that are not valid UTF-8)
 * repeat_body   optional, with body only: {"text": t, "times": n[, "token": "{{x}}"]} or a list of those; every
 *               occurrence of the token (default {{repeat}}) is replaced by t repeated n times
 * status        the expected HTTP status
 * rule          single route, 400: the rule named in the problem body; absent = the problem names no rule
 * rejected      batch and ndjson routes with 202: exactly the rejected entries [{"index": i, "rule": r}]
 * line          single route, one-line event bodies only: {"rule": r} or {"valid": true, "normalized": {event_id,
 *               user_id, event_type, product_id, session_id (string or null), quantity, event_time (optional)}}
 * </pre>
 * Placeholders in bodies and in {@code normalized}, substituted at replay time: {@code {{now}}}, {@code {{now+55m}}},
 * {@code {{now-3d}}} (ISO-8601 UTC with milliseconds; units s, m, h, d), {@code {{now_ms}}}, {@code {{now_ms+65m}}}
 * (epoch milliseconds); in {@code normalized.event_id} only, {@code {{content_hash}}}: {@code "h-"} + the first 32
 * hex digits of the SHA-256 of the substituted body. Repeats are expanded before placeholders.
 */
public final class HostileCorpus {

    /** The write key that {@code "auth": "key"} sends (the ingest service's {@code %test} profile accepts it). */
    public static final String DEFAULT_WRITE_KEY = "test-key";

    public static final String WRITE_KEY_HEADER = "X-Write-Key";
    public static final String CONTENT_HASH = "{{content_hash}}";

    private static final String DEFAULT_TOKEN = "{{repeat}}";
    private static final Pattern NOW = Pattern.compile("\\{\\{now(_ms)?(?:([+-])(\\d+)([smhd]))?}}");
    private static final Pattern NOW_LIKE = Pattern.compile("\\{\\{\\s*now");
    private static final Pattern CASE_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern RULE_ID = Pattern.compile("[a-z]+(_[a-z]+)*");
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Set<String> CASE_KEYS = Set.of(
            "id",
            "about",
            "route",
            "content_type",
            "auth",
            "body",
            "body_base64",
            "repeat_body",
            "status",
            "rule",
            "rejected",
            "line");
    private static final Set<String> NORMALIZED_KEYS =
            Set.of("event_id", "user_id", "event_type", "product_id", "session_id", "quantity", "event_time");
    /** Any instant will do to check at load time what the bodies look like. */
    private static final Instant PROBE = Instant.parse("2030-06-15T12:34:56.789Z");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private HostileCorpus() {}

    /** {@code ../test-data/hostile-input}: tests run with their module as working directory. */
    public static Path defaultDir() {
        return Path.of("..", "test-data", "hostile-input");
    }

    public static List<Case> load() {
        return load(defaultDir());
    }

    /**
     * Every case of every {@code *.jsonl} file in {@code dir}, files in name order, cases in line order. Fails with
     * the file and line on anything that is not a well-formed case, and on an id used twice.
     */
    public static List<Case> load(Path dir) {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot list the corpus directory " + dir.toAbsolutePath().normalize(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException(
                    "no *.jsonl files in " + dir.toAbsolutePath().normalize());
        }
        List<Case> cases = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (Path file : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String where = file.getFileName() + ":" + (i + 1);
                Case c;
                try {
                    c = parse(lines.get(i), file.getFileName().toString(), i + 1);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
                String earlier = seen.putIfAbsent(c.id(), where);
                if (earlier != null) {
                    throw new IllegalArgumentException(
                            where + ": duplicate case id " + c.id() + " (first at " + earlier + ")");
                }
                cases.add(c);
            }
        }
        return List.copyOf(cases);
    }

    // ------------------------------------------------------------------------------------------------ the model

    public enum Route {
        SINGLE("single", "/v1/events", "application/json"),
        BATCH("batch", "/v1/events/batch", "application/json"),
        NDJSON("ndjson", "/v1/events/batch", "application/x-ndjson");

        private final String wireName;
        private final String path;
        private final String defaultContentType;

        Route(String wireName, String path, String defaultContentType) {
            this.wireName = wireName;
            this.path = path;
            this.defaultContentType = defaultContentType;
        }

        public String wireName() {
            return wireName;
        }

        /** The request path, e.g. {@code /v1/events}. */
        public String path() {
            return path;
        }

        public String defaultContentType() {
            return defaultContentType;
        }

        static Route of(String name) {
            for (Route route : values()) {
                if (route.wireName.equals(name)) {
                    return route;
                }
            }
            throw new IllegalArgumentException("route must be single, batch or ndjson, not " + name);
        }
    }

    /** {@code token} in the body is replaced by {@code text} repeated {@code times} times. */
    public record Repeat(String token, String text, int times) {}

    /** One expected entry of a 202 answer's {@code rejected} list. */
    public record Rejection(int index, String rule) {}

    /**
     * The normalised event a valid line must become.
     *
     * @param sessionId {@code null} when the normalised event has none
     * @param eventTime empty when it depends on the receive time (with {@code sent_at})
     */
    public record Normalized(
            String eventId,
            String userId,
            String eventType,
            String productId,
            String sessionId,
            int quantity,
            Optional<Instant> eventTime) {}

    /** The verdict on a one-line body as an event line: valid with its normalised form, or the rule it breaks. */
    public record LineVerdict(String rule, JsonNode normalizedTemplate) {

        public boolean valid() {
            return rule == null;
        }

        public Optional<String> brokenRule() {
            return Optional.ofNullable(rule);
        }

        /**
         * The expected normalised event, placeholders resolved for {@code now} and the {@code body} actually sent
         * (as returned by {@link Case#body(Instant)} for the same {@code now}); empty for an invalid line.
         */
        public Optional<Normalized> normalized(Instant now, byte[] body) {
            if (!valid()) {
                return Optional.empty();
            }
            JsonNode n = normalizedTemplate;
            String eventId = n.get("event_id").textValue();
            eventId = CONTENT_HASH.equals(eventId) ? contentHash(body) : substitute(eventId, now);
            JsonNode session = n.get("session_id");
            JsonNode time = n.get("event_time");
            return Optional.of(new Normalized(
                    eventId,
                    substitute(n.get("user_id").textValue(), now),
                    n.get("event_type").textValue(),
                    substitute(n.get("product_id").textValue(), now),
                    session == null || session.isNull() ? null : substitute(session.textValue(), now),
                    n.get("quantity").intValue(),
                    time == null ? Optional.empty() : Optional.of(Instant.parse(substitute(time.textValue(), now)))));
        }
    }

    /**
     * One request and the answer expected.
     *
     * @param contentType  the Content-Type to send, {@code null} for none
     * @param authHeader   the header carrying the credentials, {@code null} for none
     * @param bodyTemplate the body as text before repeats and placeholders, {@code null} when given as bytes
     * @param bodyBytes    the body as bytes, {@code null} when given as text
     * @param rule         the rule the 400 problem must name, {@code null} for none
     * @param rejected     the expected rejected entries of a 202 batch answer, {@code null} for other cases
     */
    public record Case(
            String id,
            String about,
            String file,
            int lineNumber,
            Route route,
            String contentType,
            String authHeader,
            String authValue,
            String bodyTemplate,
            byte[] bodyBytes,
            List<Repeat> repeats,
            int status,
            String rule,
            List<Rejection> rejected,
            Optional<LineVerdict> line) {

        /** The exact bytes to send, repeats expanded and placeholders resolved for {@code now}. */
        public byte[] body(Instant now) {
            if (bodyBytes != null) {
                return bodyBytes.clone();
            }
            return substitute(expanded(), now).getBytes(StandardCharsets.UTF_8);
        }

        /** The body with its repeats expanded and placeholders still in place. */
        public String expanded() {
            if (bodyTemplate == null) {
                throw new IllegalStateException(id + " has a binary body");
            }
            String body = bodyTemplate;
            for (Repeat repeat : repeats) {
                body = body.replace(repeat.token(), repeat.text().repeat(repeat.times()));
            }
            return body;
        }

        /** The request path, e.g. {@code /v1/events/batch}. */
        public String path() {
            return route.path();
        }

        public Optional<String> contentTypeHeader() {
            return Optional.ofNullable(contentType);
        }

        /** Content-Type (when one is sent) and the credentials header (when one is sent), in that order. */
        public Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            if (contentType != null) {
                headers.put("Content-Type", contentType);
            }
            if (authHeader != null) {
                headers.put(authHeader, authValue);
            }
            return headers;
        }

        /** Every rule id this case names: its rule, its rejected entries' rules and its line verdict's rule. */
        public Set<String> rules() {
            Set<String> rules = new LinkedHashSet<>();
            if (rule != null) {
                rules.add(rule);
            }
            if (rejected != null) {
                rejected.forEach(r -> rules.add(r.rule()));
            }
            line.flatMap(LineVerdict::brokenRule).ifPresent(rules::add);
            return rules;
        }

        /** {@code file:line} of the case. */
        public String source() {
            return file + ":" + lineNumber;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** {@code "h-"} + the first 32 hex digits (lower case) of the SHA-256 of {@code bytes}. */
    public static String contentHash(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "h-" + HexFormat.of().formatHex(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code now} as the {@code {{now}}} placeholder writes it: ISO-8601 UTC with milliseconds. */
    public static String isoMillis(Instant now) {
        return ISO_MILLIS.format(now.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Resolves the {@code {{now…}}} placeholders of {@code text} for {@code now} (truncated to milliseconds). */
    public static String substitute(String text, Instant now) {
        if (text.indexOf("{{") < 0) {
            return text;
        }
        Instant base = now.truncatedTo(ChronoUnit.MILLIS);
        Matcher m = NOW.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            Instant t = base;
            if (m.group(2) != null) {
                Duration d = Duration.of(
                        Long.parseLong(m.group(3)),
                        switch (m.group(4)) {
                            case "s" -> ChronoUnit.SECONDS;
                            case "m" -> ChronoUnit.MINUTES;
                            case "h" -> ChronoUnit.HOURS;
                            default -> ChronoUnit.DAYS;
                        });
                t = m.group(2).equals("+") ? t.plus(d) : t.minus(d);
            }
            String value = m.group(1) != null ? Long.toString(t.toEpochMilli()) : isoMillis(t);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Case parse(String text, String file, int lineNumber) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("blank line (one case per line, no blank lines)");
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not one JSON object: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a case must be a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!CASE_KEYS.contains(name)) {
                throw new IllegalArgumentException("unknown key " + name + " (known: " + CASE_KEYS + ")");
            }
        }
        String id = requiredText(node, "id");
        if (!CASE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id must be kebab-case: " + id);
        }
        try {
            return parseCase(node, id, file, lineNumber);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("case " + id + ": " + e.getMessage(), e);
        }
    }

    private static Case parseCase(JsonNode node, String id, String file, int lineNumber) {
        String about = requiredText(node, "about");
        Route route = Route.of(requiredText(node, "route"));

        String contentType = route.defaultContentType();
        if (node.has("content_type")) {
            JsonNode ct = node.get("content_type");
            if (!ct.isNull() && !ct.isTextual()) {
                throw new IllegalArgumentException("content_type must be a string or null");
            }
            contentType = ct.isNull() ? null : ct.textValue();
        }

        String authHeader = WRITE_KEY_HEADER;
        String authValue = DEFAULT_WRITE_KEY;
        JsonNode auth = node.get("auth");
        if (auth != null) {
            if (auth.isTextual() && auth.textValue().equals("none")) {
                authHeader = null;
                authValue = null;
            } else if (auth.isObject()) {
                authHeader = requiredText(auth, "header");
                authValue = requiredText(auth, "value");
                if (!authHeader.equals(WRITE_KEY_HEADER) && !authHeader.equals("Authorization") || auth.size() != 2) {
                    throw new IllegalArgumentException(
                            "auth must be {\"header\": \"X-Write-Key\" | \"Authorization\", \"value\": ...}");
                }
            } else if (!(auth.isTextual() && auth.textValue().equals("key"))) {
                throw new IllegalArgumentException("auth must be \"key\", \"none\" or {\"header\", \"value\"}");
            }
        }

        String bodyTemplate = null;
        byte[] bodyBytes = null;
        if (node.has("body") == node.has("body_base64")) {
            throw new IllegalArgumentException("exactly one of body and body_base64 is needed");
        }
        if (node.has("body")) {
            bodyTemplate = requiredText(node, "body");
            for (int i = 0; i < bodyTemplate.length(); i++) {
                char ch = bodyTemplate.charAt(i);
                boolean paired = Character.isHighSurrogate(ch)
                        && i + 1 < bodyTemplate.length()
                        && Character.isLowSurrogate(bodyTemplate.charAt(i + 1));
                if (paired) {
                    i++;
                } else if (Character.isSurrogate(ch)) {
                    throw new IllegalArgumentException("body holds an unpaired surrogate at char " + i
                            + ", which UTF-8 cannot carry: use body_base64 (or the escape \\\\ud800 inside the event)");
                }
            }
        } else {
            try {
                bodyBytes = Base64.getDecoder().decode(requiredText(node, "body_base64"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("body_base64 is not base64: " + e.getMessage());
            }
        }

        List<Repeat> repeats = new ArrayList<>();
        JsonNode repeatBody = node.get("repeat_body");
        if (repeatBody != null) {
            if (bodyTemplate == null) {
                throw new IllegalArgumentException("repeat_body needs body, not body_base64");
            }
            Iterable<JsonNode> entries = repeatBody.isArray() ? repeatBody : List.of(repeatBody);
            for (JsonNode r : entries) {
                if (!r.isObject()) {
                    throw new IllegalArgumentException("repeat_body must be an object or a list of objects");
                }
                for (Iterator<String> names = r.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!Set.of("text", "times", "token").contains(name)) {
                        throw new IllegalArgumentException("unknown key in repeat_body: " + name);
                    }
                }
                String token = r.has("token") ? requiredText(r, "token") : DEFAULT_TOKEN;
                JsonNode times = r.get("times");
                if (times == null || !times.canConvertToInt() || !times.isIntegralNumber() || times.intValue() < 0) {
                    throw new IllegalArgumentException("repeat_body.times must be a non-negative integer");
                }
                if (!bodyTemplate.contains(token)) {
                    throw new IllegalArgumentException("body does not contain the repeat token " + token);
                }
                repeats.add(new Repeat(token, requiredText(r, "text"), times.intValue()));
            }
        }

        JsonNode statusNode = node.get("status");
        if (statusNode == null || !statusNode.isInt() || statusNode.intValue() < 200 || statusNode.intValue() > 499) {
            throw new IllegalArgumentException("status must be an HTTP status from 200 to 499 (never expect a 5xx)");
        }
        int status = statusNode.intValue();

        String rule = null;
        if (node.has("rule")) {
            rule = ruleId(node.get("rule"), "rule");
            if (route != Route.SINGLE || status != 400) {
                throw new IllegalArgumentException("rule is only for single-route cases answered 400");
            }
        }

        List<Rejection> rejected = null;
        boolean wantsRejected = route != Route.SINGLE && status == 202;
        if (node.has("rejected") != wantsRejected) {
            throw new IllegalArgumentException(
                    wantsRejected
                            ? "a batch or ndjson case answered 202 needs rejected ([] when all are accepted)"
                            : "rejected is only for batch and ndjson cases answered 202");
        }
        if (wantsRejected) {
            JsonNode list = node.get("rejected");
            if (!list.isArray()) {
                throw new IllegalArgumentException("rejected must be a list");
            }
            rejected = new ArrayList<>();
            int previous = -1;
            for (JsonNode r : list) {
                JsonNode index = r.get("index");
                if (!r.isObject() || r.size() != 2 || index == null || !index.isInt() || index.intValue() <= previous) {
                    throw new IllegalArgumentException(
                            "rejected entries are {\"index\", \"rule\"} with increasing indexes");
                }
                previous = index.intValue();
                rejected.add(new Rejection(index.intValue(), ruleId(r.get("rule"), "rejected.rule")));
            }
            rejected = List.copyOf(rejected);
        }

        Optional<LineVerdict> line = Optional.empty();
        JsonNode lineNode = node.get("line");
        if (lineNode != null) {
            line = Optional.of(lineVerdict(lineNode, route, status, rule));
            byte[] probe = bodyTemplate != null
                    ? substitute(expandedForProbe(bodyTemplate, repeats), PROBE).getBytes(StandardCharsets.UTF_8)
                    : bodyBytes;
            for (byte b : probe) {
                if (b == '\n' || b == '\r') {
                    throw new IllegalArgumentException("line is only for bodies of one line, this body holds CR or LF");
                }
            }
        }
        if (bodyTemplate != null) {
            String probe = substitute(expandedForProbe(bodyTemplate, repeats), PROBE);
            if (NOW_LIKE.matcher(probe).find()) {
                throw new IllegalArgumentException("body holds a {{now...}} placeholder that is not well-formed");
            }
            if (probe.contains(CONTENT_HASH)) {
                throw new IllegalArgumentException(CONTENT_HASH + " is only for line.normalized.event_id");
            }
        }

        return new Case(
                id,
                about,
                file,
                lineNumber,
                route,
                contentType,
                authHeader,
                authValue,
                bodyTemplate,
                bodyBytes,
                List.copyOf(repeats),
                status,
                rule,
                rejected,
                line);
    }

    private static String expandedForProbe(String template, List<Repeat> repeats) {
        String body = template;
        for (Repeat repeat : repeats) {
            body = body.replace(repeat.token(), repeat.text().repeat(repeat.times()));
        }
        return body;
    }

    private static LineVerdict lineVerdict(JsonNode node, Route route, int status, String rule) {
        if (route != Route.SINGLE) {
            throw new IllegalArgumentException("line is only for single-route cases");
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("line must be an object");
        }
        if (node.has("rule")) {
            if (node.size() != 1) {
                throw new IllegalArgumentException("line is either {\"rule\"} or {\"valid\": true, \"normalized\"}");
            }
            String lineRule = ruleId(node.get("rule"), "line.rule");
            if (status == 400 && !lineRule.equals(rule)) {
                throw new IllegalArgumentException("a 400 case's line names the same rule as the case: " + rule);
            }
            if (status == 413 && !lineRule.equals("event_too_large")) {
                throw new IllegalArgumentException("a 413 case's line is event_too_large");
            }
            if (status != 400 && status != 413) {
                throw new IllegalArgumentException("a line with a rule belongs to a case answered 400 or 413");
            }
            return new LineVerdict(lineRule, null);
        }
        JsonNode valid = node.get("valid");
        JsonNode normalized = node.get("normalized");
        if (valid == null
                || !valid.isBoolean()
                || !valid.booleanValue()
                || normalized == null
                || !normalized.isObject()
                || node.size() != 2) {
            throw new IllegalArgumentException("line is either {\"rule\"} or {\"valid\": true, \"normalized\"}");
        }
        // ingest also refuses an event whose normalised form outgrows the limit; as a landing line it still fits
        if (status != 202 && !(status == 400 && "event_too_large".equals(rule))) {
            throw new IllegalArgumentException("a valid line belongs to a case answered 202 (or 400 event_too_large)");
        }
        for (Iterator<String> names = normalized.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!NORMALIZED_KEYS.contains(name)) {
                throw new IllegalArgumentException("unknown key in normalized: " + name);
            }
        }
        for (String field : List.of("event_id", "user_id", "event_type", "product_id")) {
            requiredText(normalized, field);
        }
        JsonNode session = normalized.get("session_id");
        if (session != null && !session.isNull() && !session.isTextual()) {
            throw new IllegalArgumentException("normalized.session_id must be a string or null");
        }
        JsonNode quantity = normalized.get("quantity");
        if (quantity == null || !quantity.isInt()) {
            throw new IllegalArgumentException("normalized.quantity must be an integer");
        }
        JsonNode time = normalized.get("event_time");
        if (time != null) {
            String resolved = substitute(requiredText(normalized, "event_time"), PROBE);
            try {
                Instant.parse(resolved);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("normalized.event_time is not an ISO instant: " + time.textValue());
            }
        }
        for (String field : List.of("user_id", "event_type", "product_id", "session_id", "event_time")) {
            JsonNode value = normalized.get(field);
            if (value != null && value.isTextual() && value.textValue().contains(CONTENT_HASH)) {
                throw new IllegalArgumentException(CONTENT_HASH + " is only for normalized.event_id");
            }
        }
        return new LineVerdict(null, normalized);
    }

    private static String ruleId(JsonNode node, String what) {
        if (node == null
                || !node.isTextual()
                || !RULE_ID.matcher(node.textValue()).matches()) {
            throw new IllegalArgumentException(what + " must be a rule id like user_id_missing");
        }
        return node.textValue();
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return value.textValue();
    }
}
