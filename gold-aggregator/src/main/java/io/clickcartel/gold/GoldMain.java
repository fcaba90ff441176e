package io.clickcartel.gold;

import io.clickcartel.spark.Lease;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * {@code java -jar gold-aggregator.jar} runs the service (gold follows silver); the commands run once and exit:
 * <pre>
 *   refresh [--explain]     recompute every gold table from all of silver and overwrite it; refused (exit 3)
 *                           while the gold service or another refresh runs on the same lake
 *   report [--json] [--top N]   print the three answers from the gold tables
 *   check DATASET DUPLICATES_REMOVED TOO_LATE
 *                           the report, then the lake compared with a generated data set's ground truth (exit 1
 *                           if it differs);
 *                           the two counts are silver's metrics (the lake holds no trace of removed rows)
 * </pre>
 */
@QuarkusMain
public class GoldMain implements QuarkusApplication {

    private static final Set<String> COMMANDS = Set.of("refresh", "report", "check");
    private static final String USAGE = "usage: gold-aggregator [refresh [--explain] | report [--json] [--top N]"
            + " | check DATASET DUPLICATES_REMOVED TOO_LATE]";

    /** Exit code of a command refused because another process writes the same tables. */
    static final int REFUSED = 3;

    @Inject
    GoldPipeline pipeline;

    @Inject
    SparkSession spark;

    @Inject
    io.clickcartel.spark.PipelineConfig config;

    public static void main(String... args) {
        if (args.length > 0 && COMMANDS.contains(args[0])) {
            System.setProperty("clickcartel.gold.streaming", "false");
        }
        Quarkus.run(GoldMain.class, args);
    }

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        List<String> options = List.of(args).subList(1, args.length);
        switch (args[0]) {
            case "refresh" -> {
                if (options.contains("--explain")) {
                    pipeline.queries().forEach((table, query) -> {
                        System.out.println("== " + table.lakeTable().qualifiedName() + " ==");
                        System.out.println(query.queryExecution().explainString(
                                org.apache.spark.sql.execution.ExplainMode.fromString("formatted")));
                    });
                    return 0;
                }
                try (Lease lease = Lease.take(spark.sparkContext().hadoopConfiguration(),
                        Lease.fileFor(config.checkpoints(), GoldPipeline.QUERY), "gold refresh")) {
                    System.out.println("gold refresh: " + pipeline.refresh());
                    return 0;
                } catch (Lease.HeldException e) {
                    System.err.println("refresh refused: " + e.getMessage()
                            + ". Stop the gold service (or wait for the other refresh) and run it again.");
                    return REFUSED;
                }
            }
            case "report" -> {
                int top = 10;
                int at = options.indexOf("--top");
                if (at >= 0) {
                    try {
                        top = Integer.parseInt(options.get(at + 1));
                    } catch (RuntimeException e) {
                        System.err.println("report: --top needs a number\n" + USAGE);
                        return 2;
                    }
                }
                Report report = Report.build(spark, pipeline, top);
                System.out.println(options.contains("--json") ? report.json() : report.text());
                return 0;
            }
            case "check" -> {
                if (options.size() != 3) {
                    System.err.println(USAGE);
                    return 2;
                }
                try {
                    GroundTruthCheck check = GroundTruthCheck.run(spark, config.lake(), pipeline,
                            java.nio.file.Path.of(options.get(0)), new GroundTruthCheck.StreamCounts(
                                    Long.parseLong(options.get(1)), Long.parseLong(options.get(2))));
                    System.out.println(Report.build(spark, pipeline, 10).text());
                    System.out.println(check.text());
                    return check.matches() ? 0 : 1;
                } catch (java.io.IOException | NumberFormatException e) {
                    System.err.println("check: " + e.getMessage() + "\n" + USAGE);
                    return 2;
                }
            }
            default -> {
                System.err.println(USAGE);
                return 2;
            }
        }
    }
}
