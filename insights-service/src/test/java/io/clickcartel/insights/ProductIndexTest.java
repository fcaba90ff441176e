package io.clickcartel.insights;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ProductIndexTest {

    private static final LocalDate DAY0 = LocalDate.parse("2026-05-01");

    /** The sums the index must give, by scanning every day: the plain definition. */
    private static Map<String, List<Object>> scanned(
            List<Gold.ProductDay> days, Insights.DateRange range, Optional<String> category) {
        Map<String, List<Object>> sums = new TreeMap<>();
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, BigDecimal> revenue = new TreeMap<>();
        for (Gold.ProductDay day : days) {
            if (range.contains(day.date())
                    && category.map(day.category()::equals).orElse(true)) {
                long[] c = counts.computeIfAbsent(day.productId(), id -> new long[6]);
                c[0] += day.views();
                c[1] += day.carts();
                c[2] += day.purchases();
                c[3] += day.unitsSold();
                c[4] += day.uniqueViewers();
                c[5] += day.uniqueBuyers();
                revenue.merge(day.productId(), day.revenue(), BigDecimal::add);
            }
        }
        counts.forEach((id, c) -> sums.put(id, List.of(c[0], c[1], c[2], c[3], revenue.get(id), c[4], c[5])));
        return sums;
    }

    private static Map<String, List<Object>> indexed(
            ProductIndex index, Insights.DateRange range, Optional<String> category) {
        Map<String, List<Object>> sums = new TreeMap<>();
        for (ProductIndex.Sums s : index.sums(range, category)) {
            sums.put(
                    s.productId(),
                    List.of(
                            s.views(),
                            s.carts(),
                            s.purchases(),
                            s.unitsSold(),
                            s.revenue(),
                            s.viewerDays(),
                            s.buyerDays()));
        }
        return sums;
    }

    @Test
    void sumsOverAnyRangeAndCategoryEqualAScanOfEveryDay() {
        Random random = new Random(17);
        List<Gold.ProductDay> days = new ArrayList<>();
        for (int product = 0; product < 40; product++) {
            for (int day = 0; day < 20; day++) {
                if (random.nextInt(3) == 0) {
                    continue; // not every product every day
                }
                // p-0..p-4 change category on day 10: their days count under the category they had then
                String category = product < 5 && day >= 10 ? "toys" : product % 2 == 0 ? "books" : "toys";
                days.add(new Gold.ProductDay(
                        DAY0.plusDays(day),
                        "p-" + product,
                        "n",
                        category,
                        random.nextInt(50),
                        random.nextInt(10),
                        random.nextInt(5),
                        random.nextInt(9),
                        BigDecimal.valueOf(random.nextInt(100_000), 2),
                        random.nextInt(20),
                        random.nextInt(4)));
            }
        }
        Collections.shuffle(days, random);
        ProductIndex index = new ProductIndex(days);
        for (int trial = 0; trial < 300; trial++) {
            LocalDate from = random.nextInt(5) == 0 ? null : DAY0.plusDays(random.nextInt(22) - 1);
            LocalDate to = random.nextInt(5) == 0 ? null : DAY0.plusDays(random.nextInt(22) - 1);
            Insights.DateRange range = new Insights.DateRange(from, to);
            Optional<String> category = switch (random.nextInt(3)) {
                case 0 -> Optional.empty();
                case 1 -> Optional.of("books");
                default -> Optional.of("toys");
            };
            assertThat(indexed(index, range, category))
                    .as("%s %s", range, category)
                    .isEqualTo(scanned(days, range, category));
        }
    }

    @Test
    void aProductIsNamedAndCategorisedByItsLatestDayInTheRange() {
        ProductIndex index = new ProductIndex(List.of(
                new Gold.ProductDay(DAY0, "p-1", "Old name", "books", 1, 0, 0, 0, BigDecimal.ONE, 1, 0),
                new Gold.ProductDay(DAY0.plusDays(1), "p-1", "New name", "books", 2, 0, 0, 0, BigDecimal.ONE, 1, 0)));
        assertThat(index.sums(new Insights.DateRange(null, null), Optional.empty()))
                .singleElement()
                .extracting(ProductIndex.Sums::productName)
                .isEqualTo("New name");
        assertThat(index.sums(new Insights.DateRange(DAY0, DAY0), Optional.empty()))
                .singleElement()
                .extracting(ProductIndex.Sums::productName)
                .isEqualTo("Old name");
        assertThat(index.sums(new Insights.DateRange(DAY0.plusDays(2), null), Optional.empty()))
                .isEmpty();
    }
}
