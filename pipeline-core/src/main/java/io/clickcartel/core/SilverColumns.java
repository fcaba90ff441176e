package io.clickcartel.core;

/**
 * Columns of {@code silver.events} (valid, de-duplicated, enriched events; partitioned by {@link #EVENT_DATE}) and
 * {@code silver.quarantine} (events that broke a rule). The contract fields keep their names from
 * {@link io.clickcartel.core.contract.EventField}; bronze coordinates keep theirs from {@link BronzeColumns}.
 */
public final class SilverColumns {
    public static final String EVENT_TIME = "event_time";
    public static final String EVENT_DATE = "event_date";
    public static final String PRODUCT_NAME = "product_name";
    public static final String CATEGORY = "category";
    public static final String UNIT_PRICE = "unit_price";
    public static final String REVENUE = "revenue";
    public static final String CUSTOMER_SIGNUP_DATE = "customer_signup_date";
    public static final String CUSTOMER_LOCATION = "customer_location";
    public static final String KNOWN_CUSTOMER = "known_customer";
    public static final String KNOWN_PRODUCT = "known_product";

    /** Quarantine: the rule id broken first, its human reason, and when the row was set aside. */
    public static final String RULE = "rule";

    public static final String REASON = "reason";
    public static final String QUARANTINED_AT = "quarantined_at";

    private SilverColumns() {}
}
