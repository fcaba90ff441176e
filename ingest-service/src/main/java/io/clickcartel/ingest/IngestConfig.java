package io.clickcartel.ingest;

import io.clickcartel.core.Topics;
import io.clickcartel.core.contract.EventContract;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the ingest service. Each one can be set by environment variable: {@code clickcartel.write-keys} is
 * {@code CLICKCARTEL_WRITE_KEYS}, {@code clickcartel.kafka.bootstrap-servers} is
 * {@code CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS}, and so on.
 */
@ConfigMapping(prefix = "clickcartel")
public interface IngestConfig {

    /**
     * Accepted write keys, comma-separated; blank entries are ignored, and a list with no key left stops the service.
     * The default exists for local runs only and is logged as a warning.
     */
    @WithDefault(DEFAULT_WRITE_KEY)
    List<String> writeKeys();

    /**
     * How far an event's time, corrected for clock skew, may lie after the moment it is received
     * ({@code CLICKCARTEL_MAX_FUTURE}); set silver to the same value.
     */
    @WithDefault(EventContract.DEFAULT_MAX_FUTURE_SETTING)
    Duration maxFuture();

    Kafka kafka();

    /** What a 503 tells the client to wait before retrying. */
    @WithDefault("5s")
    Duration retryAfter();

    /**
     * How many events may wait for Kafka's acknowledgement at once; a request that finds no room for all of its events
     * gets a 503 at once.
     */
    @WithDefault("10000")
    int maxInFlightEvents();

    RateLimit rateLimit();

    /** An optional limit per write key: past it, 429 with Retry-After. */
    interface RateLimit {
        /** Requests per second one write key may send on average; 0 (the default) means no limit. */
        @WithDefault("0")
        double requestsPerSecond();

        /** Requests a key may send at once before its rate applies. */
        @WithDefault("100")
        int burst();
    }

    String DEFAULT_WRITE_KEY = "local-dev-key";

    interface Kafka {
        @WithDefault("localhost:9092")
        String bootstrapServers();

        @WithDefault(Topics.EVENTS)
        String eventsTopic();

        @WithDefault(Topics.REJECTED)
        String rejectedTopic();

        /** The longest a request waits for Kafka's acknowledgement before answering 503. */
        @WithDefault("10s")
        Duration ackTimeout();

        /** Partitions and replication of the topics the service creates when they are missing. */
        @WithDefault("3")
        int topicPartitions();

        @WithDefault("1")
        short topicReplicationFactor();

        /**
         * How long Kafka keeps the topics' records (their {@code retention.ms}): set when the service creates a topic
         * and again at start when an existing topic keeps them for a different time. Bronze must have read a record
         * before then; it warns well before (docs/bronze.md).
         */
        @WithDefault("P7D")
        Duration topicRetention();
    }
}
