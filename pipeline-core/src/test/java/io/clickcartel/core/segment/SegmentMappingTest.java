package io.clickcartel.core.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.contract.EventValidator;
import io.clickcartel.core.contract.NormalizedEvent;
import io.clickcartel.core.contract.Validation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SegmentMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant RECEIVED = Instant.parse("2024-05-01T12:00:10Z");
    private static final EventValidator CONTRACT = new EventValidator(JSON);

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static List<String> events(String message, String batchSentAt, String routeType) {
        SegmentMapping.Outcome outcome =
                SegmentMapping.map(json(message), batchSentAt == null ? null : json(batchSentAt), RECEIVED, routeType);
        assertThat(outcome).isInstanceOf(SegmentMapping.Outcome.Events.class);
        return ((SegmentMapping.Outcome.Events) outcome).events();
    }

    private static NormalizedEvent valid(String raw) {
        Validation validation = CONTRACT.validate(raw, RECEIVED);
        assertThat(validation).as(raw).isInstanceOf(Validation.Valid.class);
        return ((Validation.Valid) validation).event();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Product Viewed|view_product",
                "viewed product|view_product",
                "  PRODUCT VIEWED |view_product",
                "Product Added|add_to_cart",
                "Added Product|add_to_cart"
            })
    void funnelStepsAreMappedByNameInAnyCase(String name, String type) {
        NormalizedEvent event = valid(events(
                        "{\"type\":\"track\",\"event\":\"" + name + "\",\"messageId\":\"m-1\","
                                + "\"userId\":\"u\",\"timestamp\":\"2024-05-01T12:00:00Z\",\"properties\":{\"product_id\":\"p\"}}",
                        null,
                        null)
                .get(0));
        assertThat(event.eventType().wireName()).isEqualTo(type);
        assertThat(event.eventId()).isEqualTo("m-1");
        assertThat(event.quantity()).isEqualTo(1);
    }

    @Test
    void anOrderIsOnePurchasePerProductWithItsQuantityAndTheOrderId() {
        List<NormalizedEvent> purchases =
                events("""
                {"type":"track","event":"Order Completed","messageId":"m-9","anonymousId":"anon-1",
                 "originalTimestamp":"2024-05-01T11:59:00Z","timestamp":"2024-05-01T11:00:00Z",
                 "properties":{"order_id":"o-7","products":[{"sku":"p-1","quantity":2},{"id":"p-2"}]}}""", null, null).stream().map(SegmentMappingTest::valid).toList();
        assertThat(purchases).extracting(NormalizedEvent::eventId).containsExactly("m-9:0", "m-9:1");
        assertThat(purchases).extracting(NormalizedEvent::productId).containsExactly("p-1", "p-2");
        assertThat(purchases).extracting(NormalizedEvent::quantity).containsExactly(2, 1);
        assertThat(purchases).extracting(NormalizedEvent::userId).containsOnly("anon-1");
        assertThat(purchases)
                .extracting(NormalizedEvent::eventTime)
                .as("originalTimestamp wins")
                .containsOnly(Instant.parse("2024-05-01T11:59:00Z"));
        assertThat(purchases.get(0).toJson().get("order_id").asText()).isEqualTo("o-7");
        assertThat(purchases
                        .get(1)
                        .toJson()
                        .get("segment")
                        .get("product")
                        .get("id")
                        .asText())
                .isEqualTo("p-2");
        assertThat(purchases.get(1).toJson().get("segment").get("properties").has("products"))
                .isFalse();
    }

    @Test
    void precedenceOfIdsTimesAndSessions() {
        NormalizedEvent event =
                valid(events("""
                {"type":"track","event":"Product Viewed","messageId":"m-2","userId":"u-1","anonymousId":"a-1",
                 "timestamp":"2024-05-01T12:00:00Z","context":{"sessionId":"ctx-s"},
                 "properties":{"product_id":"p-1","sku":"s-1","id":"i-1","session_id":"prop-s"}}""", "\"2024-05-01T12:00:20Z\"", null).get(0));
        assertThat(event.userId()).isEqualTo("u-1");
        assertThat(event.productId()).isEqualTo("p-1");
        assertThat(event.sessionId()).isEqualTo("prop-s");
        assertThat(event.clockSkewMs())
                .as("the batch's sentAt is 10 s ahead of the receive time")
                .isEqualTo(10_000);
        assertThat(event.eventTime()).isEqualTo(Instant.parse("2024-05-01T11:59:50Z"));

        NormalizedEvent withoutTimes =
                valid(events("""
                {"type":"track","event":"Product Viewed","messageId":"m-3","anonymousId":"a-1","sentAt":"x",
                 "context":{"sessionId":"ctx-s"},"properties":{"id":"i-1"}}""".replace(",\"sentAt\":\"x\"", ""), null, null).get(0));
        assertThat(withoutTimes.eventTime()).as("no time: the receive time").isEqualTo(RECEIVED);
        assertThat(withoutTimes.sessionId()).isEqualTo("ctx-s");
        assertThat(withoutTimes.productId()).isEqualTo("i-1");
    }

    @Test
    void aMessageIdThatIsNoContractIdBecomesAHashThatARetryWithANewSentAtKeeps() {
        String message = """
                {"type":"track","event":"Product Viewed","messageId":"has spaces","userId":"u",
                 "timestamp":"2024-05-01T12:00:00Z","sentAt":"%s","properties":{"product_id":"p"}}""";
        String first = valid(events(message.formatted("2024-05-01T12:00:01Z"), null, null)
                        .get(0))
                .eventId();
        String retry = valid(events(message.formatted("2024-05-01T12:05:00Z"), null, null)
                        .get(0))
                .eventId();
        assertThat(first).startsWith("h-").isEqualTo(retry);
    }

    @Test
    void otherMessagesAreIgnoredAndTheRouteNamesTheType() {
        for (String message : List.of(
                "{\"type\":\"identify\",\"userId\":\"u\"}",
                "{\"type\":\"page\"}",
                "{\"type\":\"track\",\"event\":\"Product List Viewed\"}",
                "{\"type\":\"alias\"}")) {
            assertThat(SegmentMapping.map(json(message), null, RECEIVED, null))
                    .isInstanceOf(SegmentMapping.Outcome.Ignored.class);
        }
        assertThat(events(
                        "{\"event\":\"Product Viewed\",\"userId\":\"u\",\"properties\":{\"product_id\":\"p\"}}",
                        null,
                        "track"))
                .hasSize(1);
        assertThat(SegmentMapping.map(json("{\"event\":\"Product Viewed\"}"), null, RECEIVED, "page"))
                .isInstanceOf(SegmentMapping.Outcome.Ignored.class);
        assertThat(SegmentMapping.map(
                        json("{\"type\":\"track\",\"event\":\"Product Viewed\",\"userId\":\"u\"}"),
                        null,
                        RECEIVED,
                        "identify"))
                .as("the route wins over the body")
                .isInstanceOf(SegmentMapping.Outcome.Ignored.class);
    }

    @Test
    void brokenMessagesMapToEventsTheContractRefusesWithItsRules() {
        assertThat(rule(events(
                                "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"u\","
                                        + "\"properties\":{\"order_id\":\"o\"}}",
                                null,
                                null)
                        .get(0)))
                .isEqualTo("product_id_missing");
        assertThat(rule(events(
                                "{\"type\":\"track\",\"event\":\"Product Added\",\"properties\":{\"product_id\":\"p\"}}",
                                null,
                                null)
                        .get(0)))
                .isEqualTo("user_id_missing");
        assertThat(rule(events(
                                "{\"type\":\"track\",\"userId\":\"u\",\"properties\":{\"product_id\":\"p\"}}",
                                null,
                                null)
                        .get(0)))
                .isEqualTo("event_type_missing");
        assertThat(rule(events("[1]", null, null).get(0))).isEqualTo("malformed_json");
    }

    private static String rule(String raw) {
        Validation validation = CONTRACT.validate(raw, RECEIVED);
        assertThat(validation).as(raw).isInstanceOf(Validation.Invalid.class);
        return ((Validation.Invalid) validation).rule().id();
    }
}
