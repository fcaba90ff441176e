package io.clickcartel.bronze;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Bronze settings; environment variables {@code CLICKCARTEL_BRONZE_LANDING}, {@code CLICKCARTEL_BRONZE_TRIGGER},
 * {@code CLICKCARTEL_BRONZE_MAX_OFFSETS_PER_TRIGGER}, {@code CLICKCARTEL_BRONZE_MAX_FILES_PER_TRIGGER},
 * {@code CLICKCARTEL_BRONZE_FAIL_ON_DATA_LOSS}, {@code CLICKCARTEL_BRONZE_RETENTION_CHECK},
 * {@code CLICKCARTEL_BRONZE_RETENTION_WARN_SHARE}.
 */
@ConfigMapping(prefix = "clickcartel.bronze")
public interface BronzeConfig {

    /** The landing folder: JSON-lines files dropped here whole (write elsewhere, then move) become bronze rows. */
    @WithDefault("landing/events")
    String landing();

    /** How often each query looks for new data. */
    @WithDefault("5s")
    Duration trigger();

    /** Upper bound of Kafka records per micro-batch, over all partitions. */
    @WithDefault("200000")
    long maxOffsetsPerTrigger();

    @WithDefault("100")
    int maxFilesPerTrigger();

    /**
     * Whether the Kafka query fails when offsets it has not read are gone (retention, a recreated topic). true stops
     * the layer rather than skip data silently; false logs and carries on from the earliest available offset.
     */
    @WithDefault("true")
    boolean failOnDataLoss();

    /** How often bronze compares what it has not read yet in Kafka with the topic's retention. */
    @WithDefault("30s")
    Duration retentionCheck();

    /**
     * Readiness goes down once the oldest record bronze has not read is older than this share of the topic's
     * retention (or records it never read are gone).
     */
    @WithDefault("0.5")
    double retentionWarnShare();
}
