package io.clickcartel.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The configured write keys, trimmed, blank entries dropped ({@code "k1, "} is one key, not two). Keys are compared
 * as SHA-256 digests in constant time (no early exit, no length leak) and never logged.
 */
@ApplicationScoped
public class WriteKeys {

    public static final String HEADER = "X-Write-Key";

    private final List<byte[]> digests;

    public WriteKeys(IngestConfig config) {
        this.digests = of(config).stream().map(WriteKeys::digest).toList();
    }

    static List<String> of(IngestConfig config) {
        List<String> keys = config.writeKeys().stream()
                .map(String::trim)
                .filter(key -> !key.isEmpty())
                .toList();
        if (keys.isEmpty()) {
            throw new IllegalStateException("CLICKCARTEL_WRITE_KEYS holds no write key: set at least one");
        }
        return keys;
    }

    /** The key sent in {@value #HEADER}, else as HTTP Basic user; empty when neither is sent. */
    static Optional<String> presented(String writeKeyHeader, String authorization) {
        return Optional.ofNullable(writeKeyHeader).or(() -> basicUser(authorization));
    }

    boolean known(String key) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        byte[] candidate = digest(key);
        boolean found = false;
        for (byte[] k : digests) {
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
            String decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return Optional.of(colon < 0 ? decoded : decoded.substring(0, colon));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
