package io.clickcartel.core.contract;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Limits and formats of the event contract (DESIGN §3). These constants are the one definition: the ingest
 * service checks events with {@link EventValidator}, silver builds its column expressions from the same values.
 *
 * <p>Event time: {@code timestamp} is the client's event time. When {@code sent_at} is present the client clock is
 * assumed wrong by {@code sent_at − received_at}, so {@code event_time = received_at − (sent_at − timestamp)}.
 * Blank strings count as absent for every field.
 */
public final class EventContract {
    public static final int MAX_EVENT_BYTES = 32 * 1024;
    public static final int MAX_REQUEST_BYTES = 512 * 1024;
    public static final int MAX_BATCH_EVENTS = 2_500;
    /** Objects and arrays, the event object itself included: deeper JSON is no event, only a way to burn CPU. */
    public static final int MAX_NESTING_DEPTH = 32;

    public static final int MAX_ID_LENGTH = 64;
    public static final Pattern EVENT_ID_PATTERN = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_ID_LENGTH + "}");
    /**
     * Characters no id may hold: controls (C0, DEL, C1), format characters (zero-width, bidi marks, BOM, soft hyphen)
     * and line/paragraph separators. They are invisible, so two ids that look equal would differ.
     */
    public static final Pattern INVISIBLE_CHARACTER = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");
    /** Trimmed from both ends of every string value: JSON's own whitespace, nothing else (no NUL, no controls). */
    public static final String TRIMMED_CHARACTERS = " \t\r\n";

    /** An event without event_id is named by its content: this prefix and the first hex digits of its SHA-256. */
    public static final String CONTENT_ID_PREFIX = "h-";

    public static final int CONTENT_ID_HEX_DIGITS = 32;

    public static final int MIN_QUANTITY = 1;
    public static final int MAX_QUANTITY = 1_000;
    public static final int DEFAULT_QUANTITY = 1;

    /** ISO-8601 date-time with a mandatory offset; fractions up to nanoseconds. */
    public static final Pattern ISO_TIMESTAMP_PATTERN =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
    /** Epoch milliseconds, as a JSON integer or a string of digits. */
    public static final Pattern EPOCH_MILLIS_PATTERN = Pattern.compile("-?\\d{1,15}");

    /** Plausible event times; anything outside is a client bug, not an event. */
    public static final Instant EARLIEST_EVENT_TIME = Instant.parse("2000-01-01T00:00:00Z");

    public static final Instant LATEST_EVENT_TIME = Instant.parse("2100-01-01T00:00:00Z");

    /**
     * How far the (skew-corrected) event time may lie after the moment the event was received
     * ({@code CLICKCARTEL_MAX_FUTURE}); a later one is a broken clock and would push silver's watermark past every
     * real event. In the configuration's syntax, and as a duration.
     */
    public static final String DEFAULT_MAX_FUTURE_SETTING = "1h";

    public static final Duration DEFAULT_MAX_FUTURE = Duration.ofHours(1);

    /** Whether {@code text} takes more than {@link #MAX_EVENT_BYTES} bytes in UTF-8. */
    public static boolean isTooLarge(String text) {
        // a UTF-16 unit takes at most 3 bytes in UTF-8: only long texts need the exact count
        return text.length() * 3L > MAX_EVENT_BYTES && text.getBytes(StandardCharsets.UTF_8).length > MAX_EVENT_BYTES;
    }

    private EventContract() {}
}
