package io.clickcartel.datagen;

import static io.clickcartel.core.contract.EventContract.CONTENT_ID_HEX_DIGITS;
import static io.clickcartel.core.contract.EventContract.CONTENT_ID_PREFIX;
import static io.clickcartel.core.contract.EventContract.DEFAULT_MAX_FUTURE;
import static io.clickcartel.core.contract.EventContract.DEFAULT_QUANTITY;
import static io.clickcartel.core.contract.EventContract.EARLIEST_EVENT_TIME;
import static io.clickcartel.core.contract.EventContract.LATEST_EVENT_TIME;
import static io.clickcartel.core.contract.EventContract.MAX_EVENT_BYTES;
import static io.clickcartel.core.contract.EventContract.MAX_ID_LENGTH;
import static io.clickcartel.core.contract.EventContract.MAX_NESTING_DEPTH;
import static io.clickcartel.core.contract.EventContract.MAX_QUANTITY;
import static io.clickcartel.core.contract.EventContract.MIN_QUANTITY;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.contract.EventField;
import io.clickcartel.core.contract.EventType;
import io.clickcartel.core.contract.Rule;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The oracle's own reading of the event contract, written from its documentation ({@code docs/contract.md},
 * {@code docs/ingest.md}) and not by calling pipeline-core's validator: ground truth that shares the checked code
 * shares its bugs, and every reconciliation would pass them. It uses the contract's names only — field names, rule
 * ids, event type wire names and limits — and none of its logic. Where the documentation leaves a detail open (the
 * exact ISO-8601 subset, JSON {@code null}), the detail follows pipeline-core's code and the hostile-input corpus,
 * and is noted here.
 *
 * <p>Rules are checked in the documented order and a line is reported with the first it breaks.
 */
final class OracleContract {

    /** What the contract makes of one line. */
    sealed interface Verdict {}

    record Broken(Rule rule) implements Verdict {}

    /**
     * The normalised values the oracle needs.
     *
     * @param eventTime   the client timestamp, corrected for clock skew when sent_at is given; UTC, microseconds
     * @param clockSkewMs {@code sent_at − received_at}, or the {@code clock_skew_ms} an already normalised event
     *                    carries; {@code null} with neither
     */
    record Accepted(
            String eventId,
            Instant eventTime,
            String userId,
            EventType eventType,
            String productId,
            int quantity,
            Long clockSkewMs)
            implements Verdict {}

    /** Trimmed from both ends of strings: JSON's whitespace and nothing else, so a NUL or NBSP stays. */
    private static final String JSON_WHITESPACE = " \t\r\n";
    /** Seconds required, 1–9 fraction digits, Z or ±HH:mm (the documented examples; the corpus pins the rest). */
    private static final Pattern ISO_WITH_OFFSET = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?(?:Z|([+-])(\\d{2}):(\\d{2}))");
    /** Epoch milliseconds as a string: at most 15 digits, as the corpus pins it (16 are timestamp_invalid). */
    private static final Pattern EPOCH_MILLIS = Pattern.compile("-?\\d{1,15}");

    private static final BigInteger LEAST_QUANTITY = BigInteger.valueOf(MIN_QUANTITY);
    private static final BigInteger MOST_QUANTITY = BigInteger.valueOf(MAX_QUANTITY);

    /** A top-level field's value: its token, and its text for strings (untrimmed) and numbers (the literal). */
    private record Value(JsonToken token, String text) {

        boolean isString() {
            return token == JsonToken.VALUE_STRING;
        }

        /** JSON null and blank strings count as absent, like a field that is not there. */
        boolean countsAsAbsent() {
            return token == JsonToken.VALUE_NULL || isString() && trim(text).isEmpty();
        }
    }

    private final ObjectMapper json;

    /**
     * @param json a standard mapper: it tokenises JSON as RFC 8259 does (a lenient one would pass its leniencies
     *             on); the contract's stricter rules are this class's own
     */
    OracleContract(ObjectMapper json) {
        this.json = json;
    }

    /** A line received at a known moment: an HTTP request, by the ingest service's clock. */
    Verdict received(String line, Instant receivedAt) {
        return check(line, event -> receivedAt);
    }

    /**
     * A landing-folder line that bronze stored at {@code storedAt}: received when its collector's
     * {@code received_at} says, but never later than it was stored, so a claim of the future is not believed.
     */
    Verdict landed(String line, Instant storedAt) {
        return check(line, event -> collectorTime(event, storedAt));
    }

    /** A received_at that is no plausible contract time is not believed either (the documentation is silent on it). */
    private static Instant collectorTime(Map<String, Value> event, Instant storedAt) {
        Instant stored = storedAt.truncatedTo(ChronoUnit.MICROS);
        Value claimed = event.get(EventField.RECEIVED_AT);
        Instant time = claimed == null ? null : time(claimed);
        return time != null && inRange(time) && time.isBefore(stored) ? time : stored;
    }

    private Verdict check(String line, Function<Map<String, Value>, Instant> receivedAtOf) {
        if (tooLarge(line)) {
            return new Broken(Rule.EVENT_TOO_LARGE);
        }
        Map<String, Value> event = parse(line);
        if (event == null) {
            return new Broken(Rule.MALFORMED_JSON);
        }
        Instant received = receivedAtOf.apply(event).truncatedTo(ChronoUnit.MICROS);

        Value eventId = present(event, EventField.EVENT_ID);
        if (eventId != null && !isEventId(eventId)) {
            return new Broken(Rule.EVENT_ID_INVALID);
        }

        Value timestamp = present(event, EventField.TIMESTAMP);
        if (timestamp == null) {
            return new Broken(Rule.TIMESTAMP_MISSING);
        }
        Instant clientTime = time(timestamp);
        if (clientTime == null) {
            return new Broken(Rule.TIMESTAMP_INVALID);
        }
        if (!inRange(clientTime)) {
            return new Broken(Rule.TIMESTAMP_OUT_OF_RANGE);
        }

        Value userId = present(event, EventField.USER_ID);
        if (userId == null) {
            return new Broken(Rule.USER_ID_MISSING);
        }
        if (!isId(userId)) {
            return new Broken(Rule.USER_ID_INVALID);
        }

        Value eventTypeValue = present(event, EventField.EVENT_TYPE);
        if (eventTypeValue == null) {
            return new Broken(Rule.EVENT_TYPE_MISSING);
        }
        EventType eventType = eventType(eventTypeValue);
        if (eventType == null) {
            return new Broken(Rule.EVENT_TYPE_UNKNOWN);
        }

        Value productId = present(event, EventField.PRODUCT_ID);
        if (productId == null) {
            return new Broken(Rule.PRODUCT_ID_MISSING);
        }
        if (!isId(productId)) {
            return new Broken(Rule.PRODUCT_ID_INVALID);
        }

        Value sessionId = present(event, EventField.SESSION_ID);
        if (sessionId != null && !isId(sessionId)) {
            return new Broken(Rule.SESSION_ID_INVALID);
        }

        int quantity = DEFAULT_QUANTITY;
        Value quantityValue = present(event, EventField.QUANTITY);
        if (quantityValue != null) {
            if (quantityValue.token() != JsonToken.VALUE_NUMBER_INT) {
                return new Broken(Rule.QUANTITY_INVALID);
            }
            BigInteger given = new BigInteger(quantityValue.text());
            if (given.compareTo(LEAST_QUANTITY) < 0 || given.compareTo(MOST_QUANTITY) > 0) {
                return new Broken(Rule.QUANTITY_OUT_OF_RANGE);
            }
            quantity = given.intValueExact();
        }

        Instant eventTime = clientTime;
        // normalising a normalised event changes nothing: it carries its skew instead of sent_at
        Long clockSkewMs = longInteger(event.get(EventField.CLOCK_SKEW_MS));
        Value sentAtValue = present(event, EventField.SENT_AT);
        if (sentAtValue != null) {
            Instant sentAt = time(sentAtValue);
            if (sentAt == null) {
                return new Broken(Rule.SENT_AT_INVALID);
            }
            // event_time = received_at − (sent_at − timestamp)
            eventTime = received.minus(Duration.between(clientTime, sentAt));
            if (!inRange(sentAt) || !inRange(eventTime)) {
                return new Broken(Rule.SENT_AT_OUT_OF_RANGE);
            }
            clockSkewMs = Duration.between(received, sentAt).toMillis();
        }
        if (eventTime.isAfter(received.plus(DEFAULT_MAX_FUTURE))) {
            return new Broken(Rule.TIMESTAMP_IN_FUTURE);
        }

        return new Accepted(
                eventId != null ? trim(eventId.text()) : contentId(line),
                eventTime,
                trim(userId.text()),
                eventType,
                trim(productId.text()),
                quantity,
                clockSkewMs);
    }

    // ------------------------------------------------------------------------------------------------ strict JSON

    /**
     * The top-level fields of a line that is exactly one strict JSON object; {@code null} for anything else:
     * trailing content, a key twice in one object at any depth, nesting deeper than the limit (the event object
     * is level 1), U+FFFD (what undecodable bytes became) or an unpaired surrogate in a key or string. The grammar
     * itself (no NaN, comments, single quotes, leading zeros, raw control characters) is Jackson's, which also
     * refuses a number longer than 1000 characters — a limit the documentation does not state.
     */
    private Map<String, Value> parse(String line) {
        try (JsonParser parser = json.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, Value> fields = new HashMap<>();
            Deque<Set<String>> keysOfOpenObjects = new ArrayDeque<>();
            keysOfOpenObjects.push(new HashSet<>());
            int depth = 1;
            String field = null;
            while (depth > 0) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    return null;
                }
                if (depth == 1 && (token.isScalarValue() || token.isStructStart())) {
                    fields.put(
                            field,
                            new Value(
                                    token,
                                    token == JsonToken.VALUE_STRING || token.isNumeric() ? parser.getText() : null));
                }
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > MAX_NESTING_DEPTH) {
                            return null;
                        }
                        if (token == JsonToken.START_OBJECT) {
                            keysOfOpenObjects.push(new HashSet<>());
                        }
                    }
                    case END_OBJECT, END_ARRAY -> {
                        depth--;
                        if (token == JsonToken.END_OBJECT) {
                            keysOfOpenObjects.pop();
                        }
                    }
                    case FIELD_NAME -> {
                        field = parser.currentName();
                        if (!isCleanUnicode(field) || !keysOfOpenObjects.peek().add(field)) {
                            return null;
                        }
                    }
                    case VALUE_STRING -> {
                        if (!isCleanUnicode(parser.getText())) {
                            return null;
                        }
                    }
                    default -> {}
                }
            }
            return parser.nextToken() == null ? fields : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    /** Neither U+FFFD nor an unpaired surrogate. */
    private static boolean isCleanUnicode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\uFFFD' || Character.isLowSurrogate(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    private static boolean tooLarge(String line) {
        // a UTF-16 unit takes at most 3 UTF-8 bytes: most lines need no exact count
        return line.length() * 3L > MAX_EVENT_BYTES && line.getBytes(StandardCharsets.UTF_8).length > MAX_EVENT_BYTES;
    }

    // ------------------------------------------------------------------------------------------------ values

    private static Value present(Map<String, Value> event, String field) {
        Value value = event.get(field);
        return value == null || value.countsAsAbsent() ? null : value;
    }

    private static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && JSON_WHITESPACE.indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && JSON_WHITESPACE.indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return text.substring(start, end);
    }

    /** 1–64 characters of [A-Za-z0-9._:-] once trimmed. */
    private static boolean isEventId(Value value) {
        if (!value.isString()) {
            return false;
        }
        String id = trim(value.text());
        if (id.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean allowed = c >= 'A' && c <= 'Z'
                    || c >= 'a' && c <= 'z'
                    || c >= '0' && c <= '9'
                    || c == '.'
                    || c == '_'
                    || c == ':'
                    || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** A string of 1–64 characters (code points: an emoji is one) once trimmed, none of them invisible. */
    private static boolean isId(Value value) {
        if (!value.isString()) {
            return false;
        }
        String id = trim(value.text());
        return id.codePointCount(0, id.length()) <= MAX_ID_LENGTH
                && id.codePoints().noneMatch(OracleContract::invisible);
    }

    /** Controls (C0, DEL, C1), format characters (zero-width, bidi, BOM, soft hyphen), line/paragraph separators. */
    private static boolean invisible(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL
                || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /**
     * Trimmed, in any case. "Any case" is read as the wire names' own letters in upper or lower case (ASCII), as
     * pipeline-core does: Unicode case folding would also take a dotless ı or a long ſ for i and s.
     */
    private static EventType eventType(Value value) {
        if (!value.isString()) {
            return null;
        }
        String name = asciiLowerCase(trim(value.text()));
        for (EventType type : EventType.values()) {
            if (name.equals(type.wireName())) {
                return type;
            }
        }
        return null;
    }

    private static String asciiLowerCase(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] = (char) (chars[i] + ('a' - 'A'));
            }
        }
        return new String(chars);
    }

    /**
     * ISO-8601 with an offset, or epoch milliseconds as a JSON integer or a (trimmed) string of digits; truncated
     * to microseconds. {@code null} when the value is neither, or names no real moment (2023-02-29, 24:00).
     */
    private static Instant time(Value value) {
        if (value.token() == JsonToken.VALUE_NUMBER_INT) {
            Long millis = longInteger(value);
            return millis == null ? null : Instant.ofEpochMilli(millis);
        }
        if (!value.isString()) {
            return null;
        }
        String text = trim(value.text());
        if (EPOCH_MILLIS.matcher(text).matches()) {
            return Instant.ofEpochMilli(Long.parseLong(text));
        }
        Matcher iso = ISO_WITH_OFFSET.matcher(text);
        if (!iso.matches()) {
            return null;
        }
        try {
            int offsetSeconds = 0;
            if (iso.group(8) != null) {
                int hours = Integer.parseInt(iso.group(9));
                int minutes = Integer.parseInt(iso.group(10));
                if (minutes > 59) {
                    return null;
                }
                offsetSeconds = (iso.group(8).equals("-") ? -1 : 1) * (hours * 3600 + minutes * 60);
            }
            String fraction = iso.group(7) == null ? "" : iso.group(7);
            int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
            return LocalDateTime.of(
                            number(iso, 1),
                            number(iso, 2),
                            number(iso, 3),
                            number(iso, 4),
                            number(iso, 5),
                            number(iso, 6),
                            nanos)
                    .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds)) // refuses offsets beyond ±18:00
                    .truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeException noSuchMoment) {
            return null;
        }
    }

    private static int number(Matcher matcher, int group) {
        return Integer.parseInt(matcher.group(group));
    }

    /** A JSON integer that fits a long, else {@code null}. */
    private static Long longInteger(Value value) {
        if (value == null || value.token() != JsonToken.VALUE_NUMBER_INT) {
            return null;
        }
        try {
            return Long.parseLong(value.text());
        } catch (NumberFormatException tooLong) {
            return null;
        }
    }

    /** 2000-01-01T00:00:00Z inclusive to 2100-01-01T00:00:00Z exclusive, as the corpus pins the boundaries. */
    private static boolean inRange(Instant time) {
        return !time.isBefore(EARLIEST_EVENT_TIME) && time.isBefore(LATEST_EVENT_TIME);
    }

    /** An event sent without event_id is named by its raw text, so a retried copy gets the same id. */
    private static String contentId(String line) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8));
            return CONTENT_ID_PREFIX + HexFormat.of().formatHex(digest).substring(0, CONTENT_ID_HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
