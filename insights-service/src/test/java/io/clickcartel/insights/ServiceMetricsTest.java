package io.clickcartel.insights;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceMetricsTest {

    @Test
    void aServicesQueriesAndGoldsSparkWorkAreReadFromItsPrometheusText() {
        String text = """
                # HELP clickcartel_stream_rows_total Rows read by the query
                # TYPE clickcartel_stream_rows_total counter
                clickcartel_stream_rows_total{query="gold"} 20000.0
                clickcartel_stream_last_batch{query="gold"} 7.0
                clickcartel_stream_batch_duration_seconds{query="gold"} 18.25
                clickcartel_stream_processed_rows_per_second{query="gold"} 1096.4
                clickcartel_stream_watermark_lag_seconds{query="gold"} NaN
                clickcartel_stream_dropped_late_total{query="gold"} 0.0
                clickcartel_stream_last_batch{query="not-started-here"} 3.0
                clickcartel_gold_jobs_total 120.0
                clickcartel_gold_tasks_total 2400.0
                clickcartel_gold_heaviest_stage_max_task_millis 900.0
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.2E8
                """;
        ServiceMetrics.Service gold = ServiceMetrics.parse("gold", "http://gold:8083", text);
        assertThat(gold.error()).isNull();
        assertThat(gold.queries())
                .containsExactly(new ServiceMetrics.QueryProgress("gold", 7L, 18.25, 20000L, 1096.4, null));
        assertThat(gold.sparkWork()).isEqualTo(Map.of("jobs", 120L, "tasks", 2400L));
    }

    @Test
    void textWithoutOurMetricsGivesNoQueries() {
        ServiceMetrics.Service other = ServiceMetrics.parse("x", "http://x", "up 1\nbroken line {\n");
        assertThat(other.queries()).isEmpty();
        assertThat(other.sparkWork()).isEmpty();
    }
}
