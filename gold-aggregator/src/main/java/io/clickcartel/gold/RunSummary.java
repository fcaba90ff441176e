package io.clickcartel.gold;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * What Spark did for one piece of work (a refresh, a gold batch): jobs, stages, tasks, and the stage with the most
 * task time with its max and median task duration — where skew would show as a straggler. Counts every job of the
 * SparkContext while it is open, so open one at a time.
 */
public final class RunSummary extends SparkListener implements AutoCloseable {

    private final SparkSession spark;
    private final long started = System.nanoTime();
    private int jobs;
    private int stages;
    private final Map<Integer, List<Long>> taskMillisByStage = new HashMap<>();

    private RunSummary(SparkSession spark) {
        this.spark = spark;
    }

    public static RunSummary open(SparkSession spark) {
        RunSummary summary = new RunSummary(spark);
        spark.sparkContext().addSparkListener(summary);
        return summary;
    }

    @Override
    public synchronized void onJobStart(SparkListenerJobStart event) {
        jobs++;
    }

    @Override
    public synchronized void onStageCompleted(SparkListenerStageCompleted event) {
        stages++;
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd event) {
        if (event.taskInfo() != null) {
            taskMillisByStage
                    .computeIfAbsent(event.stageId(), id -> new ArrayList<>())
                    .add(event.taskInfo().duration());
        }
    }

    /** Figures so far. */
    public synchronized Figures figures() {
        int tasks = taskMillisByStage.values().stream().mapToInt(List::size).sum();
        List<Long> heaviest = taskMillisByStage.values().stream()
                .max(java.util.Comparator.comparingLong(
                        t -> t.stream().mapToLong(Long::longValue).sum()))
                .orElse(List.of());
        List<Long> sorted = heaviest.stream().sorted().toList();
        long max = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1);
        long median = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
        return new Figures(jobs, stages, tasks, (System.nanoTime() - started) / 1e9, sorted.size(), max, median);
    }

    @Override
    public void close() {
        spark.sparkContext().removeSparkListener(this);
    }

    /** The heaviest stage is the one with the most task time in total. */
    public record Figures(
            int jobs,
            int stages,
            int tasks,
            double seconds,
            int heaviestStageTasks,
            long heaviestStageMaxTaskMillis,
            long heaviestStageMedianTaskMillis) {
        @Override
        public String toString() {
            return String.format(
                    "%d jobs, %d stages, %d tasks in %.1f s; heaviest stage: %d tasks, max %d ms, " + "median %d ms",
                    jobs,
                    stages,
                    tasks,
                    seconds,
                    heaviestStageTasks,
                    heaviestStageMaxTaskMillis,
                    heaviestStageMedianTaskMillis);
        }
    }
}
