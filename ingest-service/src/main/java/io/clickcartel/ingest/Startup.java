package io.clickcartel.ingest;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Says once at start what the service writes where, and warns about settings unfit for production. */
public class Startup {

    private static final Logger LOG = Logger.getLogger(Startup.class);

    void onStart(@Observes StartupEvent event, IngestConfig config, KafkaTopics kafka) {
        LOG.infof(
                "ingest-service writing to %s (events: %s, rejected: %s), ack timeout %s, max future %s, "
                        + "at most %d events in flight, %d write key(s)",
                config.kafka().bootstrapServers(),
                config.kafka().eventsTopic(),
                config.kafka().rejectedTopic(),
                config.kafka().ackTimeout(),
                config.maxFuture(),
                config.maxInFlightEvents(),
                WriteKeys.of(config).size());
        if (WriteKeys.of(config).contains(IngestConfig.DEFAULT_WRITE_KEY)) {
            LOG.warn("the default write key for local runs is accepted: set CLICKCARTEL_WRITE_KEYS outside them");
        }
        kafka.ensureInBackground();
    }
}
