package io.clickcartel.silver;

import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.core.contract.EventContract;
import io.clickcartel.datagen.Dataset;
import io.clickcartel.datagen.GeneratorConfig;
import io.clickcartel.datagen.Phase;
import io.clickcartel.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Silver checks the contract by calling ingest's validator as a Spark function on each bronze row. Spark adds the
 * raw text's encoding, the store time (a column or a literal) and the event time's type on the way; the verdict and
 * the normalised values must still be the validator's for every event: checked over hand-picked edge cases and
 * over every line of a generated data set (clean, messy, malformed, duplicated, late, landing and HTTP).
 */
@ExtendWith(LocalSpark.class)
class ContractColumnsParityTest {

    /** When bronze stored the hand-picked lines: their receive time unless they carry an earlier received_at. */
    private static final Instant STORED_AT = Instant.parse("2024-05-01T12:00:10Z");

    private static final String VALID = "{\"event_id\":\"e-1\",\"timestamp\":\"2024-05-01T12:00:00.000Z\","
            + "\"user_id\":\"u1\",\"event_type\":\"view_product\",\"product_id\":\"p1\",\"session_id\":\"s1\",\"quantity\":2}";

    private static final List<String> EDGE_CASES = List.of(
            VALID,
            "{\"event_id\": ",
            "[1,2]",
            "[{\"event_id\":\"e\"}]",
            "\"just a string\"",
            "",
            "{}",
            "null",
            VALID.replace("\"e-1\"", "\"has space\""),
            VALID.replace("\"e-1\"", "42"),
            VALID.replace("\"e-1\"", "\"\""),
            VALID.replace("\"e-1\"", "\"" + "x".repeat(65) + "\""),
            VALID.replace("\"e-1\"", "null"),
            VALID.replace("\"2024-05-01T12:00:00.000Z\"", "\"  \""),
            VALID.replace("\"2024-05-01T12:00:00.000Z\"", "\"yesterday\""),
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
            VALID.replace("\"2024-05-01T12:00:00.000Z\"", "true"),
            VALID.replace("\"2024-05-01T12:00:00.000Z\"", "5"),
            VALID.replace("2024-05-01T12:00:00.000Z", "1999-12-31T23:59:59Z"),
            VALID.replace("\"u1\"", "null"),
            VALID.replace("\"u1\"", "\" \\t \""),
            VALID.replace("\"u1\"", "123"),
            VALID.replace("\"u1\"", "\"123\""),
            VALID.replace("\"u1\"", "{\"id\":1}"),
            VALID.replace("\"u1\"", "[\"a\"]"),
            VALID.replace("\"u1\"", "\"" + "u".repeat(65) + "\""),
            VALID.replace("\"u1\"", "\"\\u00e9" + "u".repeat(63) + "\""),
            VALID.replace("\"view_product\"", "\"checkout\""),
            VALID.replace("\"view_product\"", "7"),
            VALID.replace("\"view_product\"", "\" View_PRODUCT \""),
            VALID.replace("\"view_product\"", "\"\""),
            VALID.replace("\"p1\"", "false"),
            VALID.replace("\"s1\"", "[]"),
            VALID.replace("\"s1\"", "\"  \""),
            VALID.replace("\"quantity\":2", "\"quantity\":\"2\""),
            VALID.replace("\"quantity\":2", "\"quantity\":2.5"),
            VALID.replace("\"quantity\":2", "\"quantity\":2.0"),
            VALID.replace("\"quantity\":2", "\"quantity\":0"),
            VALID.replace("\"quantity\":2", "\"quantity\":1001"),
            VALID.replace("\"quantity\":2", "\"quantity\":99999999999"),
            VALID.replace("\"quantity\":2", "\"quantity\":null"),
            VALID.replace("\"quantity\":2", "\"quantity\":1e3"),
            VALID.replace("}", ",\"sent_at\":\"soon\"}"),
            VALID.replace("}", ",\"sent_at\":\"2024-05-01T13:00:05Z\"}"),
            VALID.replace("}", ",\"sent_at\":1714568405000,\"received_at\":\"2024-05-01T12:30:00Z\"}"),
            VALID.replace("}", ",\"page\":{\"user_id\":5}}"),
            VALID + " trailing",
            "{\"event_id\":\"big\",\"pad\":\"" + "x".repeat(33_000) + "\"}");

    /** New in the strict contract: strict JSON, untrimmed controls, invisible characters, the new time rules. */
    private static final List<String> STRICT_CONTRACT_CASES = List.of(
            VALID + " ",
            VALID + "\n",
            VALID + "}",
            VALID + VALID,
            VALID + "\u0000",
            VALID + " // c",
            "[" + VALID + "]",
            VALID.replace("}", ",\"user_id\":\"u1\"}"),
            VALID.replace("}", ",\"user\\u005fid\":\"u2\"}"),
            VALID.replace("}", ",\"page\":{\"a\":1,\"a\":2}}"),
            VALID.replace("}", ",\"p\":[{\"a\":1},{\"a\":1,\"a\":1}]}"),
            VALID.replace("}", ",\"a\":{\"k\":1},\"b\":{\"k\":1}}"),
            VALID.replace("\"u1\"", "\"u\uFFFD1\""),
            VALID.replace("\"u1\"", "\"u\\ufffd1\""),
            VALID.replace("}", ",\"page\":\"\\uFFFD\"}"),
            VALID.replace("\"u1\"", "\"\\ud800\""),
            VALID.replace("\"u1\"", "\"\\udc00u\""),
            VALID.replace("\"u1\"", "\"\\ude00\\ud83d\""),
            VALID.replace("\"u1\"", "\"\\ud83d\\ude00\""),
            VALID.replace("\"u1\"", "\"\uD83D\uDE00\""),
            VALID.replace("}", ",\"x\":" + "[".repeat(31) + "]".repeat(31) + "}"),
            VALID.replace("}", ",\"x\":" + "[".repeat(32) + "]".repeat(32) + "}"),
            VALID.replace("}", ",\"x\":" + "{\"a\":".repeat(30) + "{}" + "}".repeat(30) + "}"),
            VALID.replace("}", ",\"x\":" + "{\"a\":".repeat(31) + "{}" + "}".repeat(31) + "}"),
            VALID.replace("}", ",\"x\":NaN}"),
            VALID.replace("\"quantity\":2", "\"quantity\":NaN"),
            VALID.replace("\"quantity\":2", "\"quantity\":02"),
            VALID.replace("}", ",\"x\":-01}"),
            VALID.replace("\"quantity\":2", "\"quantity\":-0"),
            VALID.replace("\"quantity\":2", "\"quantity\":1E400"),
            VALID.replace("}", ",\"x\":1E400,\"y\":" + "9".repeat(900) + "}"),
            VALID.replace("}", ",\"x\":" + "9".repeat(1001) + "}"),
            // controls and invisible characters: never trimmed, never in an id
            VALID.replace("\"u1\"", "\"\\u0000u1\""),
            VALID.replace("\"u1\"", "\"u1\\u0000\""),
            VALID.replace("\"u1\"", "\"\\u000bu1\""),
            VALID.replace("\"u1\"", "\"\\u000b\""),
            VALID.replace("\"u1\"", "\"u1\u0085\""),
            VALID.replace("\"u1\"", "\"u\u200B1\""),
            VALID.replace("\"p1\"", "\"p1\u200E\""),
            VALID.replace("\"p1\"", "\"\u202Ep1\""),
            VALID.replace("\"s1\"", "\"s\u20661\""),
            VALID.replace("\"s1\"", "\"\uFEFFs1\""),
            VALID.replace("\"s1\"", "\"s\u00AD1\""),
            VALID.replace("\"s1\"", "\"s1\u2028\""),
            VALID.replace("\"u1\"", "\" \\t\\r\\n u1 \\r\\n\""),
            VALID.replace("\"u1\"", "\"\u00A0u1\u00A0\""),
            VALID.replace("\"u1\"", "\"\u00A0\""),
            VALID.replace("\"u1\"", "\"" + "\uD83D\uDE00".repeat(64) + "\""),
            VALID.replace("\"u1\"", "\"" + "\uD83D\uDE00".repeat(65) + "\""),
            VALID.replace("\"view_product\"", "\"view_product\\u0000\""),
            VALID.replace("\"view_product\"", "\"\\u000bview_product\""),
            VALID.replace("\"view_product\"", "\"\\r\\nVIEW_product\\t\""),
            VALID.replace("\"2024-05-01T12:00:00.000Z\"", "\"\\u000b1714564800000\""),
            VALID.replace("\"2024-05-01T12:00:00.000Z\"", "\"2024-05-01T12:00:00Z\\u0000\""),
            VALID.replace("\"2024-05-01T12:00:00.000Z\"", "\"\\n2024-05-01T12:00:00Z\\t\""),
            VALID.replace("\"e-1\"", "\"e-1\\u0000\""),
            VALID.replace("\"e-1\"", "\"\\u000be-1\""),
            // the future, measured from the receive time (STORED_AT here, or an earlier received_at)
            VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T13:00:10Z"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T13:00:10.000001Z"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T13:00:10.000000999Z"),
            VALID.replace("\"2024-05-01T12:00:00.000Z\"", "1714568410000"),
            VALID.replace("\"2024-05-01T12:00:00.000Z\"", "1714568410001"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T13:00:10Z")
                    .replace("}", ",\"received_at\":\"2024-05-01T12:00:09Z\"}"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T13:00:09Z")
                    .replace("}", ",\"received_at\":\"2024-05-01T12:00:09Z\"}"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T13:00:10Z")
                    .replace("}", ",\"received_at\":\"2024-05-01T12:30:00Z\"}"),
            VALID.replace("}", ",\"received_at\":\"2024-05-01T12:00:10Z\"}"),
            VALID.replace("}", ",\"received_at\":\"1999-05-01T12:00:00Z\"}"),
            VALID.replace("}", ",\"received_at\":1714564805000}"),
            VALID.replace("}", ",\"received_at\":\"soon\"}"),
            VALID.replace("}", ",\"sent_at\":\"2024-05-01T11:00:10Z\"}"),
            VALID.replace("}", ",\"sent_at\":\"2024-05-01T10:59:59Z\"}"),
            VALID.replace("}", ",\"sent_at\":\"2000-01-01T00:00:00Z\"}"),
            VALID.replace("}", ",\"sent_at\":\"1999-12-31T23:59:59.999999Z\"}"),
            VALID.replace("}", ",\"sent_at\":\"2100-01-01T00:00:00Z\"}"),
            VALID.replace("}", ",\"sent_at\":\"-999999999999999\"}"),
            VALID.replace("}", ",\"sent_at\":-999999999999999}"),
            VALID.replace("}", ",\"sent_at\":-9223372036854775}"),
            VALID.replace("}", ",\"sent_at\":9223372036854775807}"),
            VALID.replace("}", ",\"sent_at\":99999999999999999999}"),
            VALID.replace("}", ",\"sent_at\":\"0000-01-01T00:00:00Z\"}"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2000-01-01T00:00:00Z")
                    .replace("}", ",\"sent_at\":\"2024-05-01T12:00:10.001Z\"}"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2099-12-31T23:59:59Z")
                    .replace("}", ",\"sent_at\":\"2024-05-01T12:00:09Z\"}"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2099-12-31T23:59:59Z")
                    .replace("}", ",\"sent_at\":\"2024-05-01T12:00:09.001Z\"}"),
            VALID.replace("2024-05-01T12:00:00.000Z", "0000-01-01T00:00:00Z"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T12:00:00+18:00"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T12:00:00-18:00"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T12:00:00+18:30"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T12:00:00+00:60"),
            VALID.replace("2024-05-01T12:00:00.000Z", "2024-05-01T12:00:00-00:00"),
            // events without event_id: named by their content, the same on both sides
            VALID.replace("\"event_id\":\"e-1\",", ""),
            VALID.replace("\"e-1\"", "\" \\t \""),
            VALID.replace("\"event_id\":\"e-1\",", "").replace("\"u1\"", "\"\uD83D\uDE00 caf\u00E9\""),
            VALID.replace("\"event_id\":\"e-1\",", "") + " \n",
            "{\"timestamp\":1714564800000,\"user_id\":\"u\",\"event_type\":\"purchase\",\"product_id\":\"p\"}",

            // a final line terminator is no match for "$": the whole text must match ("\\z")
            VALID.replace("\"e-1\"", "\"e-1\u2028\""),
            VALID.replace("\"e-1\"", "\"e-1\\u0085\""),
            VALID.replace("\"e-1\"", "\" e-1 \\t\u2029\""),
            VALID.replace("\"e-1\"", "\"e-1\\u2028\"").replace("\"quantity\":2", "\"quantity\":0"),
            // event types in any ASCII case only: no Unicode case folding (dotless ı, İ, long ſ)
            VALID.replace("\"view_product\"", "\"v\u0131ew_product\""),
            VALID.replace("\"view_product\"", "\"V\u0130EW_PRODUCT\""),
            VALID.replace("\"view_product\"", "\" purcha\\u017fe\""));

    @Test
    void sparkAndJavaAgreeOnHandPickedEdgeCases(SparkSession spark) {
        assertAgree(spark, EDGE_CASES, STORED_AT, EventContract.DEFAULT_MAX_FUTURE);
    }

    @Test
    void sparkAndJavaAgreeOnTheStrictContractsEdgeCases(SparkSession spark) {
        assertAgree(spark, STRICT_CONTRACT_CASES, STORED_AT, EventContract.DEFAULT_MAX_FUTURE);
        assertAgree(spark, STRICT_CONTRACT_CASES, STORED_AT, Duration.ZERO);
        assertAgree(spark, STRICT_CONTRACT_CASES, STORED_AT.plusNanos(999), Duration.ofMinutes(30));
    }

    @Test
    void sparkAndJavaAgreeOnEveryLineOfAGeneratedDataset(SparkSession spark, Path dir) throws Exception {
        GeneratorConfig config = GeneratorConfig.builder()
                .seed(5)
                .customers(300)
                .products(80)
                .events(8_000)
                .days(2)
                .duplicateRate(0.05)
                .lateRate(0.02)
                .malformedRate(0.2)
                .messyRate(0.3)
                .landingShare(0.4)
                .eventsPerFile(100_000)
                .build();
        Dataset.generate(config, dir.resolve("data"));
        List<String> lines = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            for (Path file : Dataset.eventFiles(dir.resolve("data"), phase)) {
                lines.addAll(Files.readAllLines(file));
            }
        }
        assertThat(lines).hasSizeGreaterThan(8_000);
        // bronze stores the lines after the data set's last day; landing lines carry the collector's received_at
        Instant storedAt = config.start()
                .plusDays(config.days() + 30)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        Map<String, Long> verdicts = assertAgree(spark, lines, storedAt, EventContract.DEFAULT_MAX_FUTURE);
        assertThat(verdicts.get("valid")).isGreaterThan(lines.size() / 2L);
    }

    private static Map<String, Long> assertAgree(
            SparkSession spark, List<String> lines, Instant storedAt, Duration maxFuture) {
        List<ContractParity.Line> stored = lines.stream()
                .map(line -> new ContractParity.Line(line, storedAt))
                .toList();
        // the store time as a literal here (folded by the optimiser); the property tests give it per row, as silver
        // does
        List<ContractParity.Outcome> outcomes = ContractParity.compare(spark, stored, maxFuture, true);
        assertThat(outcomes).hasSameSizeAs(lines);
        Map<String, Long> verdicts = new TreeMap<>();
        List<String> disagreements = new ArrayList<>();
        for (ContractParity.Outcome outcome : outcomes) {
            verdicts.merge(outcome.java().label(), 1L, Long::sum);
            if (!outcome.agrees()) {
                disagreements.add(outcome.describe());
            }
        }
        System.out.println("parity over " + lines.size() + " lines (stored at " + storedAt + ", max future " + maxFuture
                + "): " + verdicts);
        assertThat(disagreements).as("lines on which Java and Spark disagree").isEmpty();
        return verdicts;
    }
}
