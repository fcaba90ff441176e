package io.clickcartel.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aFullBucketLetsTheBurstThroughThenOneRequestPerIntervalOfTheRate() {
        LoadShedding.TokenBucket bucket = new LoadShedding.TokenBucket(3);
        assertThat(bucket.take(2, 3, 0)).isZero();
        assertThat(bucket.take(2, 3, 0)).isZero();
        assertThat(bucket.take(2, 3, 0)).isZero();
        assertThat(bucket.take(2, 3, 0))
                .as("empty: a token comes in half a second")
                .isEqualTo(SECOND / 2);
        assertThat(bucket.take(2, 3, SECOND / 2)).isZero();
        assertThat(bucket.take(2, 3, SECOND / 2)).isEqualTo(SECOND / 2);
    }

    @Test
    void anIdleBucketRefillsOnlyUpToItsBurst() {
        LoadShedding.TokenBucket bucket = new LoadShedding.TokenBucket(2);
        bucket.take(1, 2, 0);
        bucket.take(1, 2, 0);
        long later = 100 * SECOND;
        assertThat(bucket.take(1, 2, later)).isZero();
        assertThat(bucket.take(1, 2, later)).isZero();
        assertThat(bucket.take(1, 2, later)).isEqualTo(SECOND);
    }
}
