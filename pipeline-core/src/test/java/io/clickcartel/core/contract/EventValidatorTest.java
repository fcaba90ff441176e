package io.clickcartel.core.contract;

import static io.clickcartel.core.contract.TestEvents.JSON;
import static io.clickcartel.core.contract.TestEvents.RECEIVED_AT;
import static io.clickcartel.core.contract.TestEvents.VALID;
import static io.clickcartel.core.contract.TestEvents.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventValidatorTest {

    private final EventValidator validator = new EventValidator(JSON);

    private Validation check(String raw) {
        return validator.validate(raw, RECEIVED_AT);
    }

    private NormalizedEvent valid(String raw) {
        Validation result = check(raw);
        assertThat(result).isInstanceOf(Validation.Valid.class);
        return ((Validation.Valid) result).event();
    }

    @Test
    void acceptsAWellFormedEventAsIs() {
        NormalizedEvent event = valid(VALID);
        assertThat(event.eventId()).isEqualTo("e-1");
        assertThat(event.eventTime()).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        assertThat(event.userId()).isEqualTo("u1");
        assertThat(event.eventType()).isEqualTo(EventType.VIEW_PRODUCT);
        assertThat(event.productId()).isEqualTo("p1");
        assertThat(event.sessionId()).isEqualTo("s1");
        assertThat(event.quantity()).isEqualTo(2);
        assertThat(event.receivedAt()).isEqualTo(RECEIVED_AT);
        assertThat(event.clockSkewMs()).isNull();
    }

    static Stream<Arguments> brokenEvents() {
        return Stream.of(
                Arguments.of("{\"event_id\": ", Rule.MALFORMED_JSON),
                Arguments.of("[1,2]", Rule.MALFORMED_JSON),
                Arguments.of("\"just a string\"", Rule.MALFORMED_JSON),
                Arguments.of(with("event_id", "\"has space\""), Rule.EVENT_ID_INVALID),
                Arguments.of(with("event_id", "\"" + "x".repeat(65) + "\""), Rule.EVENT_ID_INVALID),
                Arguments.of(with("event_id", "42"), Rule.EVENT_ID_INVALID),
                Arguments.of(with("timestamp", null), Rule.TIMESTAMP_MISSING),
                Arguments.of(with("timestamp", "\"  \""), Rule.TIMESTAMP_MISSING),
                Arguments.of(with("timestamp", "\"yesterday\""), Rule.TIMESTAMP_INVALID),
                Arguments.of(with("timestamp", "\"2024-05-01T12:00:00\""), Rule.TIMESTAMP_INVALID),
                Arguments.of(with("timestamp", "\"2024-02-30T12:00:00Z\""), Rule.TIMESTAMP_INVALID),
                Arguments.of(with("timestamp", "1714564800000.5"), Rule.TIMESTAMP_INVALID),
                Arguments.of(with("timestamp", "true"), Rule.TIMESTAMP_INVALID),
                Arguments.of(with("timestamp", "\"1999-12-31T23:59:59Z\""), Rule.TIMESTAMP_OUT_OF_RANGE),
                Arguments.of(with("timestamp", "5"), Rule.TIMESTAMP_OUT_OF_RANGE),
                Arguments.of(with("user_id", null), Rule.USER_ID_MISSING),
                Arguments.of(with("user_id", "null"), Rule.USER_ID_MISSING),
                Arguments.of(with("user_id", "\"   \""), Rule.USER_ID_MISSING),
                Arguments.of(with("user_id", "123"), Rule.USER_ID_INVALID),
                Arguments.of(with("user_id", "\"" + "u".repeat(65) + "\""), Rule.USER_ID_INVALID),
                Arguments.of(with("event_type", null), Rule.EVENT_TYPE_MISSING),
                Arguments.of(with("event_type", "\"checkout\""), Rule.EVENT_TYPE_UNKNOWN),
                Arguments.of(with("event_type", "7"), Rule.EVENT_TYPE_UNKNOWN),
                Arguments.of(with("product_id", null), Rule.PRODUCT_ID_MISSING),
                Arguments.of(with("product_id", "{\"id\":1}"), Rule.PRODUCT_ID_INVALID),
                Arguments.of(with("session_id", "[]"), Rule.SESSION_ID_INVALID),
                Arguments.of(with("quantity", "\"2\""), Rule.QUANTITY_INVALID),
                Arguments.of(with("quantity", "2.5"), Rule.QUANTITY_INVALID),
                Arguments.of(with("quantity", "0"), Rule.QUANTITY_OUT_OF_RANGE),
                Arguments.of(with("quantity", "1001"), Rule.QUANTITY_OUT_OF_RANGE),
                Arguments.of(with("quantity", "99999999999"), Rule.QUANTITY_OUT_OF_RANGE),
                Arguments.of(with("sent_at", "\"soon\""), Rule.SENT_AT_INVALID),
                Arguments.of(VALID + " trailing", Rule.MALFORMED_JSON),
                Arguments.of(with("user_id", "\"u\\u0000\""), Rule.USER_ID_INVALID),
                Arguments.of(with("sent_at", "\"1999-12-31T23:59:59Z\""), Rule.SENT_AT_OUT_OF_RANGE),
                Arguments.of(with("timestamp", "\"2024-05-01T13:00:10.000001Z\""), Rule.TIMESTAMP_IN_FUTURE));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("brokenEvents")
    void reportsTheRuleABrokenEventBreaks(String raw, Rule expected) {
        assertThat(check(raw)).isEqualTo(new Validation.Invalid(expected));
    }

    @Test
    void everyRuleHasATestCaseAndAFieldOrWholeEventScope() {
        var tested = brokenEvents().map(args -> args.get()[1]).toList();
        var untested = Arrays.stream(Rule.values())
                .filter(rule -> rule != Rule.EVENT_TOO_LARGE) // has its own test below
                .filter(rule -> !tested.contains(rule))
                .toList();
        assertThat(untested).isEmpty();
        assertThat(Arrays.stream(Rule.values()).map(Rule::id))
                .doesNotHaveDuplicates()
                .allMatch(id -> id.matches("[a-z_]+"));
    }

    @Test
    void rejectsAnEventLargerThan32KilobytesBeforeParsingIt() {
        String huge = with("padding", "\"" + "x".repeat(EventContract.MAX_EVENT_BYTES) + "\"");
        assertThat(check(huge)).isEqualTo(new Validation.Invalid(Rule.EVENT_TOO_LARGE));
    }

    @Test
    void reportsTheFirstRuleInContractOrderWhenSeveralAreBroken() {
        assertThat(check("{\"event_type\":\"nope\"}")).isEqualTo(new Validation.Invalid(Rule.TIMESTAMP_MISSING));
    }

    @Test
    void fixesMessyButRecoverableValues() {
        NormalizedEvent event = valid("""
                {"event_id":"  e-2 ","timestamp":1714564800123,"user_id":" u1 ",
                 "event_type":"  Add_To_CART ","product_id":"\\tp9\\n","session_id":"  "}""");
        assertThat(event.eventId()).isEqualTo("e-2");
        assertThat(event.eventTime()).isEqualTo(Instant.ofEpochMilli(1714564800123L));
        assertThat(event.userId()).isEqualTo("u1");
        assertThat(event.eventType()).isEqualTo(EventType.ADD_TO_CART);
        assertThat(event.productId()).isEqualTo("p9");
        assertThat(event.sessionId()).isNull();
        assertThat(event.quantity()).isEqualTo(EventContract.DEFAULT_QUANTITY);
    }

    @Test
    void readsEpochMillisGivenAsDigitStringAndIsoWithOffset() {
        assertThat(valid(with("timestamp", "\"1714564800000\"")).eventTime())
                .isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        assertThat(valid(with("timestamp", "\"2024-05-01T14:00:00.5+02:00\"")).eventTime())
                .isEqualTo(Instant.parse("2024-05-01T12:00:00.500Z"));
    }

    @Test
    void truncatesNanosecondsToMicrosecondsLikeSpark() {
        assertThat(valid(with("timestamp", "\"2024-05-01T12:00:00.123456789Z\""))
                        .eventTime())
                .isEqualTo(Instant.parse("2024-05-01T12:00:00.123456Z"));
    }

    @Test
    void namesAnEventTheClientSentWithoutIdByItsContent() {
        String absent = with("event_id", null);
        String blank = with("event_id", "\"\"");
        assertThat(valid(absent).eventId()).isEqualTo(EventIds.fromContent(absent));
        assertThat(valid(blank).eventId()).isEqualTo(EventIds.fromContent(blank));
        assertThat(valid(absent).eventId()).isNotEqualTo(valid(blank).eventId());
        assertThat(valid(with("event_id", "null")).eventId()).isEqualTo(EventIds.fromContent(with("event_id", "null")));
        // a retry of the same text is the same event; another receive time does not change the id
        assertThat(((Validation.Valid) validator.validate(absent, RECEIVED_AT.plusSeconds(30)))
                        .event()
                        .eventId())
                .isEqualTo(valid(absent).eventId());
        // the content id is itself a valid event_id, so the normalised event validates again
        assertThat(valid(absent).eventId()).matches(EventContract.EVENT_ID_PATTERN);
    }

    @Test
    void correctsClientClockSkewFromSentAt() {
        // The client's clock runs 1 hour fast: it says it sent at 13:00:05 while we received at 12:00:10.
        NormalizedEvent event = valid(
                with("timestamp", "\"2024-05-01T13:00:00Z\"").replace("}", ",\"sent_at\":\"2024-05-01T13:00:05Z\"}"));
        assertThat(event.eventTime()).isEqualTo(Instant.parse("2024-05-01T12:00:05Z"));
        assertThat(event.clockSkewMs()).isEqualTo(3_595_000L);
    }

    @Test
    void skewCorrectionMayMoveAnEventAcrossMidnight() {
        NormalizedEvent event = validator.validate(
                                with("timestamp", "\"2024-05-02T00:00:30Z\"")
                                        .replace("}", ",\"sent_at\":\"2024-05-02T00:01:00Z\"}"),
                                Instant.parse("2024-05-01T23:59:50Z"))
                        instanceof Validation.Valid v
                ? v.event()
                : null;
        assertThat(event).isNotNull();
        assertThat(event.eventTime()).isEqualTo(Instant.parse("2024-05-01T23:59:20Z"));
    }

    @Test
    void keepsUnknownFieldsButNeverTrustsAClientReceivedAt() throws Exception {
        NormalizedEvent event =
                valid(VALID.replace("}", ",\"page\":\"/home\",\"received_at\":\"2000-01-01T00:00:00Z\"}"));
        ObjectNode json = event.toJson();
        assertThat(json.get("page").asText()).isEqualTo("/home");
        assertThat(json.get(EventField.RECEIVED_AT).asText()).isEqualTo("2024-05-01T12:00:10Z");
    }

    @Test
    void normalisingTheNormalisedJsonChangesNothing() throws Exception {
        // (this input used to append a second "event_type": duplicate keys are malformed now, see below)
        String messy = with("timestamp", "\"2024-05-01T13:00:00+01:00\"")
                .replace("\"view_product\"", "\" PURCHASE\"")
                .replace("}", ",\"sent_at\":1714568405000,\"page\":\"/p\"}");
        assertThat(check(with("timestamp", "\"2024-05-01T13:00:00+01:00\"")
                        .replace("}", ",\"sent_at\":1714568405000,\"event_type\":\" PURCHASE\",\"page\":\"/p\"}")))
                .isEqualTo(new Validation.Invalid(Rule.MALFORMED_JSON));
        ObjectNode once = valid(messy).toJson();
        ObjectNode twice = valid(JSON.writeValueAsString(once)).toJson();
        assertThat(JSON.writeValueAsString(twice)).isEqualTo(JSON.writeValueAsString(once));
        assertThat(once.has(EventField.SENT_AT)).isFalse();
        assertThat(once.get(EventField.EVENT_TYPE).asText()).isEqualTo("purchase");
    }

    @Test
    void takesTheReceiveTimeOfAnEventFromTheGivenFunction() {
        String line = VALID.replace("}", ",\"received_at\":\"2024-05-01T12:00:05.123456789Z\"}");
        Instant storedAt = Instant.parse("2024-05-01T12:01:00Z");
        java.util.List<com.fasterxml.jackson.databind.JsonNode> seen = new java.util.ArrayList<>();
        Validation result = validator.validate(line, node -> {
            seen.add(node);
            return EventTimes.receivedAt(node, storedAt);
        });
        assertThat(seen)
                .singleElement()
                .satisfies(node -> assertThat(node.get("user_id").textValue()).isEqualTo("u1"));
        assertThat(((Validation.Valid) result).event().receivedAt())
                .isEqualTo(Instant.parse("2024-05-01T12:00:05.123456Z"));
        // without a believable received_at: the store time, truncated to microseconds like every contract time
        Validation stored = validator.validate(VALID, node -> EventTimes.receivedAt(node, storedAt.plusNanos(1_500)));
        assertThat(((Validation.Valid) stored).event().receivedAt()).isEqualTo(storedAt.plusNanos(1_000));
        // the function is not asked about text that is no event
        assertThat(validator.validate("{", node -> {
                    throw new AssertionError("asked for the receive time of malformed JSON");
                }))
                .isEqualTo(new Validation.Invalid(Rule.MALFORMED_JSON));
    }
}
