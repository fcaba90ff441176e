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
        return builder().build();
    }

    /** A builder holding the defaults: set what differs, e.g. {@code builder().seed(7).events(5_000).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    public GeneratorConfig {
        require(customers >= 1 && products >= 1, "customers and products must be at least 1");
        require(events >= 1 && events <= MAX_EVENTS, "events must be between 1 and " + MAX_EVENTS);
        require(days >= 1, "days must be at least 1");
        require(zipfExponent >= 0, "zipf exponent must not be negative");
        require(meanViewsPerSession >= 1, "mean views per session must be at least 1");
        for (double p : new double[] {
            cartProbability, purchaseProbability, messyRate, unknownCustomerRate, unknownProductRate, landingShare
        }) {
            require(p >= 0 && p <= 1, "probabilities and shares must lie in [0, 1]");
        }
        for (double rate : new double[] {duplicateRate, lateRate, malformedRate}) {
            require(rate >= 0 && rate <= 0.5, "duplicate, late and malformed rates must lie in [0, 0.5]");
        }
        require(
                maxJitter.toMillis() * 2 < watermarkDelay.toMillis(),
                "the jitter must stay under half the watermark delay, or on-time events could look late");
        require(eventsPerFile >= 1, "events per file must be at least 1");
    }

    Instant startInstant() {
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    long spanMillis() {
        return Duration.ofDays(days).toMillis();
    }

    /** Fields named as the record's components, starting at the defaults; {@link #build()} validates. */
    public static final class Builder {
        private long seed = 42L;
        private int customers = 2_000;
        private int products = 500;
        private int events = 100_000;
        private LocalDate start = LocalDate.of(2024, 5, 1);
        private int days = 3;
        private double zipfExponent = 1.0;
        private double meanViewsPerSession = 4.0;
        private double cartProbability = 0.25;
        private double purchaseProbability = 0.4;
        private double duplicateRate = 0.02;
        private double lateRate = 0.005;
        private double malformedRate = 0.01;
        private double messyRate = 0.05;
        private double unknownCustomerRate = 0.01;
        private double unknownProductRate = 0.005;
        private double landingShare = 0.2;
        private Duration maxJitter = Duration.ofSeconds(60);
        private Duration watermarkDelay = Duration.ofMinutes(10);
        private int eventsPerFile = 50_000;

        private Builder() {}

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder customers(int value) {
            customers = value;
            return this;
        }

        public Builder products(int value) {
            products = value;
            return this;
        }

        public Builder events(int value) {
            events = value;
            return this;
        }

        public Builder start(LocalDate value) {
            start = value;
            return this;
        }

        public Builder days(int value) {
            days = value;
            return this;
        }

        public Builder zipfExponent(double value) {
            zipfExponent = value;
            return this;
        }

        public Builder meanViewsPerSession(double value) {
            meanViewsPerSession = value;
            return this;
        }

        public Builder cartProbability(double value) {
            cartProbability = value;
            return this;
        }

        public Builder purchaseProbability(double value) {
            purchaseProbability = value;
            return this;
        }

        public Builder duplicateRate(double value) {
            duplicateRate = value;
            return this;
        }

        public Builder lateRate(double value) {
            lateRate = value;
            return this;
        }

        public Builder malformedRate(double value) {
            malformedRate = value;
            return this;
        }

        public Builder messyRate(double value) {
            messyRate = value;
            return this;
        }

        public Builder unknownCustomerRate(double value) {
            unknownCustomerRate = value;
            return this;
        }

        public Builder unknownProductRate(double value) {
            unknownProductRate = value;
            return this;
        }

        public Builder landingShare(double value) {
            landingShare = value;
            return this;
        }

        public Builder maxJitter(Duration value) {
            maxJitter = value;
            return this;
        }

        public Builder watermarkDelay(Duration value) {
            watermarkDelay = value;
            return this;
        }

        public Builder eventsPerFile(int value) {
            eventsPerFile = value;
            return this;
        }

        /** The config; an {@link IllegalArgumentException} names the first setting out of range. */
        public GeneratorConfig build() {
            return new GeneratorConfig(
                    seed,
                    customers,
                    products,
                    events,
                    start,
                    days,
                    zipfExponent,
                    meanViewsPerSession,
                    cartProbability,
                    purchaseProbability,
                    duplicateRate,
                    lateRate,
                    malformedRate,
                    messyRate,
                    unknownCustomerRate,
                    unknownProductRate,
                    landingShare,
                    maxJitter,
                    watermarkDelay,
                    eventsPerFile);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
