package io.clickcartel.spark;

import io.clickcartel.core.SparkConf;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.spark.sql.SparkSession;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** One SparkSession per process; on shutdown the queries stop first, then Spark. */
@ApplicationScoped
public class SparkSessionProducer {

    private static final Logger LOG = Logger.getLogger(SparkSessionProducer.class);

    @Produces
    @Singleton
    SparkSession spark(PipelineConfig config, @ConfigProperty(name = "quarkus.application.name") String name) {
        LOG.infof("starting Spark (master %s)", config.spark().master());
        return SparkSessions.create(
                config.spark().master(), name, SparkConf.parse(config.spark().conf()));
    }

    void stopQueriesBeforeSpark(@Observes ShutdownEvent event, StreamingQueries queries) {
        queries.stopAll();
    }

    void close(@Disposes SparkSession spark) {
        // Spark's own shutdown hook may have stopped the context already
        if (!spark.sparkContext().isStopped()) {
            spark.stop();
        }
    }
}
