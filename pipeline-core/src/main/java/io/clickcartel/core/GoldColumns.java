package io.clickcartel.core;

import java.time.Duration;

/**
 * Columns and definitions of the gold tables (the three answers). Dimensions and facts keep their silver names
 * ({@link SilverColumns}, {@link io.clickcartel.core.contract.EventField}); what is new is named here, once, for
 * the aggregator, the report and the oracle alike.
 */
public final class GoldColumns {
    /** A user's events more than this apart belong to different sessions. */
    public static final Duration SESSION_GAP = Duration.ofMinutes(30);
    /** The category (and product name, customer location) of an id the reference data does not know. */
    public static final String UNKNOWN = "unknown";
    /** funnel_daily's row over every category of a date. */
    public static final String ALL_CATEGORIES = "ALL";
    /** Rates are rounded to this many decimals (half up), averages to {@link #AVERAGE_SCALE}. */
    public static final int RATE_SCALE = 6;

    public static final int AVERAGE_SCALE = 3;

    // product_daily
    public static final String VIEWS = "views";
    public static final String CARTS = "carts";
    public static final String PURCHASES = "purchases";
    public static final String UNITS_SOLD = "units_sold";
    public static final String UNIQUE_VIEWERS = "unique_viewers";
    public static final String UNIQUE_BUYERS = "unique_buyers";
    public static final String VIEW_TO_CART_RATE = "view_to_cart_rate";
    public static final String CART_TO_PURCHASE_RATE = "cart_to_purchase_rate";
    public static final String VIEW_TO_PURCHASE_RATE = "view_to_purchase_rate";

    // funnel_daily (category, and the three rates above, user-level)
    public static final String USERS_VIEWED = "users_viewed";
    public static final String USERS_CARTED = "users_carted";
    public static final String USERS_PURCHASED = "users_purchased";

    // journey_daily and purchase_paths
    public static final String SESSIONS = "sessions";
    public static final String CONVERTED_SESSIONS = "converted_sessions";
    public static final String SESSION_CONVERSION_RATE = "session_conversion_rate";
    public static final String AVG_VIEWS_BEFORE_FIRST_PURCHASE = "avg_views_before_first_purchase";
    public static final String AVG_SECONDS_TO_FIRST_PURCHASE = "avg_seconds_to_first_purchase";
    public static final String PATH = "path";
    /** gold.sessions: the times of a session's first and last event. */
    public static final String SESSION_START = "session_start";

    public static final String SESSION_END = "session_end";
    public static final String CONVERTED = "converted";
    /** Separates the event types of a path, e.g. {@code view_product>add_to_cart>purchase}. */
    public static final String PATH_SEPARATOR = ">";

    // customer_value (user_id; location is the partition column)
    public static final String LOCATION = "location";
    public static final String SIGNUP_DATE = "signup_date";
    public static final String FIRST_EVENT_AT = "first_event_at";
    public static final String LAST_EVENT_AT = "last_event_at";
    public static final String LAST_PURCHASE_AT = "last_purchase_at";
    public static final String ORDERS = "orders";
    public static final String UNITS = "units";
    public static final String AVG_ORDER_VALUE = "avg_order_value";
    public static final String RECENCY_DAYS = "recency_days";
    public static final String R_SCORE = "r_score";
    public static final String F_SCORE = "f_score";
    public static final String M_SCORE = "m_score";
    public static final String SEGMENT = "segment";
    public static final String REVENUE_RANK = "revenue_rank";
    /** Scores are quintiles among buyers: 1..SCORE_BUCKETS. */
    public static final int SCORE_BUCKETS = 5;

    private GoldColumns() {}
}
