package io.clickcartel.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/** A fresh lake, checkpoint root and landing folder for a test run, deleted after it. */
public class TempLakeResource implements QuarkusTestResourceLifecycleManager {

    private static Path root;

    @Override
    public Map<String, String> start() {
        root = TempDirs.create("clickcartel-lake-");
        return Map.of(
                "clickcartel.lake", lake().toString(),
                "clickcartel.checkpoints", root.resolve("checkpoints").toString(),
                "clickcartel.bronze.landing", landing().toString());
    }

    @Override
    public void stop() {
        TempDirs.deleteQuietly(root);
    }

    public static Path lake() {
        return root.resolve("lake");
    }

    public static Path landing() {
        return root.resolve("landing");
    }
}
