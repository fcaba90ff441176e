package io.clickcartel.core;

/** Delta tables of the lake. Each lives at {@code <lake root>/<layer>/<name>}. */
public enum LakeTable {
    BRONZE_EVENTS("bronze", "events"),
    /**
     * Ingest's rejected topic, landed: each refused event with its rule and raw text, and each Segment message that
     * is no event, kept past Kafka's retention.
     */
    BRONZE_REJECTED("bronze", "rejected"),
    SILVER_EVENTS("silver", "events"),
    SILVER_QUARANTINE("silver", "quarantine"),
    GOLD_PRODUCT_DAILY("gold", "product_daily"),
    GOLD_FUNNEL_DAILY("gold", "funnel_daily"),
    GOLD_JOURNEY_DAILY("gold", "journey_daily"),
    GOLD_PURCHASE_PATHS("gold", "purchase_paths"),
    GOLD_CUSTOMER_VALUE("gold", "customer_value"),
    /**
     * Gold's own state for incremental updates: one row per session, totals per customer and event date, and per
     * customer.
     */
    GOLD_SESSIONS("gold", "sessions"),
    GOLD_CUSTOMER_DAILY("gold", "customer_daily"),
    GOLD_CUSTOMER_TOTALS("gold", "customer_totals"),
    /**
     * The data-quality log: one row per micro-batch of a layer's stream ({@link BatchColumns}), written with the
     * batch. A table per layer, so that each table has one writing process, as Delta on object storage wants.
     */
    OPS_BRONZE_BATCHES("ops", "bronze_batches"),
    OPS_SILVER_BATCHES("ops", "silver_batches"),
    OPS_GOLD_BATCHES("ops", "gold_batches");

    private final String layer;
    private final String table;

    LakeTable(String layer, String table) {
        this.layer = layer;
        this.table = table;
    }

    /** The qualified name used in docs and logs, e.g. {@code bronze.events}. */
    public String qualifiedName() {
        return layer + "." + table;
    }

    /**
     * The table's location under {@code lakeRoot}: a local path or a Hadoop URI ({@code s3a://bucket/lake}), joined
     * as text, since a file-system path would fold the URI's {@code //}.
     */
    public String location(String lakeRoot) {
        return lakeRoot.replaceAll("/+$", "") + "/" + layer + "/" + table;
    }
}
