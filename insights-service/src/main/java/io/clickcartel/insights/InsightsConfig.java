package io.clickcartel.insights;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the insights service, each also an environment variable: {@code clickcartel.lake} is
 * {@code CLICKCARTEL_LAKE}, {@code clickcartel.insights.refresh} is {@code CLICKCARTEL_INSIGHTS_REFRESH}.
 */
@ConfigMapping(prefix = "clickcartel")
public interface InsightsConfig {

    /** The lake's root, as for the other services; the service only reads it. */
    @WithDefault("run/lake")
    String lake();

    Insights insights();

    Spark spark();

    interface Spark {
        /**
         * {@code CLICKCARTEL_SPARK_CONF}, the same text as for the Spark layers: the service runs no Spark, it takes
         * the {@code spark.hadoop.*} entries, which point Hadoop's file systems at the lake's store (an S3
         * endpoint, path-style access). Credentials come from s3a's own chain ({@code AWS_ACCESS_KEY_ID}, …).
         */
        @WithDefault(" ")
        String conf();
    }

    interface Insights {
        /** How often the service looks for new versions of the gold tables (a look reads only the Delta log). */
        @WithDefault("5s")
        Duration refresh();

        /**
         * The pipeline services whose metrics the pipeline view shows (last batch, duration, rows, Spark work), as
         * {@code name=base-url} entries, e.g. {@code bronze=http://bronze-writer:8081,gold=http://gold-aggregator:8083}.
         */
        Optional<List<String>> services();

        /** The ISO 4217 currency of the revenue figures, as the page shows them. */
        @WithDefault("USD")
        String currency();
    }
}
