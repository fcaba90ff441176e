package io.clickcartel.insights;

import io.clickcartel.core.LakeTable;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The current {@link GoldSnapshot}. Every {@code clickcartel.insights.refresh} it reads each gold table's newest
 * version from the Delta log and reloads only the tables whose version changed; a table that cannot be read right
 * now keeps its previous version until the next look. Bronze's newest commit is kept too: how far gold trails
 * what has been ingested.
 */
@ApplicationScoped
@Startup
public class GoldSnapshots {

    private static final Logger LOG = Logger.getLogger(GoldSnapshots.class);

    private final DeltaReader reader;
    private final String lake;
    private final AtomicReference<GoldSnapshot> current = new AtomicReference<>(GoldSnapshot.EMPTY);
    private final AtomicReference<Optional<DeltaReader.Version>> bronze = new AtomicReference<>(Optional.empty());

    GoldSnapshots(InsightsConfig config, DeltaReader reader) {
        this.reader = reader;
        this.lake = config.lake();
        refresh();
    }

    GoldSnapshot current() {
        return current.get();
    }

    /** Bronze's newest version: the moment of the newest ingested events gold can be compared with. */
    Optional<DeltaReader.Version> bronze() {
        return bronze.get();
    }

    @Scheduled(every = "${clickcartel.insights.refresh:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void refresh() {
        bronze.set(safely(LakeTable.BRONZE_EVENTS, () -> reader.latest(LakeTable.BRONZE_EVENTS.location(lake)))
                .orElse(bronze.get()));
        GoldSnapshot snapshot = current.get();
        for (Gold.Table table : Gold.Table.values()) {
            String location = table.lakeTable.location(lake);
            Optional<DeltaReader.Version> newest =
                    safely(table.lakeTable, () -> reader.latest(location)).flatMap(version -> version);
            if (newest.isEmpty() || newest.equals(snapshot.version(table))) {
                continue;
            }
            Optional<? extends DeltaReader.Loaded<?>> loaded = safely(
                            table.lakeTable, () -> reader.read(location, table.reader))
                    .flatMap(rows -> rows);
            if (loaded.isPresent()) {
                snapshot = snapshot.with(table, loaded.get());
                LOG.debugf(
                        "%s: version %d, %d rows",
                        table.lakeTable.qualifiedName(),
                        loaded.get().version().version(),
                        loaded.get().rows().size());
            }
        }
        current.set(snapshot);
    }

    /** A read that failed (e.g. files removed by a concurrent VACUUM) is logged and tried again at the next look. */
    private static <T> Optional<T> safely(LakeTable table, java.util.function.Supplier<T> read) {
        try {
            return Optional.of(read.get());
        } catch (RuntimeException e) {
            LOG.warnf(
                    "%s could not be read now, keeping what was read before: %s", table.qualifiedName(), e.toString());
            return Optional.empty();
        }
    }
}
