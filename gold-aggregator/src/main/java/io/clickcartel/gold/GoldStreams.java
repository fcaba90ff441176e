package io.clickcartel.gold;

import io.clickcartel.core.LakeTable;
import io.clickcartel.spark.BatchLogTopic;
import io.clickcartel.spark.LakeTables;
import io.clickcartel.spark.PipelineConfig;
import io.clickcartel.spark.StreamingQueries;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.jboss.logging.Logger;

/** Starts the gold query with the service (unless a command runs), once silver exists. */
@ApplicationScoped
public class GoldStreams {

    private static final Logger LOG = Logger.getLogger(GoldStreams.class);

    @Produces
    @ApplicationScoped
    GoldPipeline pipeline(SparkSession spark, PipelineConfig pipeline, MeterRegistry registry) {
        AtomicLong heaviestMaxTask =
                registry.gauge("clickcartel.gold.heaviest.stage.max.task.millis", new AtomicLong());
        AtomicLong heaviestMedianTask =
                registry.gauge("clickcartel.gold.heaviest.stage.median.task.millis", new AtomicLong());
        return new GoldPipeline(spark, pipeline.lake(), pipeline.checkpoints(), figures -> {
            registry.counter("clickcartel.gold.runs").increment();
            registry.counter("clickcartel.gold.jobs").increment(figures.jobs());
            registry.counter("clickcartel.gold.stages").increment(figures.stages());
            registry.counter("clickcartel.gold.tasks").increment(figures.tasks());
            registry.timer("clickcartel.gold.run.duration")
                    .record(java.time.Duration.ofMillis((long) (figures.seconds() * 1000)));
            heaviestMaxTask.set(figures.heaviestStageMaxTaskMillis());
            heaviestMedianTask.set(figures.heaviestStageMedianTaskMillis());
        });
    }

    void start(
            @Observes StartupEvent event,
            GoldPipeline pipeline,
            GoldConfig config,
            StreamingQueries queries,
            SparkSession spark,
            PipelineConfig lake)
            throws TimeoutException {
        if (!config.streaming()) {
            return;
        }
        queries.leaseLayer(GoldPipeline.QUERY);
        LOG.infof("gold following %s every %s", LakeTable.SILVER_EVENTS.location(lake.lake()), config.trigger());
        Trigger trigger = Trigger.ProcessingTime(config.trigger().toMillis());
        LakeTables.createBatchLogIfMissing(spark, lake.lake(), LakeTable.OPS_GOLD_BATCHES);
        queries.register(
                pipeline.start(trigger, config.maxBytesPerTrigger()),
                pipeline.location(GoldPipeline.Table.PRODUCT_DAILY));
        BatchLogTopic.startIfConfigured(spark, lake, LakeTable.OPS_GOLD_BATCHES, trigger, queries);
    }
}
