package io.clickcartel.core.contract;

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

    public static final int MAX_ID_LENGTH = 64;
    public static final Pattern EVENT_ID_PATTERN = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_ID_LENGTH + "}");

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

    private EventContract() {
    }
}
