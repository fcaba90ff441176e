package io.clickcartel.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The oracle on tiny hand-written event lists whose answers were worked out by hand. */
class OracleTest {

    private static final Catalog CATALOG = Catalog.of(
            List.of(new Catalog.Customer("c-1", LocalDate.of(2024, 1, 1), "London")),
            List.of(
                    new Catalog.Product("p-1", "Lamp", "home", new BigDecimal("10.50")),
                    new Catalog.Product("p-2", "Book", "books", new BigDecimal("3.00"))));

    private final Oracle oracle = new Oracle(CATALOG, Duration.ofMinutes(10), new ObjectMapper(), 16);

    private static String event(String id, String time, String type, String product, int quantity) {
        return "{\"event_id\":\"%s\",\"timestamp\":\"%s\",\"user_id\":\"c-1\",\"event_type\":\"%s\",\"product_id\":\"%s\",\"quantity\":%d}"
                .formatted(id, time, type, product, quantity);
    }

    private void send(Phase phase, String... lines) {
        for (String line : lines) {
            oracle.accept(phase, line, LineSink.Kind.CLEAN, null);
        }
    }

    private Oracle.ProductDayTotals day(String date, String product) {
        return oracle.result().productDaily().get(new Oracle.ProductDay(LocalDate.parse(date), product));
    }

    @Test
    void aResentEventIsOneSilverRowAndOneDuplicate() {
        String view = event("e-1", "2024-05-01T12:00:00Z", "view_product", "p-1", 1);
        send(Phase.MAIN_HTTP, view, view);

        Oracle.Expected expected = oracle.result();
        assertThat(expected.count("ingest_accepted")).isEqualTo(2);
        assertThat(expected.count("bronze_rows")).isEqualTo(2);
        assertThat(expected.count("silver_rows")).isEqualTo(1);
        assertThat(expected.count("duplicates_removed")).isEqualTo(1);
        assertThat(day("2024-05-01", "p-1").views).isEqualTo(1);
    }

    @Test
    void anEventOlderThanTheWatermarkOfEarlierPhasesIsLateAndOnlyBackfillKeepsIt() {
        send(
                Phase.MAIN_HTTP,
                event("e-1", "2024-05-01T12:00:00Z", "view_product", "p-1", 1),
                event("e-2", "2024-05-01T12:30:00Z", "view_product", "p-1", 1));
        // watermark now 12:30 - 10 min = 12:20
        send(
                Phase.LATE_HTTP,
                event("e-3", "2024-05-01T12:05:00Z", "purchase", "p-1", 1),
                event("e-4", "2024-05-01T12:25:00Z", "view_product", "p-2", 1));

        Oracle.Expected expected = oracle.result();
        assertThat(expected.count("too_late")).isEqualTo(1);
        assertThat(expected.count("silver_rows")).isEqualTo(3);
        assertThat(expected.count("backfill_silver_rows")).isEqualTo(4);
        assertThat(expected.countsByKey("backfill_silver_rows_by_date")).containsEntry("2024-05-01", 4L);
        assertThat(day("2024-05-01", "p-1").purchases).isZero();
    }

    @Test
    void afterABackfillGoldAlsoCountsTheEventsThatCameOnlyTooLate() {
        send(
                Phase.MAIN_HTTP,
                event("e-1", "2024-05-01T12:00:00Z", "view_product", "p-1", 1),
                event("e-2", "2024-05-01T12:30:00Z", "view_product", "p-1", 1));
        // watermark 12:20: e-3 is too late and never arrives on time; e-2's late copy is only a duplicate
        send(
                Phase.LATE_HTTP,
                event("e-3", "2024-05-01T12:05:00Z", "purchase", "p-1", 2),
                event("e-2", "2024-05-01T12:30:00Z", "view_product", "p-1", 1),
                event("e-3", "2024-05-01T12:05:00Z", "purchase", "p-1", 2));

        Oracle.Expected expected = oracle.result();
        Map<String, String> streamed = expected.gold()
                .get(io.clickcartel.core.LakeTable.GOLD_PRODUCT_DAILY)
                .get(0);
        Map<String, String> backfilled = expected.goldAfterBackfill()
                .get(io.clickcartel.core.LakeTable.GOLD_PRODUCT_DAILY)
                .get(0);
        assertThat(streamed)
                .containsEntry("views", "2")
                .containsEntry("purchases", "0")
                .containsEntry("revenue", "0.00");
        assertThat(backfilled)
                .containsEntry("views", "2")
                .containsEntry("purchases", "1")
                .containsEntry("units_sold", "2")
                .containsEntry("revenue", "21.00");
        assertThat(expected.goldAfterBackfill()
                        .get(io.clickcartel.core.LakeTable.GOLD_CUSTOMER_VALUE)
                        .get(0))
                .containsEntry("orders", "1")
                .containsEntry("revenue", "21.00");
    }

    @Test
    void brokenEventsAreRejectedAtIngestOrQuarantinedFromTheLandingFolder() {
        send(Phase.MAIN_HTTP, "{\"event_id\":\"m-1\",", event("m-2", "2024-05-01T12:00:00Z", "checkout", "p-1", 1));
        send(
                Phase.MAIN_LANDING,
                "{\"event_id\":\"m-3\",",
                event("e-4", "2024-05-01T12:01:00Z", "view_product", "p-1", 1));

        Oracle.Expected expected = oracle.result();
        assertThat(expected.countsByKey("ingest_rejected_by_rule"))
                .isEqualTo(Map.of("malformed_json", 1L, "event_type_unknown", 1L));
        assertThat(expected.count("ingest_accepted")).isZero();
        assertThat(expected.count("bronze_rows")).isEqualTo(2);
        assertThat(expected.countsByKey("quarantined_by_rule")).isEqualTo(Map.of("malformed_json", 1L));
        assertThat(expected.count("silver_rows")).isEqualTo(1);
    }

    @Test
    void revenueIsPriceTimesQuantityForKnownProductsAndUnknownIdsAreKeptAndCounted() {
        send(
                Phase.MAIN_HTTP,
                event("e-1", "2024-05-01T12:00:00Z", "purchase", "p-1", 3),
                event("e-2", "2024-05-01T12:01:00Z", "purchase", "p-1", 1),
                event("e-3", "2024-05-01T12:02:00Z", "purchase", "p-x9", 2),
                event("e-4", "2024-05-01T12:03:00Z", "view_product", "p-2", 1).replace("c-1", "c-x7"));

        Oracle.Expected expected = oracle.result();
        assertThat(day("2024-05-01", "p-1").revenue).isEqualByComparingTo("42.00");
        assertThat(day("2024-05-01", "p-1").unitsSold).isEqualTo(4);
        assertThat(day("2024-05-01", "p-x9").revenue).isEqualByComparingTo("0");
        assertThat(day("2024-05-01", "p-x9").unitsSold).isEqualTo(2);
        assertThat(expected.count("silver_unknown_product_rows")).isEqualTo(1);
        assertThat(expected.count("silver_unknown_customer_rows")).isEqualTo(1);
    }

    @Test
    void aSkewCorrectedEventCanMoveToThePreviousDay() {
        // the client clock runs one hour fast; the collector received the event at 23:10:30 UTC on May 1st
        send(
                Phase.MAIN_LANDING,
                "{\"event_id\":\"e-1\",\"timestamp\":\"2024-05-02T00:10:00Z\",\"user_id\":\"c-1\","
                        + "\"event_type\":\"view_product\",\"product_id\":\"p-1\",\"sent_at\":\"2024-05-02T00:10:30Z\","
                        + "\"received_at\":\"2024-05-01T23:10:30Z\"}");

        assertThat(day("2024-05-01", "p-1").views).isEqualTo(1);
        assertThat(oracle.result().countsByKey("silver_rows_by_date")).isEqualTo(Map.of("2024-05-01", 1L));
    }

    @Test
    void refusesAPhaseSoDisorderedThatLatenessWouldDependOnBatchBoundaries() {
        send(Phase.MAIN_HTTP, event("e-1", "2024-05-01T12:30:00Z", "view_product", "p-1", 1));
        assertThatThrownBy(() -> send(Phase.MAIN_HTTP, event("e-2", "2024-05-01T12:20:00Z", "view_product", "p-1", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("micro-batch boundaries");
    }

    @Test
    void refusesHttpEventsWithSentAtWhoseTimeOnlyTheRealClockKnows() {
        String skewed = event("e-1", "2024-05-01T12:00:00Z", "view_product", "p-1", 1)
                .replace("}", ",\"sent_at\":\"2024-05-01T12:00:05Z\"}");
        assertThatThrownBy(() -> send(Phase.MAIN_HTTP, skewed)).hasMessageContaining("sent_at");
    }
}
