package io.clickcartel.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.contract.EventValidator;
import io.clickcartel.core.contract.NormalizedEvent;
import io.clickcartel.core.contract.Rule;
import io.clickcartel.core.contract.Validation;
import io.clickcartel.core.segment.SegmentMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentMessagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventValidator CONTRACT = new EventValidator(JSON);

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    @Test
    void aViewBecomesProductViewedWithItsIdTimeUserAndSession() throws IOException {
        assertThat(
                        SegmentMessages.of(
                                "{\"event_id\":\"e-1\",\"timestamp\":\"2026-03-01T10:00:00.000Z\","
                                        + "\"user_id\":\"c-1\",\"event_type\":\"view_product\",\"product_id\":\"p-9\",\"session_id\":\"s-4\"}"))
                .isEqualTo(json("{\"type\":\"track\",\"messageId\":\"e-1\",\"event\":\"Product Viewed\","
                        + "\"userId\":\"c-1\",\"originalTimestamp\":\"2026-03-01T10:00:00.000Z\","
                        + "\"properties\":{\"session_id\":\"s-4\",\"product_id\":\"p-9\"}}"));
    }

    @Test
    void aCartAddKeepsItsQuantityAndAPurchaseIsAnOrderOfItsOneProduct() throws IOException {
        assertThat(SegmentMessages.of("{\"event_id\":\"e-2\",\"timestamp\":1772359200000,\"user_id\":\"c-1\","
                        + "\"event_type\":\"add_to_cart\",\"product_id\":\"p-9\",\"quantity\":3,"
                        + "\"sent_at\":\"2026-03-01T10:00:01.000Z\"}"))
                .isEqualTo(
                        json(
                                "{\"type\":\"track\",\"messageId\":\"e-2\",\"event\":\"Product Added\","
                                        + "\"userId\":\"c-1\",\"originalTimestamp\":1772359200000,"
                                        + "\"sentAt\":\"2026-03-01T10:00:01.000Z\",\"properties\":{\"product_id\":\"p-9\",\"quantity\":3}}"));
        assertThat(SegmentMessages.of("{\"event_id\":\"e-3\",\"timestamp\":\"2026-03-01T10:00:00Z\","
                        + "\"user_id\":\"c-1\",\"event_type\":\"purchase\",\"product_id\":\"p-9\",\"quantity\":2}"))
                .isEqualTo(json("{\"type\":\"track\",\"messageId\":\"e-3\",\"event\":\"Order Completed\","
                        + "\"userId\":\"c-1\",\"originalTimestamp\":\"2026-03-01T10:00:00Z\","
                        + "\"properties\":{\"products\":[{\"product_id\":\"p-9\",\"quantity\":2}]}}"));
    }

    @Test
    void paddingAndCaseOfTheTypeAreKeptAroundTheSegmentName() {
        assertThat(SegmentMessages.of("{\"event_type\":\"  Add_To_Cart \",\"timestamp\":1}")
                        .get("event")
                        .asText())
                .isEqualTo("  PRODUCT ADDED ");
        assertThat(SegmentMessages.of("{\"event_type\":\"\\tpurchase\",\"timestamp\":1}")
                        .get("event")
                        .asText())
                .isEqualTo("\tOrder Completed");
        assertThat(SegmentMessages.of("{\"event_type\":\"checkout\",\"timestamp\":1}")
                        .get("event")
                        .asText())
                .isEqualTo("checkout");
        assertThat(SegmentMessages.of("{\"event_type\":7,\"timestamp\":1}")
                        .get("event")
                        .isInt())
                .isTrue();
    }

    @Test
    void aLineWithoutSegmentFormIsSentAsAStringForTheServiceToRefuse() {
        for (String line : List.of(
                "{\"event_id\":\"e-1\",\"timest",
                "[1]",
                "{\"a\":1,\"a\":2,\"timestamp\":1}",
                "{\"event_id\":\"e-1\",\"event_type\":\"view_product\"}",
                "{\"timestamp\":null}",
                "{\"timestamp\":\"  \"}")) {
            assertThat(SegmentMessages.of(line).isTextual()).as(line).isTrue();
            assertThat(SegmentMessages.of(line).textValue()).isEqualTo(line);
        }
    }

    /**
     * Every line of a generated data set (the landing files' too, for their clock-skewed sent_at), checked by the contract as a native event and as the service
     * would check its Segment message: accepted exactly when the native event is, with the same values; refused or
     * ignored otherwise, by the rule the class comment promises.
     */
    @Test
    void throughTheSegmentMappingEveryGeneratedLineIsAcceptedExactlyWhenNativelyWithTheSameValues(@TempDir Path dir)
            throws IOException {
        Dataset.generate(
                GeneratorConfig.builder()
                        .seed(5)
                        .customers(300)
                        .products(80)
                        .events(20_000)
                        .days(1)
                        .malformedRate(0.05)
                        .messyRate(0.1)
                        .build(),
                dir);
        Instant receivedAt = Instant.parse("2026-12-02T00:00:00Z");
        Map<Rule, Integer> refusedNatively = new EnumMap<>(Rule.class);
        int accepted = 0;
        List<Path> files = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            files.addAll(Dataset.eventFiles(dir, phase));
        }
        int landed = 0;
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                Validation nativeOutcome = CONTRACT.validate(line, receivedAt);
                SegmentMapping.Outcome mapped = SegmentMapping.map(SegmentMessages.of(line), null, receivedAt, null);
                if (nativeOutcome instanceof Validation.Invalid refused && refused.rule() == Rule.EVENT_TYPE_UNKNOWN) {
                    assertThat(mapped).as(line).isInstanceOf(SegmentMapping.Outcome.Ignored.class);
                    refusedNatively.merge(refused.rule(), 1, Integer::sum);
                    continue;
                }
                assertThat(mapped).as(line).isInstanceOf(SegmentMapping.Outcome.Events.class);
                List<String> events = ((SegmentMapping.Outcome.Events) mapped).events();
                assertThat(events).as(line).hasSize(1);
                Validation segmentOutcome = CONTRACT.validate(events.get(0), receivedAt);
                if (nativeOutcome instanceof Validation.Invalid refused) {
                    refusedNatively.merge(refused.rule(), 1, Integer::sum);
                    Rule expected = refused.rule() == Rule.TIMESTAMP_MISSING ? Rule.MALFORMED_JSON : refused.rule();
                    assertThat(segmentOutcome).as(line).isEqualTo(new Validation.Invalid(expected));
                    continue;
                }
                accepted++;
                landed += line.contains("\"received_at\"") ? 1 : 0;
                NormalizedEvent expected = ((Validation.Valid) nativeOutcome).event();
                assertThat(segmentOutcome).as(line).isInstanceOf(Validation.Valid.class);
                NormalizedEvent actual = ((Validation.Valid) segmentOutcome).event();
                String suffix = expected.eventType().wireName().equals("purchase") ? ":0" : "";
                assertThat(actual.eventId()).isEqualTo(expected.eventId() + suffix);
                assertThat(List.of(
                                actual.eventTime(),
                                actual.userId(),
                                actual.eventType(),
                                actual.productId(),
                                String.valueOf(actual.sessionId()),
                                actual.quantity(),
                                String.valueOf(actual.clockSkewMs())))
                        .as(line)
                        .isEqualTo(List.of(
                                expected.eventTime(),
                                expected.userId(),
                                expected.eventType(),
                                expected.productId(),
                                String.valueOf(expected.sessionId()),
                                expected.quantity(),
                                String.valueOf(expected.clockSkewMs())));
            }
        }
        assertThat(accepted - landed)
                .as("the oracle's count of events ingest accepts")
                .isEqualTo(json(Files.readString(dir.resolve("expected/counts.json")))
                        .get("ingest_accepted")
                        .asInt());
        assertThat(refusedNatively.keySet())
                .as("every broken form the generator makes was seen")
                .contains(
                        Rule.MALFORMED_JSON,
                        Rule.TIMESTAMP_MISSING,
                        Rule.EVENT_TYPE_UNKNOWN,
                        Rule.USER_ID_MISSING,
                        Rule.PRODUCT_ID_MISSING,
                        Rule.EVENT_TYPE_MISSING,
                        Rule.QUANTITY_INVALID);
    }
}
