package io.clickcartel.insights;

import io.clickcartel.core.LakeTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The pipeline view for the data engineer, from the lake alone: per table its recent commits (each a micro-batch
 * of its layer's stream: batch id, rows written, files), how far its newest commit trails the layer it reads, the
 * quarantine and ingest's refusals by rule with a few of their raw rows, and silver's books from its data-quality
 * log; and, where configured, what each service's metrics say of its streaming queries. Pure: built from what {@link PipelineSnapshots} read.
 */
final class Pipeline {

    /** Each table the view shows, and the table its layer reads (whose newest commit it trails). */
    static final Map<LakeTable, LakeTable> READS = readsOf();

    static final int SAMPLES_PER_RULE = 3;
    static final int SAMPLE_CHARACTERS = 300;

    private Pipeline() {}

    private static Map<LakeTable, LakeTable> readsOf() {
        Map<LakeTable, LakeTable> reads = new LinkedHashMap<>();
        reads.put(LakeTable.BRONZE_EVENTS, null);
        reads.put(LakeTable.SILVER_EVENTS, LakeTable.BRONZE_EVENTS);
        reads.put(LakeTable.SILVER_QUARANTINE, LakeTable.BRONZE_EVENTS);
        for (Gold.Table gold : Gold.Table.values()) {
            reads.put(gold.lakeTable, LakeTable.SILVER_EVENTS);
        }
        return reads;
    }

    /** What was read of one table: its newest version and recent commits (empty when it does not exist yet). */
    record TableLog(Optional<DeltaReader.Version> version, List<DeltaReader.Commit> recent) {
        static final TableLog NONE = new TableLog(Optional.empty(), List.of());
    }

    /** One quarantined row (silver) or refused event (ingest) as the view needs it: its rule and raw text. */
    record Quarantined(String rule, String value) {}

    /** One entry of silver's data-quality log, the figures the view adds up. */
    record LoggedBatch(long inputRows, long writtenRows, long quarantinedRows, long duplicatesRemoved, long tooLate) {}

    /** Silver's books over every batch its data-quality log holds: what it read, and where each row went. */
    record Books(
            long batches,
            long inputRows,
            long writtenRows,
            long quarantinedRows,
            long duplicatesRemoved,
            long tooLate) {

        static Books of(List<LoggedBatch> entries) {
            return new Books(
                    entries.size(),
                    entries.stream().mapToLong(LoggedBatch::inputRows).sum(),
                    entries.stream().mapToLong(LoggedBatch::writtenRows).sum(),
                    entries.stream().mapToLong(LoggedBatch::quarantinedRows).sum(),
                    entries.stream().mapToLong(LoggedBatch::duplicatesRemoved).sum(),
                    entries.stream().mapToLong(LoggedBatch::tooLate).sum());
        }
    }

    record Layer(
            String table,
            Long version,
            Instant committedAt,
            Long secondsBehindInput,
            String reads,
            List<DeltaReader.Commit> recent) {}

    record RuleCount(String rule, long rows, List<String> samples) {}

    record View(
            List<Layer> layers,
            long quarantined,
            List<RuleCount> quarantineByRule,
            long refusedAtIngest,
            List<RuleCount> refusedAtIngestByRule,
            Books books,
            List<ServiceMetrics.Service> services) {}

    /**
     * @param quarantine silver.quarantine's rows
     * @param refused bronze.rejected's rows: the events ingest refused
     * @param logged silver's data-quality log (ops.silver_batches)
     */
    static View of(
            Map<LakeTable, TableLog> logs,
            List<Quarantined> quarantine,
            List<Quarantined> refused,
            List<LoggedBatch> logged,
            List<ServiceMetrics.Service> services) {
        List<Layer> layers = new ArrayList<>();
        READS.forEach((table, input) -> {
            TableLog log = logs.getOrDefault(table, TableLog.NONE);
            Optional<Instant> committed = log.version().map(DeltaReader.Version::committedAt);
            Optional<Instant> inputCommitted = input == null
                    ? Optional.empty()
                    : logs.getOrDefault(input, TableLog.NONE).version().map(DeltaReader.Version::committedAt);
            Long behind = committed.isPresent() && inputCommitted.isPresent()
                    ? Math.max(
                            0,
                            Duration.between(committed.get(), inputCommitted.get())
                                    .toSeconds())
                    : null;
            layers.add(new Layer(
                    table.qualifiedName(),
                    log.version().map(DeltaReader.Version::version).orElse(null),
                    committed.orElse(null),
                    behind,
                    input == null ? null : input.qualifiedName(),
                    log.recent()));
        });
        return new View(
                layers,
                quarantine.size(),
                byRule(quarantine),
                refused.size(),
                byRule(refused),
                Books.of(logged),
                services);
    }

    /** Rows per rule, most first, each with a few samples of its raw text (cut short). */
    private static List<RuleCount> byRule(List<Quarantined> rows) {
        Map<String, List<String>> samples = new TreeMap<>();
        Map<String, Long> counts = new TreeMap<>();
        for (Quarantined row : rows) {
            counts.merge(row.rule(), 1L, Long::sum);
            List<String> kept = samples.computeIfAbsent(row.rule(), rule -> new ArrayList<>());
            if (kept.size() < SAMPLES_PER_RULE && row.value() != null) {
                kept.add(
                        row.value().length() <= SAMPLE_CHARACTERS
                                ? row.value()
                                : row.value().substring(0, SAMPLE_CHARACTERS) + "…");
            }
        }
        List<RuleCount> byRule = new ArrayList<>();
        counts.forEach((rule, count) -> byRule.add(new RuleCount(rule, count, samples.get(rule))));
        byRule.sort(Comparator.comparingLong(RuleCount::rows).reversed().thenComparing(RuleCount::rule));
        return byRule;
    }
}
