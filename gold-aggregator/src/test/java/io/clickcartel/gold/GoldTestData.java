package io.clickcartel.gold;

import io.clickcartel.core.contract.EventContract;
import io.clickcartel.datagen.GeneratorConfig;
import io.clickcartel.silver.SilverPipeline;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** Small generated datasets with every kind of bad input at raised rates, and the silver pipeline over them. */
final class GoldTestData {

    private GoldTestData() {}

    /** Two days of {@code events} events with duplicates, late, malformed, unknown customers and products. */
    static GeneratorConfig config(long seed, int events) {
        return GeneratorConfig.builder()
                .seed(seed)
                .customers(300)
                .products(60)
                .events(events)
                .days(2)
                .duplicateRate(0.04)
                .lateRate(0.01)
                .malformedRate(0.03)
                .messyRate(0.1)
                .unknownCustomerRate(0.03)
                .unknownProductRate(0.03)
                .landingShare(0.3)
                .eventsPerFile(2_000)
                .build();
    }

    static SilverPipeline silver(
            SparkSession spark, Path data, String lake, String checkpoints, GeneratorConfig config) {
        return new SilverPipeline(
                spark,
                lake,
                checkpoints,
                data.resolve("customers.csv").toString(),
                data.resolve("products.parquet").toString(),
                config.watermarkDelay(),
                EventContract.DEFAULT_MAX_FUTURE,
                "32m");
    }
}
