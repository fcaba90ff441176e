package io.clickcartel.core.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Parsing and formatting of the contract's time values. */
public final class EventTimes {

    private EventTimes() {
    }

    /**
     * Reads an ISO-8601-with-offset string or epoch milliseconds (JSON integer or digit string). Empty when the
     * value has neither form. Truncated to microseconds, the precision of a Spark timestamp.
     */
    public static Optional<Instant> parse(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Optional.of(fromEpochMillis(value.longValue()));
        }
        if (!value.isTextual()) {
            return Optional.empty();
        }
        String text = value.textValue().trim();
        try {
            if (EventContract.EPOCH_MILLIS_PATTERN.matcher(text).matches()) {
                return Optional.of(fromEpochMillis(Long.parseLong(text)));
            }
            if (EventContract.ISO_TIMESTAMP_PATTERN.matcher(text).matches()) {
                return Optional.of(OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MICROS));
            }
        } catch (DateTimeException | NumberFormatException e) {
            // matches the shape but is no real date (2024-02-30, hour 25): not a timestamp
        }
        return Optional.empty();
    }

    public static boolean inPlausibleRange(Instant time) {
        return !time.isBefore(EventContract.EARLIEST_EVENT_TIME) && time.isBefore(EventContract.LATEST_EVENT_TIME);
    }

    /** The wire format of normalised times: ISO-8601 in UTC, e.g. {@code 2024-05-01T12:00:00.123Z}. */
    public static String format(Instant time) {
        return time.toString();
    }

    private static Instant fromEpochMillis(long millis) {
        return Instant.ofEpochMilli(millis);
    }
}
