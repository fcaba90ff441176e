package io.clickcartel.insights;

import io.clickcartel.core.LakeTable;
import io.clickcartel.core.segment.SegmentMapping;
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
 * quarantine and ingest's refusals by rule with a few of their raw rows, the Segment messages ingest ignored, and silver's books from its data-quality
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

        static final Books NONE = new Books(0, 0, 0, 0, 0, 0);

        /** The books of several parts of the log, added up. */
        static Books sum(Iterable<Books> parts) {
            Books total = NONE;
            for (Books part : parts) {
                total = new Books(
                        total.batches + part.batches,
                        total.inputRows + part.inputRows,
                        total.writtenRows + part.writtenRows,
                        total.quarantinedRows + part.quarantinedRows,
                        total.duplicatesRemoved + part.duplicatesRemoved,
                        total.tooLate + part.tooLate);
            }
            return total;
        }

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
            long ignoredAtIngest,
            Books books,
            List<ServiceMetrics.Service> services) {}

    /**
     * @param quarantine silver.quarantine's rows, by rule
     * @param refused bronze.rejected's rows, by rule: the events ingest refused, and the Segment messages it ignored (rule
     *     {@link SegmentMapping#IGNORED_RULE}), which are counted apart: they broke no rule
     * @param logged silver's books from its data-quality log (ops.silver_batches)
     */
    static View of(
            Map<LakeTable, TableLog> logs,
            RuleTally quarantine,
            RuleTally refused,
            Books logged,
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
        RuleTally refusals = refused.without(SegmentMapping.IGNORED_RULE);
        return new View(
                layers,
                quarantine.total(),
                byRule(quarantine),
                refusals.total(),
                byRule(refusals),
                refused.count(SegmentMapping.IGNORED_RULE),
                logged,
                services);
    }

    /** Rows per rule, most first, each with a few samples of its raw text. */
    private static List<RuleCount> byRule(RuleTally tally) {
        List<RuleCount> byRule = new ArrayList<>();
        tally.counts().forEach((rule, count) -> byRule.add(new RuleCount(rule, count, tally.samples(rule))));
        byRule.sort(Comparator.comparingLong(RuleCount::rows).reversed().thenComparing(RuleCount::rule));
        return byRule;
    }

    /**
     * Rows per rule, with the first few samples of each rule's raw text (cut short): what the view keeps of the
     * quarantine and of ingest's refusals. Made per data file, and summed, so that rows read once need not be read
     * again (or kept) when the table grows.
     */
    record RuleTally(Map<String, Long> counts, Map<String, List<String>> samplesByRule) {

        static final RuleTally NONE = new RuleTally(Map.of(), Map.of());

        static RuleTally of(List<Quarantined> rows) {
            Map<String, Long> counts = new TreeMap<>();
            Map<String, List<String>> samples = new TreeMap<>();
            for (Quarantined row : rows) {
                counts.merge(row.rule(), 1L, Long::sum);
                if (row.value() != null) {
                    keep(samples, row.rule(), List.of(row.value()));
                }
            }
            return new RuleTally(counts, samples);
        }

        /** The tallies added up; samples taken in their order. */
        static RuleTally sum(Iterable<RuleTally> tallies) {
            Map<String, Long> counts = new TreeMap<>();
            Map<String, List<String>> samples = new TreeMap<>();
            for (RuleTally tally : tallies) {
                tally.counts.forEach((rule, count) -> counts.merge(rule, count, Long::sum));
                tally.samplesByRule.forEach((rule, values) -> keep(samples, rule, values));
            }
            return new RuleTally(counts, samples);
        }

        private static void keep(Map<String, List<String>> samples, String rule, List<String> values) {
            List<String> kept = samples.computeIfAbsent(rule, any -> new ArrayList<>());
            for (String value : values) {
                if (kept.size() < SAMPLES_PER_RULE) {
                    kept.add(value.length() <= SAMPLE_CHARACTERS ? value : value.substring(0, SAMPLE_CHARACTERS) + "…");
                }
            }
        }

        long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }

        long count(String rule) {
            return counts.getOrDefault(rule, 0L);
        }

        List<String> samples(String rule) {
            return samplesByRule.getOrDefault(rule, List.of());
        }

        RuleTally without(String rule) {
            Map<String, Long> counts = new TreeMap<>(this.counts);
            counts.remove(rule);
            Map<String, List<String>> samples = new TreeMap<>(samplesByRule);
            samples.remove(rule);
            return new RuleTally(counts, samples);
        }
    }
}
