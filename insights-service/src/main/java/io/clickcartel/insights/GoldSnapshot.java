package io.clickcartel.insights;

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

    private GoldSnapshot(Map<Gold.Table, DeltaReader.Loaded<?>> tables) {
        this.tables = tables;
    }

    /** Literal tables, for tests of the insights over rows written by hand. */
    static GoldSnapshot of(Map<Gold.Table, DeltaReader.Loaded<?>> tables) {
        return new GoldSnapshot(new EnumMap<>(tables));
    }

    GoldSnapshot with(Gold.Table table, DeltaReader.Loaded<?> loaded) {
        Map<Gold.Table, DeltaReader.Loaded<?>> copy = new EnumMap<>(Gold.Table.class);
        copy.putAll(tables);
        copy.put(table, loaded);
        return new GoldSnapshot(copy);
    }

    Optional<DeltaReader.Version> version(Gold.Table table) {
        return Optional.ofNullable(tables.get(table)).map(DeltaReader.Loaded::version);
    }

    long rows(Gold.Table table) {
        DeltaReader.Loaded<?> loaded = tables.get(table);
        return loaded == null ? 0 : loaded.rows().size();
    }

    List<Gold.ProductDay> products() {
        return rows(Gold.Table.PRODUCT_DAILY, Gold.ProductDay.class);
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

    List<Gold.Customer> customers() {
        return rows(Gold.Table.CUSTOMER_VALUE, Gold.Customer.class);
    }

    @SuppressWarnings("unchecked") // each table is loaded with its own record type (Gold.Table's reader)
    private <T> List<T> rows(Gold.Table table, Class<T> type) {
        DeltaReader.Loaded<?> loaded = tables.get(table);
        return loaded == null ? List.of() : (List<T>) loaded.rows();
    }
}
