package io.clickcartel.gold;

import io.clickcartel.spark.Commands;
import io.clickcartel.spark.LakeMaintenance;
import io.clickcartel.spark.Lease;
import io.clickcartel.spark.PipelineConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.ExplainMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar gold-aggregator.jar} runs the service (gold follows silver); the commands {@code refresh},
 * {@code report} and {@code maintain} (the whole lake's, run here as gold's image is the one with every table's
 * reader) run once and exit ({@code --help} on each says how).
 */
@QuarkusMain
public class GoldMain implements QuarkusApplication {

    /** Exit code of a command refused because another process writes the same tables. */
    static final int REFUSED = 3;

    @Inject
    GoldPipeline pipeline;

    @Inject
    SparkSession spark;

    @Inject
    PipelineConfig config;

    /** The command line, checked before Quarkus and Spark start: help and usage errors answer at once. */
    public static void main(String... args) {
        int early = Commands.answerEarly(commandLine(null), args);
        if (early != Commands.GO_ON) {
            System.exit(early);
        }
        if (args.length > 0) {
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
        return commandLine(this).execute(args);
    }

    /** The commands; {@code app} runs them (null: parse only, before Quarkus starts). */
    static CommandLine commandLine(GoldMain app) {
        return new CommandLine(new Service())
                .addSubcommand(new Refresh(app))
                .addSubcommand(new ReportCommand(app))
                .addSubcommand(new Maintain(app));
    }

    @Command(
            name = "gold-aggregator",
            description = "Without a command: the gold service, keeping the gold tables current from silver's change "
                    + "feed. Settings come from the environment (CLICKCARTEL_LAKE, CLICKCARTEL_CHECKPOINTS, "
                    + "CLICKCARTEL_GOLD_…).")
    static final class Service implements Runnable {
        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "show this help and exit")
        boolean help;

        @Override
        public void run() {
            // only reached with options and no command; streaming is the no-argument run
        }
    }

    @Command(
            name = "refresh",
            description = "Recompute every gold table from all of silver and overwrite it. Refused (exit 3) while the "
                    + "gold service or another refresh runs on the same lake.")
    static final class Refresh implements Callable<Integer> {
        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "show this help and exit")
        boolean help;

        @Option(names = "--explain", description = "print each table's query plan instead, write nothing")
        boolean explain;

        private final GoldMain app;

        Refresh(GoldMain app) {
            this.app = app;
        }

        @Override
        public Integer call() {
            if (explain) {
                app.pipeline.queries().forEach((table, query) -> {
                    System.out.println("== " + table.lakeTable().qualifiedName() + " ==");
                    System.out.println(query.queryExecution().explainString(ExplainMode.fromString("formatted")));
                });
                return CommandLine.ExitCode.OK;
            }
            try (Lease lease = Lease.take(
                    app.spark.sparkContext().hadoopConfiguration(),
                    Lease.fileFor(app.config.checkpoints(), GoldPipeline.QUERY),
                    "gold refresh")) {
                System.out.println("gold refresh: " + app.pipeline.refresh());
                return CommandLine.ExitCode.OK;
            } catch (Lease.HeldException e) {
                System.err.println("refresh refused: " + e.getMessage()
                        + ". Stop the gold service (or wait for the other refresh) and run it again.");
                return REFUSED;
            }
        }
    }

    @Command(name = "report", description = "Print the three answers from the gold tables.")
    static final class ReportCommand implements Callable<Integer> {
        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "show this help and exit")
        boolean help;

        @Option(names = "--json", description = "as JSON")
        boolean json;

        @Option(names = "--top", paramLabel = "N", description = "rows per list (default ${DEFAULT-VALUE})")
        int top = 10;

        private final GoldMain app;

        ReportCommand(GoldMain app) {
            this.app = app;
        }

        @Override
        public Integer call() {
            Report report = Report.build(app.spark, app.pipeline, top);
            System.out.println(json ? report.json() : report.text());
            return CommandLine.ExitCode.OK;
        }
    }

    @Command(
            name = "maintain",
            description = "Compact the tables that grow by appends (bronze.events, silver.events, silver.quarantine) "
                    + "and vacuum every table of the lake, keeping what the last RETENTION of versions needs. Safe "
                    + "while the services run; meant for a schedule.")
    static final class Maintain implements Callable<Integer> {
        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "show this help and exit")
        boolean help;

        @Option(
                names = "--retention",
                paramLabel = "RETENTION",
                description = "ISO-8601 duration, at least P7D (default: CLICKCARTEL_LAKE_RETENTION, or P7D)")
        java.time.Duration retention;

        private final GoldMain app;

        Maintain(GoldMain app) {
            this.app = app;
        }

        @Override
        public Integer call() {
            java.time.Duration retention = this.retention == null ? app.config.lakeRetention() : this.retention;
            try {
                List<LakeMaintenance.Outcome> outcomes = LakeMaintenance.run(
                        app.spark, app.config.lake(), retention, outcome -> System.out.println("maintain " + outcome));
                System.out.println("maintain: " + outcomes.size() + " tables, retention " + retention);
                return CommandLine.ExitCode.OK;
            } catch (IllegalArgumentException e) {
                System.err.println("maintain: " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
        }
    }
}
