package io.clickcartel.spark;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.streaming.IncrementalExecution;
import org.apache.spark.sql.execution.streaming.StateStoreWriter;
import org.apache.spark.sql.execution.streaming.StreamingQueryWrapper;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * What Spark measured in the streaming micro-batch that runs on this thread ({@code foreachBatch}), read while the
 * batch still runs, so that it can be written with the batch: the stateful operators' figures, read from the batch's
 * physical plan the way Spark's own progress report reads them after the batch. They are final once the batch's
 * rows have been computed (e.g. a persisted batch after its first action). Spark offers no public API for this
 * inside a batch: these are its internals (the query's last execution, its stateful operators), which
 * SilverReconciliationTest and GoldReconciliationTest pin against the ground truth, so a Spark upgrade that changes
 * them fails there.
 */
public final class RunningBatch {

    /** The de-duplication operator's count of the rows it dropped (Spark 3.5). */
    public static final String DROPPED_DUPLICATES = "numDroppedDuplicateRows";

    private static final String OUTPUT_ROWS = "numOutputRows";

    private final IncrementalExecution execution;

    private RunningBatch(IncrementalExecution execution) {
        this.execution = execution;
    }

    /**
     * The batch running on this thread, of a query {@code spark} started (not the batch's own session: a stream
     * runs in a clone of it, whose query manager knows no query).
     */
    public static RunningBatch current(SparkSession spark) {
        String queryId = BatchWrites.queryId(spark);
        StreamingQuery query = spark.streams().get(queryId);
        if (!(query instanceof StreamingQueryWrapper wrapper)) {
            throw new IllegalStateException("streaming query " + queryId + " is not active in this session");
        }
        return new RunningBatch(wrapper.streamingQuery().lastExecution());
    }

    /**
     * Rows the batch read from its sources: the plan's leaves' output, as the progress counts them. Counted as the
     * batch's rows are computed: 0 while nothing has computed them, e.g. when its only write was skipped as
     * committed before (RunningBatchTest).
     */
    public long inputRows() {
        List<SparkPlan> leaves = new ArrayList<>();
        visit(execution.executedPlan(), plan -> {
            if (plan.children().isEmpty()) {
                leaves.add(plan);
            }
        });
        return leaves.stream()
                .map(leaf -> leaf.metrics().get(OUTPUT_ROWS))
                .filter(Option::isDefined)
                .mapToLong(metric -> metric.get().value())
                .sum();
    }

    /** Rows the batch's stateful operators dropped as duplicates. */
    public long droppedDuplicates() {
        return stateOperators().stream()
                .mapToLong(state -> state.customMetrics().getOrDefault(DROPPED_DUPLICATES, 0L))
                .sum();
    }

    /** Rows the batch's stateful operators dropped as older than the watermark. */
    public long droppedLate() {
        return stateOperators().stream()
                .mapToLong(StateOperatorProgress::numRowsDroppedByWatermark)
                .sum();
    }

    /** The event-time watermark the batch runs with; empty before any event time was seen. */
    public Optional<Instant> watermark() {
        long millis = execution.offsetSeqMetadata().batchWatermarkMs();
        return millis > 0 ? Optional.of(Instant.ofEpochMilli(millis)) : Optional.empty();
    }

    private List<StateOperatorProgress> stateOperators() {
        List<StateOperatorProgress> progress = new ArrayList<>();
        visit(execution.executedPlan(), plan -> {
            if (plan instanceof StateStoreWriter writer) {
                progress.add(writer.getProgress());
            }
        });
        return progress;
    }

    private static void visit(SparkPlan plan, Consumer<SparkPlan> visitor) {
        visitor.accept(plan);
        for (SparkPlan child : JavaConverters.seqAsJavaList(plan.children())) {
            visit(child, visitor);
        }
    }
}
