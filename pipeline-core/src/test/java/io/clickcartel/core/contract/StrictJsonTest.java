package io.clickcartel.core.contract;

import static io.clickcartel.core.contract.TestEvents.JSON;
import static io.clickcartel.core.contract.TestEvents.RECEIVED_AT;
import static io.clickcartel.core.contract.TestEvents.VALID;
import static io.clickcartel.core.contract.TestEvents.invalid;
import static io.clickcartel.core.contract.TestEvents.valid;
import static io.clickcartel.core.contract.TestEvents.withRaw;
import static io.clickcartel.core.contract.TestEvents.withString;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What counts as one strict JSON object (malformed_json otherwise): lenient parsers read these texts in different
 * ways, so the contract refuses them, at ingest and in silver alike.
 */
class StrictJsonTest {

    private final EventValidator validator = new EventValidator(JSON);

    private Validation check(String raw) {
        return validator.validate(raw, RECEIVED_AT);
    }

    /** The event object and {@code depth - 1} containers nested in its unknown field "x", the innermost empty. */
    private static String nested(int depth, String open, String close) {
        String innermost = open.startsWith("{") ? "{}" : "[]";
        return VALID.replace("}", ",\"x\":" + open.repeat(depth - 2) + innermost + close.repeat(depth - 2) + "}");
    }

    static Stream<Arguments> notStrict() {
        return Stream.of(
                // trailing content after the object
                Arguments.of("trailing word", VALID + " trailing"),
                Arguments.of("trailing brace", VALID + "}"),
                Arguments.of("a second object", VALID + VALID),
                Arguments.of("a second empty object", VALID + " {}"),
                Arguments.of("trailing comma", VALID + ","),
                Arguments.of("trailing raw NUL", VALID + "\u0000"),
                Arguments.of("trailing comment", VALID + " // sent by x"),
                // duplicate keys
                Arguments.of("duplicate top-level key, same value", VALID.replace("}", ",\"user_id\":\"u1\"}")),
                Arguments.of("duplicate top-level key, other value", VALID.replace("}", ",\"user_id\":\"u2\"}")),
                Arguments.of("duplicate unknown top-level key", VALID.replace("}", ",\"page\":1,\"page\":1}")),
                Arguments.of("duplicate key written with an escape", VALID.replace("}", ",\"user\\u005fid\":\"u1\"}")),
                Arguments.of(
                        "duplicate key nested in an unknown field",
                        VALID.replace("}", ",\"page\":{\"path\":\"/a\",\"path\":\"/b\"}}")),
                Arguments.of(
                        "duplicate key in an object in an array in an unknown field",
                        VALID.replace("}", ",\"items\":[{\"a\":1},{\"b\":1,\"b\":2}]}")),
                Arguments.of(
                        "duplicate contract key nested deep",
                        VALID.replace("}", ",\"x\":{\"y\":{\"user_id\":1,\"user_id\":2}}}")),
                // U+FFFD, what undecodable bytes turn into
                Arguments.of("raw U+FFFD in user_id", withString("user_id", "u\uFFFD1")),
                Arguments.of("escaped U+FFFD in user_id", withString("user_id", "u\\ufffd1")),
                Arguments.of("raw U+FFFD in an unknown field", VALID.replace("}", ",\"page\":\"/\uFFFD\"}")),
                Arguments.of("escaped U+FFFD in an unknown field", VALID.replace("}", ",\"page\":\"\\uFFFD\"}")),
                Arguments.of("U+FFFD in a key", VALID.replace("}", ",\"pa\uFFFDge\":1}")),
                Arguments.of("U+FFFD in a nested value", VALID.replace("}", ",\"x\":[{\"y\":\"\\ufffd\"}]}")),
                // unpaired surrogates (a JSON escape can write one; UTF-8 cannot)
                Arguments.of("lone high surrogate escape", withString("user_id", "u\\ud800")),
                Arguments.of("lone high surrogate escape mid-string", withString("user_id", "\\ud800u1")),
                Arguments.of("lone low surrogate escape", withString("user_id", "\\udc00")),
                Arguments.of("surrogates in the wrong order", withString("user_id", "\\ude00\\ud83d")),
                Arguments.of("high surrogate then a normal escape", withString("user_id", "\\ud83d\\u0041")),
                Arguments.of("lone surrogate escape in an unknown field", VALID.replace("}", ",\"p\":\"\\udbff\"}")),
                Arguments.of("lone surrogate escape in a key", VALID.replace("}", ",\"\\ud800\":1}")),
                Arguments.of("raw lone surrogate", withString("user_id", "u\ud800")),
                // nesting
                Arguments.of("33 deep in objects", nested(33, "{\"a\":", "}")),
                Arguments.of("33 deep in arrays", nested(33, "[", "]")),
                Arguments.of("1000 deep in arrays", nested(1000, "[", "]")),
                // non-standard numbers and literals
                Arguments.of("NaN", VALID.replace("}", ",\"x\":NaN}")),
                Arguments.of("NaN as quantity", withRaw("quantity", "NaN")),
                Arguments.of("Infinity", VALID.replace("}", ",\"x\":Infinity}")),
                Arguments.of("-Infinity", VALID.replace("}", ",\"x\":-Infinity}")),
                Arguments.of("leading zero", VALID.replace("}", ",\"x\":01}")),
                Arguments.of("leading zero in quantity", withRaw("quantity", "02")),
                Arguments.of("leading zero in epoch millis", withRaw("timestamp", "01714564800000")),
                Arguments.of("negative leading zero", VALID.replace("}", ",\"x\":-01}")),
                Arguments.of("plus sign", withRaw("quantity", "+2")),
                Arguments.of("hex number", withRaw("quantity", "0x2")),
                Arguments.of("fraction without digits", VALID.replace("}", ",\"x\":1.}")),
                Arguments.of("single quotes", VALID.replace("\"u1\"", "'u1'")),
                Arguments.of("unquoted key", VALID.replace("}", ",x:1}")),
                Arguments.of("comment inside", VALID.replace("{", "{/* c */")),
                Arguments.of("trailing comma inside", VALID.replace("}", ",}")),
                Arguments.of("raw tab inside a string", withString("user_id", "u\t1")),
                Arguments.of("raw NUL inside a string", withString("user_id", "u\u00001")),
                Arguments.of("invalid escape", withString("user_id", "u\\x41")),
                // not an object
                Arguments.of("array of one event", "[" + VALID + "]"),
                Arguments.of("empty text", ""),
                Arguments.of("only whitespace", " \n"),
                Arguments.of("JSON null", "null"),
                Arguments.of("a number", "42"),
                Arguments.of("byte order mark first", "\uFEFF" + VALID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notStrict")
    void refusesTextThatIsNotOneStrictJsonObject(String description, String raw) {
        assertThat(check(raw)).isEqualTo(invalid(Rule.MALFORMED_JSON));
        assertThat(StrictJson.isSingleObject(raw)).isFalse();
    }

    static Stream<Arguments> strict() {
        return Stream.of(
                Arguments.of("whitespace around the object", " \t\r\n" + VALID + " \t\r\n"),
                Arguments.of(
                        "the same key in two different objects",
                        VALID.replace("}", ",\"a\":{\"k\":1},\"b\":{\"k\":1},\"c\":[{\"k\":1},{\"k\":2}]}")),
                Arguments.of(
                        "a contract key nested in an unknown field", VALID.replace("}", ",\"page\":{\"user_id\":5}}")),
                Arguments.of("32 deep in objects", nested(32, "{\"a\":", "}")),
                Arguments.of("32 deep in arrays", nested(32, "[", "]")),
                Arguments.of(
                        "32 deep, mixed",
                        VALID.replace("}", ",\"x\":" + "[{\"a\":".repeat(15) + "[]" + "}]".repeat(15) + "}")),
                Arguments.of("an escaped surrogate pair", withString("user_id", "\\ud83d\\ude00")),
                Arguments.of("a raw surrogate pair", withString("user_id", "\ud83d\ude00")),
                Arguments.of(
                        "zero, negative zero, fractions, exponents",
                        VALID.replace("}", ",\"x\":[0,-0,0.5,-1.5e-3,1E+400,123456789012345678901234567890]}")),
                Arguments.of(
                        "escapes of every kind",
                        VALID.replace("}", ",\"x\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041\"}")),
                Arguments.of("empty key", VALID.replace("}", ",\"\":1}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strict")
    void acceptsStrictJsonObjects(String description, String raw) {
        assertThat(StrictJson.isSingleObject(raw)).isTrue();
        valid(check(raw));
    }

    @Test
    void theNestingLimitCountsTheEventObject() {
        assertThat(EventContract.MAX_NESTING_DEPTH).isEqualTo(32);
        assertThat(StrictJson.isSingleObject("{}")).isTrue();
        assertThat(StrictJson.isSingleObject("{\"a\":" + "[".repeat(31) + "]".repeat(31) + "}"))
                .isTrue();
        assertThat(StrictJson.isSingleObject("{\"a\":" + "[".repeat(32) + "]".repeat(32) + "}"))
                .isFalse();
        assertThat(StrictJson.isSingleObject("{\"a\":".repeat(31) + "{}" + "}".repeat(31)))
                .isTrue();
        assertThat(StrictJson.isSingleObject("{\"a\":".repeat(32) + "{}" + "}".repeat(32)))
                .isFalse();
        // the depth is counted, not the length: wide and shallow is fine
        assertThat(StrictJson.isSingleObject("{\"a\":[" + "[],".repeat(5_000) + "[]]}"))
                .isTrue();
    }

    @Test
    void nullIsNoObject() {
        assertThat(StrictJson.isSingleObject(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "}", "{}}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\" 1}", "{}{}", "{} x"})
    void refusesBrokenObjects(String raw) {
        assertThat(StrictJson.isSingleObject(raw)).isFalse();
    }
}
