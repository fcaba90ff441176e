package io.clickcartel.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clickcartel.core.contract.EventField;
import io.clickcartel.core.contract.EventTimes;
import io.clickcartel.core.contract.EventValidator;
import io.clickcartel.core.contract.NormalizedEvent;
import io.clickcartel.core.contract.Rule;
import io.clickcartel.core.contract.Validation;
import io.clickcartel.testsupport.HostileCorpus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The oracle's own contract ({@link OracleContract}) and the pipeline's ({@link EventValidator}) give the same
 * verdict — rule, or normalised values — on hostile, generated and fuzzed lines, both as HTTP requests (received
 * now) and as landing lines (stored now). They are written apart on purpose; this is where they meet, so that a
 * disagreement is found here and not as a reconciliation that passes a shared bug.
 */
class OracleContractAgreesWithEventValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.now();

    private final OracleContract contract = new OracleContract(JSON);
    private final EventValidator validator = new EventValidator(JSON);

    /** EventValidator's answer in the oracle's terms. */
    private static OracleContract.Verdict asVerdict(Validation validation) {
        if (validation instanceof Validation.Invalid invalid) {
            return new OracleContract.Broken(invalid.rule());
        }
        NormalizedEvent e = ((Validation.Valid) validation).event();
        return new OracleContract.Accepted(
                e.eventId(), e.eventTime(), e.userId(), e.eventType(), e.productId(), e.quantity(), e.clockSkewMs());
    }

    private void assertAgreeAsRequestAndAsLandingLine(String line) {
        assertThat(contract.received(line, NOW))
                .as("as a request: %s", line)
                .isEqualTo(asVerdict(validator.validate(line, NOW)));
        assertThat(contract.landed(line, NOW))
                .as("as a landing line: %s", line)
                .isEqualTo(asVerdict(validator.validate(line, event -> EventTimes.receivedAt(event, NOW))));
    }

    // ------------------------------------------------------------------------------------------------ the corpus

    static Stream<HostileCorpus.Case> corpus() {
        return HostileCorpus.load().stream();
    }

    /**
     * The events of a case as texts: a single event's body, or each non-blank line of an NDJSON body. The
     * elements of a JSON array are left out: ingest judges the text each spans in the body, which is ingest's.
     */
    private static List<String> events(HostileCorpus.Case c) {
        // bytes that are not UTF-8 decode to U+FFFD, as the contract says they do
        String body = new String(c.body(NOW), StandardCharsets.UTF_8);
        return switch (c.route()) {
            case SINGLE -> List.of(body);
            case NDJSON ->
                Stream.of(body.split("\n", -1)).filter(line -> !line.isBlank()).toList();
            case BATCH -> List.of();
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void onEveryHostileEvent(HostileCorpus.Case c) {
        events(c).forEach(this::assertAgreeAsRequestAndAsLandingLine);
    }

    static Stream<HostileCorpus.Case> corpusCasesWithALineVerdict() {
        return corpus().filter(c -> c.line().isPresent());
    }

    /** The corpus's own verdicts are documented expectations: the oracle meets them without EventValidator. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusCasesWithALineVerdict")
    void theOracleGivesTheCorpusVerdictOnEveryOneLineEvent(HostileCorpus.Case c) {
        byte[] body = c.body(NOW);
        OracleContract.Verdict verdict = contract.landed(new String(body, StandardCharsets.UTF_8), NOW);
        HostileCorpus.LineVerdict expected = c.line().get();
        if (!expected.valid()) {
            assertThat(verdict)
                    .extracting(v -> ((OracleContract.Broken) v).rule().id())
                    .isEqualTo(expected.rule());
            return;
        }
        HostileCorpus.Normalized normalized = expected.normalized(NOW, body).orElseThrow();
        assertThat(verdict).isInstanceOf(OracleContract.Accepted.class);
        OracleContract.Accepted accepted = (OracleContract.Accepted) verdict;
        assertThat(List.of(
                        accepted.eventId(),
                        accepted.userId(),
                        accepted.eventType().wireName(),
                        accepted.productId(),
                        accepted.quantity()))
                .isEqualTo(List.of(
                        normalized.eventId(),
                        normalized.userId(),
                        normalized.eventType(),
                        normalized.productId(),
                        normalized.quantity()));
        normalized
                .eventTime()
                .ifPresent(time -> assertThat(accepted.eventTime()).isEqualTo(time));
    }

    /** What the corpus holds no case of: collectors' received_at claims, normalised input, over-long numbers. */
    static Stream<String> linesTheCorpusLacks() {
        String event = "{\"event_id\":\"e-1\",\"timestamp\":\"2024-05-01T12:00:00Z\",\"user_id\":\"u-1\","
                + "\"event_type\":\"view_product\",\"product_id\":\"p-1\"";
        return Stream.of(
                event + ",\"received_at\":\"2024-05-01T12:00:30Z\",\"sent_at\":\"2024-05-01T13:00:30Z\"}",
                event + ",\"received_at\":\"2024-05-01T12:00:30.1234567Z\",\"sent_at\":\"2024-05-01T11:00:30Z\"}",
                event + ",\"received_at\":1714564830000,\"sent_at\":\"2024-05-01T12:00:30.0005Z\"}",
                event + ",\"received_at\":\"2099-01-01T00:00:00Z\",\"sent_at\":\"2024-05-01T12:00:30Z\"}",
                event + ",\"received_at\":\"1990-01-01T00:00:00Z\",\"sent_at\":\"2024-05-01T12:00:30Z\"}",
                event + ",\"received_at\":\"yesterday\",\"sent_at\":\"2024-05-01T12:00:30Z\"}",
                event + ",\"received_at\":null}",
                event + ",\"received_at\":\"2024-05-01T11:00:00Z\"}",
                event + ",\"clock_skew_ms\":-3600000}",
                event + ",\"clock_skew_ms\":\"5\"}",
                event + ",\"clock_skew_ms\":2.5}",
                event + ",\"x\":" + "1".repeat(1000) + "}",
                event + ",\"x\":" + "1".repeat(1001) + "}",
                event + ",\"x\":[\"\\uFFFD\"]}",
                event + ",\"x\":{\"\\ud83d\\ude00\":1,\"\\ud83d\":2}}");
    }

    @ParameterizedTest
    @MethodSource("linesTheCorpusLacks")
    void onLinesTheCorpusLacks(String line) {
        assertAgreeAsRequestAndAsLandingLine(line);
    }

    // ------------------------------------------------------------------------------------------------ generated

    /** Every line of a small data set with much mess (every malformed and messy form), in its phase's route. */
    private static List<Map.Entry<Phase, String>> generatedLines(long seed) {
        GeneratorConfig config = GeneratorConfig.builder()
                .seed(seed)
                .customers(200)
                .products(60)
                .events(10_000)
                .days(2)
                .duplicateRate(0.1)
                .lateRate(0.05)
                .malformedRate(0.3)
                .messyRate(0.5)
                .build();
        SplittableRandom random = new SplittableRandom(config.seed());
        Catalog catalog = Catalog.generate(config, random.split());
        List<Map.Entry<Phase, String>> lines = new ArrayList<>();
        new EventGenerator(config, catalog, random.split())
                .generate((phase, line, kind, rule) -> lines.add(Map.entry(phase, line)));
        return lines;
    }

    @Test
    void onEveryGeneratedLineInTheRouteItIsDeliveredBy() {
        List<Map.Entry<Phase, String>> lines = generatedLines(11);
        assertThat(lines).extracting(Map.Entry::getKey).contains(Phase.values());
        for (Map.Entry<Phase, String> line : lines) {
            Validation expected = line.getKey().route() == Phase.Route.HTTP
                    ? validator.validate(line.getValue(), NOW)
                    : validator.validate(line.getValue(), event -> EventTimes.receivedAt(event, NOW));
            OracleContract.Verdict verdict = line.getKey().route() == Phase.Route.HTTP
                    ? contract.received(line.getValue(), NOW)
                    : contract.landed(line.getValue(), NOW);
            assertThat(verdict).as(line.getValue()).isEqualTo(asVerdict(expected));
        }
    }

    // ------------------------------------------------------------------------------------------------ fuzzed

    private static final long FUZZ_SEED = 19;
    private static final int FUZZED_LINES = 20_000;
    private static final String BEYOND_A_LONG = "99999999999999999999";
    private static final String[] FIELDS = {
        "event_id",
        "timestamp",
        "user_id",
        "event_type",
        "product_id",
        "session_id",
        "quantity",
        "sent_at",
        "received_at",
        "clock_skew_ms",
        "x"
    };
    /** JSON values near the rules' boundaries, times near now and near the contract's range. */
    private static final String[] VALUES = valuePool();

    private static final String[] FRAGMENTS = {
        "\"",
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        " ",
        "\t",
        "\n",
        "\\",
        "0",
        "7",
        "-",
        ".",
        "e",
        "a",
        "Z",
        "T",
        "+",
        "é",
        "\u0000",
        "\u00a0",
        "\u200b",
        "\uFFFD",
        "\ud83d\ude00",
        "'",
        "NaN",
        "//",
        "\\u0000",
        "\\ud800",
        "\\u005f",
        "null",
        "{\"a\":1,\"a\":2}"
    };

    private static String[] valuePool() {
        List<String> values = new ArrayList<>(List.of(
                "null",
                "\"\"",
                "\"  \"",
                "\"\\t\\n\"",
                "true",
                "false",
                "[]",
                "{}",
                "[1]",
                "{\"a\":1}",
                "0",
                "-0",
                "1",
                "2",
                "1000",
                "1001",
                "-1",
                "2.0",
                "1e3",
                "2.5",
                "\"2\"",
                BEYOND_A_LONG,
                "9223372036854775807",
                "\"e-1\"",
                "\" e-1 \"",
                "\"e 1\"",
                "\"e+1\"",
                "\"\\u0000e\"",
                "\"é\"",
                "\"ab\\u200bc\"",
                "\"\u00a0\"",
                "\"\\ud800\"",
                "\"\uFFFD\"",
                quoted("x".repeat(64)),
                quoted("x".repeat(65)),
                quoted("\ud83d\ude00".repeat(64)),
                quoted("\ud83d\ude00".repeat(65)),
                "\"view_product\"",
                "\"PURCHASE\"",
                "\" Add_To_Cart \"",
                "\"checkout\"",
                "\"purcha\u017fe\"",
                "\"v\u0131ew_product\"",
                "\"ＰＵＲＣＨＡＳＥ\"",
                "\"2024-05-01T12:00:00Z\"",
                "\"2024-05-01T12:00:00.123456789+02:00\"",
                "\"2024-05-01T12:00Z\"",
                "\"2024-05-01 12:00:00Z\"",
                "\"1999-12-31T23:59:59.999Z\"",
                "\"2000-01-01T00:00:00Z\"",
                "\"2100-01-01T00:00:00Z\"",
                "\"2099-12-31T23:59:59Z\"",
                "\"2024-02-30T00:00:00Z\"",
                "\"2024-05-01T12:00:00+18:00\"",
                "\"2024-05-01T12:00:00-18:01\"",
                "\"2024-05-01T12:00:00+02:60\"",
                "946684800000",
                "4102444800000",
                "\"1234567890123456\"",
                "\"012345678901234\"",
                "1714564800000.0",
                "\"-1\"",
                "-999999999999999",
                "\" 1714564800000 \"",
                quoted("x".repeat(32_700))));
        for (Duration offset : List.of(
                Duration.ZERO,
                Duration.ofMinutes(55),
                Duration.ofMinutes(65),
                Duration.ofMinutes(-65),
                Duration.ofHours(2),
                Duration.ofDays(-3),
                Duration.ofDays(-20_000))) {
            Instant time = NOW.plus(offset);
            values.add(quoted(time.toString()));
            values.add(Long.toString(time.toEpochMilli()));
        }
        return values.toArray(String[]::new);
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    /** A generated line with one to three mutations: fields set, removed or repeated, then text edited. */
    private static String mutated(String line, SplittableRandom random) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        JsonNode parsed = parsedOrNull(line);
        if (parsed instanceof ObjectNode object) {
            object.fields()
                    .forEachRemaining(
                            f -> fields.add(Map.entry(f.getKey(), f.getValue().toString())));
        } else {
            fields.add(Map.entry("event_id", quoted("e-0")));
        }
        for (int mutations = 1 + random.nextInt(3); mutations > 0; mutations--) {
            String field = FIELDS[random.nextInt(FIELDS.length)];
            String value = VALUES[random.nextInt(VALUES.length)];
            if (field.equals(EventField.CLOCK_SKEW_MS) && value.equals(BEYOND_A_LONG)) {
                continue; // the known disagreement, pinned by its own test
            }
            switch (random.nextInt(4)) {
                case 0 -> {
                    fields.removeIf(f -> f.getKey().equals(field));
                    fields.add(random.nextInt(fields.size() + 1), Map.entry(field, value));
                }
                case 1 -> fields.removeIf(f -> f.getKey().equals(field));
                case 2 -> fields.add(Map.entry(field, value));
                default -> {}
            }
        }
        StringBuilder text = new StringBuilder("{");
        for (Map.Entry<String, String> f : fields) {
            text.append(text.length() > 1 ? "," : "")
                    .append(quoted(f.getKey()))
                    .append(':')
                    .append(f.getValue());
        }
        text.append('}');
        if (random.nextInt(3) == 0) {
            int at = random.nextInt(text.length() + 1);
            switch (random.nextInt(3)) {
                case 0 -> text.insert(at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                case 1 -> text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(3)));
                default -> text.setLength(at);
            }
        }
        return text.toString();
    }

    private static JsonNode parsedOrNull(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception notJson) {
            return null;
        }
    }

    @Test
    void onSeededMutationsOfGeneratedLines() {
        List<Map.Entry<Phase, String>> lines = generatedLines(FUZZ_SEED);
        SplittableRandom random = new SplittableRandom(FUZZ_SEED);
        Set<String> outcomes = new TreeSet<>();
        for (int i = 0; i < FUZZED_LINES; i++) {
            String line = mutated(lines.get(random.nextInt(lines.size())).getValue(), random);
            assertAgreeAsRequestAndAsLandingLine(line);
            outcomes.add(
                    contract.landed(line, NOW) instanceof OracleContract.Broken broken
                            ? broken.rule().id()
                            : "accepted");
        }
        // agreement on lines that all break the same rule would prove little
        assertThat(outcomes)
                .containsAll(Stream.of(Rule.values()).map(Rule::id).toList())
                .contains("accepted");
    }

    /**
     * A disagreement found here, with EventValidator wrong: it reads a clock_skew_ms beyond a long as the low 64
     * bits of the integer ({@code BigInteger.longValue}), another number, though normalising a normalised event is
     * documented to change nothing. The oracle keeps no skew it cannot hold. Fails once EventValidator is fixed:
     * then delete it and the fuzz's exception for it.
     */
    @Test
    void knownDisagreementEventValidatorWrapsAClockSkewBeyondALong() {
        String line = "{\"event_id\":\"e-1\",\"timestamp\":\"2024-05-01T12:00:00Z\",\"user_id\":\"u-1\","
                + "\"event_type\":\"view_product\",\"product_id\":\"p-1\",\"clock_skew_ms\":" + BEYOND_A_LONG + "}";
        assertThat(((OracleContract.Accepted) contract.received(line, NOW)).clockSkewMs())
                .isNull();
        assertThat(((Validation.Valid) validator.validate(line, NOW)).event().clockSkewMs())
                .isEqualTo(new java.math.BigInteger(BEYOND_A_LONG).longValue());
    }
}
