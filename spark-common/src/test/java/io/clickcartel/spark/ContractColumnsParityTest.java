package io.clickcartel.spark;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.contract.EventTimes;
import io.clickcartel.core.contract.EventValidator;
import io.clickcartel.core.contract.NormalizedEvent;
import io.clickcartel.core.contract.Validation;
import io.clickcartel.datagen.Dataset;
import io.clickcartel.datagen.GeneratorConfig;
import io.clickcartel.datagen.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract has two implementations, Java (ingest, oracle) and Spark columns (silver). Both must give every
 * event the same verdict and the same normalised values: checked over hand-picked edge cases and over every line
 * of a generated data set (clean, messy, malformed, duplicated, late, landing and HTTP).
 */
@ExtendWith(LocalSpark.class)
class ContractColumnsParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant FALLBACK_RECEIVED_AT = Instant.parse("2024-05-01T12:00:10Z");
    private static final String VALID = "{\"event_id\":\"e-1\",\"timestamp\":\"2024-05-01T12:00:00.000Z\","
            + "\"user_id\":\"u1\",\"event_type\":\"view_product\",\"product_id\":\"p1\",\"session_id\":\"s1\",\"quantity\":2}";

    private static final List<String> EDGE_CASES = List.of(
            VALID, "{\"event_id\": ", "[1,2]", "[{\"event_id\":\"e\"}]", "\"just a string\"", "", "{}", "null",
            VALID.replace("\"e-1\"", "\"has space\""), VALID.replace("\"e-1\"", "42"), VALID.replace("\"e-1\"", "\"\""),
            VALID.replace("\"e-1\"", "\"" + "x".repeat(65) + "\""), VALID.replace("\"e-1\"", "null"),
            VALID.replace("\"2024-05-01T12:00:00.000Z\"", "\"  \""), VALID.replace("\"2024-05-01T12:00:00.000Z\"", "\"yesterday\""),
            VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T12:00:00"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2024-02-30T12:00:00Z"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T12:00:00.123456789Z"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T14:00:00.5+02:00"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T12:00:00+19:00"),
            VALID.replace("\"2024-05-01T12:00:00.000Z\"", "1714564800000.5"),
            VALID.replace("\"2024-05-01T12:00:00.000Z\"", "1714564800123"),
            VALID.replace("\"2024-05-01T12:00:00.000Z\"", "\" 1714564800123 \""),
            VALID.replace("\"2024-05-01T12:00:00.000Z\"", "99999999999999999999"),
            VALID.replace("\"2024-05-01T12:00:00.000Z\"", "9000000000000000000"),
            VALID.replace("\"2024-05-01T12:00:00.000Z\"", "true"), VALID.replace("\"2024-05-01T12:00:00.000Z\"", "5"),
            VALID.replace("2024-05-01T12:00:00.000Z", "1999-12-31T23:59:59Z"),
            VALID.replace("\"u1\"", "null"), VALID.replace("\"u1\"", "\" \\t \""), VALID.replace("\"u1\"", "123"),
            VALID.replace("\"u1\"", "\"123\""), VALID.replace("\"u1\"", "{\"id\":1}"), VALID.replace("\"u1\"", "[\"a\"]"),
            VALID.replace("\"u1\"", "\"" + "u".repeat(65) + "\""), VALID.replace("\"u1\"", "\"\\u00e9" + "u".repeat(63) + "\""),
            VALID.replace("\"view_product\"", "\"checkout\""), VALID.replace("\"view_product\"", "7"),
            VALID.replace("\"view_product\"", "\" View_PRODUCT \""), VALID.replace("\"view_product\"", "\"\""),
            VALID.replace("\"p1\"", "false"), VALID.replace("\"s1\"", "[]"), VALID.replace("\"s1\"", "\"  \""),
            VALID.replace("\"quantity\":2", "\"quantity\":\"2\""), VALID.replace("\"quantity\":2", "\"quantity\":2.5"),
            VALID.replace("\"quantity\":2", "\"quantity\":2.0"), VALID.replace("\"quantity\":2", "\"quantity\":0"),
            VALID.replace("\"quantity\":2", "\"quantity\":1001"), VALID.replace("\"quantity\":2", "\"quantity\":99999999999"),
            VALID.replace("\"quantity\":2", "\"quantity\":null"), VALID.replace("\"quantity\":2", "\"quantity\":1e3"),
            VALID.replace("}", ",\"sent_at\":\"soon\"}"),
            VALID.replace("}", ",\"sent_at\":\"2024-05-01T13:00:05Z\"}"),
            VALID.replace("}", ",\"sent_at\":1714568405000,\"received_at\":\"2024-05-01T12:30:00Z\"}"),
            VALID.replace("}", ",\"page\":{\"user_id\":5}}"), VALID + " trailing",
            "{\"event_id\":\"big\",\"pad\":\"" + "x".repeat(33_000) + "\"}");

    @Test
    void sparkAndJavaAgreeOnHandPickedEdgeCases(SparkSession spark) {
        assertAgree(spark, EDGE_CASES);
    }

    @Test
    void sparkAndJavaAgreeOnEveryLineOfAGeneratedDataset(SparkSession spark, Path dir) throws Exception {
        GeneratorConfig d = GeneratorConfig.defaults();
        GeneratorConfig config = new GeneratorConfig(5, 300, 80, 8_000, d.start(), 2, d.zipfExponent(),
                d.meanViewsPerSession(), d.cartProbability(), d.purchaseProbability(), 0.05, 0.02, 0.2, 0.3,
                d.unknownCustomerRate(), d.unknownProductRate(), 0.4, d.maxJitter(), d.watermarkDelay(), 100_000);
        Dataset.generate(config, dir.resolve("data"));
        List<String> lines = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            for (Path file : Dataset.eventFiles(dir.resolve("data"), phase)) {
                lines.addAll(Files.readAllLines(file));
            }
        }
        assertThat(lines).hasSizeGreaterThan(8_000);
        assertAgree(spark, lines);
    }

    private static void assertAgree(SparkSession spark, List<String> lines) {
        List<Row> sparkRows = ContractColumns.apply(
                        spark.createDataset(lines, Encoders.STRING()).toDF("value").withColumn("line",
                                org.apache.spark.sql.functions.monotonically_increasing_id()),
                        "value", lit(Timestamp.from(FALLBACK_RECEIVED_AT)), lit("<missing>"))
                .orderBy("line").collectAsList();
        assertThat(sparkRows).hasSameSizeAs(lines);
        EventValidator validator = new EventValidator(JSON);
        Map<String, Long> verdicts = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Row columns = sparkRows.get(i);
            Validation java = validator.validate(line, ContractColumnsParityTest::receivedAt, () -> "<missing>");
            String javaRule = java instanceof Validation.Invalid invalid ? invalid.rule().id() : null;
            assertThat(columns.<String>getAs(ContractColumns.RULE)).as("verdict on %s", abbreviate(line)).isEqualTo(javaRule);
            verdicts.merge(javaRule == null ? "valid" : javaRule, 1L, Long::sum);
            if (java instanceof Validation.Valid valid) {
                NormalizedEvent event = valid.event();
                assertThat(List.of(columns.<String>getAs("event_id"),
                        columns.<Timestamp>getAs(ContractColumns.EVENT_TIME).toInstant(), columns.<String>getAs("user_id"),
                        columns.<String>getAs("event_type"), columns.<String>getAs("product_id"),
                        Optional.ofNullable(columns.<String>getAs("session_id")), columns.<Integer>getAs("quantity")))
                        .as("normalised %s", abbreviate(line))
                        .containsExactly(event.eventId(), event.eventTime(), event.userId(),
                                event.eventType().wireName(), event.productId(), Optional.ofNullable(event.sessionId()),
                                event.quantity());
            }
        }
        System.out.println("parity over " + lines.size() + " lines: " + verdicts);
    }

    private static Instant receivedAt(JsonNode event) {
        JsonNode value = event.get("received_at");
        return value == null ? FALLBACK_RECEIVED_AT : EventTimes.parse(value).orElse(FALLBACK_RECEIVED_AT);
    }

    private static String abbreviate(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
