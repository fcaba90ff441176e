package io.clickcartel.insights;

import static io.clickcartel.core.BronzeColumns.VALUE;
import static io.clickcartel.core.SilverColumns.RULE;

import io.clickcartel.core.BatchColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.Topics;
import io.clickcartel.core.segment.SegmentMapping;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The {@link Pipeline} view's inputs, read from the lake every {@code clickcartel.insights.refresh}: each table's
 * newest version, and when it changed its recent commits (the quarantine's rows too, rule and raw value only);
 * ingest's refusals (bronze.rejected) and silver's data-quality log when they changed; and the metrics of the
 * services {@code clickcartel.insights.services} names.
 */
@ApplicationScoped
@Startup
public class PipelineSnapshots {

    /** The rule shown for a record of the rejected topic that holds no rule. */
    static final String UNREADABLE = "unreadable_record";

    private static final Pipeline.Quarantined IGNORED = new Pipeline.Quarantined(SegmentMapping.IGNORED_RULE, null);

    /** Commits shown per table. */
    static final int RECENT_COMMITS = 8;

    private static final Logger LOG = Logger.getLogger(PipelineSnapshots.class);

    private final DeltaReader reader;
    private final String lake;
    private final Map<LakeTable, Pipeline.TableLog> logs = new EnumMap<>(LakeTable.class);
    private final PerFileRead<Pipeline.Quarantined, Pipeline.RuleTally> quarantine = new PerFileRead<>(
            LakeTable.SILVER_QUARANTINE,
            List.of(RULE, VALUE),
            row -> new Pipeline.Quarantined(row.string(RULE), row.string(VALUE)),
            Pipeline.RuleTally::of);
    private final PerFileRead<Pipeline.Quarantined, Pipeline.RuleTally> refused = new PerFileRead<>(
            LakeTable.BRONZE_REJECTED,
            List.of(Topics.RejectedKeys.RULE, Topics.RejectedKeys.RAW, VALUE),
            row -> refusal(row.string(Topics.RejectedKeys.RULE), row),
            Pipeline.RuleTally::of);
    private final PerFileRead<Pipeline.LoggedBatch, Pipeline.Books> logged = new PerFileRead<>(
            LakeTable.OPS_SILVER_BATCHES,
            List.of(
                    BatchColumns.INPUT_ROWS,
                    BatchColumns.WRITTEN_ROWS,
                    BatchColumns.QUARANTINED_ROWS,
                    BatchColumns.DUPLICATES_REMOVED,
                    BatchColumns.TOO_LATE),
            row -> new Pipeline.LoggedBatch(
                    row.number(BatchColumns.INPUT_ROWS),
                    row.number(BatchColumns.WRITTEN_ROWS),
                    row.number(BatchColumns.QUARANTINED_ROWS),
                    row.number(BatchColumns.DUPLICATES_REMOVED),
                    row.number(BatchColumns.TOO_LATE)),
            Pipeline.Books::of);
    private final AtomicReference<Pipeline.View> current = new AtomicReference<>(
            Pipeline.of(Map.of(), Pipeline.RuleTally.NONE, Pipeline.RuleTally.NONE, Pipeline.Books.NONE, List.of()));
    private final Map<String, String> services = new LinkedHashMap<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    PipelineSnapshots(InsightsConfig config, DeltaReader reader) {
        this.reader = reader;
        this.lake = config.lake();
        for (String entry : config.insights().services().orElse(List.of())) {
            int equals = entry.indexOf('=');
            if (equals <= 0 || equals == entry.length() - 1) {
                throw new IllegalArgumentException("clickcartel.insights.services: '" + entry
                        + "' is not name=base-url (e.g. gold=http://gold-aggregator:8083)");
            }
            services.put(
                    entry.substring(0, equals).trim(),
                    entry.substring(equals + 1).trim());
        }
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
                logs.put(
                        table,
                        new Pipeline.TableLog(
                                newest,
                                reader.recentCommits(location, newest.get().version(), RECENT_COMMITS)));
            } catch (RuntimeException e) {
                LOG.warnf(
                        "%s could not be read now, keeping what was read before: %s",
                        table.qualifiedName(), e.toString());
            }
        }
        current.set(Pipeline.of(
                new EnumMap<>(logs),
                Pipeline.RuleTally.sum(quarantine.refresh().values()),
                Pipeline.RuleTally.sum(refused.refresh().values()),
                Pipeline.Books.sum(logged.refresh().values()),
                readServices()));
    }

    /**
     * A bronze.rejected row as the view needs it. A record that was not the rejected topic's JSON has no rule: its
     * value is all there is. An ignored Segment message (a site's every page or identify call) is only counted: one
     * shared row stands for each, so their number costs a reference each, not their text.
     */
    private static Pipeline.Quarantined refusal(String rule, NamedRow row) {
        if (rule == null) {
            return new Pipeline.Quarantined(UNREADABLE, row.string(VALUE));
        }
        return SegmentMapping.IGNORED_RULE.equals(rule)
                ? IGNORED
                : new Pipeline.Quarantined(rule, row.string(Topics.RejectedKeys.RAW));
    }

    /**
     * A table's rows summarized per data file ({@link DeltaReader#readPerFile}), read again only when the table has
     * a newer version, and then only its new files.
     */
    private final class PerFileRead<T, S> {
        private final LakeTable table;
        private final List<String> columns;
        private final Function<NamedRow, T> toRow;
        private final Function<List<T>, S> summarize;
        private Optional<DeltaReader.Version> version = Optional.empty();
        private Map<String, S> byFile = Map.of();

        PerFileRead(
                LakeTable table, List<String> columns, Function<NamedRow, T> toRow, Function<List<T>, S> summarize) {
            this.table = table;
            this.columns = columns;
            this.toRow = toRow;
            this.summarize = summarize;
        }

        /** The summaries of the table's newest version; those read before when it cannot be read now. */
        Map<String, S> refresh() {
            String location = table.location(lake);
            try {
                Optional<DeltaReader.Version> newest = reader.latest(location);
                if (newest.isPresent() && !newest.equals(version)) {
                    Optional<DeltaReader.PerFile<S>> read =
                            reader.readPerFile(location, columns, toRow, summarize, byFile);
                    version = read.map(DeltaReader.PerFile::version);
                    byFile = read.map(DeltaReader.PerFile::byFile).orElse(Map.of());
                }
            } catch (RuntimeException e) {
                LOG.warnf(
                        "%s could not be read now, keeping what was read before: %s",
                        table.qualifiedName(), e.toString());
            }
            return byFile;
        }
    }

    /** Each configured service's metrics; one that does not answer in time is shown as unreachable. */
    private List<ServiceMetrics.Service> readServices() {
        List<ServiceMetrics.Service> read = new ArrayList<>();
        services.forEach((name, url) -> {
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(url + "/q/metrics"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                read.add(
                        response.statusCode() == 200
                                ? ServiceMetrics.parse(name, url, response.body())
                                : ServiceMetrics.Service.unreachable(name, url, "answered " + response.statusCode()));
            } catch (IOException | RuntimeException e) {
                read.add(ServiceMetrics.Service.unreachable(
                        name, url, "unreachable: " + e.getClass().getSimpleName()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                read.add(ServiceMetrics.Service.unreachable(name, url, "interrupted"));
            }
        });
        return read;
    }
}
