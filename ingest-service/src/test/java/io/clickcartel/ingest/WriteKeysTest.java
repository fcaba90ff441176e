package io.clickcartel.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteKeysTest {

    @Test
    void blankEntriesAreIgnoredAndKeysTrimmed() {
        assertThat(WriteKeys.of(config(List.of("k1", " ")))).containsExactly("k1");
        assertThat(WriteKeys.of(config(List.of(" k1 ", "k2", "")))).containsExactly("k1", "k2");
    }

    @Test
    void aListWithoutAnyKeyStopsTheService() {
        assertThatThrownBy(() -> WriteKeys.of(config(List.of(" ", ""))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CLICKCARTEL_WRITE_KEYS");
    }

    /** Only writeKeys() is read. */
    private static IngestConfig config(List<String> keys) {
        return (IngestConfig) Proxy.newProxyInstance(
                IngestConfig.class.getClassLoader(), new Class<?>[] {IngestConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("writeKeys")) {
                        return keys;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
