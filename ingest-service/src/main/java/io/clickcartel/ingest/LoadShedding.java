package io.clickcartel.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Refuses work the service cannot take on: a fast 503 when too many events wait for Kafka, and (when
 * {@code clickcartel.rate-limit.requests-per-second} is set) a 429 for a write key over its rate — a token bucket
 * per key holding up to {@code burst} requests. Both answers carry {@code Retry-After} and are counted in
 * {@code clickcartel_ingest_requests_shed_total{reason}}.
 */
@ApplicationScoped
public class LoadShedding {

    private final IngestConfig config;
    private final Counter overloaded;
    private final Counter rateLimited;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public LoadShedding(IngestConfig config, MeterRegistry registry) {
        this.config = config;
        this.overloaded = shed(registry, "in_flight_limit");
        this.rateLimited = shed(registry, "rate_limit");
    }

    private static Counter shed(MeterRegistry registry, String reason) {
        return Counter.builder("clickcartel.ingest.requests.shed")
                .description("Requests refused before any of their events was accepted, by reason")
                .tag("reason", reason)
                .register(registry);
    }

    OverloadedException overloaded(String detail) {
        overloaded.increment();
        return new OverloadedException(
                503, detail, Math.max(1, config.retryAfter().toSeconds()));
    }

    /** Takes one request from the key's allowance, or throws a 429 saying when the next one is allowed. */
    void admit(String writeKey) {
        IngestConfig.RateLimit limit = config.rateLimit();
        if (limit.requestsPerSecond() <= 0) {
            return;
        }
        long waitNanos = buckets.computeIfAbsent(writeKey, key -> new TokenBucket(limit.burst()))
                .take(limit.requestsPerSecond(), limit.burst(), System.nanoTime());
        if (waitNanos > 0) {
            rateLimited.increment();
            long seconds = Math.max(1, (long) Math.ceil(waitNanos / (double) TimeUnit.SECONDS.toNanos(1)));
            throw new OverloadedException(
                    429,
                    "this write key sends more than " + limit.requestsPerSecond() + " requests per second",
                    seconds);
        }
    }

    /** Holds up to {@code burst} tokens, refilled continuously at the rate. */
    static final class TokenBucket {
        private double tokens;
        private long refilledAt = -1;

        TokenBucket(int burst) {
            this.tokens = burst;
        }

        /** Zero when a token was taken, else the nanoseconds until one will be there. */
        synchronized long take(double perSecond, int burst, long now) {
            double perNano = perSecond / TimeUnit.SECONDS.toNanos(1);
            if (refilledAt >= 0) {
                tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
            }
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }
    }
}
