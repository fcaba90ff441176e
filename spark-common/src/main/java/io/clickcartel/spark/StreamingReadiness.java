package io.clickcartel.spark;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while every streaming query of the process runs and none has failed. */
@Readiness
@ApplicationScoped
public class StreamingReadiness implements HealthCheck {

    private final StreamingQueries queries;

    public StreamingReadiness(StreamingQueries queries) {
        this.queries = queries;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("streaming-queries");
        boolean up = !queries.all().isEmpty();
        for (StreamingQuery query : queries.all()) {
            boolean healthy = query.isActive() && query.exception().isEmpty();
            up &= healthy;
            response.withData(
                    query.name(),
                    healthy
                            ? "active"
                            : query.exception().isDefined()
                                    ? "failed: " + query.exception().get().getMessage()
                                    : "stopped");
        }
        return response.status(up).build();
    }
}
