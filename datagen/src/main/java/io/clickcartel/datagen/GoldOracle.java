package io.clickcartel.datagen;

import static io.clickcartel.core.GoldColumns.*;
import static io.clickcartel.core.SilverColumns.CATEGORY;
import static io.clickcartel.core.SilverColumns.EVENT_DATE;
import static io.clickcartel.core.SilverColumns.PRODUCT_NAME;
import static io.clickcartel.core.SilverColumns.REVENUE;
import static io.clickcartel.core.contract.EventField.PRODUCT_ID;
import static io.clickcartel.core.contract.EventField.USER_ID;

import io.clickcartel.core.LakeTable;
import io.clickcartel.core.Segment;
import io.clickcartel.core.contract.EventType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The gold tables computed in plain Java from the oracle's silver rows, by the definitions of
 * {@link io.clickcartel.core.GoldColumns}: the answers the gold aggregator must reproduce exactly. Every value is
 * written in its canonical text form (see {@link CanonicalText}) so that both sides compare as strings.
 */
final class GoldOracle {

    private static final long GAP_MICROS = SESSION_GAP.toNanos() / 1_000;
    private static final BigDecimal ZERO_MONEY = BigDecimal.ZERO.setScale(2);

    record SilverEvent(
            long micros,
            String eventId,
            String userId,
            EventType type,
            String productId,
            int quantity,
            BigDecimal revenue) {
        LocalDate date() {
            return dateOf(micros);
        }
    }

    private final Map<String, Catalog.Product> products = new HashMap<>();
    private final Map<String, Catalog.Customer> customers = new HashMap<>();
    /** ids repeat across millions of events: keep one copy of each */
    private final Map<String, String> ids = new HashMap<>();

    private final List<SilverEvent> events = new ArrayList<>();

    GoldOracle(Catalog catalog) {
        catalog.products().forEach(p -> products.put(p.id(), p));
        catalog.customers().forEach(c -> customers.put(c.id(), c));
    }

    SilverEvent event(
            Instant eventTime,
            String eventId,
            String userId,
            EventType type,
            String productId,
            int quantity,
            BigDecimal revenue) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, eventTime);
        return new SilverEvent(
                micros,
                eventId,
                ids.computeIfAbsent(userId, Function.identity()),
                type,
                ids.computeIfAbsent(productId, Function.identity()),
                quantity,
                revenue);
    }

    void add(SilverEvent event) {
        events.add(event);
    }

    /** The oracle of a silver that also holds {@code more} events (those a backfill brings back). */
    GoldOracle withAlso(List<SilverEvent> more) {
        GoldOracle copy = new GoldOracle();
        copy.products.putAll(products);
        copy.customers.putAll(customers);
        copy.events.addAll(events);
        copy.events.addAll(more);
        return copy;
    }

    private GoldOracle() {}

    /** table → rows (column → canonical value), each table sorted by its key. */
    Map<LakeTable, List<Map<String, String>>> tables() {
        Map<LakeTable, List<Map<String, String>>> tables = new LinkedHashMap<>();
        tables.put(LakeTable.GOLD_PRODUCT_DAILY, productDaily());
        tables.put(LakeTable.GOLD_FUNNEL_DAILY, funnelDaily());
        List<Session> sessions = sessions();
        tables.put(LakeTable.GOLD_JOURNEY_DAILY, journeyDaily(sessions));
        tables.put(LakeTable.GOLD_PURCHASE_PATHS, purchasePaths(sessions));
        tables.put(LakeTable.GOLD_CUSTOMER_VALUE, customerValue());
        return tables;
    }

    private List<Map<String, String>> productDaily() {
        record Key(LocalDate date, String productId) {}
        final class Totals {
            long views, carts, purchases, units;
            BigDecimal revenue = ZERO_MONEY;
            final Set<String> viewers = new HashSet<>(), buyers = new HashSet<>();
        }
        Map<Key, Totals> byKey = new HashMap<>();
        for (SilverEvent e : events) {
            Totals t = byKey.computeIfAbsent(new Key(e.date(), e.productId()), k -> new Totals());
            switch (e.type()) {
                case VIEW_PRODUCT -> {
                    t.views++;
                    t.viewers.add(e.userId());
                }
                case ADD_TO_CART -> t.carts++;
                case PURCHASE -> {
                    t.purchases++;
                    t.units += e.quantity();
                    t.buyers.add(e.userId());
                }
            }
            t.revenue = t.revenue.add(e.revenue());
        }
        return byKey.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Key::date).thenComparing(Key::productId)))
                .map(entry -> {
                    Totals t = entry.getValue();
                    Catalog.Product product = products.get(entry.getKey().productId());
                    Map<String, String> row = row(
                            EVENT_DATE,
                            entry.getKey().date(),
                            PRODUCT_ID,
                            entry.getKey().productId(),
                            PRODUCT_NAME,
                            product == null ? UNKNOWN : product.name(),
                            CATEGORY,
                            product == null ? UNKNOWN : product.category(),
                            VIEWS,
                            t.views,
                            CARTS,
                            t.carts,
                            PURCHASES,
                            t.purchases,
                            UNITS_SOLD,
                            t.units,
                            REVENUE,
                            t.revenue,
                            UNIQUE_VIEWERS,
                            t.viewers.size(),
                            UNIQUE_BUYERS,
                            t.buyers.size());
                    rates(row, t.views, t.carts, t.purchases);
                    return row;
                })
                .toList();
    }

    private List<Map<String, String>> funnelDaily() {
        record Key(LocalDate date, String category) {}
        Map<Key, List<Set<String>>> usersByStep = new HashMap<>();
        for (SilverEvent e : events) {
            Catalog.Product product = products.get(e.productId());
            for (String category : List.of(product == null ? UNKNOWN : product.category(), ALL_CATEGORIES)) {
                usersByStep
                        .computeIfAbsent(
                                new Key(e.date(), category),
                                k -> List.of(new HashSet<>(), new HashSet<>(), new HashSet<>()))
                        .get(e.type().ordinal())
                        .add(e.userId());
            }
        }
        return usersByStep.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Key::date).thenComparing(Key::category)))
                .map(entry -> {
                    long viewed = entry.getValue()
                            .get(EventType.VIEW_PRODUCT.ordinal())
                            .size();
                    long carted = entry.getValue()
                            .get(EventType.ADD_TO_CART.ordinal())
                            .size();
                    long purchased =
                            entry.getValue().get(EventType.PURCHASE.ordinal()).size();
                    Map<String, String> row = row(
                            EVENT_DATE,
                            entry.getKey().date(),
                            CATEGORY,
                            entry.getKey().category(),
                            USERS_VIEWED,
                            viewed,
                            USERS_CARTED,
                            carted,
                            USERS_PURCHASED,
                            purchased);
                    rates(row, viewed, carted, purchased);
                    return row;
                })
                .toList();
    }

    /** One user's session: its events in order (time, then event_id). */
    record Session(LocalDate date, long startMicros, List<SilverEvent> events) {

        int firstPurchase() {
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).type() == EventType.PURCHASE) {
                    return i;
                }
            }
            return -1;
        }

        String path() {
            int end = firstPurchase() < 0 ? events.size() : firstPurchase() + 1;
            List<String> steps = new ArrayList<>();
            for (SilverEvent e : events.subList(0, end)) {
                String step = e.type().wireName();
                if (steps.isEmpty() || !steps.get(steps.size() - 1).equals(step)) {
                    steps.add(step);
                }
            }
            return String.join(PATH_SEPARATOR, steps);
        }
    }

    private List<Session> sessions() {
        Map<String, List<SilverEvent>> byUser = new HashMap<>();
        events.forEach(
                e -> byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e));
        List<Session> sessions = new ArrayList<>();
        for (List<SilverEvent> userEvents : byUser.values()) {
            userEvents.sort(Comparator.comparingLong(SilverEvent::micros).thenComparing(SilverEvent::eventId));
            List<SilverEvent> current = new ArrayList<>();
            for (SilverEvent e : userEvents) {
                if (!current.isEmpty()
                        && e.micros() - current.get(current.size() - 1).micros() > GAP_MICROS) {
                    sessions.add(
                            new Session(current.get(0).date(), current.get(0).micros(), current));
                    current = new ArrayList<>();
                }
                current.add(e);
            }
            sessions.add(new Session(current.get(0).date(), current.get(0).micros(), current));
        }
        return sessions;
    }

    private static List<Map<String, String>> journeyDaily(List<Session> sessions) {
        final class Totals {
            long sessions, converted, viewsBefore, microsToPurchase;
        }
        Map<LocalDate, Totals> byDate = new TreeMap<>();
        for (Session s : sessions) {
            Totals t = byDate.computeIfAbsent(s.date(), k -> new Totals());
            t.sessions++;
            int purchase = s.firstPurchase();
            if (purchase >= 0) {
                t.converted++;
                t.viewsBefore += s.events().subList(0, purchase).stream()
                        .filter(e -> e.type() == EventType.VIEW_PRODUCT)
                        .count();
                t.microsToPurchase += s.events().get(purchase).micros() - s.startMicros();
            }
        }
        List<Map<String, String>> rows = new ArrayList<>();
        byDate.forEach((date, t) -> rows.add(row(
                EVENT_DATE,
                date,
                SESSIONS,
                t.sessions,
                CONVERTED_SESSIONS,
                t.converted,
                SESSION_CONVERSION_RATE,
                rate(t.converted, t.sessions),
                AVG_VIEWS_BEFORE_FIRST_PURCHASE,
                t.converted == 0 ? null : round((double) t.viewsBefore / t.converted, AVERAGE_SCALE),
                AVG_SECONDS_TO_FIRST_PURCHASE,
                t.converted == 0 ? null : round((double) t.microsToPurchase / t.converted / 1e6, AVERAGE_SCALE))));
        return rows;
    }

    private static List<Map<String, String>> purchasePaths(List<Session> sessions) {
        record Key(LocalDate date, String path) {}
        Map<Key, Long> counts = new TreeMap<>(Comparator.comparing(Key::date).thenComparing(Key::path));
        sessions.forEach(s -> counts.merge(new Key(s.date(), s.path()), 1L, Long::sum));
        List<Map<String, String>> rows = new ArrayList<>();
        counts.forEach((key, n) -> rows.add(row(
                EVENT_DATE,
                key.date(),
                PATH,
                key.path(),
                SESSIONS,
                n,
                CONVERTED,
                key.path().endsWith(EventType.PURCHASE.wireName()))));
        return rows;
    }

    private List<Map<String, String>> customerValue() {
        final class Customer {
            final String userId;
            long first = Long.MAX_VALUE, last = Long.MIN_VALUE, lastPurchase = Long.MIN_VALUE, orders, units;
            BigDecimal revenue = ZERO_MONEY;
            Long recencyDays;
            int r, f, m, revenueRank;

            Customer(String userId) {
                this.userId = userId;
            }
        }
        Map<String, Customer> byUser = new HashMap<>();
        LocalDate asOf = LocalDate.MIN;
        for (SilverEvent e : events) {
            Customer c = byUser.computeIfAbsent(e.userId(), Customer::new);
            c.first = Math.min(c.first, e.micros());
            c.last = Math.max(c.last, e.micros());
            if (e.type() == EventType.PURCHASE) {
                c.orders++;
                c.units += e.quantity();
                c.lastPurchase = Math.max(c.lastPurchase, e.micros());
            }
            c.revenue = c.revenue.add(e.revenue());
            asOf = e.date().isAfter(asOf) ? e.date() : asOf;
        }
        List<Customer> buyers = new ArrayList<>();
        for (Customer c : byUser.values()) {
            if (c.orders > 0) {
                c.recencyDays = ChronoUnit.DAYS.between(dateOf(c.lastPurchase), asOf);
                buyers.add(c);
            }
        }
        // worst first, so that the last quintile (5) is the best; ties by user_id
        buyers.sort(Comparator.comparing((Customer c) -> -c.recencyDays).thenComparing(c -> c.userId));
        ntile(buyers, (c, score) -> c.r = score);
        buyers.sort(Comparator.comparingLong((Customer c) -> c.orders).thenComparing(c -> c.userId));
        ntile(buyers, (c, score) -> c.f = score);
        buyers.sort(Comparator.comparing((Customer c) -> c.revenue).thenComparing(c -> c.userId));
        ntile(buyers, (c, score) -> c.m = score);
        List<Customer> all = new ArrayList<>(byUser.values());
        all.sort(Comparator.comparing((Customer c) -> c.revenue).reversed().thenComparing(c -> c.userId));
        for (int i = 0; i < all.size(); i++) {
            all.get(i).revenueRank = i + 1;
        }
        all.sort(Comparator.comparing(c -> c.userId));
        return all.stream()
                .map(c -> {
                    Catalog.Customer known = customers.get(c.userId);
                    boolean buyer = c.orders > 0;
                    return row(
                            USER_ID,
                            c.userId,
                            LOCATION,
                            known == null ? UNKNOWN : known.location(),
                            SIGNUP_DATE,
                            known == null ? null : known.signupDate(),
                            FIRST_EVENT_AT,
                            instant(c.first),
                            LAST_EVENT_AT,
                            instant(c.last),
                            LAST_PURCHASE_AT,
                            buyer ? instant(c.lastPurchase) : null,
                            ORDERS,
                            c.orders,
                            UNITS,
                            c.units,
                            REVENUE,
                            c.revenue,
                            AVG_ORDER_VALUE,
                            buyer ? c.revenue.divide(BigDecimal.valueOf(c.orders), 2, RoundingMode.HALF_UP) : null,
                            RECENCY_DAYS,
                            c.recencyDays,
                            R_SCORE,
                            buyer ? c.r : null,
                            F_SCORE,
                            buyer ? c.f : null,
                            M_SCORE,
                            buyer ? c.m : null,
                            SEGMENT,
                            buyer ? segment(c.r, c.f, c.m).id() : Segment.BROWSER.id(),
                            REVENUE_RANK,
                            c.revenueRank);
                })
                .toList();
    }

    /**
     * A buyer's segment by the documented rules ({@code docs/gold.md}, customer_value), the first that matches:
     * the oracle's own, so that a mistake in {@link Segment#of}, which gold runs, does not pass as the truth.
     */
    static Segment segment(int r, int f, int m) {
        if (r >= 4 && f >= 4 && m >= 4) {
            return Segment.CHAMPIONS;
        }
        if (f >= 4) {
            return Segment.LOYAL;
        }
        if (m >= 4) {
            return Segment.BIG_SPENDER;
        }
        if (r <= 2 && f >= 3) {
            return Segment.AT_RISK;
        }
        if (f == 1 && r >= 4) {
            return Segment.NEW;
        }
        return Segment.REGULAR;
    }

    /** SQL ntile: the first (n mod buckets) buckets hold one row more. */
    private static <T> void ntile(List<T> sorted, java.util.function.ObjIntConsumer<T> score) {
        int n = sorted.size();
        int size = n / SCORE_BUCKETS;
        int padded = n % SCORE_BUCKETS;
        for (int i = 0; i < n; i++) {
            int bucket = i < padded * (size + 1) ? i / (size + 1) : padded + (i - padded * (size + 1)) / size;
            score.accept(sorted.get(i), bucket + 1);
        }
    }

    private static void rates(Map<String, String> row, long first, long second, long third) {
        row.put(VIEW_TO_CART_RATE, rate(second, first));
        row.put(CART_TO_PURCHASE_RATE, rate(third, second));
        row.put(VIEW_TO_PURCHASE_RATE, rate(third, first));
    }

    private static String rate(long part, long whole) {
        return whole == 0 ? null : round((double) part / whole, RATE_SCALE);
    }

    /** As Spark's round(double, scale): half up on the double's shortest decimal form. */
    private static String round(double value, int scale) {
        return CanonicalText.of(
                BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP).doubleValue());
    }

    /** The UTC date of an instant given in epoch micros. */
    private static LocalDate dateOf(long micros) {
        return LocalDate.ofEpochDay(Math.floorDiv(micros, 86_400_000_000L));
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    private static Map<String, String> row(Object... columnsAndValues) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], CanonicalText.of(columnsAndValues[i + 1]));
        }
        return row;
    }
}
