package io.clickcartel.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.jboss.logging.Logger;

/**
 * Who may write a layer's tables now: a small file beside the layer's checkpoint, held by the service while its
 * stream runs and by a command (refresh, backfill) while it rewrites. The holder renews it every third of its time
 * to live; a holder that crashed stops renewing and its lease expires, so a crash never locks a layer for good.
 * Taking it fails while someone else's lease is current, naming the holder.
 */
public final class Lease implements AutoCloseable {

    /** How long a lease lasts without renewal. */
    public static final Duration TIME_TO_LIVE = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(Lease.class);
    private static final String HOLDER = "holder";
    private static final String EXPIRES = "expires";
    private static final String TOKEN = "token";

    /** The current holder of someone else's lease. */
    public record Holder(String description, Instant expires) {}

    /** Thrown when another holder's lease is current. */
    public static final class HeldException extends IllegalStateException {
        private final Holder holder;

        HeldException(Path file, Holder holder) {
            super(holder.description() + " holds " + file + " (until " + holder.expires() + " unless renewed)");
            this.holder = holder;
        }

        public Holder holder() {
            return holder;
        }
    }

    private final FileSystem fs;
    private final Path file;
    private final String description;
    private final String token = UUID.randomUUID().toString();
    private final Duration timeToLive;
    private final Clock clock;
    private final ScheduledExecutorService renewals;

    private Lease(FileSystem fs, Path file, String description, Duration timeToLive, Clock clock) {
        this.fs = fs;
        this.file = file;
        this.description = description;
        this.timeToLive = timeToLive;
        this.clock = clock;
        this.renewals = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lease " + file.getName());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The lease file of a layer: {@code <checkpoints>/<layer>.lease}. */
    public static Path fileFor(String checkpoints, String layer) {
        return new Path(checkpoints, layer + ".lease");
    }

    /**
     * Takes the lease and keeps renewing it until {@link #close()}.
     *
     * @param purpose what the holder does, for the message others get (e.g. "the gold service")
     * @throws HeldException while someone else's lease is current
     */
    public static Lease take(Configuration hadoop, Path file, String purpose) {
        return take(hadoop, file, purpose, TIME_TO_LIVE, Clock.systemUTC());
    }

    /**
     * Takes the lease, waiting up to {@code patience} for a current one to be given back or to expire (a
     * predecessor that crashed holds it for up to {@link #TIME_TO_LIVE}).
     *
     * @throws HeldException when it is still held after that
     */
    public static Lease takeWithin(Configuration hadoop, Path file, String purpose, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                return take(hadoop, file, purpose);
            } catch (HeldException held) {
                if (System.nanoTime() > deadline) {
                    throw held;
                }
                LOG.infof("waiting for the lease: %s", held.getMessage());
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw held;
                }
            }
        }
    }

    static Lease take(Configuration hadoop, Path file, String purpose, Duration timeToLive, Clock clock) {
        try {
            FileSystem fs = leaseFileSystem(file, hadoop);
            String description = purpose + " (process "
                    + ManagementFactory.getRuntimeMXBean().getName() + ")";
            Lease lease = new Lease(fs, file, description, timeToLive, clock);
            lease.acquire();
            long every = Math.max(1, timeToLive.toMillis() / 3);
            lease.renewals.scheduleAtFixedRate(lease::renew, every, every, TimeUnit.MILLISECONDS);
            return lease;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take the lease " + file, e);
        }
    }

    /** Someone's current lease on the file, if any. */
    public static Optional<Holder> current(Configuration hadoop, Path file, Clock clock) {
        try {
            return read(leaseFileSystem(file, hadoop), file)
                    .filter(p -> expires(p).isAfter(clock.instant()))
                    .map(p -> new Holder(p.getProperty(HOLDER), expires(p)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lease " + file, e);
        }
    }

    private void acquire() throws IOException {
        Optional<Properties> existing = read(fs, file);
        if (existing.isPresent()) {
            Instant expires = expires(existing.get());
            if (expires.isAfter(clock.instant())) {
                throw new HeldException(file, new Holder(existing.get().getProperty(HOLDER), expires));
            }
            LOG.infof(
                    "taking over the expired lease %s of %s",
                    file, existing.get().getProperty(HOLDER));
            fs.delete(file, false);
        }
        // create without overwrite: of two processes taking a free lease at once, one fails here
        try (OutputStream out = fs.create(file, false)) {
            out.write(contents());
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            Optional<Properties> winner = read(fs, file);
            throw new HeldException(
                    file,
                    winner.map(p -> new Holder(p.getProperty(HOLDER), expires(p)))
                            .orElse(new Holder(
                                    "another process", clock.instant().plus(timeToLive))));
        }
        if (!read(fs, file).map(p -> token.equals(p.getProperty(TOKEN))).orElse(false)) {
            throw new HeldException(
                    file, new Holder("another process", clock.instant().plus(timeToLive)));
        }
    }

    private void renew() {
        try {
            Optional<Properties> now = read(fs, file);
            if (now.isPresent() && !token.equals(now.get().getProperty(TOKEN))) {
                LOG.errorf("lost the lease %s to %s", file, now.get().getProperty(HOLDER));
                return;
            }
            replace();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not renew the lease %s: %s", file, e.toString());
        }
    }

    /**
     * Writes the renewed lease so that a reader sees the old one or the new one, never a file cut short: an object
     * store's PUT is atomic by itself; a local file is written aside and renamed onto the lease.
     */
    private void replace() throws IOException {
        if (!(fs instanceof RawLocalFileSystem)) {
            try (OutputStream out = fs.create(file, true)) {
                out.write(contents());
            }
            return;
        }
        Path aside = new Path(file.getParent(), "." + file.getName() + "." + token);
        try (OutputStream out = fs.create(aside, true)) {
            out.write(contents());
        }
        if (!fs.rename(aside, file)) {
            fs.delete(aside, false);
            throw new IOException("could not rename " + aside + " onto " + file);
        }
    }

    /**
     * The file system the lease lives on; for local files the raw one: the checksummed one keeps a {@code .crc}
     * beside each file and renames the two one after the other, so a reader between them would meet a mismatch.
     */
    private static FileSystem leaseFileSystem(Path file, Configuration hadoop) throws IOException {
        FileSystem fs = file.getFileSystem(hadoop);
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    /** Stops renewing and gives the lease back. */
    @Override
    public void close() {
        renewals.shutdown();
        try {
            // a renewal under way finishes: cut short, it would leave its file aside
            renewals.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (read(fs, file).map(p -> token.equals(p.getProperty(TOKEN))).orElse(false)) {
                fs.delete(file, false);
            }
        } catch (IOException e) {
            LOG.warnf("could not give back the lease %s (it expires by itself): %s", file, e.toString());
        }
    }

    private byte[] contents() {
        return (HOLDER + "=" + description.replace("\n", " ") + "\n" + TOKEN + "=" + token + "\n" + EXPIRES + "="
                        + clock.instant().plus(timeToLive) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Instant expires(Properties lease) {
        return Instant.parse(lease.getProperty(EXPIRES));
    }

    /**
     * The lease file's contents; one caught mid-write (no expiry yet) counts as held for a time to live from its
     * last change, never as free.
     */
    private static Optional<Properties> read(FileSystem fs, Path file) throws IOException {
        Optional<Properties> read = readOnce(fs, file);
        if (read.isPresent() && read.get().getProperty(EXPIRES) == null) {
            // a lease being taken is written in place, empty for a moment: look once more before calling it partial
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            read = readOnce(fs, file);
        }
        if (read.isEmpty()) {
            return read;
        }
        Properties lease = read.get();
        try {
            Instant.parse(lease.getProperty(EXPIRES, ""));
        } catch (RuntimeException partial) {
            Instant changed = Instant.ofEpochMilli(fs.getFileStatus(file).getModificationTime());
            lease.setProperty(EXPIRES, changed.plus(TIME_TO_LIVE).toString());
            lease.putIfAbsent(HOLDER, "a process writing its lease");
        }
        return Optional.of(lease);
    }

    private static Optional<Properties> readOnce(FileSystem fs, Path file) throws IOException {
        Properties lease = new Properties();
        try (InputStream in = fs.open(file)) {
            lease.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
        return Optional.of(lease);
    }
}
