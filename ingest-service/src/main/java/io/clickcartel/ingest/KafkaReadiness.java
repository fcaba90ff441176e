package io.clickcartel.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while Kafka answers: without it no event can be accepted. */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    private final KafkaTopics kafka;
    private final IngestConfig config;

    public KafkaReadiness(KafkaTopics kafka, IngestConfig config) {
        this.kafka = kafka;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("kafka")
                .status(kafka.reachable())
                .withData("bootstrap.servers", config.kafka().bootstrapServers())
                .build();
    }
}
