package io.clickcartel.testsupport;

import io.clickcartel.localkafka.LocalKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Quarkus test resource: a real broker on free ports for the tests of a module, stopped and deleted after them.
 * Sets {@code clickcartel.kafka.bootstrap-servers}.
 */
public class LocalKafkaResource implements QuarkusTestResourceLifecycleManager {

    private static LocalKafkaBroker broker;
    private Path dir;

    @Override
    public Map<String, String> start() {
        dir = TempDirs.create("clickcartel-kafka-");
        broker = LocalKafkaBroker.builder(dir).build().start();
        return Map.of("clickcartel.kafka.bootstrap-servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.stop();
        }
        TempDirs.deleteQuietly(dir);
    }

    public static LocalKafkaBroker broker() {
        return broker;
    }
}
