package io.clickcartel.silver;

import io.clickcartel.datagen.Dataset;
import io.clickcartel.datagen.GeneratorConfig;
import io.clickcartel.testsupport.TempDirs;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** A generated data set (reference data included) and an empty lake for the silver service under test. */
public class GeneratedDataResource implements QuarkusTestResourceLifecycleManager {

    private static Path root;

    @Override
    public Map<String, String> start() {
        root = TempDirs.create("clickcartel-silver-");
        try {
            Dataset.generate(
                    GeneratorConfig.builder()
                            .seed(31)
                            .customers(200)
                            .products(60)
                            .events(3_000)
                            .days(1)
                            .duplicateRate(0.03)
                            .lateRate(0.01)
                            .malformedRate(0.03)
                            .messyRate(0.1)
                            .unknownCustomerRate(0.02)
                            .unknownProductRate(0.02)
                            .build(),
                    data());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "clickcartel.lake", lake().toString(),
                "clickcartel.checkpoints", root.resolve("checkpoints").toString(),
                "clickcartel.silver.customers", data().resolve("customers.csv").toString(),
                "clickcartel.silver.products",
                        data().resolve("products.parquet").toString(),
                "clickcartel.silver.trigger", "1s");
    }

    @Override
    public void stop() {
        TempDirs.deleteQuietly(root);
    }

    static Path data() {
        return root.resolve("data");
    }

    static Path lake() {
        return root.resolve("lake");
    }
}
