package io.clickcartel.testsupport;

import io.clickcartel.localkafka.LocalKafkaBroker;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Quarkus test resource: a real broker on free ports for the tests of a module, stopped and deleted after them.
 * Sets {@code clickcartel.kafka.bootstrap-servers}.
 */
public class LocalKafkaResource implements QuarkusTestResourceLifecycleManager {

    private static LocalKafkaBroker broker;
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("clickcartel-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = LocalKafkaBroker.builder(dir).build().start();
        return Map.of("clickcartel.kafka.bootstrap-servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.stop();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temp folder is harmless
            }
        }
    }

    public static LocalKafkaBroker broker() {
        return broker;
    }
}
