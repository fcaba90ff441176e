package io.clickcartel.silver;

import io.clickcartel.spark.Commands;
import io.clickcartel.spark.Lease;
import io.clickcartel.spark.PipelineConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar silver-processor.jar} runs the service; {@code … backfill FROM TO} (ISO dates, inclusive)
 * re-derives silver for those event dates from bronze and exits. The backfill is refused (exit 3) while the silver
 * service or another backfill runs on the same lake (both would write the same partitions), and while the silver
 * stream's last position is not at a whole bronze version (it could not tell which rows the stream has written).
 */
@QuarkusMain
public class SilverMain implements QuarkusApplication {

    /** Exit code of a command refused because another process writes the same tables. */
    static final int REFUSED = 3;

    @Inject
    SilverPipeline pipeline;

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
            System.setProperty("clickcartel.silver.streaming", "false");
        }
        Quarkus.run(SilverMain.class, args);
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
    static CommandLine commandLine(SilverMain app) {
        return new CommandLine(new Service()).addSubcommand(new Backfill(app));
    }

    @Command(
            name = "silver-processor",
            description = "Without a command: the silver service, streaming bronze into silver.events and "
                    + "silver.quarantine. Settings come from the environment (CLICKCARTEL_LAKE, "
                    + "CLICKCARTEL_CHECKPOINTS, CLICKCARTEL_SILVER_…).")
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
            name = "backfill",
            description = "Re-derive silver for the event dates FROM..TO (inclusive) from the bronze versions the "
                    + "stream has written, replacing those dates' partitions. Refused (exit 3) while the silver "
                    + "service or another backfill runs.")
    static final class Backfill implements Callable<Integer> {
        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "show this help and exit")
        boolean help;

        @Parameters(index = "0", paramLabel = "FROM", description = "first event date, like 2024-05-01")
        LocalDate from;

        @Parameters(index = "1", paramLabel = "TO", description = "last event date, like 2024-05-03")
        LocalDate to;

        private final SilverMain app;

        Backfill(SilverMain app) {
            this.app = app;
        }

        @Override
        public Integer call() {
            PrintWriter err = new PrintWriter(System.err, true);
            if (to.isBefore(from)) {
                err.println("backfill: TO (" + to + ") is before FROM (" + from + ")");
                return CommandLine.ExitCode.USAGE;
            }
            try (Lease lease = Lease.take(
                    app.spark.sparkContext().hadoopConfiguration(),
                    Lease.fileFor(app.config.checkpoints(), SilverPipeline.LAYER),
                    "silver backfill")) {
                long rows = app.pipeline.backfill(from, to);
                System.out.println("backfill of " + from + ".." + to + ": " + rows + " silver rows");
                return CommandLine.ExitCode.OK;
            } catch (Lease.HeldException e) {
                err.println("backfill refused: " + e.getMessage()
                        + ". Stop the silver service (or wait for the other backfill) and run it again.");
                return REFUSED;
            } catch (WrittenBronze.NotAtAVersionException e) {
                err.println("backfill refused: " + e.getMessage());
                return REFUSED;
            }
        }
    }
}
