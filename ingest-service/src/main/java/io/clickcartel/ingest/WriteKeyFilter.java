package io.clickcartel.ingest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Only holders of a write key may send events: as HTTP Basic user ({@code writeKey:}, Segment's convention) or in
 * {@code X-Write-Key}. The Segment routes also take it from the body, so there a request without either header goes
 * on to {@link SegmentResource}, which checks the body's key. Health, metrics and the API docs are not resources of
 * this API and stay open. A known key is then held to its rate limit, if one is set.
 */
public class WriteKeyFilter {

    public static final String HEADER = WriteKeys.HEADER;

    private final WriteKeys keys;
    private final LoadShedding shedding;

    public WriteKeyFilter(WriteKeys keys, LoadShedding shedding) {
        this.keys = keys;
        this.shedding = shedding;
    }

    @ServerRequestFilter
    public Optional<Response> requireWriteKey(ContainerRequestContext request) {
        Optional<String> presented = WriteKeys.presented(
                request.getHeaderString(HEADER), request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (presented.isEmpty()) {
            return SegmentResource.takesKeyInBody(request.getUriInfo().getPath())
                    ? Optional.empty()
                    : Optional.of(unauthorized());
        }
        if (!keys.known(presented.get())) {
            return Optional.of(unauthorized());
        }
        shedding.admit(presented.get());
        return Optional.empty();
    }

    static Response unauthorized() {
        return Problem.of(401, "Unauthorized", "send a write key as HTTP Basic user or in the " + HEADER + " header")
                .toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"clickcartel\"")
                .build();
    }
}
