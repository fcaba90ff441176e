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
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.SparkSession;
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
    // under a backlog a query is always in a batch; Hadoop gives a shutdown hook 30 s in all
    private static final Duration BATCH_FINISH_TIMEOUT = Duration.ofSeconds(10);
    private static final int SPARK_CONTEXT_HOOK_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 30;

    private final MeterRegistry registry;
    private final SparkSession spark;
    private final Map<String, StreamingQuery> queries = new ConcurrentHashMap<>();
    private final Map<String, StreamingQueryProgress> lastProgress = new ConcurrentHashMap<>();
    private final Map<String, Counter> rowsRead = new ConcurrentHashMap<>();

    public StreamingQueries(MeterRegistry registry, SparkSession spark) {
        this.registry = registry;
        this.spark = spark;
        spark.streams().addListener(new ProgressListener());
        // Spark stops its context from a Hadoop shutdown hook that runs before Quarkus' ShutdownEvent; a hook of
        // higher priority stops the queries first, so a SIGTERM ends them cleanly rather than under their feet.
        ShutdownHookManager.get().addShutdownHook(this::stopAll, SPARK_CONTEXT_HOOK_PRIORITY + 10);
    }

    /** Tracks a started query; {@code sinkTable} is the location of the Delta table it writes, for its version. */
    public StreamingQuery register(StreamingQuery query, String sinkTable) {
        String name = query.name();
        queries.put(name, query);
        gauge("clickcartel.stream.input.rows.per.second", name, p -> p.inputRowsPerSecond());
        gauge("clickcartel.stream.processed.rows.per.second", name, p -> p.processedRowsPerSecond());
        gauge("clickcartel.stream.batch.duration.seconds", name,
                p -> p.durationMs().getOrDefault("triggerExecution", 0L) / 1000.0);
        gauge("clickcartel.stream.last.batch", name, StreamingQueryProgress::batchId);
        rowsRead.put(name, Counter.builder("clickcartel.stream.rows").tag("query", name)
                .description("Rows read by the query").register(registry));
        if (registry.find("clickcartel.delta.table.version").tag("table", sinkTable).gauge() == null) {
            Gauge.builder("clickcartel.delta.table.version", () -> DeltaVersions.latest(spark, sinkTable))
                    .tag("table", sinkTable).description("Latest committed version of the Delta table")
                    .register(registry);
        }
        return query;
    }

    public Collection<StreamingQuery> all() {
        return List.copyOf(queries.values());
    }

    /**
     * Stops every query, each between two batches where it can (a batch cut short is simply redone after a
     * restart: the checkpoint keeps only what was committed).
     */
    public synchronized void stopAll() {
        for (StreamingQuery query : queries.values()) {
            try {
                if (query.isActive()) {
                    LOG.infof("stopping query %s", query.name());
                    awaitBetweenBatches(query, BATCH_FINISH_TIMEOUT);
                    query.stop();
                }
            } catch (TimeoutException | RuntimeException e) {
                LOG.warnf("query %s did not stop cleanly: %s", query.name(), e.getMessage());
            }
        }
    }

    private static void awaitBetweenBatches(StreamingQuery query, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (query.isActive() && query.status().isTriggerActive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void gauge(String metric, String query, ToDoubleFunction<StreamingQueryProgress> value) {
        Gauge.builder(metric, () -> {
            StreamingQueryProgress progress = lastProgress.get(query);
            return progress == null ? Double.NaN : value.applyAsDouble(progress);
        }).tag("query", query).register(registry);
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
            Counter rows = rowsRead.get(progress.name());
            if (rows != null) {
                rows.increment(progress.numInputRows());
            }
            if (progress.numInputRows() > 0) {
                LOG.infof("query %s batch %d: %d rows in %.1f s (%.0f rows/s)", progress.name(), progress.batchId(),
                        progress.numInputRows(), progress.durationMs().getOrDefault("triggerExecution", 0L) / 1000.0,
                        progress.processedRowsPerSecond());
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
