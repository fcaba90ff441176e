package io.clickcartel.silver;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Silver settings: {@code CLICKCARTEL_SILVER_WATERMARK_DELAY}, {@code CLICKCARTEL_SILVER_TRIGGER},
 * {@code CLICKCARTEL_SILVER_CUSTOMERS}, {@code CLICKCARTEL_SILVER_PRODUCTS}.
 */
@ConfigMapping(prefix = "clickcartel.silver")
public interface SilverConfig {

    /** How late an event may arrive (behind the newest event time) and still be de-duplicated and kept. */
    @WithDefault("10m")
    Duration watermarkDelay();

    @WithDefault("5s")
    Duration trigger();

    /**
     * Upper bound of bronze data per micro-batch: a backlog is worked off in several batches rather than one that
     * outlasts the broadcast of the dimensions.
     */
    @WithDefault("32m")
    String maxBytesPerTrigger();

    /** customer_id,signup_date,location with a header row; read when the queries start. */
    @WithDefault("reference/customers.csv")
    String customers();

    /** product_id, product_name, category, price; read when the queries start. */
    @WithDefault("reference/products.parquet")
    String products();

    /** false runs no streaming queries: set by the backfill command. */
    @WithDefault("true")
    boolean streaming();
}
