package io.clickcartel.gold;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Gold settings: {@code CLICKCARTEL_GOLD_TRIGGER}, {@code CLICKCARTEL_GOLD_MAX_BYTES_PER_TRIGGER}. */
@ConfigMapping(prefix = "clickcartel.gold")
public interface GoldConfig {

    /** How often gold looks for new silver rows; each look that finds some updates every table. */
    @WithDefault("10s")
    Duration trigger();

    /** Upper bound of silver data per update. */
    @WithDefault("256m")
    String maxBytesPerTrigger();

    /** false runs no streaming query: set by the refresh and report commands. */
    @WithDefault("true")
    boolean streaming();
}
