package io.clickcartel.insights;

import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.core.LakeTable;
import io.clickcartel.core.segment.SegmentMapping;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineTest {

    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");

    private static Pipeline.TableLog log(long version, Instant committed, DeltaReader.Commit... recent) {
        return new Pipeline.TableLog(Optional.of(new DeltaReader.Version(version, committed)), List.of(recent));
    }

    @Test
    void eachLayerTrailsTheNewestCommitOfWhatItReads() {
        DeltaReader.Commit batch = new DeltaReader.Commit(9, T0.plusSeconds(30), "STREAMING UPDATE", 8L, 120, 1);
        Pipeline.View view = Pipeline.of(
                Map.of(
                        LakeTable.BRONZE_EVENTS, log(9, T0.plusSeconds(30), batch),
                        LakeTable.SILVER_EVENTS, log(4, T0.plusSeconds(18)),
                        LakeTable.GOLD_PRODUCT_DAILY, log(2, T0.plusSeconds(25))),
                Pipeline.RuleTally.NONE,
                Pipeline.RuleTally.NONE,
                Pipeline.Books.NONE,
                List.of());
        assertThat(view.layers())
                .extracting(Pipeline.Layer::table)
                .startsWith("bronze.events", "silver.events", "silver.quarantine", "gold.product_daily");
        Pipeline.Layer bronze = view.layers().get(0);
        assertThat(bronze.reads()).isNull();
        assertThat(bronze.secondsBehindInput()).isNull();
        assertThat(bronze.recent()).containsExactly(batch);
        assertThat(view.layers().get(1).secondsBehindInput()).isEqualTo(12);
        assertThat(view.layers().get(2).version()).as("not written yet").isNull();
        assertThat(view.layers().get(3).secondsBehindInput())
                .as("gold committed after silver")
                .isZero();
        assertThat(view.layers().get(3).reads()).isEqualTo("silver.events");
    }

    @Test
    void theQuarantineIsCountedByRuleBiggestFirstWithAFewShortenedSamples() {
        String longRow = "x".repeat(Pipeline.SAMPLE_CHARACTERS + 50);
        Pipeline.View view = Pipeline.of(
                Map.of(),
                // two data files' tallies, summed: samples in the files' order
                Pipeline.RuleTally.sum(List.of(
                        Pipeline.RuleTally.of(List.of(
                                new Pipeline.Quarantined("malformed_json", "{\"a\""),
                                new Pipeline.Quarantined("user_id_missing", "1"))),
                        Pipeline.RuleTally.of(List.of(
                                new Pipeline.Quarantined("malformed_json", longRow),
                                new Pipeline.Quarantined("malformed_json", "3"),
                                new Pipeline.Quarantined("malformed_json", "4"))))),
                Pipeline.RuleTally.NONE,
                Pipeline.Books.NONE,
                List.of());
        assertThat(view.quarantined()).isEqualTo(5);
        assertThat(view.quarantineByRule())
                .extracting(Pipeline.RuleCount::rule)
                .containsExactly("malformed_json", "user_id_missing");
        Pipeline.RuleCount malformed = view.quarantineByRule().get(0);
        assertThat(malformed.rows()).isEqualTo(4);
        assertThat(malformed.samples()).hasSize(Pipeline.SAMPLES_PER_RULE);
        assertThat(malformed.samples().get(1))
                .hasSize(Pipeline.SAMPLE_CHARACTERS + 1)
                .endsWith("…");
    }

    @Test
    void ingestsRefusalsAreCountedByRuleIgnoredSegmentMessagesApartAndSilversBooksAddUpItsLog() {
        Pipeline.View view = Pipeline.of(
                Map.of(),
                Pipeline.RuleTally.NONE,
                Pipeline.RuleTally.sum(List.of(
                        Pipeline.RuleTally.of(List.of(
                                new Pipeline.Quarantined("event_type_unknown", "{\"event_type\":\"x\"}"),
                                new Pipeline.Quarantined(SegmentMapping.IGNORED_RULE, null),
                                new Pipeline.Quarantined(PipelineSnapshots.UNREADABLE, "not json"))),
                        Pipeline.RuleTally.of(List.of(
                                new Pipeline.Quarantined(SegmentMapping.IGNORED_RULE, null),
                                new Pipeline.Quarantined("event_type_unknown", "{}"))))),
                Pipeline.Books.sum(List.of(
                        Pipeline.Books.of(List.of(new Pipeline.LoggedBatch(100, 90, 4, 5, 1))),
                        Pipeline.Books.of(List.of(new Pipeline.LoggedBatch(50, 48, 1, 1, 0))))),
                List.of());
        assertThat(view.refusedAtIngest()).isEqualTo(3);
        assertThat(view.ignoredAtIngest()).isEqualTo(2);
        assertThat(view.refusedAtIngestByRule())
                .extracting(rule -> rule.rule() + "=" + rule.rows())
                .containsExactly("event_type_unknown=2", PipelineSnapshots.UNREADABLE + "=1");
        assertThat(view.books()).isEqualTo(new Pipeline.Books(2, 150, 138, 5, 6, 1));
        assertThat(view.quarantined()).isZero();
    }
}
