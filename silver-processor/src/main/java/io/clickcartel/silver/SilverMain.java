package io.clickcartel.silver;

import io.clickcartel.spark.Lease;
import io.clickcartel.spark.PipelineConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.apache.spark.sql.SparkSession;
import org.jboss.logging.Logger;

/**
 * {@code java -jar silver-processor.jar} runs the service; {@code … backfill FROM TO} (ISO dates, inclusive)
 * re-derives silver for those event dates from bronze and exits. The backfill is refused (exit 3) while the silver
 * service or another backfill runs on the same lake (both would write the same partitions), and while the silver
 * stream's last position is not at a whole bronze version (it could not tell which rows the stream has written).
 */
@QuarkusMain
public class SilverMain implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(SilverMain.class);

    /** Exit code of a command refused because another process writes the same tables. */
    static final int REFUSED = 3;

    @Inject
    SilverPipeline pipeline;

    @Inject
    SparkSession spark;

    @Inject
    PipelineConfig config;

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("backfill")) {
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
        if (!args[0].equals("backfill") || args.length != 3) {
            System.err.println("usage: silver-processor [backfill FROM TO]   (dates as 2024-05-01, inclusive)");
            return 2;
        }
        try {
            LocalDate from = LocalDate.parse(args[1]);
            LocalDate to = LocalDate.parse(args[2]);
            if (to.isBefore(from)) {
                System.err.println("backfill: TO (" + to + ") is before FROM (" + from + ")");
                return 2;
            }
            try (Lease lease = Lease.take(spark.sparkContext().hadoopConfiguration(),
                    Lease.fileFor(config.checkpoints(), SilverPipeline.LAYER), "silver backfill")) {
                long rows = pipeline.backfill(from, to);
                LOG.infof("backfill of %s..%s wrote %d silver rows", from, to, rows);
                return 0;
            } catch (Lease.HeldException e) {
                System.err.println("backfill refused: " + e.getMessage()
                        + ". Stop the silver service (or wait for the other backfill) and run it again.");
                return REFUSED;
            } catch (WrittenBronze.NotAtAVersionException e) {
                System.err.println("backfill refused: " + e.getMessage());
                return REFUSED;
            }
        } catch (DateTimeParseException e) {
            System.err.println("backfill: " + e.getParsedString() + " is no date like 2024-05-01");
            return 2;
        }
    }
}
