package io.clickcartel.insights;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * gold.product_daily arranged for date-range sums: per product its days in date order with running totals, so a
 * product's sums over any range are two binary searches and a subtraction — a request costs the number of products,
 * not the number of product days. Built once per loaded version.
 */
final class ProductIndex {

    static final ProductIndex EMPTY = new ProductIndex(List.of());

    /** One product's sums over a range; {@code null} when it has no day in the range. */
    record Sums(
            String productId,
            String productName,
            String category,
            long views,
            long carts,
            long purchases,
            long unitsSold,
            BigDecimal revenue,
            long viewerDays,
            long buyerDays) {}

    private final List<Product> products;

    ProductIndex(List<Gold.ProductDay> days) {
        Map<String, List<Gold.ProductDay>> byProduct = new TreeMap<>();
        for (Gold.ProductDay day : days) {
            byProduct.computeIfAbsent(day.productId(), id -> new ArrayList<>()).add(day);
        }
        List<Product> built = new ArrayList<>(byProduct.size());
        byProduct.values().forEach(productDays -> built.add(new Product(productDays)));
        this.products = List.copyOf(built);
    }

    /** Every product with a day in the range (of the category, when one is given), with its sums. */
    List<Sums> sums(Insights.DateRange range, Optional<String> category) {
        List<Sums> sums = new ArrayList<>();
        for (Product product : products) {
            Sums productSums = product.sums(range, category);
            if (productSums != null) {
                sums.add(productSums);
            }
        }
        return sums;
    }

    private static final class Product {
        private final List<Gold.ProductDay> days; // in date order
        private final LocalDate[] dates;
        /** Running totals: index i holds the sum over days[0..i). */
        private final long[] views, carts, purchases, units, viewers, buyers;

        private final BigDecimal[] revenue;
        private final boolean oneCategory;

        Product(List<Gold.ProductDay> unordered) {
            days = unordered.stream()
                    .sorted(java.util.Comparator.comparing(Gold.ProductDay::date))
                    .toList();
            int n = days.size();
            dates = new LocalDate[n];
            views = new long[n + 1];
            carts = new long[n + 1];
            purchases = new long[n + 1];
            units = new long[n + 1];
            viewers = new long[n + 1];
            buyers = new long[n + 1];
            revenue = new BigDecimal[n + 1];
            revenue[0] = BigDecimal.ZERO;
            for (int i = 0; i < n; i++) {
                Gold.ProductDay day = days.get(i);
                dates[i] = day.date();
                views[i + 1] = views[i] + day.views();
                carts[i + 1] = carts[i] + day.carts();
                purchases[i + 1] = purchases[i] + day.purchases();
                units[i + 1] = units[i] + day.unitsSold();
                viewers[i + 1] = viewers[i] + day.uniqueViewers();
                buyers[i + 1] = buyers[i] + day.uniqueBuyers();
                revenue[i + 1] = day.revenue() == null ? revenue[i] : revenue[i].add(day.revenue());
            }
            oneCategory =
                    days.stream().map(Gold.ProductDay::category).distinct().count() == 1;
        }

        Sums sums(Insights.DateRange range, Optional<String> category) {
            int from = range.from() == null ? 0 : firstOnOrAfter(range.from());
            int to =
                    range.to() == null ? days.size() : firstOnOrAfter(range.to().plusDays(1));
            if (from >= to) {
                return null;
            }
            if (category.isPresent() && !oneCategory) {
                return scan(days.subList(from, to), category.get());
            }
            Gold.ProductDay latest = days.get(to - 1);
            if (category.isPresent() && !category.get().equals(latest.category())) {
                return null;
            }
            return new Sums(
                    latest.productId(),
                    latest.productName(),
                    latest.category(),
                    views[to] - views[from],
                    carts[to] - carts[from],
                    purchases[to] - purchases[from],
                    units[to] - units[from],
                    revenue[to].subtract(revenue[from]),
                    viewers[to] - viewers[from],
                    buyers[to] - buyers[from]);
        }

        /** A product whose category changed over time: only its days in that category count. */
        private static Sums scan(Collection<Gold.ProductDay> days, String category) {
            Gold.ProductDay latest = null;
            long v = 0, c = 0, p = 0, u = 0, vd = 0, bd = 0;
            BigDecimal r = BigDecimal.ZERO;
            for (Gold.ProductDay day : days) {
                if (category.equals(day.category())) {
                    latest = day;
                    v += day.views();
                    c += day.carts();
                    p += day.purchases();
                    u += day.unitsSold();
                    vd += day.uniqueViewers();
                    bd += day.uniqueBuyers();
                    r = day.revenue() == null ? r : r.add(day.revenue());
                }
            }
            return latest == null
                    ? null
                    : new Sums(latest.productId(), latest.productName(), category, v, c, p, u, r, vd, bd);
        }

        private int firstOnOrAfter(LocalDate date) {
            int low = 0;
            int high = dates.length;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (dates[middle].isBefore(date)) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }
    }
}
