package io.clickcartel.insights;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a pipeline service's Prometheus endpoint ({@code /q/metrics}) says about its streaming queries: per query
 * the last micro-batch (id, duration), rows read so far and throughput; for gold also the Spark jobs, stages and
 * tasks of its runs. Pure: parses the text a service answered.
 */
final class ServiceMetrics {

    private static final Pattern SAMPLE =
            Pattern.compile("^(clickcartel_[a-z_]+)(?:\\{([^}]*)})?\\s+(\\S+)$", Pattern.MULTILINE);
    private static final Pattern QUERY_LABEL = Pattern.compile("(?:^|,)query=\"([^\"]*)\"");

    private ServiceMetrics() {}

    record QueryProgress(
            String query,
            Long lastBatch,
            Double lastBatchSeconds,
            Long rowsRead,
            Double processedRowsPerSecond,
            Double watermarkLagSeconds) {}

    /** A service's state; {@code error} says why it could not be read (and everything else is empty). */
    record Service(String service, String url, String error, List<QueryProgress> queries, Map<String, Long> sparkWork) {
        static Service unreachable(String service, String url, String error) {
            return new Service(service, url, error, List.of(), Map.of());
        }
    }

    static Service parse(String service, String url, String text) {
        Map<String, Map<String, Double>> byQuery = new TreeMap<>();
        Map<String, Long> sparkWork = new TreeMap<>();
        Matcher sample = SAMPLE.matcher(text);
        while (sample.find()) {
            String name = sample.group(1);
            double value = number(sample.group(3));
            Matcher query = QUERY_LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
            if (query.find()) {
                byQuery.computeIfAbsent(query.group(1), q -> new TreeMap<>()).put(name, value);
            } else if (name.startsWith("clickcartel_gold_") && name.endsWith("_total") && !Double.isNaN(value)) {
                sparkWork.put(
                        name.substring("clickcartel_gold_".length(), name.length() - "_total".length()), (long) value);
            }
        }
        List<QueryProgress> queries = new ArrayList<>();
        byQuery.forEach((query, values) -> {
            if (values.containsKey("clickcartel_stream_rows_total")) { // a query of the service's own
                queries.add(new QueryProgress(
                        query,
                        whole(values.get("clickcartel_stream_last_batch")),
                        finite(values.get("clickcartel_stream_batch_duration_seconds")),
                        whole(values.get("clickcartel_stream_rows_total")),
                        finite(values.get("clickcartel_stream_processed_rows_per_second")),
                        finite(values.get("clickcartel_stream_watermark_lag_seconds"))));
            }
        });
        return new Service(service, url, null, queries, sparkWork);
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static Double finite(Double value) {
        return value == null || value.isNaN() || value.isInfinite() ? null : value;
    }

    private static Long whole(Double value) {
        Double finite = finite(value);
        return finite == null ? null : finite.longValue();
    }
}
