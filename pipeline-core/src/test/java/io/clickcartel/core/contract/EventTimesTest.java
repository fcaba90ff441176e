package io.clickcartel.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written ISO parser accepts exactly the contract's regex, and reads it as java.time does. */
class EventTimesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2024-05-01T12:00:00Z",
                "2024-05-01T12:00:00.5Z",
                "2024-05-01T12:00:00.123456789Z",
                "2024-05-01T12:00:00.123+02:00",
                "2024-05-01T00:00:00-05:30",
                "2024-02-29T23:59:59.999Z",
                "2024-02-30T12:00:00Z",
                "2023-02-29T12:00:00Z",
                "2024-05-01T25:00:00Z",
                "2024-05-01T12:60:00Z",
                "2024-05-01T12:00:00",
                "2024-05-01T12:00Z",
                "2024-05-01 12:00:00Z",
                "2024-05-01T12:00:00.Z",
                "2024-05-01T12:00:00.1234567890Z",
                "2024-05-01T12:00:00+0200",
                "2024-05-01T12:00:00+02",
                "2024-5-01T12:00:00Z",
                "2024-05-01T12:00:00z",
                "x2024-05-01T12:00:00Z",
                "2024-05-01T12:00:00Zx",
                "2024-05-01T12:00:00+19:00",
                "2024-05-01T12:00:00+02:60",
                "",
                "yesterday",
                "+2024-05-01T12:00:00Z"
            })
    void parsesExactlyWhatTheContractPatternAndJavaTimeAccept(String text) {
        Instant expected = null;
        if (EventContract.ISO_TIMESTAMP_PATTERN.matcher(text).matches()) {
            try {
                expected = OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MICROS);
            } catch (DateTimeException e) {
                expected = null;
            }
        }
        assertThat(EventTimes.parseIso(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0",
                "-0",
                "1714564800000",
                "123456789012345",
                "-123456789012345",
                "1234567890123456",
                "-1234567890123456",
                "",
                "-",
                "--1",
                "1-",
                "+1",
                "1.5",
                "1e3",
                " 1",
                "0x1F",
                "\u0661\u0662",
                "\uFF11"
            })
    void readsEpochMillisStringsExactlyAsTheContractPatternSays(String text) {
        Optional<Instant> expected =
                EventContract.EPOCH_MILLIS_PATTERN.matcher(Strings.trim(text)).matches()
                        ? Optional.of(Instant.ofEpochMilli(Long.parseLong(Strings.trim(text))))
                        : Optional.empty();
        assertThat(EventTimes.parse(TextNode.valueOf(text))).isEqualTo(expected);
    }

    @Test
    void readsEpochMillisNumbersThatFitALong() {
        assertThat(EventTimes.parse(LongNode.valueOf(1714564800123L))).contains(Instant.ofEpochMilli(1714564800123L));
        assertThat(EventTimes.parse(LongNode.valueOf(Long.MAX_VALUE))).contains(Instant.ofEpochMilli(Long.MAX_VALUE));
        assertThat(EventTimes.parse(LongNode.valueOf(Long.MIN_VALUE))).contains(Instant.ofEpochMilli(Long.MIN_VALUE));
        assertThat(EventTimes.parse(BigIntegerNode.valueOf(BigInteger.TEN.pow(20))))
                .isEmpty();
        assertThat(EventTimes.parse(DoubleNode.valueOf(1714564800123.0))).isEmpty();
        assertThat(EventTimes.parse(JsonNodeFactory.instance.booleanNode(true))).isEmpty();
        assertThat(EventTimes.parse(JsonNodeFactory.instance.nullNode())).isEmpty();
        assertThat(EventTimes.parse(JsonNodeFactory.instance.objectNode())).isEmpty();
    }

    @Test
    void trimsOnlyJsonWhitespace() {
        Instant noon = Instant.parse("2024-05-01T12:00:00Z");
        assertThat(EventTimes.parse(TextNode.valueOf(" \t\r\n2024-05-01T12:00:00Z \t\r\n")))
                .contains(noon);
        assertThat(EventTimes.parse(TextNode.valueOf("\n1714564800000\t"))).contains(noon);
        for (String edge : new String[] {
            "\u0000", "\u000b", "\f", "\u001f", "\u0085", "\u00a0", "\u2028", "\u2029", "\u200b", "\ufeff", "\u3000"
        }) {
            String hex = String.format("U+%04X", (int) edge.charAt(0));
            assertThat(EventTimes.parse(TextNode.valueOf(edge + "2024-05-01T12:00:00Z")))
                    .as(hex + " first")
                    .isEmpty();
            assertThat(EventTimes.parse(TextNode.valueOf("2024-05-01T12:00:00Z" + edge)))
                    .as(hex + " last")
                    .isEmpty();
            assertThat(EventTimes.parse(TextNode.valueOf("1714564800000" + edge)))
                    .as(hex + " after millis")
                    .isEmpty();
            assertThat(EventTimes.parse(TextNode.valueOf("1714564800000 " + edge + " ")))
                    .as(hex + " in spaces")
                    .isEmpty();
        }
    }

    @Test
    void truncatesToMicroseconds() {
        assertThat(EventTimes.parse(TextNode.valueOf("2024-05-01T12:00:00.123456789Z")))
                .contains(Instant.parse("2024-05-01T12:00:00.123456Z"));
        assertThat(EventTimes.parse(TextNode.valueOf("2024-05-01T12:00:00.0000009Z")))
                .contains(Instant.parse("2024-05-01T12:00:00Z"));
    }

    private static final Instant STORED_AT = Instant.parse("2024-05-01T12:00:10Z");

    private static ObjectNode withReceivedAt(JsonNode receivedAt) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put(EventField.USER_ID, "u1");
        if (receivedAt != null) {
            event.set(EventField.RECEIVED_AT, receivedAt);
        }
        return event;
    }

    @Test
    void receivedAtIsTheStoreTimeWhenTheEventClaimsNothingBelievable() {
        assertThat(EventTimes.receivedAt(null, STORED_AT)).isEqualTo(STORED_AT);
        assertThat(EventTimes.receivedAt(withReceivedAt(null), STORED_AT)).isEqualTo(STORED_AT);
        for (String claim : new String[] {
            "yesterday",
            "",
            "  ",
            "1999-12-31T23:59:59Z",
            "2100-01-01T00:00:00Z",
            "2024-05-01T12:00:00",
            "5",
            "2024-02-30T12:00:00Z"
        }) {
            assertThat(EventTimes.receivedAt(withReceivedAt(TextNode.valueOf(claim)), STORED_AT))
                    .as(claim)
                    .isEqualTo(STORED_AT);
        }
        assertThat(EventTimes.receivedAt(withReceivedAt(LongNode.valueOf(5)), STORED_AT))
                .isEqualTo(STORED_AT);
        assertThat(EventTimes.receivedAt(withReceivedAt(JsonNodeFactory.instance.nullNode()), STORED_AT))
                .isEqualTo(STORED_AT);
        assertThat(EventTimes.receivedAt(withReceivedAt(JsonNodeFactory.instance.booleanNode(true)), STORED_AT))
                .isEqualTo(STORED_AT);
        assertThat(EventTimes.receivedAt(withReceivedAt(DoubleNode.valueOf(1714564800000.0)), STORED_AT))
                .isEqualTo(STORED_AT);
    }

    @Test
    void receivedAtNeverLiesAfterTheStoreTime() {
        // a line cannot be received after it was stored: a later or equal claim is not believed
        assertThat(EventTimes.receivedAt(withReceivedAt(TextNode.valueOf("2024-05-01T12:00:11Z")), STORED_AT))
                .isEqualTo(STORED_AT);
        assertThat(EventTimes.receivedAt(withReceivedAt(TextNode.valueOf("2099-12-31T23:59:59Z")), STORED_AT))
                .isEqualTo(STORED_AT);
        assertThat(EventTimes.receivedAt(withReceivedAt(TextNode.valueOf("2024-05-01T12:00:10Z")), STORED_AT))
                .isEqualTo(STORED_AT);
        assertThat(EventTimes.receivedAt(withReceivedAt(TextNode.valueOf("2024-05-01T12:00:10.000001Z")), STORED_AT))
                .isEqualTo(STORED_AT);
    }

    @Test
    void receivedAtIsAnEarlierPlausibleClaim() {
        Instant claimed = Instant.parse("2024-05-01T12:00:09.999999Z");
        assertThat(EventTimes.receivedAt(withReceivedAt(TextNode.valueOf(claimed.toString())), STORED_AT))
                .isEqualTo(claimed);
        assertThat(EventTimes.receivedAt(withReceivedAt(TextNode.valueOf(" 2024-05-01T14:00:00+02:00\n")), STORED_AT))
                .isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        assertThat(EventTimes.receivedAt(withReceivedAt(LongNode.valueOf(1714564800000L)), STORED_AT))
                .isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        assertThat(EventTimes.receivedAt(withReceivedAt(TextNode.valueOf("1714564800000")), STORED_AT))
                .isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        assertThat(EventTimes.receivedAt(withReceivedAt(TextNode.valueOf("2000-01-01T00:00:00Z")), STORED_AT))
                .isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
    }

    @Test
    void receivedAtIsInMicroseconds() {
        Instant storedWithNanos = STORED_AT.plusNanos(1_999);
        assertThat(EventTimes.receivedAt(null, storedWithNanos)).isEqualTo(STORED_AT.plusNanos(1_000));
        // a claim within the same microsecond as the (truncated) store time is not earlier
        assertThat(EventTimes.receivedAt(
                        withReceivedAt(TextNode.valueOf("2024-05-01T12:00:10.000001500Z")), storedWithNanos))
                .isEqualTo(STORED_AT.plusNanos(1_000));
        assertThat(EventTimes.receivedAt(
                        withReceivedAt(TextNode.valueOf("2024-05-01T12:00:10.000000999Z")), storedWithNanos))
                .isEqualTo(STORED_AT);
    }
}
