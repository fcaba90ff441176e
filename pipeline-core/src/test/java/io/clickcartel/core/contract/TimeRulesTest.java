package io.clickcartel.core.contract;

import static io.clickcartel.core.contract.TestEvents.JSON;
import static io.clickcartel.core.contract.TestEvents.RECEIVED_AT;
import static io.clickcartel.core.contract.TestEvents.invalid;
import static io.clickcartel.core.contract.TestEvents.iso;
import static io.clickcartel.core.contract.TestEvents.valid;
import static io.clickcartel.core.contract.TestEvents.withRaw;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** timestamp_in_future and sent_at_out_of_range: the event time after clock-skew correction. */
class TimeRulesTest {

    private static final Duration MICRO = Duration.of(1, ChronoUnit.MICROS);
    private static final Duration HOUR = Duration.ofHours(1);

    private final EventValidator validator = new EventValidator(JSON);

    private static String at(Instant timestamp) {
        return withRaw(EventField.TIMESTAMP, iso(timestamp));
    }

    /** An event with the given timestamp and sent_at, both as raw JSON. */
    private static String sent(String timestamp, String sentAt) {
        return withRaw(EventField.TIMESTAMP, timestamp).replace("}", ",\"sent_at\":" + sentAt + "}");
    }

    @Test
    void theDefaultAllowsAnHourInTheFutureToTheMicrosecond() {
        assertThat(EventContract.DEFAULT_MAX_FUTURE).isEqualTo(HOUR);
        assertThat(valid(validator.validate(at(RECEIVED_AT.plus(HOUR)), RECEIVED_AT))
                        .eventTime())
                .isEqualTo(RECEIVED_AT.plus(HOUR));
        assertThat(validator.validate(at(RECEIVED_AT.plus(HOUR).plus(MICRO)), RECEIVED_AT))
                .isEqualTo(invalid(Rule.TIMESTAMP_IN_FUTURE));
        assertThat(validator.validate(
                        withRaw(
                                EventField.TIMESTAMP,
                                String.valueOf(RECEIVED_AT.plus(HOUR).toEpochMilli())),
                        RECEIVED_AT))
                .isInstanceOf(Validation.Valid.class);
        assertThat(validator.validate(
                        withRaw(
                                EventField.TIMESTAMP,
                                String.valueOf(RECEIVED_AT.plus(HOUR).toEpochMilli() + 1)),
                        RECEIVED_AT))
                .isEqualTo(invalid(Rule.TIMESTAMP_IN_FUTURE));
        // the past is no limit (only the plausible range is)
        assertThat(validator.validate(at(Instant.parse("2000-01-01T00:00:00Z")), RECEIVED_AT))
                .isInstanceOf(Validation.Valid.class);
    }

    @Test
    void aCustomMaxFutureMovesTheBoundary() {
        EventValidator fiveMinutes = new EventValidator(JSON, Duration.ofMinutes(5));
        assertThat(fiveMinutes.validate(at(RECEIVED_AT.plus(Duration.ofMinutes(5))), RECEIVED_AT))
                .isInstanceOf(Validation.Valid.class);
        assertThat(fiveMinutes.validate(
                        at(RECEIVED_AT.plus(Duration.ofMinutes(5)).plus(MICRO)), RECEIVED_AT))
                .isEqualTo(invalid(Rule.TIMESTAMP_IN_FUTURE));
        assertThat(fiveMinutes.validate(at(RECEIVED_AT.plus(HOUR)), RECEIVED_AT))
                .isEqualTo(invalid(Rule.TIMESTAMP_IN_FUTURE));

        EventValidator none = new EventValidator(JSON, Duration.ZERO);
        assertThat(none.validate(at(RECEIVED_AT), RECEIVED_AT)).isInstanceOf(Validation.Valid.class);
        assertThat(none.validate(at(RECEIVED_AT.plus(MICRO)), RECEIVED_AT))
                .isEqualTo(invalid(Rule.TIMESTAMP_IN_FUTURE));

        EventValidator aDay = new EventValidator(JSON, Duration.ofDays(1));
        assertThat(aDay.validate(at(RECEIVED_AT.plus(Duration.ofDays(1))), RECEIVED_AT))
                .isInstanceOf(Validation.Valid.class);
        assertThat(aDay.validate(at(RECEIVED_AT.plus(Duration.ofDays(1)).plus(MICRO)), RECEIVED_AT))
                .isEqualTo(invalid(Rule.TIMESTAMP_IN_FUTURE));
    }

    @Test
    void theBoundaryIsInMicrosecondsTheReceiveTimeTruncatedToo() {
        Instant receivedWithNanos = RECEIVED_AT.plusNanos(999);
        NormalizedEvent event = valid(validator.validate(at(RECEIVED_AT.plus(HOUR)), receivedWithNanos));
        assertThat(event.receivedAt()).isEqualTo(RECEIVED_AT);
        assertThat(validator.validate(at(RECEIVED_AT.plus(HOUR).plus(MICRO)), receivedWithNanos))
                .isEqualTo(invalid(Rule.TIMESTAMP_IN_FUTURE));
        // nanoseconds of the timestamp are truncated before the comparison as well
        assertThat(validator.validate(withRaw(EventField.TIMESTAMP, "\"2024-05-01T13:00:10.000000999Z\""), RECEIVED_AT))
                .isInstanceOf(Validation.Valid.class);
        assertThat(validator.validate(withRaw(EventField.TIMESTAMP, "\"2024-05-01T13:00:10.000001Z\""), RECEIVED_AT))
                .isEqualTo(invalid(Rule.TIMESTAMP_IN_FUTURE));
    }

    @Test
    void theFutureIsJudgedAfterClockSkewCorrection() {
        // a client clock two hours fast: its future timestamp is the present
        NormalizedEvent fast = valid(validator.validate(
                sent(iso(RECEIVED_AT.plus(Duration.ofHours(2))), iso(RECEIVED_AT.plus(Duration.ofHours(2)))),
                RECEIVED_AT));
        assertThat(fast.eventTime()).isEqualTo(RECEIVED_AT);
        assertThat(fast.clockSkewMs()).isEqualTo(Duration.ofHours(2).toMillis());
        // a client clock slow: sent_at before receivedAt moves the event later, up to the limit and past it
        assertThat(valid(validator.validate(sent(iso(RECEIVED_AT), iso(RECEIVED_AT.minus(HOUR))), RECEIVED_AT))
                        .eventTime())
                .isEqualTo(RECEIVED_AT.plus(HOUR));
        assertThat(validator.validate(
                        sent(iso(RECEIVED_AT), iso(RECEIVED_AT.minus(HOUR).minus(MICRO))), RECEIVED_AT))
                .isEqualTo(invalid(Rule.TIMESTAMP_IN_FUTURE));
        assertThat(validator.validate(sent(iso(RECEIVED_AT), iso(RECEIVED_AT.minus(Duration.ofHours(2)))), RECEIVED_AT))
                .isEqualTo(invalid(Rule.TIMESTAMP_IN_FUTURE));
    }

    @Test
    void aSentAtOfTheYear2000WithATimestampOfNowIsAnEventFarInTheFuture() {
        Instant receivedIn2024 = Instant.parse("2024-05-01T12:00:10Z");
        assertThat(validator.validate(sent("\"2024-05-01T12:00:00Z\"", "\"2000-01-01T00:00:00Z\""), receivedIn2024))
                .isEqualTo(invalid(Rule.TIMESTAMP_IN_FUTURE));
        // the same sent_at with a timestamp as wrong as it is: the event happened just before it was received
        NormalizedEvent consistent =
                valid(validator.validate(sent("\"2000-01-01T00:00:00Z\"", "\"2000-01-01T00:00:10Z\""), receivedIn2024));
        assertThat(consistent.eventTime()).isEqualTo(receivedIn2024.minusSeconds(10));
    }

    @Test
    void sentAtMustLieInThePlausibleRange() {
        Map<String, String> outOfRange = new LinkedHashMap<>();
        outOfRange.put("before 2000", "\"1999-12-31T23:59:59.999999Z\"");
        outOfRange.put("2100", "\"2100-01-01T00:00:00Z\"");
        outOfRange.put("year 9999", "\"9999-12-31T23:59:59Z\"");
        outOfRange.put("year 0", "\"0000-01-01T00:00:00Z\"");
        outOfRange.put("epoch 0", "0");
        outOfRange.put("the most negative epoch millis string", "\"-999999999999999\"");
        outOfRange.put("the most negative epoch millis number", "-999999999999999");
        outOfRange.put("the largest epoch millis string", "\"999999999999999\"");
        outOfRange.put("a long beyond every date", String.valueOf(Long.MAX_VALUE));
        outOfRange.put("the most negative long", String.valueOf(Long.MIN_VALUE));
        outOfRange.forEach((description, sentAt) -> assertThat(
                        validator.validate(sent("\"2024-05-01T12:00:00Z\"", sentAt), RECEIVED_AT))
                .as(description)
                .isEqualTo(invalid(Rule.SENT_AT_OUT_OF_RANGE)));
        // the edges of the range themselves
        assertThat(validator.validate(
                        sent("\"2024-05-01T12:00:00Z\"", "\"2099-12-31T23:59:59.999999Z\""),
                        Instant.parse("2099-12-31T23:00:00Z")))
                .isInstanceOf(Validation.Valid.class);
        // a long too large for a long is no time at all
        assertThat(validator.validate(sent("\"2024-05-01T12:00:00Z\"", "99999999999999999999"), RECEIVED_AT))
                .isEqualTo(invalid(Rule.SENT_AT_INVALID));
        assertThat(validator.validate(sent("\"2024-05-01T12:00:00Z\"", "\"-1000000000000000\""), RECEIVED_AT))
                .isEqualTo(invalid(Rule.SENT_AT_INVALID));
    }

    @Test
    void theCorrectedEventTimeMustLieInThePlausibleRange() {
        // timestamp itself in range, corrected one millisecond before 2000
        assertThat(validator.validate(sent("\"2000-01-01T00:00:00Z\"", iso(RECEIVED_AT.plusMillis(1))), RECEIVED_AT))
                .isEqualTo(invalid(Rule.SENT_AT_OUT_OF_RANGE));
        assertThat(valid(validator.validate(sent("\"2000-01-01T00:00:00Z\"", iso(RECEIVED_AT)), RECEIVED_AT))
                        .eventTime())
                .isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
        // corrected exactly to 2100 (excluded), and just before it (then it is merely in the future)
        Instant late = Instant.parse("2099-12-31T23:59:59Z");
        assertThat(validator.validate(sent(iso(late), iso(RECEIVED_AT.minusSeconds(1))), RECEIVED_AT))
                .isEqualTo(invalid(Rule.SENT_AT_OUT_OF_RANGE));
        assertThat(validator.validate(sent(iso(late), iso(RECEIVED_AT.minusMillis(999))), RECEIVED_AT))
                .isEqualTo(invalid(Rule.TIMESTAMP_IN_FUTURE));
        // an out-of-range timestamp is reported as such before sent_at is looked at
        assertThat(validator.validate(
                        sent("\"1999-12-31T23:59:59Z\"", iso(RECEIVED_AT.minus(Duration.ofDays(9000)))), RECEIVED_AT))
                .isEqualTo(invalid(Rule.TIMESTAMP_OUT_OF_RANGE));
        // and an unreadable sent_at before its range
        assertThat(validator.validate(sent("\"2024-05-01T12:00:00Z\"", "\"1999-13-01T00:00:00Z\""), RECEIVED_AT))
                .isEqualTo(invalid(Rule.SENT_AT_INVALID));
    }

    @Test
    void anEventWithoutSentAtKeepsAClockSkewItAlreadyCarries() {
        NormalizedEvent event =
                valid(validator.validate(TestEvents.VALID.replace("}", ",\"clock_skew_ms\":-5000}"), RECEIVED_AT));
        assertThat(event.clockSkewMs()).isEqualTo(-5000L);
        assertThat(event.eventTime()).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        // sent_at wins over a carried skew
        NormalizedEvent both = valid(validator.validate(
                TestEvents.VALID.replace("}", ",\"clock_skew_ms\":-5000,\"sent_at\":\"2024-05-01T12:00:20Z\"}"),
                RECEIVED_AT));
        assertThat(both.clockSkewMs()).isEqualTo(10_000L);
    }

    @Test
    void theDefaultSettingSaysWhatTheDefaultDurationIs() {
        assertThat(smallryeDuration(EventContract.DEFAULT_MAX_FUTURE_SETTING))
                .isEqualTo(EventContract.DEFAULT_MAX_FUTURE);
        assertThat(smallryeDuration("90m")).isEqualTo(Duration.ofMinutes(90)); // the parser below, checked
        assertThat(smallryeDuration("PT1H")).isEqualTo(HOUR);
        assertThat(EventContract.DEFAULT_MAX_FUTURE).isEqualTo(HOUR);
        assertThat(Rule.TIMESTAMP_IN_FUTURE.reason()).contains("default " + EventContract.DEFAULT_MAX_FUTURE_SETTING);
    }

    /**
     * SmallRye Config's duration syntax, as Quarkus reads {@code CLICKCARTEL_MAX_FUTURE}: an ISO-8601 duration, or a
     * number with a unit (ms, s, m, h, d; a plain number is seconds).
     */
    private static Duration smallryeDuration(String setting) {
        if (setting.startsWith("P") || setting.startsWith("p")) {
            return Duration.parse(setting);
        }
        Matcher m =
                Pattern.compile("(\\d+)(ms|s|m|h|d)?").matcher(setting.trim().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + setting);
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException(unit);
        };
    }
}
