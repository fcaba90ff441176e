package io.clickcartel.silver;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.core.contract.Rule;
import io.clickcartel.spark.LocalSpark;
import io.clickcartel.spark.TableSchemas;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The silver steps on literal rows. (Every contract rule is covered by spark-common's parity test.) */
@ExtendWith(LocalSpark.class)
class SilverTransformsTest {

    private static final Timestamp INGESTED = Timestamp.valueOf("2024-06-01 00:00:00");
    private static final java.time.Duration MAX_FUTURE = io.clickcartel.core.contract.EventContract.DEFAULT_MAX_FUTURE;

    private static Dataset<Row> bronze(SparkSession spark, String... values) {
        List<Row> rows = java.util.Arrays.stream(values)
                .map(v -> RowFactory.create(
                        v, "file", null, null, null, null, "f.jsonl", INGESTED, Date.valueOf("2024-06-01")))
                .toList();
        return spark.createDataFrame(rows, TableSchemas.BRONZE_EVENTS);
    }

    private static String event(String id, String time, String type, String user, String product, int quantity) {
        return "{\"event_id\":\"%s\",\"timestamp\":\"%s\",\"user_id\":\"%s\",\"event_type\":\"%s\",\"product_id\":\"%s\",\"quantity\":%d}"
                .formatted(id, time, user, type, product, quantity);
    }

    @Test
    void brokenRowsGoToQuarantineWithRuleReasonAndBronzeCoordinates(SparkSession spark) {
        Dataset<Row> checked = SilverTransforms.check(
                bronze(spark, "{not json", event("e-1", "2024-05-01T23:59:00Z", "checkout", "c-1", "p-1", 1)),
                MAX_FUTURE);
        List<Row> quarantined = SilverTransforms.quarantine(checked, lit(INGESTED))
                .orderBy("rule")
                .collectAsList();

        assertThat(quarantined)
                .extracting(r -> r.<String>getAs("rule"))
                .containsExactly(Rule.EVENT_TYPE_UNKNOWN.id(), Rule.MALFORMED_JSON.id());
        assertThat(quarantined)
                .extracting(r -> r.<String>getAs("reason"))
                .containsExactly(Rule.EVENT_TYPE_UNKNOWN.reason(), Rule.MALFORMED_JSON.reason());
        assertThat(quarantined.get(1).<String>getAs("value")).isEqualTo("{not json");
        assertThat(quarantined)
                .allSatisfy(r -> assertThat(r.<String>getAs("source_file")).isEqualTo("f.jsonl"));
        assertThat(SilverTransforms.valid(checked).count()).isZero();
    }

    @Test
    void validRowsAreDatedInUtcAndAnEventWithoutIdGetsAContentHash(SparkSession spark) {
        String withoutId = event("x", "2024-05-01T23:30:00-01:00", "view_product", "c-1", "p-1", 1)
                .replace("\"event_id\":\"x\",", "");
        List<Row> valid = SilverTransforms.valid(
                        SilverTransforms.check(bronze(spark, withoutId, withoutId), MAX_FUTURE))
                .collectAsList();

        assertThat(valid).hasSize(2);
        assertThat(valid.get(0).<Date>getAs("event_date")).isEqualTo(Date.valueOf("2024-05-02"));
        assertThat(valid.get(0).<String>getAs("event_id"))
                .startsWith("h-")
                .hasSize(34)
                .isEqualTo(valid.get(1).<String>getAs("event_id"));
        assertThat(SilverTransforms.deduplicateExactly(SilverTransforms.valid(
                                SilverTransforms.check(bronze(spark, withoutId, withoutId), MAX_FUTURE)))
                        .count())
                .isEqualTo(1);
    }

    @Test
    void enrichmentFlagsUnknownIdsAndPricesOnlyPurchasesOfKnownProducts(SparkSession spark) {
        Dataset<Row> events = SilverTransforms.valid(SilverTransforms.check(
                bronze(
                        spark,
                        event("e-1", "2024-05-01T10:00:00Z", "purchase", "c-1", "p-1", 3),
                        event("e-2", "2024-05-01T10:01:00Z", "view_product", "c-1", "p-1", 1),
                        event("e-3", "2024-05-01T10:02:00Z", "purchase", "c-x", "p-x", 2)),
                MAX_FUTURE));
        Dataset<Row> customers = spark.createDataFrame(
                List.of(RowFactory.create("c-1", Date.valueOf("2023-01-02"), "Oslo")),
                SilverTransforms.CUSTOMERS_SCHEMA);
        Dataset<Row> products = spark.createDataFrame(
                List.of(RowFactory.create("p-1", "Lamp", "home", new BigDecimal("10.50"))),
                new StructType()
                        .add("product_id", DataTypes.StringType)
                        .add("product_name", DataTypes.StringType)
                        .add("category", DataTypes.StringType)
                        .add("price", io.clickcartel.spark.TableSchemas.PRICE));

        Dataset<Row> enriched = SilverTransforms.enrich(events, customers, products);
        List<Row> rows = enriched.orderBy("event_id").collectAsList();

        // gold creates silver.events from this schema when it starts first: it must be what silver writes
        assertThat(columnTypes(enriched.schema()))
                .isEqualTo(columnTypes(io.clickcartel.spark.TableSchemas.SILVER_EVENTS));

        assertThat(rows)
                .extracting(r -> r.<BigDecimal>getAs("revenue"))
                .containsExactly(new BigDecimal("31.50"), new BigDecimal("0.00"), new BigDecimal("0.00"));
        assertThat(rows).extracting(r -> r.<Boolean>getAs("known_product")).containsExactly(true, true, false);
        assertThat(rows).extracting(r -> r.<Boolean>getAs("known_customer")).containsExactly(true, true, false);
        assertThat(rows.get(0).<String>getAs("customer_location")).isEqualTo("Oslo");
        assertThat(rows.get(0).<String>getAs("category")).isEqualTo("home");
        assertThat(rows.get(2).<String>getAs("product_name")).isNull();
    }

    private static List<String> columnTypes(StructType schema) {
        return java.util.Arrays.stream(schema.fields())
                .map(f -> f.name() + " " + f.dataType().sql())
                .toList();
    }
}
