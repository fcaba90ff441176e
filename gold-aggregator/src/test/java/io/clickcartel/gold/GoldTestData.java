package io.clickcartel.gold;

import io.clickcartel.core.contract.EventContract;
import io.clickcartel.datagen.GeneratorConfig;
import io.clickcartel.silver.SilverPipeline;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** Small generated datasets with every kind of bad input at raised rates, and the silver pipeline over them. */
final class GoldTestData {

    private GoldTestData() {
    }

    /** Two days of {@code events} events with duplicates, late, malformed, unknown customers and products. */
    static GeneratorConfig config(long seed, int events) {
        GeneratorConfig d = GeneratorConfig.defaults();
        return new GeneratorConfig(seed, 300, 60, events, d.start(), 2, d.zipfExponent(),
                d.meanViewsPerSession(), d.cartProbability(), d.purchaseProbability(), 0.04, 0.01, 0.03, 0.1,
                0.03, 0.03, 0.3, d.maxJitter(), d.watermarkDelay(), 2_000);
    }

    static SilverPipeline silver(SparkSession spark, Path data, String lake, String checkpoints,
                                 GeneratorConfig config) {
        return new SilverPipeline(spark, lake, checkpoints, data.resolve("customers.csv").toString(),
                data.resolve("products.parquet").toString(), config.watermarkDelay(), EventContract.DEFAULT_MAX_FUTURE, "32m");
    }
}
