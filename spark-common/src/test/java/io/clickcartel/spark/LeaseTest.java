package io.clickcartel.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseTest {

    private static final Configuration HADOOP = new Configuration();
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    java.nio.file.Path dir;

    @Test
    void whileOneHoldsTheLeaseAnotherIsRefusedAndToldWhoHoldsIt() {
        Path file = Lease.fileFor(dir.toString(), "gold");
        try (Lease service = Lease.take(HADOOP, file, "the gold service")) {
            assertThatThrownBy(() -> Lease.take(HADOOP, file, "gold refresh"))
                    .isInstanceOf(Lease.HeldException.class)
                    .hasMessageContaining("the gold service");
            assertThat(Lease.current(HADOOP, file, Clock.systemUTC()))
                    .get()
                    .extracting(Lease.Holder::description)
                    .asString()
                    .startsWith("the gold service (process ");
        }
        assertThat(Lease.current(HADOOP, file, Clock.systemUTC()))
                .as("given back")
                .isEmpty();
        Lease.take(HADOOP, file, "gold refresh").close();
    }

    @Test
    void aLeaseNotRenewedPastItsTimeIsTakenOverAndTheOldHolderNoLongerWritesIt() {
        Path file = Lease.fileFor(dir.toString(), "silver");
        Clock now = Clock.systemUTC();
        Clock later = Clock.offset(now, HOUR.multipliedBy(2));
        Lease crashed = Lease.take(HADOOP, file, "a silver service that stopped renewing", HOUR, now);
        Lease next = Lease.take(HADOOP, file, "silver backfill", HOUR, later);
        crashed.close(); // the old holder comes back: it must not give away what is no longer its own
        assertThat(Lease.current(HADOOP, file, later))
                .get()
                .extracting(Lease.Holder::description)
                .asString()
                .startsWith("silver backfill");
        next.close();
        assertThat(Lease.current(HADOOP, file, later)).isEmpty();
    }

    @Test
    void aLeaseFileCaughtMidWriteCountsAsHeldNotFree() throws Exception {
        Path file = Lease.fileFor(dir.toString(), "gold");
        Files.writeString(dir.resolve("gold.lease"), "holder=half a wri");
        assertThatThrownBy(() -> Lease.take(HADOOP, file, "gold refresh")).isInstanceOf(Lease.HeldException.class);
        Clock afterItsTime = Clock.fixed(Instant.now().plus(Lease.TIME_TO_LIVE).plusSeconds(5), ZoneOffset.UTC);
        Lease.take(HADOOP, file, "gold refresh", HOUR, afterItsTime).close();
    }

    @Test
    void aReaderDuringRenewalsAlwaysMeetsTheHolder() throws Exception {
        Path file = Lease.fileFor(dir.toString(), "gold");
        // renewed every 5 ms; a clock at the epoch keeps every lease read current, so only a torn read can fail
        Clock epoch = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        try (Lease service = Lease.take(HADOOP, file, "the gold service", Duration.ofMillis(15), Clock.systemUTC())) {
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            int reads = 0;
            while (System.nanoTime() < until) {
                assertThat(Lease.current(HADOOP, file, epoch))
                        .get()
                        .extracting(Lease.Holder::description)
                        .asString()
                        .as("read %d", reads)
                        .startsWith("the gold service (process ");
                reads++;
            }
            assertThat(reads).isGreaterThan(100);
        }
        try (var left = Files.list(dir)) {
            assertThat(left).as("nothing left beside the lease once given back").isEmpty();
        }
    }
}
