package io.clickcartel.core.contract;

import static io.clickcartel.core.contract.TestEvents.JSON;
import static io.clickcartel.core.contract.TestEvents.RECEIVED_AT;
import static io.clickcartel.core.contract.TestEvents.VALID;
import static io.clickcartel.core.contract.TestEvents.invalid;
import static io.clickcartel.core.contract.TestEvents.valid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code admit}, what ingest writes, and the normalised JSON: it fits the size limit and normalising it again (as
 * silver does) changes nothing.
 */
class AdmitTest {

    private static final int MAX = EventContract.MAX_EVENT_BYTES;

    private final EventValidator validator = new EventValidator(JSON);

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** An id-less event without quantity, padded with an unknown string field to exactly {@code size} bytes. */
    private static String idLessEventOf(int size, String padUnit) {
        String head = "{\"timestamp\":1714564800000,\"user_id\":\"u1\",\"event_type\":\"view_product\","
                + "\"product_id\":\"p1\",\"pad\":\"";
        String tail = "\"}";
        int room = size - bytes(head) - bytes(tail);
        String pad = padUnit.repeat(room / bytes(padUnit)) + "x".repeat(room % bytes(padUnit));
        String raw = head + pad + tail;
        assertThat(bytes(raw)).isEqualTo(size);
        return raw;
    }

    @Test
    void refusesAnEventWhoseNormalisedJsonOutgrowsTheLimit() {
        // the raw text fits; normalised it gains event_id, received_at, quantity and an ISO timestamp
        String raw = idLessEventOf(MAX - 10, "x");
        NormalizedEvent event = valid(validator.validate(raw, RECEIVED_AT));
        assertThat(bytes(event.toJson().toString())).isGreaterThan(MAX);
        assertThat(validator.admit(raw, RECEIVED_AT)).isEqualTo(invalid(Rule.EVENT_TOO_LARGE));
    }

    @Test
    void admitsWhatFitsBothWaysAndCountsBytesNotCharacters() {
        String fits = idLessEventOf(MAX - 200, "x");
        NormalizedEvent event = valid(validator.admit(fits, RECEIVED_AT));
        assertThat(bytes(event.toJson().toString())).isLessThanOrEqualTo(MAX);
        // multi-byte characters: far fewer chars than bytes
        String wide = idLessEventOf(MAX - 200, "\u00E9");
        assertThat(wide.length()).isLessThan(MAX / 2 + 200);
        valid(validator.admit(wide, RECEIVED_AT));
        String tooWide = idLessEventOf(MAX + 1, "\u00E9");
        assertThat(tooWide.length()).isLessThan(MAX);
        assertThat(validator.validate(tooWide, RECEIVED_AT)).isEqualTo(invalid(Rule.EVENT_TOO_LARGE));
        assertThat(validator.admit(tooWide, RECEIVED_AT)).isEqualTo(invalid(Rule.EVENT_TOO_LARGE));
        String emoji = idLessEventOf(MAX - 10, "\uD83D\uDE00");
        assertThat(validator.admit(emoji, RECEIVED_AT)).isEqualTo(invalid(Rule.EVENT_TOO_LARGE));
    }

    @Test
    void theRawLimitIsInclusive() {
        assertThat(validator.validate(idLessEventOf(MAX, "x"), RECEIVED_AT)).isInstanceOf(Validation.Valid.class);
        assertThat(validator.validate(idLessEventOf(MAX + 1, "x"), RECEIVED_AT))
                .isEqualTo(invalid(Rule.EVENT_TOO_LARGE));
        // an event whose normalised form is smaller than its raw text (escapes written out) is admitted at the limit
        String escaped = VALID.replace("}", ",\"pad\":\"" + "\\u0041".repeat((MAX - VALID.length() - 12) / 6) + "\"}");
        assertThat(bytes(escaped)).isLessThanOrEqualTo(MAX).isGreaterThan(MAX - 12);
        valid(validator.admit(escaped, RECEIVED_AT));
    }

    @Test
    void admitIsValidateForEverythingElse() {
        assertThat(validator.admit(VALID + " trailing", RECEIVED_AT)).isEqualTo(invalid(Rule.MALFORMED_JSON));
        assertThat(validator.admit(VALID.replace("\"u1\"", "null"), RECEIVED_AT))
                .isEqualTo(invalid(Rule.USER_ID_MISSING));
        assertThat(validator.admit(VALID, RECEIVED_AT)).isEqualTo(validator.validate(VALID, RECEIVED_AT));
    }

    static Stream<Arguments> events() {
        return Stream.of(
                Arguments.of("clean", VALID),
                Arguments.of("messy", """
                        {"event_id":"  e-2 ","timestamp":" 1714564800123 ","user_id":" u1 ",
                         "event_type":"  Add_To_CART ","product_id":"\\tp9\\n","session_id":"  ","quantity":null}"""),
                Arguments.of("id-less", VALID.replace("\"event_id\":\"e-1\",", "")),
                Arguments.of(
                        "id-less with sent_at",
                        VALID.replace("\"event_id\":\"e-1\",", "")
                                .replace("}", ",\"sent_at\":\"2024-05-01T13:00:05+01:00\"}")),
                Arguments.of(
                        "sent_at, client clock fast",
                        VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T13:00:00Z")
                                .replace("}", ",\"sent_at\":\"2024-05-01T13:00:05.123456789Z\"}")),
                Arguments.of(
                        "sent_at, client clock slow, epoch millis", VALID.replace("}", ",\"sent_at\":1714564000000}")),
                Arguments.of("sent_at as digit string", VALID.replace("}", ",\"sent_at\":\" 1714564805000\\n\"}")),
                Arguments.of(
                        "nanoseconds and an offset",
                        VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T14:00:00.987654321+02:00")),
                Arguments.of(
                        "unknown fields, nested",
                        VALID.replace(
                                "}",
                                ",\"page\":{\"path\":\"/p\",\"tags\":"
                                        + "[1,2.5,null,true,{\"user_id\":\"x\"}]},\"n\":1E+3,\"big\":123456789012345678901234567890}")),
                Arguments.of(
                        "client received_at and clock_skew_ms",
                        VALID.replace("}", ",\"received_at\":\"2030-01-01T00:00:00Z\",\"clock_skew_ms\":42}")),
                Arguments.of(
                        "unicode ids",
                        VALID.replace("\"u1\"", "\"\\u00a0\uD83D\uDE00 caf\u00E9 \"")
                                .replace("\"p1\"", "\"\u4E2D\u6587\u2003\"")),
                Arguments.of(
                        "right at the future limit", VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T13:00:10Z")),
                Arguments.of(
                        "right at the future limit after skew",
                        VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T12:00:10Z")
                                .replace("}", ",\"sent_at\":\"2024-05-01T11:00:10Z\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void normalisingTheNormalisedJsonAgainYieldsTheSameJson(String description, String raw) throws Exception {
        NormalizedEvent once = valid(validator.admit(raw, RECEIVED_AT));
        String written = once.toJson().toString();

        NormalizedEvent twice = valid(validator.validate(written, RECEIVED_AT));
        assertThat(twice.toJson().toString()).isEqualTo(written);
        assertThat(twice).usingRecursiveComparison().ignoringFields("source").isEqualTo(once);

        // as silver reads it: the receive time from the line itself, stored later
        NormalizedEvent inSilver = valid(validator.validate(
                written, (JsonNode node) -> EventTimes.receivedAt(node, RECEIVED_AT.plus(Duration.ofMinutes(3)))));
        assertThat(inSilver.toJson().toString()).isEqualTo(written);

        // and the written JSON carries no sent_at, the receive time and an id
        JsonNode json = JSON.readTree(written);
        assertThat(json.has(EventField.SENT_AT)).isFalse();
        assertThat(json.get(EventField.RECEIVED_AT).textValue()).isEqualTo(RECEIVED_AT.toString());
        assertThat(json.get(EventField.EVENT_ID).textValue()).matches(EventContract.EVENT_ID_PATTERN);
        assertThat(json.get(EventField.TIMESTAMP).textValue())
                .isEqualTo(once.eventTime().toString());
    }

    @Test
    void theIdOfAnIdLessEventSurvivesNormalisation() {
        String raw = VALID.replace("\"event_id\":\"e-1\",", "");
        NormalizedEvent once = valid(validator.admit(raw, RECEIVED_AT));
        assertThat(once.eventId()).isEqualTo(EventIds.fromContent(raw));
        String written = once.toJson().toString();
        assertThat(valid(validator.validate(written, Instant.parse("2024-05-02T00:00:00Z")))
                        .eventId())
                .isEqualTo(EventIds.fromContent(raw))
                .isNotEqualTo(EventIds.fromContent(written));
    }
}
