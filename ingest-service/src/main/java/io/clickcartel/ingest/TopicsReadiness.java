package io.clickcartel.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the service has reached Kafka and its topics exist. Deliberately not a live Kafka check: a broker blip
 * would take every ingest pod out of its Service at once, and clients would get connection errors instead of the
 * quick 503 with Retry-After that each request answers while Kafka is away. The check reads a flag, so it always
 * answers within any probe timeout; while the service shuts down Quarkus reports it not ready.
 */
@Readiness
@ApplicationScoped
public class TopicsReadiness implements HealthCheck {

    private final KafkaTopics topics;

    public TopicsReadiness(KafkaTopics topics) {
        this.topics = topics;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("kafka-topics")
                .status(topics.present())
                .build();
    }
}
