package io.clickcartel.spark;

import io.clickcartel.core.Topics;
import io.clickcartel.core.contract.EventContract;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings every Spark layer shares. Environment variables: {@code CLICKCARTEL_LAKE},
 * {@code CLICKCARTEL_CHECKPOINTS}, {@code CLICKCARTEL_MAX_FUTURE}, {@code CLICKCARTEL_SHUTDOWN_GRACE},
 * {@code CLICKCARTEL_SPARK_MASTER}, {@code CLICKCARTEL_SPARK_CONF}, {@code CLICKCARTEL_LAKE_RETENTION},
 * {@code CLICKCARTEL_KAFKA_PIPELINE_TOPIC}, and for silver and gold {@code CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS}.
 */
@ConfigMapping(prefix = "clickcartel")
public interface PipelineConfig {

    /** Root of the Delta tables: {@code <lake>/<layer>/<table>}. A local path or any Hadoop URI (s3a://…). */
    @WithDefault("lake")
    String lake();

    /** Root of the streaming checkpoints: {@code <checkpoints>/<query name>}. */
    @WithDefault("checkpoints")
    String checkpoints();

    /**
     * How far an event's time may lie after its receive time ({@code CLICKCARTEL_MAX_FUTURE}); set the ingest
     * service and silver alike, or silver quarantines events ingest accepted.
     */
    @WithDefault(EventContract.DEFAULT_MAX_FUTURE_SETTING)
    Duration maxFuture();

    /**
     * How long a SIGTERM waits for the running batches to finish before the queries stop
     * ({@code CLICKCARTEL_SHUTDOWN_GRACE}); give the process longer than this (Kubernetes'
     * terminationGracePeriodSeconds, compose's stop_grace_period).
     */
    @WithDefault("90s")
    Duration shutdownGrace();

    /**
     * What {@code maintain}'s VACUUM keeps ({@code CLICKCARTEL_LAKE_RETENTION}): every file a version of this
     * recent past needs, for time travel and for streams behind by less. At least Delta's floor of 7 days.
     */
    @WithDefault("P7D")
    Duration lakeRetention();

    Spark spark();

    /** Kafka, for silver and gold: where they publish their data-quality log, if at all (bronze always does). */
    Kafka kafka();

    interface Kafka {
        /**
         * {@code CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS}: when set, silver and gold publish each entry of their
         * data-quality log on {@link #pipelineTopic()}; unset, they do not. Bronze publishes on the broker it reads.
         */
        Optional<String> bootstrapServers();

        /** {@code CLICKCARTEL_KAFKA_PIPELINE_TOPIC}. */
        @WithDefault(Topics.PIPELINE)
        String pipelineTopic();
    }

    interface Spark {
        @WithDefault("local[*]")
        String master();

        /** Extra Spark settings, {@code key=value} pairs separated by commas; they win over the defaults. */
        @WithDefault(" ")
        String conf();
    }
}
