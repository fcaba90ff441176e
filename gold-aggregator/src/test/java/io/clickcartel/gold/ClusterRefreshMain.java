package io.clickcartel.gold;

import static org.awaitility.Awaitility.await;

import io.clickcartel.spark.SparkSessions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * A gold refresh as a Spark driver of its own (client mode), for {@link StandaloneClusterTest}: waits until the
 * cluster has given it {@code executors} executors, refreshes gold, and prints which executors ran tasks.
 * Arguments: master URL, lake, checkpoints, executors.
 */
public final class ClusterRefreshMain {

    public static void main(String[] args) {
        int executors = Integer.parseInt(args[3]);
        SparkSession spark = SparkSessions.create(
                args[0],
                "gold-refresh-on-a-cluster",
                Map.of(
                        "spark.executor.cores",
                        "1",
                        "spark.executor.memory",
                        "512m",
                        "spark.cores.max",
                        "" + executors,
                        // the executors run this build's classes (transforms, UDFs, Delta) from the same class path
                        "spark.executor.extraClassPath",
                        System.getProperty("java.class.path")));
        // the status tracker lists the driver too
        await("the cluster's " + executors + " executors")
                .atMost(Duration.ofSeconds(90))
                .until(() -> spark.sparkContext().statusTracker().getExecutorInfos().length >= executors + 1);
        Set<String> executorsWithTasks = ConcurrentHashMap.newKeySet();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd event) {
                executorsWithTasks.add(
                        event.taskInfo().host() + "/" + event.taskInfo().executorId());
            }
        });
        RunSummary.Figures figures = new GoldPipeline(spark, args[1], args[2], f -> {}).refresh();
        System.out.println("refresh: " + figures);
        System.out.println("executors with tasks: " + executorsWithTasks.size() + " " + executorsWithTasks);
        spark.stop();
    }

    private ClusterRefreshMain() {}
}
