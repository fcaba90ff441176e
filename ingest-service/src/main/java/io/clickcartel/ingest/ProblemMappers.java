package io.clickcartel.ingest;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns refusals into problem responses. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final IngestConfig config;

    public ProblemMappers(IngestConfig config) {
        this.config = config;
    }

    @ServerExceptionMapper
    public Response refused(RequestRefusedException e) {
        return Problem.of(e.status(), e.title(), e.getMessage()).toResponse().build();
    }

    @ServerExceptionMapper
    public Response overloaded(OverloadedException e) {
        return Problem.of(
                        e.status(),
                        e.status() == 429 ? "Too many requests" : "Overloaded",
                        e.getMessage() + "; nothing was accepted; retry later")
                .toResponse()
                .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds())
                .build();
    }

    @ServerExceptionMapper
    public Response kafkaUnavailable(KafkaUnavailableException e) {
        LOG.warnf("answering 503: %s", e.getMessage());
        return Problem.of(
                        503,
                        "Kafka unavailable",
                        "the events were not acknowledged by Kafka and are not accepted; retry later")
                .toResponse()
                .header(HttpHeaders.RETRY_AFTER, Math.max(1, config.retryAfter().toSeconds()))
                .build();
    }
}
