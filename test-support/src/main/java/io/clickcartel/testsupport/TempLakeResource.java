package io.clickcartel.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** A fresh lake, checkpoint root and landing folder for a test run, deleted after it. */
public class TempLakeResource implements QuarkusTestResourceLifecycleManager {

    private static Path root;

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("clickcartel-lake-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "clickcartel.lake", lake().toString(),
                "clickcartel.checkpoints", root.resolve("checkpoints").toString(),
                "clickcartel.bronze.landing", landing().toString());
    }

    @Override
    public void stop() {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }

    public static Path lake() {
        return root.resolve("lake");
    }

    public static Path landing() {
        return root.resolve("landing");
    }
}
