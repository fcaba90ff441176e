package io.clickcartel.ingest;

import java.util.List;

/** The configured write keys, trimmed, blank entries dropped ({@code "k1, "} is one key, not two). */
final class WriteKeys {

    private WriteKeys() {
    }

    static List<String> of(IngestConfig config) {
        List<String> keys = config.writeKeys().stream().map(String::trim).filter(key -> !key.isEmpty()).toList();
        if (keys.isEmpty()) {
            throw new IllegalStateException("CLICKCARTEL_WRITE_KEYS holds no write key: set at least one");
        }
        return keys;
    }
}
