package io.clickcartel.silver;

import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.core.BronzeColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.contract.EventContract;
import io.clickcartel.spark.LocalSpark;
import io.clickcartel.spark.TableSchemas;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A changed product catalogue is picked up when the queries restart; rows already in silver keep theirs. */
@ExtendWith(LocalSpark.class)
class DimensionChangeTest {

    private static final StructType PRODUCTS = new StructType()
            .add("product_id", DataTypes.StringType)
            .add("product_name", DataTypes.StringType)
            .add("category", DataTypes.StringType)
            .add("price", io.clickcartel.spark.TableSchemas.PRICE);

    @Test
    void aRestartPicksUpTheNewCatalogueForNewRowsOnly(SparkSession spark, Path dir) throws Exception {
        Path customers = Files.writeString(dir.resolve("customers.csv"), "customer_id,signup_date,location\n");
        String products = dir.resolve("products.parquet").toString();
        String lake = dir.resolve("lake").toString();
        SilverPipeline silver = new SilverPipeline(
                spark,
                lake,
                dir.resolve("checkpoints").toString(),
                customers.toString(),
                products,
                Duration.ofMinutes(10),
                EventContract.DEFAULT_MAX_FUTURE,
                "32m");

        writeCatalogue(spark, products, "Lamp", "10.00");
        appendPurchase(spark, lake, "e-1", "2024-05-01T10:00:00Z");
        silver.start(Trigger.AvailableNow()).awaitTermination();

        writeCatalogue(spark, products, "Lamp v2", "12.00");
        appendPurchase(spark, lake, "e-2", "2024-05-01T10:05:00Z");
        silver.start(Trigger.AvailableNow()).awaitTermination();

        var rows = spark.read()
                .format("delta")
                .load(silver.eventsTable())
                .orderBy("event_id")
                .collectAsList();
        assertThat(rows).extracting(r -> r.<String>getAs("product_name")).containsExactly("Lamp", "Lamp v2");
        assertThat(rows)
                .extracting(r -> r.<BigDecimal>getAs("revenue"))
                .containsExactly(new BigDecimal("10.00"), new BigDecimal("12.00"));
        assertThat(rows)
                .allSatisfy(r -> assertThat(r.<Boolean>getAs("known_customer")).isFalse());
    }

    private static void writeCatalogue(SparkSession spark, String path, String name, String price) {
        spark.createDataFrame(List.of(RowFactory.create("p-1", name, "home", new BigDecimal(price))), PRODUCTS)
                .coalesce(1)
                .write()
                .mode("overwrite")
                .parquet(path);
    }

    private static void appendPurchase(SparkSession spark, String lake, String id, String time) {
        String json =
                "{\"event_id\":\"%s\",\"timestamp\":\"%s\",\"user_id\":\"c-1\",\"event_type\":\"purchase\",\"product_id\":\"p-1\"}"
                        .formatted(id, time);
        spark.createDataFrame(
                        List.of(RowFactory.create(
                                json,
                                BronzeColumns.SOURCE_FILE,
                                null,
                                null,
                                null,
                                null,
                                "test",
                                Timestamp.valueOf("2024-06-01 00:00:00"),
                                Date.valueOf("2024-06-01"))),
                        TableSchemas.BRONZE_EVENTS)
                .write()
                .format("delta")
                .mode("append")
                .partitionBy(BronzeColumns.INGEST_DATE)
                .save(LakeTable.BRONZE_EVENTS.location(lake));
    }
}
