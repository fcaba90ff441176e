package io.clickcartel.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written ISO parser accepts exactly the contract's regex, and reads it as java.time does. */
class EventTimesTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "2024-05-01T12:00:00Z", "2024-05-01T12:00:00.5Z", "2024-05-01T12:00:00.123456789Z",
        "2024-05-01T12:00:00.123+02:00", "2024-05-01T00:00:00-05:30", "2024-02-29T23:59:59.999Z",
        "2024-02-30T12:00:00Z", "2023-02-29T12:00:00Z", "2024-05-01T25:00:00Z", "2024-05-01T12:60:00Z",
        "2024-05-01T12:00:00", "2024-05-01T12:00Z", "2024-05-01 12:00:00Z", "2024-05-01T12:00:00.Z",
        "2024-05-01T12:00:00.1234567890Z", "2024-05-01T12:00:00+0200", "2024-05-01T12:00:00+02", "2024-5-01T12:00:00Z",
        "2024-05-01T12:00:00z", "x2024-05-01T12:00:00Z", "2024-05-01T12:00:00Zx", "2024-05-01T12:00:00+19:00",
        "2024-05-01T12:00:00+02:60", "", "yesterday", "+2024-05-01T12:00:00Z"})
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
}
