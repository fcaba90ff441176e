package io.clickcartel.spark;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Not alive once a query has failed: a failed query never resumes by itself, and a restart of the process resumes
 * it from its checkpoint, so an orchestrator should restart it.
 */
@Liveness
@ApplicationScoped
public class StreamingLiveness implements HealthCheck {

    private final StreamingQueries queries;

    public StreamingLiveness(StreamingQueries queries) {
        this.queries = queries;
    }

    @Override
    public HealthCheckResponse call() {
        boolean failed = false;
        for (StreamingQuery query : queries.all()) {
            failed |= query.exception().isDefined();
        }
        return HealthCheckResponse.named("streaming-queries-not-failed")
                .status(!failed)
                .build();
    }
}
