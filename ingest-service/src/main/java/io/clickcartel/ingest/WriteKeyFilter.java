package io.clickcartel.ingest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Only holders of a write key may send events: as HTTP Basic user ({@code writeKey:}, Segment's convention) or in
 * {@code X-Write-Key}. Health, metrics and the API docs are not resources of this API and stay open. Keys are
 * compared as SHA-256 digests in constant time (no early exit, no length leak) and never logged.
 */
public class WriteKeyFilter {

    public static final String HEADER = "X-Write-Key";

    private final List<byte[]> keyDigests;

    public WriteKeyFilter(IngestConfig config) {
        this.keyDigests = WriteKeys.of(config).stream().map(WriteKeyFilter::digest).toList();
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
        if (key.isEmpty()) {
            return false;
        }
        byte[] candidate = digest(key);
        boolean found = false;
        for (byte[] k : keyDigests) {
            found |= MessageDigest.isEqual(k, candidate); // equal lengths: constant time; no early exit across keys
        }
        return found;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
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
