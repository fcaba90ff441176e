package io.clickcartel.spark;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings every Spark layer shares. Environment variables: {@code CLICKCARTEL_LAKE},
 * {@code CLICKCARTEL_CHECKPOINTS}, {@code CLICKCARTEL_SPARK_MASTER}, {@code CLICKCARTEL_SPARK_CONF}.
 */
@ConfigMapping(prefix = "clickcartel")
public interface PipelineConfig {

    /** Root of the Delta tables: {@code <lake>/<layer>/<table>}. A local path or any Hadoop URI (s3a://…). */
    @WithDefault("lake")
    String lake();

    /** Root of the streaming checkpoints: {@code <checkpoints>/<query name>}. */
    @WithDefault("checkpoints")
    String checkpoints();

    Spark spark();

    interface Spark {
        @WithDefault("local[*]")
        String master();

        /** Extra Spark settings, {@code key=value} pairs separated by commas; they win over the defaults. */
        @WithDefault(" ")
        String conf();
    }
}
