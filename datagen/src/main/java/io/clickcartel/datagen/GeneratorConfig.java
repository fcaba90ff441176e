package io.clickcartel.datagen;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Everything that shapes a generated data set. The same config (seed included) gives byte-identical output.
 *
 * @param events              valid events of the main traffic (before duplicates, malformed and late ones are added)
 * @param zipfExponent        product popularity: the k-th most popular product is viewed ∝ 1/k^s
 * @param meanViewsPerSession mean number of product views in a session
 * @param cartProbability     chance that a view is followed by an add-to-cart of that product
 * @param purchaseProbability chance that a carted product is bought at the end of the session
 * @param duplicateRate       re-sent copies (same event_id) per valid event
 * @param lateRate            late events (older than the silver watermark when they arrive) per valid event
 * @param malformedRate       events breaking a contract rule, per valid event
 * @param messyRate           share of valid events sent in a messy but fixable form
 * @param landingShare        share of the main traffic (its most recent part) delivered as files to the landing
 *                            folder instead of over HTTP
 * @param maxJitter           largest displacement of an event's send position relative to its event time
 * @param watermarkDelay      the silver watermark delay the late events are made late against
 */
public record GeneratorConfig(
        long seed,
        int customers,
        int products,
        int events,
        LocalDate start,
        int days,
        double zipfExponent,
        double meanViewsPerSession,
        double cartProbability,
        double purchaseProbability,
        double duplicateRate,
        double lateRate,
        double malformedRate,
        double messyRate,
        double unknownCustomerRate,
        double unknownProductRate,
        double landingShare,
        Duration maxJitter,
        Duration watermarkDelay,
        int eventsPerFile) {

    /** Sort keys pack an entry index into 24 bits. */
    static final int MAX_EVENTS = 12_000_000;

    public static GeneratorConfig defaults() {
        return new GeneratorConfig(42L, 2_000, 500, 100_000, LocalDate.of(2024, 5, 1), 3,
                1.0, 4.0, 0.25, 0.4,
                0.02, 0.005, 0.01, 0.05, 0.01, 0.005, 0.2,
                Duration.ofSeconds(60), Duration.ofMinutes(10), 50_000);
    }

    public GeneratorConfig {
        require(customers >= 1 && products >= 1, "customers and products must be at least 1");
        require(events >= 1 && events <= MAX_EVENTS, "events must be between 1 and " + MAX_EVENTS);
        require(days >= 1, "days must be at least 1");
        require(zipfExponent >= 0, "zipf exponent must not be negative");
        require(meanViewsPerSession >= 1, "mean views per session must be at least 1");
        for (double p : new double[] {cartProbability, purchaseProbability, messyRate, unknownCustomerRate,
                unknownProductRate, landingShare}) {
            require(p >= 0 && p <= 1, "probabilities and shares must lie in [0, 1]");
        }
        for (double rate : new double[] {duplicateRate, lateRate, malformedRate}) {
            require(rate >= 0 && rate <= 0.5, "duplicate, late and malformed rates must lie in [0, 0.5]");
        }
        require(maxJitter.toMillis() * 2 < watermarkDelay.toMillis(),
                "the jitter must stay under half the watermark delay, or on-time events could look late");
        require(eventsPerFile >= 1, "events per file must be at least 1");
    }

    Instant startInstant() {
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    long spanMillis() {
        return Duration.ofDays(days).toMillis();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
