package io.clickcartel.spark;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.jboss.logging.Logger;

/**
 * The streaming queries of this process: what readiness looks at, what shutdown stops, and the source of the
 * per-query metrics ({@code clickcartel_stream_*{query=…}}) and of a log line per batch that read rows.
 */
@ApplicationScoped
public class StreamingQueries {

    private static final Logger LOG = Logger.getLogger(StreamingQueries.class);
    /** Spark's org.apache.spark.util.ShutdownHookManager registers its hooks at FileSystem's priority + 30. */
    private static final int SPARK_CONTEXT_HOOK_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 30;
    /** What stopping the queries may take beyond the grace: the stop itself, after the batch. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(15);

    private final MeterRegistry registry;
    private final SparkSession spark;
    private final Duration shutdownGrace;
    private final String checkpoints;
    private final Map<String, StreamingQuery> queries = new ConcurrentHashMap<>();
    private final Map<String, StreamingQueryProgress> lastProgress = new ConcurrentHashMap<>();
    private final List<AutoCloseable> heldUntilStopped = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Counter> rowsRead = new ConcurrentHashMap<>();
    private final Map<String, Counter> busySeconds = new ConcurrentHashMap<>();

    public StreamingQueries(MeterRegistry registry, SparkSession spark, PipelineConfig config) {
        this.registry = registry;
        this.spark = spark;
        this.shutdownGrace = config.shutdownGrace();
        this.checkpoints = config.checkpoints();
        spark.streams().addListener(new ProgressListener());
        // Spark stops its context from a Hadoop shutdown hook that runs before Quarkus' ShutdownEvent; a hook of
        // higher priority stops the queries first, so a SIGTERM ends them cleanly rather than under their feet.
        // Hadoop would cut a hook short after 30 s: this one gets the grace a running batch may need.
        ShutdownHookManager.get()
                .addShutdownHook(
                        this::stopAll,
                        SPARK_CONTEXT_HOOK_PRIORITY + 10,
                        shutdownGrace.plus(STOP_MARGIN).toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    /** Tracks a started query; {@code sinkTables} are the locations of the Delta tables it writes, for their versions. */
    public StreamingQuery register(StreamingQuery query, String... sinkTables) {
        String name = query.name();
        queries.put(name, query);
        gauge("clickcartel.stream.input.rows.per.second", name, p -> p.inputRowsPerSecond());
        gauge("clickcartel.stream.processed.rows.per.second", name, p -> p.processedRowsPerSecond());
        gauge(
                "clickcartel.stream.batch.duration.seconds",
                name,
                p -> p.durationMs().getOrDefault("triggerExecution", 0L) / 1000.0);
        gauge("clickcartel.stream.last.batch", name, StreamingQueryProgress::batchId);
        gauge("clickcartel.stream.state.rows", name, p -> stateTotal(p, s -> s.numRowsTotal()));
        gauge("clickcartel.stream.watermark.seconds", name, p -> watermarkSeconds(p));
        // how far the watermark trails the wall clock: negative would mean future event times got through
        gauge(
                "clickcartel.stream.watermark.lag.seconds",
                name,
                p -> System.currentTimeMillis() / 1000.0 - watermarkSeconds(p));
        rowsRead.put(
                name,
                Counter.builder("clickcartel.stream.rows")
                        .tag("query", name)
                        .description("Rows read by the query")
                        .register(registry));
        busySeconds.put(
                name,
                Counter.builder("clickcartel.stream.busy.seconds")
                        .tag("query", name)
                        .description("Time spent in the query's batches that read rows")
                        .register(registry));
        for (String sinkTable : sinkTables) {
            if (registry.find("clickcartel.delta.table.version")
                            .tag("table", sinkTable)
                            .gauge()
                    == null) {
                Gauge.builder("clickcartel.delta.table.version", () -> DeltaVersions.latest(spark, sinkTable))
                        .tag("table", sinkTable)
                        .description("Latest committed version of the Delta table")
                        .register(registry);
            }
        }
        return query;
    }

    /**
     * Takes the layer's {@link Lease} for as long as its queries run, so no refresh or backfill rewrites its tables
     * meanwhile; waits out a crashed predecessor's lease first.
     *
     * @throws Lease.HeldException when a command holds it still (the service then fails to start, and its restart
     *     policy tries again)
     */
    public void leaseLayer(String layer) {
        holdUntilStopped(Lease.takeWithin(
                spark.sparkContext().hadoopConfiguration(),
                Lease.fileFor(checkpoints, layer),
                "the " + layer + " service",
                Lease.TIME_TO_LIVE.plusSeconds(10)));
    }

    /** Closes {@code resource} (a {@link Lease}) once every query has stopped, not before. */
    public void holdUntilStopped(AutoCloseable resource) {
        heldUntilStopped.add(resource);
    }

    /** The query's last reported batch, if it has reported one. */
    public java.util.Optional<StreamingQueryProgress> lastProgress(String query) {
        return java.util.Optional.ofNullable(lastProgress.get(query));
    }

    public Collection<StreamingQuery> all() {
        return List.copyOf(queries.values());
    }

    /**
     * Stops every query, each after the batch it is running, within {@code clickcartel.shutdown-grace} for all of
     * them (a batch cut short past it is simply redone after a restart: the checkpoint keeps only what was
     * committed).
     */
    public synchronized void stopAll() {
        long deadline = System.nanoTime() + shutdownGrace.toNanos();
        for (StreamingQuery query : queries.values()) {
            try {
                if (query.isActive()) {
                    LOG.infof("stopping query %s after its running batch (at most %s)", query.name(), shutdownGrace);
                    awaitBetweenBatches(query, deadline);
                    query.stop();
                }
            } catch (TimeoutException | RuntimeException e) {
                LOG.warnf("query %s did not stop cleanly: %s", query.name(), e.getMessage());
            }
        }
        for (AutoCloseable resource : heldUntilStopped) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warnf("could not close %s: %s", resource, e.toString());
            }
        }
        heldUntilStopped.clear();
    }

    private static void awaitBetweenBatches(StreamingQuery query, long deadline) {
        while (query.isActive() && query.status().isTriggerActive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void count(String metric, String query, long amount) {
        Counter counter = Counter.builder(metric).tag("query", query).register(registry);
        if (amount > 0) {
            counter.increment(amount);
        }
    }

    private static double stateTotal(StreamingQueryProgress progress, ToDoubleFunction<StateOperatorProgress> value) {
        double total = 0;
        for (StateOperatorProgress state : progress.stateOperators()) {
            total += value.applyAsDouble(state);
        }
        return total;
    }

    /** NaN before the first event time: Spark then reports the epoch. */
    private static double watermarkSeconds(StreamingQueryProgress progress) {
        String watermark = progress.eventTime().get("watermark");
        long seconds =
                watermark == null ? 0 : java.time.Instant.parse(watermark).getEpochSecond();
        return seconds == 0 ? Double.NaN : seconds;
    }

    private void gauge(String metric, String query, ToDoubleFunction<StreamingQueryProgress> value) {
        Gauge.builder(metric, () -> {
                    StreamingQueryProgress progress = lastProgress.get(query);
                    return progress == null ? Double.NaN : value.applyAsDouble(progress);
                })
                .tag("query", query)
                .register(registry);
    }

    private final class ProgressListener extends StreamingQueryListener {
        @Override
        public void onQueryStarted(QueryStartedEvent event) {
            LOG.infof("query %s started (id %s, run %s)", event.name(), event.id(), event.runId());
        }

        @Override
        public void onQueryProgress(QueryProgressEvent event) {
            StreamingQueryProgress progress = event.progress();
            lastProgress.put(progress.name(), progress);
            String query = progress.name();
            Counter rows = rowsRead.get(query);
            if (rows == null) {
                return; // not one of ours
            }
            rows.increment(progress.numInputRows());
            if (progress.numInputRows() > 0) {
                // with the rows read, the query's throughput inside its batches (idle triggers left out)
                busySeconds.get(query).increment(progress.durationMs().getOrDefault("triggerExecution", 0L) / 1000.0);
            }
            long late = (long) stateTotal(progress, s -> s.numRowsDroppedByWatermark());
            long duplicates = (long)
                    stateTotal(progress, s -> s.customMetrics().getOrDefault(RunningBatch.DROPPED_DUPLICATES, 0L));
            count("clickcartel.stream.dropped.late", query, late);
            count("clickcartel.stream.dropped.duplicates", query, duplicates);
            StringBuilder observed = new StringBuilder();
            progress.observedMetrics().forEach((observation, row) -> {
                for (String field : row.schema().fieldNames()) {
                    long value = ((Number) row.getAs(field)).longValue();
                    if (value > 0) {
                        Counter.builder("clickcartel.stream.observed")
                                .tag("query", query)
                                .tag("metric", observation + "." + field)
                                .register(registry)
                                .increment(value);
                        observed.append(", ")
                                .append(observation)
                                .append('.')
                                .append(field)
                                .append(' ')
                                .append(value);
                    }
                }
            });
            if (progress.numInputRows() > 0) {
                LOG.infof(
                        "query %s batch %d: %d rows in %.1f s (%.0f rows/s)%s%s",
                        query,
                        progress.batchId(),
                        progress.numInputRows(),
                        progress.durationMs().getOrDefault("triggerExecution", 0L) / 1000.0,
                        progress.processedRowsPerSecond(),
                        progress.stateOperators().length == 0
                                ? ""
                                : String.format(
                                        "; state rows %d, dropped late %d, duplicates %d, watermark %s",
                                        (long) stateTotal(progress, s -> s.numRowsTotal()),
                                        late,
                                        duplicates,
                                        progress.eventTime().getOrDefault("watermark", "-")),
                        observed);
            }
        }

        @Override
        public void onQueryTerminated(QueryTerminatedEvent event) {
            if (event.exception().isDefined()) {
                LOG.errorf("query %s failed: %s", event.id(), event.exception().get());
            } else {
                LOG.infof("query %s stopped", event.id());
            }
        }
    }
}
