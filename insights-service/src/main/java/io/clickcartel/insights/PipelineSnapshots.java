package io.clickcartel.insights;

import static io.clickcartel.core.BronzeColumns.VALUE;
import static io.clickcartel.core.SilverColumns.RULE;

import io.clickcartel.core.LakeTable;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The {@link Pipeline} view's inputs, read from the lake every {@code clickcartel.insights.refresh}: each table's
 * newest version, and when it changed its recent commits (the quarantine's rows too, rule and raw value only).
 */
@ApplicationScoped
@Startup
public class PipelineSnapshots {

    /** Commits shown per table. */
    static final int RECENT_COMMITS = 8;
    private static final Logger LOG = Logger.getLogger(PipelineSnapshots.class);

    private final DeltaReader reader = new DeltaReader();
    private final String lake;
    private final Map<LakeTable, Pipeline.TableLog> logs = new EnumMap<>(LakeTable.class);
    private List<Pipeline.Quarantined> quarantine = List.of();
    private final AtomicReference<Pipeline.View> current = new AtomicReference<>(Pipeline.of(Map.of(), List.of()));

    PipelineSnapshots(InsightsConfig config) {
        this.lake = config.lake();
        refresh();
    }

    Pipeline.View current() {
        return current.get();
    }

    @Scheduled(every = "${clickcartel.insights.refresh:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void refresh() {
        for (LakeTable table : Pipeline.READS.keySet()) {
            String location = table.location(lake);
            try {
                Optional<DeltaReader.Version> newest = reader.latest(location);
                Pipeline.TableLog known = logs.getOrDefault(table, Pipeline.TableLog.NONE);
                if (newest.isEmpty() || newest.equals(known.version())) {
                    continue;
                }
                logs.put(table, new Pipeline.TableLog(newest,
                        reader.recentCommits(location, newest.get().version(), RECENT_COMMITS)));
                if (table == LakeTable.SILVER_QUARANTINE) {
                    quarantine = reader.read(location, List.of(RULE, VALUE),
                            row -> new Pipeline.Quarantined(row.string(RULE), row.string(VALUE)))
                            .map(DeltaReader.Loaded::rows).orElse(List.of());
                }
            } catch (RuntimeException e) {
                LOG.warnf("%s could not be read now, keeping what was read before: %s", table.qualifiedName(),
                        e.toString());
            }
        }
        current.set(Pipeline.of(new EnumMap<>(logs), quarantine));
    }
}
