package io.clickcartel.silver;

import io.clickcartel.core.LakeTable;
import io.clickcartel.spark.BatchLogTopic;
import io.clickcartel.spark.LakeTables;
import io.clickcartel.spark.PipelineConfig;
import io.clickcartel.spark.StreamingQueries;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.jboss.logging.Logger;

/** Starts the silver query with the service (unless the backfill command runs). */
@ApplicationScoped
public class SilverStreams {

    private static final Logger LOG = Logger.getLogger(SilverStreams.class);

    @Produces
    @ApplicationScoped
    SilverPipeline pipeline(SparkSession spark, PipelineConfig pipeline, SilverConfig silver) {
        return new SilverPipeline(
                spark,
                pipeline.lake(),
                pipeline.checkpoints(),
                silver.customers(),
                silver.products(),
                silver.watermarkDelay(),
                pipeline.maxFuture(),
                silver.maxBytesPerTrigger());
    }

    void start(
            @Observes StartupEvent event,
            SilverPipeline pipeline,
            SilverConfig config,
            StreamingQueries queries,
            SparkSession spark,
            PipelineConfig lake)
            throws TimeoutException {
        if (!config.streaming()) {
            return;
        }
        requireFile(config.customers(), "CLICKCARTEL_SILVER_CUSTOMERS");
        requireFile(config.products(), "CLICKCARTEL_SILVER_PRODUCTS");
        LakeTables.bronzeForReading(spark, lake.lake()); // silver may start before the bronze writer
        LOG.infof(
                "silver writing %s and %s (watermark delay %s, max future %s, customers %s, products %s)",
                pipeline.eventsTable(),
                pipeline.quarantineTable(),
                config.watermarkDelay(),
                lake.maxFuture(),
                config.customers(),
                config.products());
        queries.leaseLayer(SilverPipeline.LAYER);
        Trigger trigger = Trigger.ProcessingTime(config.trigger().toMillis());
        LakeTables.createBatchLogIfMissing(spark, lake.lake(), LakeTable.OPS_SILVER_BATCHES);
        queries.register(pipeline.start(trigger), pipeline.eventsTable(), pipeline.quarantineTable());
        BatchLogTopic.startIfConfigured(spark, lake, LakeTable.OPS_SILVER_BATCHES, trigger, queries);
    }

    private static void requireFile(String path, String variable) {
        if (!java.nio.file.Files.exists(java.nio.file.Path.of(path)) && !path.contains("://")) {
            throw new IllegalStateException("reference data " + path + " not found: set " + variable
                    + " (datagen generate writes customers.csv and products.parquet)");
        }
    }
}
