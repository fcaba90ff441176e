package io.clickcartel.insights;

import io.clickcartel.core.GoldColumns;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The answers the dashboard shows, as pure functions of a {@link GoldSnapshot} and a query. Sums over a date range
 * are sums of the daily gold rows; the per-user counts of a day (unique viewers, users who viewed…) summed over
 * several days count a user once per day, and are named so ({@code viewer_days}, {@code user_days}). Rates are
 * recomputed from the sums, with the gold tables' rounding (half up, {@link GoldColumns#RATE_SCALE} decimals).
 */
final class Insights {

    private Insights() {}

    /** An inclusive range of UTC dates; either end open. */
    record DateRange(LocalDate from, LocalDate to) {
        boolean contains(LocalDate date) {
            return (from == null || !date.isBefore(from)) && (to == null || !date.isAfter(to));
        }
    }

    /** One page of a ranked list, and how many items the whole list has. */
    record Page<T>(long total, int offset, int limit, List<T> items) {
        static <T> Page<T> of(List<T> all, int offset, int limit) {
            int from = Math.min(offset, all.size());
            return new Page<>(all.size(), offset, limit, all.subList(from, Math.min(all.size(), from + limit)));
        }
    }

    record Rates(BigDecimal viewToCart, BigDecimal cartToPurchase, BigDecimal viewToPurchase) {
        static Rates of(long views, long carts, long purchases) {
            return new Rates(rate(carts, views), rate(purchases, carts), rate(purchases, views));
        }
    }

    record ProductSummary(
            String productId,
            String productName,
            String category,
            long views,
            long carts,
            long purchases,
            long unitsSold,
            BigDecimal revenue,
            Rates rates,
            long viewerDays,
            long buyerDays) {}

    /** The orders {@link #topProducts} ranks by; ties by product id. */
    enum ProductOrder {
        REVENUE(ProductSummary::revenue),
        VIEWS(p -> BigDecimal.valueOf(p.views())),
        CARTS(p -> BigDecimal.valueOf(p.carts())),
        PURCHASES(p -> BigDecimal.valueOf(p.purchases())),
        UNITS(p -> BigDecimal.valueOf(p.unitsSold()));

        private final Function<ProductSummary, BigDecimal> key;

        ProductOrder(Function<ProductSummary, BigDecimal> key) {
            this.key = key;
        }
    }

    /** Sums over every product the filters keep, not only the page's. */
    record ProductTotals(long views, long carts, long purchases, long unitsSold, BigDecimal revenue) {}

    record ProductRanking(long total, int offset, int limit, List<ProductSummary> items, ProductTotals totals) {}

    static ProductRanking topProducts(
            GoldSnapshot gold, DateRange range, Optional<String> category, ProductOrder order, int offset, int limit) {
        List<ProductSummary> summaries = new ArrayList<>();
        for (ProductIndex.Sums sums : gold.productIndex().sums(range, category)) {
            summaries.add(new ProductSummary(
                    sums.productId(),
                    sums.productName(),
                    sums.category(),
                    sums.views(),
                    sums.carts(),
                    sums.purchases(),
                    sums.unitsSold(),
                    sums.revenue(),
                    Rates.of(sums.views(), sums.carts(), sums.purchases()),
                    sums.viewerDays(),
                    sums.buyerDays()));
        }
        summaries.sort(Comparator.comparing(order.key).reversed().thenComparing(ProductSummary::productId));
        Page<ProductSummary> page = Page.of(summaries, offset, limit);
        return new ProductRanking(
                page.total(),
                offset,
                limit,
                page.items(),
                new ProductTotals(
                        summaries.stream().mapToLong(ProductSummary::views).sum(),
                        summaries.stream().mapToLong(ProductSummary::carts).sum(),
                        summaries.stream().mapToLong(ProductSummary::purchases).sum(),
                        summaries.stream().mapToLong(ProductSummary::unitsSold).sum(),
                        summaries.stream().map(ProductSummary::revenue).reduce(BigDecimal.ZERO, BigDecimal::add)));
    }

    record FunnelStep(LocalDate date, long usersViewed, long usersCarted, long usersPurchased, Rates rates) {}

    record Funnel(String category, List<FunnelStep> days, FunnelStep total) {}

    /** The funnel of a category ({@link GoldColumns#ALL_CATEGORIES}: the whole shop), per day and over the range. */
    static Funnel funnel(GoldSnapshot gold, DateRange range, String category) {
        List<FunnelStep> days = gold.funnel().stream()
                .filter(day -> range.contains(day.date()) && day.category().equals(category))
                .sorted(Comparator.comparing(Gold.FunnelDay::date))
                .map(day -> step(day.date(), day.usersViewed(), day.usersCarted(), day.usersPurchased()))
                .toList();
        return new Funnel(
                category,
                days,
                step(
                        null,
                        days.stream().mapToLong(FunnelStep::usersViewed).sum(),
                        days.stream().mapToLong(FunnelStep::usersCarted).sum(),
                        days.stream().mapToLong(FunnelStep::usersPurchased).sum()));
    }

    private static FunnelStep step(LocalDate date, long viewed, long carted, long purchased) {
        return new FunnelStep(date, viewed, carted, purchased, Rates.of(viewed, carted, purchased));
    }

    record SessionDay(
            LocalDate date,
            long sessions,
            long convertedSessions,
            BigDecimal sessionConversionRate,
            BigDecimal avgViewsBeforeFirstPurchase,
            BigDecimal avgSecondsToFirstPurchase) {}

    record Sessions(List<SessionDay> days, long sessions, long convertedSessions, BigDecimal sessionConversionRate) {}

    static Sessions sessions(GoldSnapshot gold, DateRange range) {
        List<SessionDay> days = gold.journeys().stream()
                .filter(day -> range.contains(day.date()))
                .sorted(Comparator.comparing(Gold.JourneyDay::date))
                .map(day -> new SessionDay(
                        day.date(),
                        day.sessions(),
                        day.convertedSessions(),
                        rate(day.convertedSessions(), day.sessions()),
                        day.avgViewsBeforeFirstPurchase(),
                        day.avgSecondsToFirstPurchase()))
                .toList();
        long sessions = days.stream().mapToLong(SessionDay::sessions).sum();
        long converted = days.stream().mapToLong(SessionDay::convertedSessions).sum();
        return new Sessions(days, sessions, converted, rate(converted, sessions));
    }

    record PathSummary(String path, List<String> steps, boolean converted, long sessions, BigDecimal share) {}

    /** Paths by sessions over the range; {@code converted} keeps only the paths that did or did not end in a sale. */
    static Page<PathSummary> paths(
            GoldSnapshot gold, DateRange range, Optional<Boolean> converted, int offset, int limit) {
        Map<String, Long> sessionsByPath = new TreeMap<>();
        Map<String, Boolean> convertedByPath = new TreeMap<>();
        for (Gold.PathDay day : gold.paths()) {
            if (range.contains(day.date())
                    && converted.map(c -> c == day.converted()).orElse(true)) {
                sessionsByPath.merge(day.path(), day.sessions(), Long::sum);
                convertedByPath.put(day.path(), day.converted());
            }
        }
        long all = sessionsByPath.values().stream().mapToLong(Long::longValue).sum();
        List<PathSummary> paths = new ArrayList<>();
        sessionsByPath.forEach((path, sessions) -> paths.add(new PathSummary(
                path,
                List.of(path.split(java.util.regex.Pattern.quote(GoldColumns.PATH_SEPARATOR))),
                convertedByPath.get(path),
                sessions,
                rate(sessions, all))));
        paths.sort(Comparator.comparingLong(PathSummary::sessions).reversed().thenComparing(PathSummary::path));
        return Page.of(paths, offset, limit);
    }

    static Page<Gold.Customer> topCustomers(
            GoldSnapshot gold, Optional<String> location, Optional<String> segment, int offset, int limit) {
        if (location.isEmpty() && segment.isEmpty()) {
            return Page.of(gold.customers(), offset, limit); // already in rank order
        }
        List<Gold.Customer> customers = gold.customers().stream()
                .filter(matches(location, Gold.Customer::location))
                .filter(matches(segment, Gold.Customer::segment))
                .toList();
        return Page.of(customers, offset, limit);
    }

    record SegmentSummary(String segment, long customers, BigDecimal revenue, BigDecimal share) {}

    /** Customers and revenue per RFM segment, the biggest revenue first. */
    static List<SegmentSummary> segments(GoldSnapshot gold, Optional<String> location) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, BigDecimal> revenue = new TreeMap<>();
        List<Gold.Customer> customers = gold.customers().stream()
                .filter(matches(location, Gold.Customer::location))
                .toList();
        for (Gold.Customer customer : customers) {
            counts.computeIfAbsent(customer.segment(), s -> new long[1])[0]++;
            revenue.merge(
                    customer.segment(),
                    customer.revenue() == null ? BigDecimal.ZERO : customer.revenue(),
                    BigDecimal::add);
        }
        List<SegmentSummary> segments = new ArrayList<>();
        counts.forEach((segment, count) -> segments.add(
                new SegmentSummary(segment, count[0], revenue.get(segment), rate(count[0], customers.size()))));
        segments.sort(Comparator.comparing(SegmentSummary::revenue).reversed().thenComparing(SegmentSummary::segment));
        return segments;
    }

    record Filters(
            LocalDate firstDate,
            LocalDate lastDate,
            List<String> categories,
            List<String> locations,
            List<String> segments) {}

    /** What the filters can choose from: the dates gold has, and the categories, locations and segments in it. */
    static Filters filters(GoldSnapshot gold) {
        List<Gold.ProductDay> days = gold.products(); // in date order
        return new Filters(
                days.isEmpty() ? null : days.get(0).date(),
                days.isEmpty() ? null : days.get(days.size() - 1).date(),
                distinct(gold.products(), Gold.ProductDay::category),
                distinct(gold.customers(), Gold.Customer::location),
                distinct(gold.customers(), Gold.Customer::segment));
    }

    record TableFreshness(String table, Long version, Instant committedAt, long rows, Long secondsBehindBronze) {}

    record Freshness(Instant bronzeCommittedAt, Instant newestGoldCommitAt, List<TableFreshness> tables) {}

    /**
     * Each gold table's version, commit time and rows, and how far its commit trails bronze's newest (what was
     * ingested most recently); a table not written yet has no version.
     */
    static Freshness freshness(GoldSnapshot gold, Optional<DeltaReader.Version> bronze) {
        Map<String, TableFreshness> tables = new LinkedHashMap<>();
        Instant newest = null;
        for (Gold.Table table : Gold.Table.values()) {
            Optional<DeltaReader.Version> version = gold.version(table);
            Instant committed = version.map(DeltaReader.Version::committedAt).orElse(null);
            newest = committed != null && (newest == null || committed.isAfter(newest)) ? committed : newest;
            Long behind = committed == null
                    ? null
                    : bronze.map(b -> Math.max(
                                    0,
                                    Duration.between(committed, b.committedAt()).toSeconds()))
                            .orElse(null);
            tables.put(
                    table.lakeTable.qualifiedName(),
                    new TableFreshness(
                            table.lakeTable.qualifiedName(),
                            version.map(DeltaReader.Version::version).orElse(null),
                            committed,
                            gold.rows(table),
                            behind));
        }
        return new Freshness(
                bronze.map(DeltaReader.Version::committedAt).orElse(null), newest, List.copyOf(tables.values()));
    }

    private static <T> Predicate<T> matches(Optional<String> wanted, Function<T, String> value) {
        return row -> wanted.map(w -> w.equals(value.apply(row))).orElse(true);
    }

    private static <T> List<String> distinct(List<T> rows, Function<T, String> value) {
        return rows.stream()
                .map(value)
                .filter(v -> v != null)
                .distinct()
                .sorted()
                .toList();
    }

    /** {@code part / whole}, half up to the gold tables' scale; {@code null} when there is no whole. */
    static BigDecimal rate(long part, long whole) {
        return whole <= 0
                ? null
                : BigDecimal.valueOf(part)
                        .divide(BigDecimal.valueOf(whole), GoldColumns.RATE_SCALE, RoundingMode.HALF_UP);
    }
}
