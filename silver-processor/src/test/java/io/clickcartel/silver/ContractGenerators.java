package io.clickcartel.silver;

import io.clickcartel.core.contract.EventContract;
import io.clickcartel.core.contract.EventField;
import io.clickcartel.core.contract.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Generators of contract events for the property tests: valid events in every messy form the contract allows, and
 * mutations of them (structural and textual) plus random text, for the fuzzed comparison. Each generator is a
 * function of one random source, so a run is reproduced by its seed.
 *
 * <p>Every generated line is well-formed UTF-16 (text that UTF-8 can carry): mutations work on code points, never
 * split a surrogate pair; unpaired surrogates appear only as JSON escapes (backslash, u, d800), which are ASCII.
 */
final class ContractGenerators {

    static final Instant EARLIEST = EventContract.EARLIEST_EVENT_TIME;
    static final Instant LATEST = EventContract.LATEST_EVENT_TIME;
    private static final Duration MICRO = Duration.of(1, ChronoUnit.MICROS);

    /** Characters that make an id look like another one, or break the contract if not trimmed. */
    static final int[] EDGE_CHARACTERS = {
        0x0000, 0x0001, 0x0009, 0x000A, 0x000B, 0x000C, 0x000D, 0x001F, 0x0020, 0x007F, 0x0080, 0x0085, 0x009F,
        0x00A0, 0x00AD, 0x1680, 0x180E, 0x2000, 0x2003, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029,
        0x202A, 0x202E, 0x202F, 0x205F, 0x2060, 0x2066, 0x2069, 0x3000, 0xFEFF, 0xFFF9, 0xFFFC, 0x1D173, 0xE0001,
        0xE007F
    };
    /** Inserted by the textual mutations: JSON syntax, whitespace, controls, invisible and odd characters. */
    private static final int[] NOISE =
            concat("{}[]\":,\\/019-+.eEazZTtnulfs' \t\n\r".codePoints().toArray(), new int[] {
                0x0000, 0x0001, 0x000B, 0x001F, 0x007F, 0x0085, 0x00A0, 0x00AD, 0x200B, 0x200E, 0x2028, 0x2029, 0x202E,
                0x2066, 0xFEFF, 0xFFFD, 0x00E9, 0x4E2D, 0x1F600, 0x0131, 0x017F
            });
    /** Case variants some case-insensitive comparisons fold onto ASCII letters, and look-alikes. */
    private static final Map<Character, int[]> CONFUSABLE = Map.of(
            'i', new int[] {0x0131, 0x0130, 0x0049, 0x0456, 0xFF49},
            's', new int[] {0x017F, 0x0053, 0x0455, 0xFF53},
            'k', new int[] {0x212A},
            'a', new int[] {0x0430, 0x0041, 0xFF41},
            'e', new int[] {0x0435, 0x0045},
            'o', new int[] {0x043E, 0x004F},
            'p', new int[] {0x0440, 0x0050});

    private static final String ID_ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:@#/+=";
    private static final String EVENT_ID_CHARACTERS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-";
    private static final int[] ID_NON_ASCII = {
        0x00E9, 0x00FC, 0x00F1, 0x00DF, 0x00A0, 0x3000, 0x2003, 0x4E2D, 0x6587, 0x0436, 0x044F, 0x05D0, 0x0627, 0x0301,
        0x1F600, 0x1F6D2, 0x1F44D, 0x1F1E9, 0x10348, 0x20BB7, 0xFFFC, 0x00B5
    };
    private static final String[] CONTRACT_FIELDS = {
        EventField.EVENT_ID,
        EventField.TIMESTAMP,
        EventField.USER_ID,
        EventField.EVENT_TYPE,
        EventField.PRODUCT_ID,
        EventField.SESSION_ID,
        EventField.QUANTITY,
        EventField.SENT_AT,
        EventField.RECEIVED_AT,
        EventField.CLOCK_SKEW_MS
    };
    private static final String[] UNKNOWN_KEYS = {
        "page",
        "ua",
        "ref",
        "tags",
        "props",
        "x",
        "meta",
        "\u00E9t\u00E9",
        "User_Id",
        "EVENT_TYPE",
        "Timestamp",
        "event id",
        "sent-at",
        "",
        "received_at ",
        " quantity",
        "\uD83D\uDE00",
        "user_id\u0000",
        "\u0001user_id",
        "a.b",
        "$ref"
    };
    private static final String[] WEIRD_VALUES = {
        "0",
        "-0",
        "1",
        "-1",
        "1000",
        "1001",
        "2147483647",
        "2147483648",
        "99999999999",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "1e3",
        "1E3",
        "1.0",
        "2.5",
        "-0.0",
        "1E+400",
        "-1e-400",
        "123456789012345678901234567890",
        "1714564800000.5",
        "1.7145648E12",
        "true",
        "false",
        "null",
        "{}",
        "[]",
        "{\"a\":1}",
        "[\"x\"]",
        "[1714564800000]",
        "{\"user_id\":\"u\"}",
        "\"\"",
        "\" \"",
        "\" \\t\\r\\n \"",
        "\"\\u000b\"",
        "\"\\u0000\"",
        "\"null\"",
        "\"true\"",
        "\"123\"",
        "\"2\"",
        "\"yesterday\"",
        "\"soon\"",
        "\"2024-05-01T12:00:00\"",
        "\"2024-02-30T12:00:00Z\"",
        "\"2024-05-01T12:00:00+19:00\"",
        "\"2024-05-01T12:00:00+18:00\"",
        "\"2024-05-01T12:00:00+18:30\"",
        "\"2024-05-01T12:00:00+00:60\"",
        "\"2024-05-01T24:00:00Z\"",
        "\"2024-05-01T12:00:60Z\"",
        "\"2023-02-29T12:00:00Z\"",
        "\"1999-12-31T23:59:59Z\"",
        "\"2100-01-01T00:00:00Z\"",
        "\"0000-01-01T00:00:00Z\"",
        "\"9999-12-31T23:59:59.999999999Z\"",
        "\"+2024-05-01T12:00:00Z\"",
        "\"2024-05-01T12:00:00.Z\"",
        "\"2024-05-01T12:00:00.1234567890Z\"",
        "\"2024-05-01t12:00:00z\"",
        "\"2024-05-01 12:00:00Z\"",
        "\"1234567890123456\"",
        "\"-999999999999999\"",
        "\"999999999999999\"",
        "\"-0\"",
        "\"--1\"",
        "\"1714564800000 1\"",
        "\"\\u0661\\u0662\\u0663\"",
        "\"view_product\"",
        "\"PURCHASE\"",
        "\"add_to_cart \"",
        "\"checkout\"",
        "\"e-1\"",
        "\"h-0123456789abcdef\""
    };
    private static final String[] GARBAGE = {
        " x",
        "}",
        "{}",
        ",",
        "]",
        "\u0000",
        "\n",
        " ",
        "\r\n",
        " // c",
        "/* c */",
        "[",
        "\"",
        "null",
        "1",
        "\uFEFF",
        "\u2028",
        " {\"a\":1}",
        "\t\n \r"
    };
    private static final String[] BAD_NUMBERS = {
        "NaN", "Infinity", "-Infinity", "01", "-01", "+1", ".5", "1.", "0x10", "1e", "00", "1_000", "١"
    };
    private static final String[] TOKENS = {
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"event_id\"",
        "\"timestamp\"",
        "\"user_id\"",
        "\"event_type\"",
        "\"product_id\"",
        "\"quantity\"",
        "\"x\"",
        "\"2024-05-01T12:00:00Z\"",
        "\"purchase\"",
        "\"u1\"",
        "1",
        "1714564800000",
        "-0",
        "null",
        "true",
        "\" \"",
        "\"\\u0000\""
    };

    private final RandomGenerator random;

    ContractGenerators(RandomGenerator random) {
        this.random = random;
    }

    // ---------------------------------------------------------------- events

    /** A JSON object as written: raw key tokens and raw values, in order, duplicates possible. */
    static final class Event {
        final List<String[]> fields = new ArrayList<>();
        /** When ingest receives it (what {@code admit} is given); the receive time the generator aimed at. */
        final Instant receivedAt;
        /** When positive: rendered with an unknown string field that brings it to this many bytes. */
        int padTo;

        Event(Instant receivedAt) {
            this.receivedAt = receivedAt;
        }

        void put(String key, String rawValue) {
            String token = "\"" + key + "\"";
            for (String[] field : fields) {
                if (field[0].equals(token)) {
                    field[1] = rawValue;
                    return;
                }
            }
            fields.add(new String[] {token, rawValue});
        }

        void remove(String key) {
            fields.removeIf(field -> field[0].equals("\"" + key + "\""));
        }

        boolean has(String key) {
            return fields.stream().anyMatch(field -> field[0].equals("\"" + key + "\""));
        }
    }

    /** A receive time: mostly recent years, sometimes at the very edges of the plausible range, some with nanos. */
    Instant receiveTime() {
        Instant base = switch (random.nextInt(10)) {
            case 0 -> EARLIEST.plusMillis(random.nextLong(Duration.ofDays(3).toMillis()));
            case 1 -> LATEST.minusMillis(1 + random.nextLong(Duration.ofDays(3).toMillis()));
            case 2 ->
                EARLIEST.plusSeconds(
                        random.nextLong(Duration.between(EARLIEST, LATEST).toSeconds()));
            default ->
                Instant.parse("2024-01-01T00:00:00Z")
                        .plusMillis(random.nextLong(Duration.ofDays(1000).toMillis()));
        };
        return switch (random.nextInt(4)) {
            case 0 -> base.plusNanos(random.nextInt(1_000_000));
            case 1 -> base.plusNanos(random.nextInt(1_000) * 1_000L);
            default -> base;
        };
    }

    /** A valid event received at {@code receivedAt} (valid unless the receive time leaves it no plausible time). */
    Event validEvent(Instant receivedAt, Duration maxFuture) {
        Event event = new Event(receivedAt);
        Instant received = receivedAt.truncatedTo(ChronoUnit.MICROS);
        Instant eventTime = eventTime(received, maxFuture);
        boolean exact = false;
        if (random.nextInt(15) == 0) { // exactly at the future limit
            eventTime = received.plus(maxFuture);
            exact = true;
        }
        List<String[]> fields = new ArrayList<>();
        int idChoice = random.nextInt(100);
        if (idChoice >= 25) {
            fields.add(field(
                    EventField.EVENT_ID,
                    idChoice < 28 ? "null" : idChoice < 30 ? string(pad("")) : string(pad(eventId()))));
        }
        if (random.nextInt(100) < 35) {
            // the client clock is off by skew; sent_at is read from it too
            Duration skew = skew();
            Instant sentAt = eventTime.isAfter(received)
                    ? received
                    : eventTime.plusNanos(random.nextLong(Math.max(
                            1,
                            Math.min(
                                    Duration.between(eventTime, received).toNanos(),
                                    Duration.ofSeconds(10).toNanos()))));
            sentAt = sentAt.truncatedTo(ChronoUnit.MICROS);
            fields.add(field(
                    EventField.TIMESTAMP,
                    exact ? string(eventTime.plus(skew).toString()) : time(eventTime.plus(skew))));
            fields.add(
                    field(EventField.SENT_AT, exact ? string(sentAt.plus(skew).toString()) : time(sentAt.plus(skew))));
        } else {
            fields.add(field(EventField.TIMESTAMP, exact ? string(eventTime.toString()) : time(eventTime)));
        }
        fields.add(field(EventField.USER_ID, string(pad(id()))));
        fields.add(field(EventField.EVENT_TYPE, string(pad(eventType()))));
        fields.add(field(EventField.PRODUCT_ID, string(pad(id()))));
        int session = random.nextInt(100);
        if (session >= 25) {
            fields.add(field(
                    EventField.SESSION_ID,
                    session < 30 ? "null" : session < 35 ? string(pad(" ")) : string(pad(id()))));
        }
        int quantity = random.nextInt(100);
        if (quantity >= 30) {
            fields.add(field(
                    EventField.QUANTITY,
                    quantity < 35 ? "null" : quantity < 38 ? string(pad("")) : String.valueOf(quantity())));
        }
        if (random.nextInt(10) == 0) { // a client may claim anything: admit never believes it
            fields.add(field(EventField.RECEIVED_AT, random.nextBoolean() ? time(receiveTime()) : jsonValue(2)));
        }
        if (random.nextInt(20) == 0) {
            fields.add(field(
                    EventField.CLOCK_SKEW_MS, String.valueOf(random.nextLong(-10_000_000_000L, 10_000_000_000L))));
        }
        int unknown = random.nextInt(3) == 0 ? 0 : random.nextInt(5);
        for (int i = 0; i < unknown; i++) {
            String key = random.nextInt(3) == 0 ? pick(UNKNOWN_KEYS) : asciiWord(1 + random.nextInt(10));
            if (fields.stream().noneMatch(f -> f[0].equals("\"" + escapeKey(key) + "\"")) && !isContractField(key)) {
                fields.add(new String[] {"\"" + escapeKey(key) + "\"", jsonValue(1 + random.nextInt(4))});
            }
        }
        if (random.nextInt(40) == 0) { // nested as deep as the contract allows: the event object and 31 more
            fields.add(new String[] {"\"deep\"", nested(EventContract.MAX_NESTING_DEPTH - 1)});
        }
        shuffle(fields);
        event.fields.addAll(fields);
        if (random.nextInt(40) == 0) { // close to the size limit (admitted only if the normalised JSON fits too)
            event.padTo = EventContract.MAX_EVENT_BYTES - random.nextInt(400);
        }
        return event;
    }

    private static String[] field(String key, String rawValue) {
        return new String[] {"\"" + key + "\"", rawValue};
    }

    private static boolean isContractField(String key) {
        for (String field : CONTRACT_FIELDS) {
            if (field.equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** The event's real time: mostly just before it is received, sometimes long before, sometimes ahead. */
    private Instant eventTime(Instant received, Duration maxFuture) {
        long nanos = switch (random.nextInt(20)) {
            case 0, 1, 2, 3, 4, 5, 6, 7 ->
                -random.nextLong(Duration.ofSeconds(120).toNanos());
            case 8, 9, 10, 11, 12 -> -random.nextLong(Duration.ofHours(48).toNanos());
            case 13, 14, 15 -> -random.nextLong(Duration.ofDays(3 * 365).toNanos());
            case 16, 17 -> random.nextLong(Math.max(1, maxFuture.toNanos() + 1));
            case 18 -> 0;
            default -> -random.nextLong(1_000_000);
        };
        return received.plusNanos(nanos);
    }

    /** How wrong the client's clock is. */
    private Duration skew() {
        long millis = switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> random.nextLong(-5_000, 5_001);
            case 4, 5, 6 ->
                random.nextLong(
                        -Duration.ofHours(2).toMillis(), Duration.ofHours(2).toMillis());
            case 7, 8 ->
                random.nextLong(
                        -Duration.ofDays(5 * 365).toMillis(),
                        Duration.ofDays(5 * 365).toMillis());
            default -> 0;
        };
        return Duration.ofMillis(millis).plusNanos(random.nextInt(1_000_000));
    }

    /** A time in one of the contract's forms: ISO with Z or an offset and 0-9 fraction digits, or epoch millis. */
    String time(Instant time) {
        int form = random.nextInt(20);
        long millis = time.toEpochMilli();
        if (form < 4 || form < 6 && Math.abs(millis) >= 1_000_000_000_000_000L) {
            return String.valueOf(millis); // a JSON integer
        }
        if (form < 6) {
            return string(pad(String.valueOf(millis))); // a digit string
        }
        int offsetMinutes = form < 13
                ? 0
                : switch (random.nextInt(6)) {
                    case 0 -> 18 * 60;
                    case 1 -> -18 * 60;
                    case 2 -> random.nextInt(-18 * 4, 18 * 4 + 1) * 15;
                    default -> random.nextInt(-18 * 60, 18 * 60 + 1);
                };
        LocalDateTime local = LocalDateTime.ofInstant(time, ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
        if (local.getYear() < 0 || local.getYear() > 9999) {
            return String.valueOf(millis);
        }
        StringBuilder iso = new StringBuilder(String.format(
                Locale.ROOT,
                "%04d-%02d-%02dT%02d:%02d:%02d",
                local.getYear(),
                local.getMonthValue(),
                local.getDayOfMonth(),
                local.getHour(),
                local.getMinute(),
                local.getSecond()));
        int digits = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(9);
        if (digits > 0) {
            iso.append('.').append(String.format(Locale.ROOT, "%09d", local.getNano()), 0, digits);
        }
        if (offsetMinutes == 0 && random.nextInt(5) > 0) {
            iso.append('Z');
        } else {
            int abs = Math.abs(offsetMinutes);
            iso.append(offsetMinutes < 0 || offsetMinutes == 0 && random.nextBoolean() ? '-' : '+')
                    .append(String.format(Locale.ROOT, "%02d:%02d", abs / 60, abs % 60));
        }
        return string(pad(iso.toString()));
    }

    String eventId() {
        int length = switch (random.nextInt(10)) {
            case 0 -> EventContract.MAX_ID_LENGTH;
            case 1, 2, 3 -> 36;
            default -> 1 + random.nextInt(EventContract.MAX_ID_LENGTH);
        };
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < length; i++) {
            id.append(EVENT_ID_CHARACTERS.charAt(random.nextInt(EVENT_ID_CHARACTERS.length())));
        }
        return id.toString();
    }

    /** A user, product or session id: 1-64 code points, ASCII or not, emoji and visible spaces included. */
    String id() {
        int length = switch (random.nextInt(20)) {
            case 0 -> EventContract.MAX_ID_LENGTH;
            case 1, 2, 3 -> 41 + random.nextInt(EventContract.MAX_ID_LENGTH - 40);
            case 4, 5, 6, 7, 8, 9 -> 9 + random.nextInt(32);
            default -> 1 + random.nextInt(8);
        };
        boolean nonAscii = random.nextInt(4) == 0;
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int c = nonAscii && random.nextInt(3) == 0
                    ? ID_NON_ASCII[random.nextInt(ID_NON_ASCII.length)]
                    : random.nextInt(30) == 0 ? ' ' : ID_ASCII.charAt(random.nextInt(ID_ASCII.length()));
            if (c == ' ' && (i == 0 || i == length - 1)) {
                c = 'x'; // a space at the edge would be trimmed away
            }
            id.appendCodePoint(c);
        }
        return id.toString();
    }

    String eventType() {
        String name = EventType.WIRE_NAMES.get(random.nextInt(EventType.WIRE_NAMES.size()));
        if (random.nextBoolean()) {
            return name;
        }
        StringBuilder mixed = new StringBuilder();
        for (char c : name.toCharArray()) {
            mixed.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return mixed.toString();
    }

    private int quantity() {
        return switch (random.nextInt(10)) {
            case 0 -> EventContract.MIN_QUANTITY;
            case 1 -> EventContract.MAX_QUANTITY;
            case 2, 3, 4 -> 1 + random.nextInt(EventContract.MAX_QUANTITY);
            default -> 1 + random.nextInt(5);
        };
    }

    /** Sometimes padded with the characters the contract trims. */
    String pad(String text) {
        if (random.nextInt(5) > 0) {
            return text;
        }
        return trimmable(random.nextInt(4)) + text + trimmable(random.nextInt(4));
    }

    private String trimmable(int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append(
                    EventContract.TRIMMED_CHARACTERS.charAt(random.nextInt(EventContract.TRIMMED_CHARACTERS.length())));
        }
        return out.toString();
    }

    /** A JSON string token of the text, each character written raw or escaped at random (controls always escaped). */
    String string(String content) {
        StringBuilder out = new StringBuilder("\"");
        content.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append(random.nextInt(3) == 0 ? "\\u000a" : "\\n");
                case '\r' -> out.append(random.nextInt(3) == 0 ? "\\u000D" : "\\r");
                case '\t' -> out.append(random.nextInt(3) == 0 ? "\\u0009" : "\\t");
                case '/' -> out.append(random.nextInt(5) == 0 ? "\\/" : "/");
                default -> {
                    if (c < 0x20 || random.nextInt(12) == 0) {
                        for (char unit : Character.toChars(c)) {
                            String hex = String.format(Locale.ROOT, "%04x", (int) unit);
                            out.append("\\u").append(random.nextBoolean() ? hex : hex.toUpperCase(Locale.ROOT));
                        }
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    /** A key as it sits between the quotes: JSON escapes for what needs them. */
    private static String escapeKey(String key) {
        StringBuilder out = new StringBuilder();
        key.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private String asciiWord(int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append((char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }

    /** Any JSON value, nested at most {@code depth} containers deep. */
    String jsonValue(int depth) {
        int kind = random.nextInt(depth > 0 ? 10 : 7);
        return switch (kind) {
            case 0, 1 -> string(text(random.nextInt(20)));
            case 2 -> String.valueOf(random.nextInt(-1000, 1000));
            case 3 ->
                pick(new String[] {
                    "-0",
                    "0.5",
                    "-1.5e-3",
                    "1E+30",
                    "123456789012345678901234567890",
                    String.valueOf(random.nextLong()),
                    String.valueOf(random.nextDouble() * 1e6),
                    "1E400",
                    "0"
                });
            case 4 -> pick(new String[] {"true", "false", "null"});
            case 5 -> time(receiveTime());
            case 6 -> string(id());
            case 7, 8 -> {
                StringBuilder object = new StringBuilder("{");
                List<String> keys = new ArrayList<>();
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    String key = random.nextInt(4) == 0 ? pick(CONTRACT_FIELDS) : asciiWord(1 + random.nextInt(4));
                    if (!keys.contains(key)) {
                        keys.add(key);
                        object.append(object.length() > 1 ? "," : "")
                                .append('"')
                                .append(key)
                                .append("\":")
                                .append(jsonValue(depth - 1));
                    }
                }
                yield object.append('}').toString();
            }
            default -> {
                StringBuilder array = new StringBuilder("[");
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    array.append(i > 0 ? "," : "").append(jsonValue(depth - 1));
                }
                yield array.append(']').toString();
            }
        };
    }

    /** Text of any characters but U+FFFD and unpaired surrogates (those make the JSON malformed). */
    private String text(int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int c = switch (random.nextInt(8)) {
                case 0 -> EDGE_CHARACTERS[random.nextInt(EDGE_CHARACTERS.length)];
                case 1 -> ID_NON_ASCII[random.nextInt(ID_NON_ASCII.length)];
                case 2 -> random.nextInt(0x20, 0x7F);
                default -> ID_ASCII.charAt(random.nextInt(ID_ASCII.length()));
            };
            out.appendCodePoint(c);
        }
        return out.toString();
    }

    /** The event as text, with random whitespace between tokens (mostly none). */
    String render(Event event) {
        String space = random.nextInt(4) == 0 ? pick(new String[] {" ", "\n", "\t", "\r\n", "  "}) : "";
        StringBuilder out = new StringBuilder(random.nextInt(10) == 0 ? space : "").append('{');
        for (int i = 0; i < event.fields.size(); i++) {
            String[] field = event.fields.get(i);
            out.append(i > 0 ? "," : "")
                    .append(space)
                    .append(field[0])
                    .append(space)
                    .append(':')
                    .append(space)
                    .append(field[1]);
        }
        if (event.padTo > 0) {
            int room = event.padTo - out.toString().getBytes(StandardCharsets.UTF_8).length - ",\"pad\":\"\"}".length();
            if (room > 0) {
                String unit = pick(new String[] {"x", "\u00E9", "\u4E2D", "\uD83D\uDE00"});
                int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
                out.append(event.fields.isEmpty() ? "" : ",")
                        .append("\"pad\":\"")
                        .append(unit.repeat(room / unitBytes))
                        .append("y".repeat(room % unitBytes))
                        .append('"');
            }
        }
        return out.append(space)
                .append('}')
                .append(random.nextInt(10) == 0 ? space : "")
                .toString();
    }

    /** An event as it was written as JSON (the normalised event ingest writes, say), to be mutated further. */
    static Event fromJson(com.fasterxml.jackson.databind.node.ObjectNode json, Instant receivedAt) {
        Event event = new Event(receivedAt);
        json.fields().forEachRemaining(field -> {
            try {
                event.fields.add(new String[] {
                    ContractParity.JSON.writeValueAsString(field.getKey()),
                    field.getValue().toString()
                });
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
        return event;
    }

    // ---------------------------------------------------------------- mutations

    /**
     * The event with 1-3 random mutations: structural ones on its fields (broken values, duplicate keys, deep
     * nesting, time edges relative to {@code storedAt}) and textual ones on the rendered text.
     */
    String mutate(Event event, Instant storedAt, Duration maxFuture) {
        int count = 1 + random.nextInt(3);
        List<Integer> textual = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (random.nextInt(4) > 0) {
                mutateFields(event, storedAt, maxFuture);
            } else {
                textual.add(random.nextInt(15));
            }
        }
        String text = render(event);
        for (int kind : textual) {
            text = mutateText(text, kind);
        }
        return text;
    }

    private void mutateFields(Event event, Instant storedAt, Duration maxFuture) {
        String field = pick(CONTRACT_FIELDS);
        Instant stored = storedAt.truncatedTo(ChronoUnit.MICROS);
        switch (random.nextInt(20)) {
            case 0 -> {
                if (random.nextInt(3) > 0) {
                    event.remove(pick(new String[] {
                        EventField.TIMESTAMP, EventField.USER_ID, EventField.EVENT_TYPE, EventField.PRODUCT_ID
                    }));
                } else if (!event.fields.isEmpty()) {
                    event.fields.remove(random.nextInt(event.fields.size()));
                }
            }
            case 1, 2 -> event.put(field, pick(WEIRD_VALUES));
            case 3, 4, 5 -> event.put(field, string(edged(nearValid(field))));
            case 6 ->
                event.put(
                        EventField.EVENT_TYPE,
                        string(pad(confusable(pick(EventType.WIRE_NAMES.toArray(String[]::new))))));
            case 7 -> { // a key twice
                if (!event.fields.isEmpty()) {
                    String[] copy = event.fields.get(random.nextInt(event.fields.size()));
                    event.fields.add(
                            random.nextInt(event.fields.size() + 1),
                            new String[] {copy[0], random.nextBoolean() ? copy[1] : jsonValue(1)});
                }
            }
            case 8 -> { // a key twice in a nested object
                String inner = "{\"a\":1," + "\"b\":" + jsonValue(1) + ",\"a\":" + jsonValue(1) + "}";
                event.fields.add(
                        new String[] {"\"nested\"", random.nextBoolean() ? inner : "[1,{\"x\":" + inner + "}]"});
            }
            case 9 -> // nesting around the limit; the event object itself is one level
                event.fields.add(
                        new String[] {"\"deep\"", nested(EventContract.MAX_NESTING_DEPTH - 3 + random.nextInt(5))});
            case 10 ->
                event.fields.add(new String[] {
                    "\"" + pick(new String[] {"u", "\uFFFD", "k"}) + "\"",
                    "\""
                            + pick(new String[] {
                                "\uFFFD",
                                "\\ufffd",
                                "\\uFFFD",
                                "\\ud800",
                                "\\udc00",
                                "\\ud83d\\ude00",
                                "\\ude00\\ud83d",
                                "\\ud83dx",
                                "a\\uDBFF",
                                "\uD83D\uDE00",
                                "\\u0000",
                                "\u2028"
                            })
                            + "\""
                });
            case 11 -> {
                if (random.nextBoolean()) {
                    event.remove(EventField.EVENT_ID);
                } else {
                    event.put(EventField.EVENT_ID, pick(new String[] {"null", "\"\"", "\"  \"", "\" \\t\""}));
                }
            }
            case 12 -> event.put(EventField.RECEIVED_AT, receivedAtClaim(stored));
            case 13 ->
                event.put(EventField.SENT_AT, pick(new String[] {
                    "\"2000-01-01T00:00:00Z\"",
                    "\"-999999999999999\"",
                    "-999999999999999",
                    "\"1999-12-31T23:59:59.999999Z\"",
                    "\"2100-01-01T00:00:00Z\"",
                    "\"2099-12-31T23:59:59.999999Z\"",
                    "\"0000-01-01T00:00:00Z\"",
                    "9223372036854775807",
                    "-9223372036854775808",
                    "-9223372036854775",
                    "9223372036854775",
                    "99999999999999999999",
                    string(stored.minus(maxFuture).toString()),
                    string(stored.minus(maxFuture).minus(MICRO).toString()),
                    string(stored.plusSeconds(random.nextInt(-100, 100)).toString()),
                    time(receiveTime())
                }));
            case 14 -> { // the timestamp at the future limit of the receive time (bronze's, unless the line claims one)
                Duration off = pick(new Duration[] {
                    MICRO.negated(),
                    Duration.ZERO,
                    MICRO,
                    Duration.ofMillis(1),
                    Duration.ofNanos(999),
                    Duration.ofHours(-1)
                });
                Instant at = stored.plus(maxFuture).plus(off);
                event.put(
                        EventField.TIMESTAMP,
                        random.nextBoolean() ? string(at.toString()) : String.valueOf(at.toEpochMilli()));
                if (random.nextBoolean()) {
                    event.remove(EventField.SENT_AT);
                }
            }
            case 15 ->
                event.put(
                        pick(new String[] {EventField.QUANTITY, EventField.TIMESTAMP, EventField.SENT_AT}),
                        pick(new String[] {
                            "\"" + random.nextInt(1000) + "\"",
                            random.nextInt(1000) + ".0",
                            "1" + "0".repeat(random.nextInt(30)),
                            "-" + random.nextInt(5),
                            "9".repeat(1 + random.nextInt(990)),
                            "1" + "0".repeat(999),
                            "1" + "0".repeat(1000)
                        }));
            case 16 -> { // the same key written with escapes, or in another case
                int i = event.fields.isEmpty() ? -1 : random.nextInt(event.fields.size());
                if (i >= 0) {
                    String[] f = event.fields.get(i);
                    f[0] = random.nextBoolean()
                            ? f[0].replace("_", "\\u005f").replace("t", "\\u0074")
                            : f[0].toUpperCase(Locale.ROOT);
                }
            }
            case 17 ->
                event.put(EventField.QUANTITY, pick(new String[] {
                    "0",
                    "-1",
                    "1001",
                    "1000",
                    "1",
                    "2147483648",
                    "-2147483649",
                    "99999999999",
                    "-0",
                    "1e3",
                    "\"5\"",
                    "4294967297",
                    "12345678901"
                }));
            case 18 -> { // an id at the length limit, or one past it
                String id = pick(new String[] {
                    EventField.USER_ID, EventField.PRODUCT_ID, EventField.SESSION_ID, EventField.EVENT_ID
                });
                int length = EventContract.MAX_ID_LENGTH + random.nextInt(2);
                event.put(id, string(pad(id.equals(EventField.EVENT_ID) ? "e".repeat(length) : emojiId(length))));
            }
            default -> event.put(field, random.nextBoolean() ? "null" : string(pad("")));
        }
    }

    /** Containers nested {@code depth} deep, arrays and objects mixed, the innermost empty. */
    private String nested(int depth) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 1; i < depth; i++) {
            boolean array = random.nextBoolean();
            open.append(array ? "[" : "{\"k\":");
            close.insert(0, array ? "]" : "}");
        }
        return open + (random.nextBoolean() ? "[]" : "{}") + close;
    }

    /** A value close to what the field accepts: the kind of value an edge character then spoils. */
    private String nearValid(String field) {
        return switch (field) {
            case EventField.EVENT_ID -> eventId();
            case EventField.TIMESTAMP, EventField.SENT_AT, EventField.RECEIVED_AT -> {
                String time = time(receiveTime());
                yield time.startsWith("\"") ? time.substring(1, time.length() - 1) : time;
            }
            case EventField.EVENT_TYPE -> eventType();
            case EventField.QUANTITY, EventField.CLOCK_SKEW_MS -> String.valueOf(quantity());
            default -> random.nextInt(5) == 0 ? emojiId(EventContract.MAX_ID_LENGTH + random.nextInt(2)) : id();
        };
    }

    private String emojiId(int codePoints) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            out.appendCodePoint(random.nextBoolean() ? 0x1F600 + random.nextInt(50) : 'a' + random.nextInt(26));
        }
        return out.toString();
    }

    /** The text (of a JSON string, unescaped) with an edge character first, last, inside or around trimmed ones. */
    private String edged(String text) {
        String edge = new String(Character.toChars(EDGE_CHARACTERS[random.nextInt(EDGE_CHARACTERS.length)]));
        return switch (random.nextInt(6)) {
            case 0 -> edge + text;
            case 1 -> text + edge;
            case 2 -> text + trimmable(1 + random.nextInt(2)) + edge + trimmable(random.nextInt(2));
            case 3 -> trimmable(random.nextInt(2)) + edge + trimmable(1 + random.nextInt(2)) + text;
            case 4 -> {
                int at = text.offsetByCodePoints(0, random.nextInt(text.codePointCount(0, text.length()) + 1));
                yield text.substring(0, at) + edge + text.substring(at);
            }
            default -> edge;
        };
    }

    /** An event type with one letter swapped for a case variant or look-alike. */
    private String confusable(String name) {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < name.length(); i++) {
            if (CONFUSABLE.containsKey(name.charAt(i))) {
                positions.add(i);
            }
        }
        if (positions.isEmpty()) {
            return name.toUpperCase(Locale.ROOT);
        }
        int at = positions.get(random.nextInt(positions.size()));
        int[] variants = CONFUSABLE.get(name.charAt(at));
        return name.substring(0, at)
                + new String(Character.toChars(variants[random.nextInt(variants.length)]))
                + name.substring(at + 1);
    }

    /** What a line may say about its receive time: before, at or after bronze stored it, or nothing sensible. */
    private String receivedAtClaim(Instant stored) {
        return switch (random.nextInt(9)) {
            case 0 -> string(stored.minusSeconds(1 + random.nextInt(100_000)).toString());
            case 1 -> string(stored.minus(MICRO).toString());
            case 2 -> string(stored.toString());
            case 3 -> string(stored.plus(MICRO).toString());
            case 4 -> string(stored.plusSeconds(1 + random.nextInt(100_000)).toString());
            case 5 ->
                String.valueOf(stored.minusMillis(random.nextInt(1, 10_000)).toEpochMilli());
            case 6 ->
                pick(new String[] {
                    "\"1999-12-31T23:59:59Z\"",
                    "\"2100-01-01T00:00:00Z\"",
                    "\"soon\"",
                    "5",
                    "null",
                    "true",
                    "{}",
                    "\"\"",
                    "1714564800000.0"
                });
            case 7 -> time(stored.minusMillis(random.nextInt(0, 5_000)));
            default -> string(edged(stored.minusSeconds(10).toString()));
        };
    }

    private String mutateText(String text, int kind) {
        int[] points = text.codePoints().toArray();
        int n = points.length;
        return switch (kind) {
            case 0 -> n == 0 ? text : splice(points, random.nextInt(n), 1, new int[0]);
            case 1 -> n == 0 ? text : splice(points, random.nextInt(n), 1 + random.nextInt(10), new int[0]);
            case 2 -> splice(points, random.nextInt(n + 1), 0, new int[] {NOISE[random.nextInt(NOISE.length)]});
            case 3 ->
                n == 0 ? text : splice(points, random.nextInt(n), 1, new int[] {NOISE[random.nextInt(NOISE.length)]});
            case 4 -> text + pick(GARBAGE);
            case 5 -> pick(new String[] {"[", " ", "\uFEFF", "\n", "\u0000", "{", "\u00A0"}) + text;
            case 6 -> random.nextBoolean() ? "[" + text + "]" : "{\"e\":" + text + "}";
            case 7 -> n == 0 ? text : splice(points, random.nextInt(n), n, new int[0]);
            case 8 -> badNumber(text);
            case 9 -> {
                int quote = text.indexOf("\":\"");
                int end = quote < 0 ? -1 : text.indexOf('"', quote + 3);
                yield end < 0
                        ? text
                        : text.substring(0, quote + 2) + "'" + text.substring(quote + 3, end) + "'"
                                + text.substring(end + 1);
            }
            case 10 -> {
                int comma = text.indexOf(',');
                yield comma < 0
                        ? text
                        : text.substring(0, comma + 1)
                                + pick(new String[] {"/*c*/", "//c\n", "#c\n"})
                                + text.substring(comma + 1);
            }
            case 11 -> { // a raw control character inside a string
                int quote = text.indexOf("\":\"");
                yield quote < 0
                        ? text
                        : text.substring(0, quote + 3) + (char) random.nextInt(0x20) + text.substring(quote + 3);
            }
            default -> padToLimit(text); // 12, 13, 14
        };
    }

    private static String splice(int[] points, int from, int remove, int[] insert) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < from && i < points.length; i++) {
            out.appendCodePoint(points[i]);
        }
        for (int c : insert) {
            out.appendCodePoint(c);
        }
        for (int i = from + remove; i < points.length; i++) {
            out.appendCodePoint(points[i]);
        }
        return out.toString();
    }

    private String badNumber(String text) {
        for (int i = 0; i + 1 < text.length(); i++) {
            if (text.charAt(i) == ':'
                    && (Character.isDigit(text.charAt(i + 1)) || text.charAt(i + 1) == '-')
                    && random.nextInt(3) == 0) {
                int end = i + 1;
                while (end < text.length() && "0123456789-+.eE".indexOf(text.charAt(end)) >= 0) {
                    end++;
                }
                return text.substring(0, i + 1) + pick(BAD_NUMBERS) + text.substring(end);
            }
        }
        return text.endsWith("}") ? text.substring(0, text.length() - 1) + ",\"n\":" + pick(BAD_NUMBERS) + "}" : text;
    }

    /** An unknown field that brings the text to within a few bytes of the size limit, either side. */
    private String padToLimit(String text) {
        if (!text.endsWith("}")) {
            return text;
        }
        String unit = pick(new String[] {"x", "\u00E9", "\u4E2D", "\uD83D\uDE00", "\\u0041"});
        int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
        int target = EventContract.MAX_EVENT_BYTES + random.nextInt(-60, 61);
        int room = target - text.getBytes(StandardCharsets.UTF_8).length - ",\"pad\":\"\"".length();
        if (room <= 0) {
            return text;
        }
        String pad = unit.repeat(room / unitBytes) + "y".repeat(room % unitBytes);
        return text.substring(0, text.length() - 1) + ",\"pad\":\"" + pad + "\"}";
    }

    // ---------------------------------------------------------------- random lines

    /** Text that is no event at all, or by chance a small one: random characters, token soup, field salad. */
    String randomLine(Instant storedAt) {
        return switch (random.nextInt(3)) {
            case 0 -> {
                StringBuilder out = new StringBuilder();
                int length = random.nextInt(40);
                for (int i = 0; i < length; i++) {
                    out.appendCodePoint(NOISE[random.nextInt(NOISE.length)]);
                }
                yield out.toString();
            }
            case 1 -> {
                StringBuilder out = new StringBuilder();
                int length = 1 + random.nextInt(20);
                for (int i = 0; i < length; i++) {
                    out.append(pick(TOKENS)).append(random.nextInt(4) == 0 ? " " : "");
                }
                yield out.toString();
            }
            default -> {
                Event event = new Event(storedAt);
                int size = random.nextInt(8);
                for (int i = 0; i < size; i++) {
                    String field = pick(CONTRACT_FIELDS);
                    event.put(field, random.nextBoolean() ? pick(WEIRD_VALUES) : string(nearValid(field)));
                }
                yield render(event);
            }
        };
    }

    // ---------------------------------------------------------------- helpers

    <T> T pick(T[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = new int[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
