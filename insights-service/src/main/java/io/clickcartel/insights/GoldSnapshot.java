package io.clickcartel.insights;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gold tables at one moment, each at the version it had when it was read. Immutable: a request reads one
 * snapshot throughout, while the next one is being loaded.
 */
final class GoldSnapshot {

    static final GoldSnapshot EMPTY = new GoldSnapshot(new EnumMap<>(Gold.Table.class));

    private final Map<Gold.Table, DeltaReader.Loaded<?>> tables;
    private final ProductIndex productIndex;

    private GoldSnapshot(Map<Gold.Table, DeltaReader.Loaded<?>> tables) {
        this(tables, ProductIndex.EMPTY);
    }

    private GoldSnapshot(Map<Gold.Table, DeltaReader.Loaded<?>> tables, ProductIndex productIndex) {
        this.tables = tables;
        this.productIndex = productIndex;
    }

    /** Literal tables, for tests of the insights over rows written by hand. */
    static GoldSnapshot of(Map<Gold.Table, DeltaReader.Loaded<?>> tables) {
        GoldSnapshot snapshot = EMPTY;
        for (Map.Entry<Gold.Table, DeltaReader.Loaded<?>> table : tables.entrySet()) {
            snapshot = snapshot.with(table.getKey(), table.getValue());
        }
        return snapshot;
    }

    /**
     * With {@code table} as loaded, its rows put once in the order the answers read them: product days by date (a
     * date range is then a slice), customers by revenue rank (a page is then a slice).
     */
    GoldSnapshot with(Gold.Table table, DeltaReader.Loaded<?> loaded) {
        Map<Gold.Table, DeltaReader.Loaded<?>> copy = new EnumMap<>(Gold.Table.class);
        copy.putAll(tables);
        copy.put(table, ordered(table, loaded));
        return new GoldSnapshot(
                copy,
                table == Gold.Table.PRODUCT_DAILY
                        ? new ProductIndex(rows(copy, Gold.Table.PRODUCT_DAILY))
                        : productIndex);
    }

    private static DeltaReader.Loaded<?> ordered(Gold.Table table, DeltaReader.Loaded<?> loaded) {
        Comparator<Object> order = switch (table) {
            case PRODUCT_DAILY -> Comparator.comparing(row -> ((Gold.ProductDay) row).date());
            case CUSTOMER_VALUE ->
                Comparator.comparingLong((Object row) -> ((Gold.Customer) row).revenueRank())
                        .thenComparing(row -> ((Gold.Customer) row).userId());
            default -> null;
        };
        if (order == null) {
            return loaded;
        }
        List<Object> rows = new ArrayList<>(loaded.rows());
        rows.sort(order);
        return new DeltaReader.Loaded<>(loaded.version(), List.copyOf(rows));
    }

    Optional<DeltaReader.Version> version(Gold.Table table) {
        return Optional.ofNullable(tables.get(table)).map(DeltaReader.Loaded::version);
    }

    long rows(Gold.Table table) {
        DeltaReader.Loaded<?> loaded = tables.get(table);
        return loaded == null ? 0 : loaded.rows().size();
    }

    /** Product days in date order. */
    List<Gold.ProductDay> products() {
        return rows(Gold.Table.PRODUCT_DAILY, Gold.ProductDay.class);
    }

    /** gold.product_daily arranged for sums over date ranges. */
    ProductIndex productIndex() {
        return productIndex;
    }

    List<Gold.FunnelDay> funnel() {
        return rows(Gold.Table.FUNNEL_DAILY, Gold.FunnelDay.class);
    }

    List<Gold.JourneyDay> journeys() {
        return rows(Gold.Table.JOURNEY_DAILY, Gold.JourneyDay.class);
    }

    List<Gold.PathDay> paths() {
        return rows(Gold.Table.PURCHASE_PATHS, Gold.PathDay.class);
    }

    /** Customers by revenue rank. */
    List<Gold.Customer> customers() {
        return rows(Gold.Table.CUSTOMER_VALUE, Gold.Customer.class);
    }

    private <T> List<T> rows(Gold.Table table, Class<T> type) {
        return rows(tables, table);
    }

    @SuppressWarnings("unchecked") // each table is loaded with its own record type (Gold.Table's reader)
    private static <T> List<T> rows(Map<Gold.Table, DeltaReader.Loaded<?>> tables, Gold.Table table) {
        DeltaReader.Loaded<?> loaded = tables.get(table);
        return loaded == null ? List.of() : (List<T>) loaded.rows();
    }
}
