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
 * this API and stay open.
 */
public class WriteKeyFilter {

    public static final String HEADER = WriteKeys.HEADER;

    private final WriteKeys keys;

    public WriteKeyFilter(WriteKeys keys) {
        this.keys = keys;
    }

    @ServerRequestFilter
    public Optional<Response> requireWriteKey(ContainerRequestContext request) {
        Optional<String> presented = WriteKeys.presented(request.getHeaderString(HEADER),
                request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (presented.isPresent() ? keys.known(presented.get())
                : SegmentResource.takesKeyInBody(request.getUriInfo().getPath())) {
            return Optional.empty();
        }
        return Optional.of(unauthorized());
    }

    static Response unauthorized() {
        return Problem.of(401, "Unauthorized",
                        "send a write key as HTTP Basic user or in the " + HEADER + " header")
                .toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"clickcartel\"")
                .build();
    }
}
