package io.clickcartel.check;

import io.clickcartel.core.SparkConf;
import io.clickcartel.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code check DATASET}: the lake against a generated data set's ground truth. */
@Command(
        name = "check",
        description = "Compares the lake with the ground truth of a data set datagen generated: every accepted event "
                + "accounted for (what silver removed, from its data-quality log ops.silver_batches), each layer's "
                + "count and every gold table row by row. Exit 0 if all match, 1 if not, 2 on a usage error or an "
                + "unreadable data set or lake.")
public final class LakeCheck implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "show this help and exit")
    boolean help;

    @Option(
            names = "--lake",
            paramLabel = "PATH",
            defaultValue = "${env:CLICKCARTEL_LAKE:-lake}",
            description = "the lake's root, a path or Hadoop URI (default: $CLICKCARTEL_LAKE, else lake)")
    String lake;

    @Option(
            names = "--spark-master",
            paramLabel = "URL",
            defaultValue = "${env:CLICKCARTEL_SPARK_MASTER:-local[*]}",
            description = "where Spark runs the reads (default: $CLICKCARTEL_SPARK_MASTER, else local[*])")
    String sparkMaster;

    @Option(
            names = "--spark-conf",
            paramLabel = "K=V,…",
            defaultValue = "${env:CLICKCARTEL_SPARK_CONF:- }",
            description = "extra Spark settings, as for the services, e.g. the lake's S3 endpoint "
                    + "(default: $CLICKCARTEL_SPARK_CONF)")
    String sparkConf;

    @Parameters(paramLabel = "DATASET", description = "the folder datagen generated")
    Path dataset;

    public static void main(String... args) {
        System.exit(new CommandLine(new LakeCheck()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> settings;
        try {
            settings = SparkConf.parse(sparkConf);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("check: --spark-conf: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        // stopped by Spark's shutdown hook when main exits
        SparkSession spark = SparkSessions.create(sparkMaster, "clickcartel-check", settings);
        try {
            GroundTruthCheck check = GroundTruthCheck.run(spark, lake, dataset);
            spec.commandLine().getOut().println(check.text());
            return check.matches() ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
        } catch (IOException e) {
            spec.commandLine().getErr().println("check: the data set's ground truth cannot be read: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        } catch (Exception e) {
            // Spark throws AnalysisException (checked in Java's eyes) undeclared, e.g. for a missing table
            if (!(e instanceof AnalysisException)) {
                throw e;
            }
            spec.commandLine().getErr().println("check: the lake cannot be read: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
    }
}
