package io.clickcartel.core.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Parsing and formatting of the contract's time values. */
public final class EventTimes {

    private EventTimes() {}

    /**
     * Reads an ISO-8601-with-offset string or epoch milliseconds (JSON integer or digit string). Empty when the
     * value has neither form. Truncated to microseconds, the precision of a Spark timestamp.
     */
    public static Optional<Instant> parse(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Optional.of(Instant.ofEpochMilli(value.longValue()));
        }
        if (!value.isTextual()) {
            return Optional.empty();
        }
        String text = Strings.trim(value.textValue());
        if (isEpochMillis(text)) {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(text)));
        }
        return Optional.ofNullable(parseIso(text));
    }

    public static boolean inPlausibleRange(Instant time) {
        return !time.isBefore(EventContract.EARLIEST_EVENT_TIME) && time.isBefore(EventContract.LATEST_EVENT_TIME);
    }

    /**
     * When an event stored at {@code storedAt} was received: its {@code received_at} (set by ingest, or by the
     * collector that wrote a landing file) when that is a plausible contract time, but never later than
     * {@code storedAt} — a line cannot be received after it was stored, so a claim of the future is not believed.
     * Truncated to microseconds, like every contract time.
     */
    public static Instant receivedAt(JsonNode event, Instant storedAt) {
        Instant stored = storedAt.truncatedTo(ChronoUnit.MICROS);
        JsonNode claimed = event == null ? null : event.get(EventField.RECEIVED_AT);
        return Optional.ofNullable(claimed)
                .flatMap(EventTimes::parse)
                .filter(EventTimes::inPlausibleRange)
                .filter(time -> time.isBefore(stored))
                .orElse(stored);
    }

    /** The wire format of normalised times: ISO-8601 in UTC, e.g. {@code 2024-05-01T12:00:00.123Z}. */
    public static String format(Instant time) {
        return time.toString();
    }

    /** Same language as {@link EventContract#EPOCH_MILLIS_PATTERN}, without a regex on the hot path. */
    private static boolean isEpochMillis(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        int digits = text.length() - start;
        if (digits < 1 || digits > 15) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Same language as {@link EventContract#ISO_TIMESTAMP_PATTERN} ({@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:mm)}),
     * parsed by hand because this runs for every event; {@code null} when the text is not such a time or no real
     * date (2024-02-30, hour 25). Tests check both agree.
     */
    static Instant parseIso(String text) {
        int length = text.length();
        if (length < 20
                || !digitsAt(text, 0, 4)
                || text.charAt(4) != '-'
                || !digitsAt(text, 5, 2)
                || text.charAt(7) != '-'
                || !digitsAt(text, 8, 2)
                || text.charAt(10) != 'T'
                || !digitsAt(text, 11, 2)
                || text.charAt(13) != ':'
                || !digitsAt(text, 14, 2)
                || text.charAt(16) != ':'
                || !digitsAt(text, 17, 2)) {
            return null;
        }
        int position = 19;
        int nanos = 0;
        if (text.charAt(position) == '.') {
            int fractionStart = ++position;
            while (position < length && isDigit(text.charAt(position))) {
                position++;
            }
            int fractionDigits = position - fractionStart;
            if (fractionDigits < 1 || fractionDigits > 9) {
                return null;
            }
            nanos = Integer.parseInt(text.substring(fractionStart, position));
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (position == length - 1 && text.charAt(position) == 'Z') {
            offsetSeconds = 0;
        } else if (position == length - 6
                && (text.charAt(position) == '+' || text.charAt(position) == '-')
                && digitsAt(text, position + 1, 2)
                && text.charAt(position + 3) == ':'
                && digitsAt(text, position + 4, 2)) {
            int hours = number(text, position + 1, 2);
            int minutes = number(text, position + 4, 2);
            if (hours > 18 || minutes > 59) {
                return null;
            }
            offsetSeconds = (text.charAt(position) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        } else {
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.of(
                    number(text, 0, 4),
                    number(text, 5, 2),
                    number(text, 8, 2),
                    number(text, 11, 2),
                    number(text, 14, 2),
                    number(text, 17, 2),
                    nanos / 1000 * 1000);
            return local.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean digitsAt(String text, int from, int count) {
        if (from + count > text.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int number(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
