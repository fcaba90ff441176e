package io.clickcartel.bronze;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Down while records bronze has not read are close to Kafka's retention (older than
 * {@code CLICKCARTEL_BRONZE_RETENTION_WARN_SHARE} of it) or already gone: the alert before data expires unread.
 */
@Readiness
@ApplicationScoped
public class KafkaRetentionReadiness implements HealthCheck {

    private final KafkaRetentionWatch watch;

    public KafkaRetentionReadiness(KafkaRetentionWatch watch) {
        this.watch = watch;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka-retention");
        watch.last()
                .ifPresent(unread -> response.withData(
                                "oldest_unread_age", unread.oldestAge().toString())
                        .withData("unread_records", unread.count())
                        .withData(
                                "retention",
                                unread.retention() == null
                                        ? "forever"
                                        : unread.retention().toString())
                        .withData("lost", unread.lost()));
        return response.status(!watch.atRisk()).build();
    }
}
