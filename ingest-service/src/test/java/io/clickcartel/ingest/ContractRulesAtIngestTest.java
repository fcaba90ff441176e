package io.clickcartel.ingest;

import static io.clickcartel.ingest.IngestTestSupport.event;
import static io.clickcartel.ingest.IngestTestSupport.postSingle;
import static org.hamcrest.Matchers.equalTo;

import io.clickcartel.core.contract.Rule;
import io.clickcartel.testsupport.LocalKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Arrays;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every contract rule, broken once through the HTTP API: 400, and the rule, field and reason said. */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
class ContractRulesAtIngestTest {

    private static final String VALID = event("rule-test", "u-1").replace("\n", "");

    /** One event breaking exactly the rule; EVENT_TOO_LARGE is a 413 and tested with the size limits. */
    private static final Map<Rule, String> BREAKING = Map.ofEntries(
            Map.entry(Rule.MALFORMED_JSON, "[\"not an object\"]"),
            Map.entry(Rule.EVENT_ID_INVALID, VALID.replace("\"rule-test\"", "\"no spaces allowed\"")),
            Map.entry(Rule.TIMESTAMP_MISSING, VALID.replace("\"timestamp\":\"2024-05-01T12:00:00Z\",", "")),
            Map.entry(Rule.TIMESTAMP_INVALID, VALID.replace("2024-05-01T12:00:00Z", "yesterday noon")),
            Map.entry(Rule.TIMESTAMP_OUT_OF_RANGE, VALID.replace("2024-05-01T12:00:00Z", "1970-01-01T00:00:00Z")),
            Map.entry(Rule.USER_ID_MISSING, VALID.replace("\"user_id\":\"u-1\",", "")),
            Map.entry(Rule.USER_ID_INVALID, VALID.replace("\"u-1\"", "12345")),
            Map.entry(Rule.EVENT_TYPE_MISSING, VALID.replace("\"event_type\":\"view_product\",", "")),
            Map.entry(Rule.EVENT_TYPE_UNKNOWN, VALID.replace("view_product", "checkout")),
            Map.entry(Rule.PRODUCT_ID_MISSING, VALID.replace("\"product_id\":\"p-1\",", "")),
            Map.entry(Rule.PRODUCT_ID_INVALID, VALID.replace("\"p-1\"", "\"" + "p".repeat(65) + "\"")),
            Map.entry(Rule.SESSION_ID_INVALID, VALID.replace("\"s-1\"", "{\"id\":1}")),
            Map.entry(Rule.QUANTITY_INVALID, VALID.replace("\"quantity\":1", "\"quantity\":\"two\"")),
            Map.entry(Rule.QUANTITY_OUT_OF_RANGE, VALID.replace("\"quantity\":1", "\"quantity\":0")),
            Map.entry(Rule.SENT_AT_INVALID, VALID.replace("\"quantity\":1", "\"quantity\":1,\"sent_at\":\"soon\"")),
            Map.entry(
                    Rule.SENT_AT_OUT_OF_RANGE,
                    VALID.replace("\"quantity\":1", "\"quantity\":1,\"sent_at\":-999999999999999")),
            Map.entry(Rule.TIMESTAMP_IN_FUTURE, VALID.replace("2024-05-01T12:00:00Z", "2099-12-31T23:00:00Z")));

    @Test
    void everyRuleButTheSizeLimitIsCoveredHere() {
        Assertions.assertThat(BREAKING.keySet())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Rule.values())
                        .filter(rule -> rule != Rule.EVENT_TOO_LARGE)
                        .toList());
    }

    @ParameterizedTest
    @EnumSource(value = Rule.class, names = "EVENT_TOO_LARGE", mode = EnumSource.Mode.EXCLUDE)
    void anEventBreakingTheRuleIsRefusedWithItsIdFieldAndReason(Rule rule) {
        postSingle(BREAKING.get(rule))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("rule", equalTo(rule.id()))
                .body("field", equalTo(rule.field()))
                .body("reason", equalTo(rule.reason()));
    }
}
