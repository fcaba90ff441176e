package io.clickcartel.ingest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Only holders of a write key may send events: as HTTP Basic user ({@code writeKey:}, Segment's convention) or in
 * {@code X-Write-Key}. Health, metrics and the API docs are not resources of this API and stay open.
 */
public class WriteKeyFilter {

    public static final String HEADER = "X-Write-Key";

    private final List<byte[]> keys;

    public WriteKeyFilter(IngestConfig config) {
        this.keys = config.writeKeys().stream().map(k -> k.trim().getBytes(StandardCharsets.UTF_8)).toList();
    }

    @ServerRequestFilter
    public Optional<Response> requireWriteKey(ContainerRequestContext request) {
        Optional<String> presented = Optional.ofNullable(request.getHeaderString(HEADER))
                .or(() -> basicUser(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
        if (presented.filter(this::known).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(Problem.of(401, "Unauthorized",
                        "send a write key as HTTP Basic user or in the " + HEADER + " header")
                .toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"clickcartel\"")
                .build());
    }

    private boolean known(String key) {
        byte[] candidate = key.getBytes(StandardCharsets.UTF_8);
        boolean found = false;
        for (byte[] k : keys) {
            found |= MessageDigest.isEqual(k, candidate); // constant time, and no early exit across keys
        }
        return found;
    }

    private static Optional<String> basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return Optional.of(colon < 0 ? decoded : decoded.substring(0, colon));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
