package io.clickcartel.insights;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InsightsTest {

    private static final LocalDate D1 = LocalDate.parse("2026-05-01");
    private static final LocalDate D2 = LocalDate.parse("2026-05-02");
    private static final LocalDate D3 = LocalDate.parse("2026-05-03");
    private static final Insights.DateRange ALL_DAYS = new Insights.DateRange(null, null);
    private static final Instant T0 = Instant.parse("2026-05-03T10:00:00Z");

    private static DeltaReader.Loaded<?> table(long version, Instant committed, List<?> rows) {
        return new DeltaReader.Loaded<>(new DeltaReader.Version(version, committed), rows);
    }

    private static Gold.ProductDay product(
            LocalDate date, String id, String category, long views, long carts, long purchases, String revenue) {
        return new Gold.ProductDay(
                date,
                id,
                "name " + id,
                category,
                views,
                carts,
                purchases,
                purchases * 2,
                new BigDecimal(revenue),
                views / 2,
                purchases);
    }

    private static Gold.Customer customer(String id, String location, String segment, long rank, String revenue) {
        return new Gold.Customer(
                id,
                location,
                D1,
                1,
                1,
                new BigDecimal(revenue),
                new BigDecimal(revenue),
                3L,
                1L,
                1L,
                1L,
                segment,
                rank,
                T0,
                T0,
                T0);
    }

    private static final GoldSnapshot GOLD = GoldSnapshot.of(Map.of(
            Gold.Table.PRODUCT_DAILY,
                    table(
                            4,
                            T0,
                            List.of(
                                    product(D1, "p-1", "toys", 10, 3, 1, "10.00"),
                                    product(D2, "p-1", "toys", 20, 3, 1, "10.50"),
                                    product(D1, "p-2", "books", 9, 0, 0, "0.00"),
                                    product(D3, "p-2", "books", 30, 9, 6, "99.99"),
                                    product(D2, "p-3", "toys", 0, 0, 0, "0.00"))),
            Gold.Table.FUNNEL_DAILY,
                    table(
                            2,
                            T0.minusSeconds(30),
                            List.of(
                                    new Gold.FunnelDay(D2, "ALL", 30, 6, 2),
                                    new Gold.FunnelDay(D1, "ALL", 10, 3, 1),
                                    new Gold.FunnelDay(D1, "toys", 5, 3, 1))),
            Gold.Table.JOURNEY_DAILY,
                    table(
                            1,
                            T0,
                            List.of(
                                    new Gold.JourneyDay(D1, 3, 1, new BigDecimal("2.5"), new BigDecimal("60.0")),
                                    new Gold.JourneyDay(D2, 6, 1, new BigDecimal("1.0"), new BigDecimal("30.0")))),
            Gold.Table.PURCHASE_PATHS,
                    table(
                            1,
                            T0,
                            List.of(
                                    new Gold.PathDay(D1, "view_product>purchase", true, 2),
                                    new Gold.PathDay(D2, "view_product>purchase", true, 1),
                                    new Gold.PathDay(D1, "view_product>add_to_cart>purchase", true, 3),
                                    new Gold.PathDay(D1, "view_product", false, 10))),
            Gold.Table.CUSTOMER_VALUE,
                    table(
                            7,
                            T0,
                            List.of(
                                    customer("c-3", "Oslo", "browser", 3, "0.00"),
                                    customer("c-1", "Oslo", "champions", 1, "50.00"),
                                    customer("c-2", "Paris", "champions", 2, "25.00")))));

    @Test
    void productsAreSummedOverTheRangeRankedAndPagedWithRatesFromTheSums() {
        Insights.ProductRanking ranking =
                Insights.topProducts(GOLD, ALL_DAYS, Optional.empty(), Insights.ProductOrder.REVENUE, 0, 2);
        assertThat(ranking.total()).isEqualTo(3);
        assertThat(ranking.items())
                .extracting(Insights.ProductSummary::productId)
                .containsExactly("p-2", "p-1");
        Insights.ProductSummary p1 = ranking.items().get(1);
        assertThat(List.of(p1.views(), p1.carts(), p1.purchases(), p1.unitsSold(), p1.viewerDays(), p1.buyerDays()))
                .containsExactly(30L, 6L, 2L, 4L, 15L, 2L);
        assertThat(p1.revenue()).isEqualByComparingTo("20.50");
        assertThat(p1.rates())
                .isEqualTo(new Insights.Rates(
                        new BigDecimal("0.200000"), new BigDecimal("0.333333"), new BigDecimal("0.066667")));
        assertThat(ranking.totals()).isEqualTo(new Insights.ProductTotals(69, 15, 8, 16, new BigDecimal("120.49")));

        Insights.ProductRanking secondPage =
                Insights.topProducts(GOLD, ALL_DAYS, Optional.empty(), Insights.ProductOrder.REVENUE, 2, 2);
        assertThat(secondPage.items())
                .extracting(Insights.ProductSummary::productId)
                .containsExactly("p-3");
        assertThat(secondPage.items().get(0).rates()).isEqualTo(new Insights.Rates(null, null, null));
        assertThat(Insights.topProducts(GOLD, ALL_DAYS, Optional.empty(), Insights.ProductOrder.REVENUE, 9, 2)
                        .items())
                .isEmpty();
    }

    @Test
    void theDateRangeIsInclusiveAndTheCategoryAndOrderApply() {
        Insights.ProductRanking toysOnDayTwo = Insights.topProducts(
                GOLD, new Insights.DateRange(D2, D2), Optional.of("toys"), Insights.ProductOrder.VIEWS, 0, 10);
        assertThat(toysOnDayTwo.items())
                .extracting(Insights.ProductSummary::productId)
                .containsExactly("p-1", "p-3");
        assertThat(toysOnDayTwo.items().get(0).views()).isEqualTo(20);
        Insights.ProductRanking fromDayTwo = Insights.topProducts(
                GOLD, new Insights.DateRange(D2, null), Optional.empty(), Insights.ProductOrder.CARTS, 0, 10);
        assertThat(fromDayTwo.items())
                .extracting(Insights.ProductSummary::productId)
                .containsExactly("p-2", "p-1", "p-3");
        assertThat(fromDayTwo.totals().views()).isEqualTo(50);
    }

    @Test
    void theFunnelIsPerDayInDateOrderWithATotalOfUserDays() {
        Insights.Funnel funnel = Insights.funnel(GOLD, ALL_DAYS, "ALL");
        assertThat(funnel.days()).extracting(Insights.FunnelStep::date).containsExactly(D1, D2);
        assertThat(funnel.total().usersViewed()).isEqualTo(40);
        assertThat(funnel.total().usersCarted()).isEqualTo(9);
        assertThat(funnel.total().usersPurchased()).isEqualTo(3);
        assertThat(funnel.total().rates().cartToPurchase()).isEqualByComparingTo("0.333333");
        assertThat(Insights.funnel(GOLD, ALL_DAYS, "toys").days()).hasSize(1);
        assertThat(Insights.funnel(GOLD, new Insights.DateRange(D3, D3), "ALL")
                        .total()
                        .rates()
                        .viewToCart())
                .isNull();
    }

    @Test
    void sessionsAndConversionAreSummedOverTheRange() {
        Insights.Sessions sessions = Insights.sessions(GOLD, ALL_DAYS);
        assertThat(sessions.sessions()).isEqualTo(9);
        assertThat(sessions.convertedSessions()).isEqualTo(2);
        assertThat(sessions.sessionConversionRate()).isEqualByComparingTo("0.222222");
        assertThat(sessions.days().get(0).sessionConversionRate()).isEqualByComparingTo("0.333333");
    }

    @Test
    void pathsAreSummedAcrossDaysRankedAndFilteredByOutcome() {
        Insights.Page<Insights.PathSummary> toPurchase = Insights.paths(GOLD, ALL_DAYS, Optional.of(true), 0, 10);
        assertThat(toPurchase.items())
                .extracting(Insights.PathSummary::path)
                .containsExactly("view_product>add_to_cart>purchase", "view_product>purchase");
        assertThat(toPurchase.items().get(1).sessions()).isEqualTo(3);
        assertThat(toPurchase.items().get(1).share()).isEqualByComparingTo("0.5");
        assertThat(toPurchase.items().get(0).steps()).containsExactly("view_product", "add_to_cart", "purchase");
        assertThat(Insights.paths(GOLD, ALL_DAYS, Optional.empty(), 0, 1)
                        .items()
                        .get(0)
                        .path())
                .isEqualTo("view_product");
        assertThat(Insights.paths(GOLD, new Insights.DateRange(D2, D2), Optional.of(true), 0, 10)
                        .total())
                .isEqualTo(1);
    }

    @Test
    void customersComeByRevenueRankAndSegmentsByRevenue() {
        assertThat(Insights.topCustomers(GOLD, Optional.empty(), Optional.empty(), 0, 2)
                        .items())
                .extracting(Gold.Customer::userId)
                .containsExactly("c-1", "c-2");
        assertThat(Insights.topCustomers(GOLD, Optional.of("Oslo"), Optional.empty(), 1, 5)
                        .items())
                .extracting(Gold.Customer::userId)
                .containsExactly("c-3");
        assertThat(Insights.topCustomers(GOLD, Optional.empty(), Optional.of("champions"), 0, 5)
                        .total())
                .isEqualTo(2);
        List<Insights.SegmentSummary> segments = Insights.segments(GOLD, Optional.empty());
        assertThat(segments).extracting(Insights.SegmentSummary::segment).containsExactly("champions", "browser");
        assertThat(segments.get(0).customers()).isEqualTo(2);
        assertThat(segments.get(0).revenue()).isEqualByComparingTo("75.00");
        assertThat(segments.get(0).share()).isEqualByComparingTo("0.666667");
        assertThat(Insights.segments(GOLD, Optional.of("Paris")))
                .singleElement()
                .extracting(Insights.SegmentSummary::customers)
                .isEqualTo(1L);
    }

    @Test
    void filtersOfferWhatGoldHolds() {
        Insights.Filters filters = Insights.filters(GOLD);
        assertThat(filters.firstDate()).isEqualTo(D1);
        assertThat(filters.lastDate()).isEqualTo(D3);
        assertThat(filters.categories()).containsExactly("books", "toys");
        assertThat(filters.locations()).containsExactly("Oslo", "Paris");
        assertThat(filters.segments()).containsExactly("browser", "champions");
        Insights.Filters none = Insights.filters(GoldSnapshot.EMPTY);
        assertThat(none.firstDate()).isNull();
        assertThat(none.categories()).isEmpty();
    }

    @Test
    void freshnessGivesEachTablesVersionAndHowFarItTrailsBronze() {
        Insights.Freshness freshness =
                Insights.freshness(GOLD, Optional.of(new DeltaReader.Version(40, T0.plusSeconds(12))));
        assertThat(freshness.newestGoldCommitAt()).isEqualTo(T0);
        Insights.TableFreshness funnel = freshness.tables().stream()
                .filter(t -> t.table().equals("gold.funnel_daily"))
                .findFirst()
                .orElseThrow();
        assertThat(funnel.version()).isEqualTo(2);
        assertThat(funnel.rows()).isEqualTo(3);
        assertThat(funnel.secondsBehindBronze()).isEqualTo(42);
        Insights.Freshness empty = Insights.freshness(GoldSnapshot.EMPTY, Optional.empty());
        assertThat(empty.tables())
                .hasSize(5)
                .allSatisfy(t -> assertThat(t.version()).isNull());
        assertThat(empty.newestGoldCommitAt()).isNull();
    }
}
