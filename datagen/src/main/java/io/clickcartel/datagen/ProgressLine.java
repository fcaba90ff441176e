package io.clickcartel.datagen;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/** A once-a-second progress line: done/total, rate, retries. */
final class ProgressLine {
    private final PrintStream out;
    private final long total;
    private final Instant started;
    private long lastPrinted;

    ProgressLine(PrintStream out, long total, Instant started) {
        this.out = out;
        this.total = total;
        this.started = started;
    }

    synchronized void update(long done, long retries) {
        long now = System.currentTimeMillis();
        if (now - lastPrinted >= 1000) {
            lastPrinted = now;
            out.print("\r" + line(done, retries));
            out.flush();
        }
    }

    synchronized void finish(long done, long retries) {
        out.println("\r" + line(done, retries));
    }

    private String line(long done, long retries) {
        double seconds =
                Math.max(0.001, Duration.between(started, Instant.now()).toMillis() / 1000.0);
        int percent = total == 0 ? 100 : (int) (100 * done / total);
        int filled = percent / 5;
        return String.format(
                "[%-20s] %3d%% %,d/%,d events  %,.0f ev/s  retries %d",
                "#".repeat(filled), percent, done, total, done / seconds, retries);
    }
}
