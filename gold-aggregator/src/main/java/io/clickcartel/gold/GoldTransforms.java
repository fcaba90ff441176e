package io.clickcartel.gold;

import static io.clickcartel.core.GoldColumns.*;
import static io.clickcartel.core.SilverColumns.CATEGORY;
import static io.clickcartel.core.SilverColumns.CUSTOMER_LOCATION;
import static io.clickcartel.core.SilverColumns.CUSTOMER_SIGNUP_DATE;
import static io.clickcartel.core.SilverColumns.EVENT_DATE;
import static io.clickcartel.core.SilverColumns.EVENT_TIME;
import static io.clickcartel.core.SilverColumns.PRODUCT_NAME;
import static io.clickcartel.core.SilverColumns.REVENUE;
import static io.clickcartel.core.contract.EventField.EVENT_ID;
import static io.clickcartel.core.contract.EventField.EVENT_TYPE;
import static io.clickcartel.core.contract.EventField.PRODUCT_ID;
import static io.clickcartel.core.contract.EventField.QUANTITY;
import static io.clickcartel.core.contract.EventField.USER_ID;
import static io.clickcartel.spark.TableSchemas.MONEY;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.ntile;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.clickcartel.core.Segment;
import io.clickcartel.core.contract.EventType;
import java.sql.Timestamp;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Silver events into the gold tables, as pure functions over DataFrames (definitions: {@link
 * io.clickcartel.core.GoldColumns} and docs/gold.md). The per-date tables are computed from silver rows; the
 * session tables from {@link #sessions}, and customer_value from {@link #customerTotals} of {@link #customerDaily},
 * intermediate tables that the per-batch update maintains for the keys a batch touches ({@link #redoFrom}, dates,
 * customers), so that the same code serves the full refresh and the update.
 */
public final class GoldTransforms {

    private static final long GAP_MICROS = SESSION_GAP.toNanos() / 1_000;
    private static final double MICROS_PER_SECOND = 1e6;
    private static final UserDefinedFunction SEGMENT_OF = udf(
            (UDF3<Integer, Integer, Integer, String>)
                    (r, f, m) -> Segment.of(r, f, m).id(),
            DataTypes.StringType);

    /** Session columns (internal to the journey tables). */
    static final String SESSION_DATE = EVENT_DATE;

    static final String VIEWS_BEFORE_PURCHASE = "views_before_first_purchase";
    static final String MICROS_TO_PURCHASE = "micros_to_first_purchase";
    /** {@link #redoFrom}: per user, the time from which their sessions are rebuilt. */
    static final String REDO_FROM = "redo_from";

    private GoldTransforms() {}

    /** gold.product_daily: per (event_date, product_id), events, units, revenue, unique users, rates. */
    public static Dataset<Row> productDaily(Dataset<Row> silver) {
        Dataset<Row> totals = silver.groupBy(EVENT_DATE, PRODUCT_ID)
                .agg(
                        coalesce(max(PRODUCT_NAME), lit(UNKNOWN)).as(PRODUCT_NAME),
                        coalesce(max(CATEGORY), lit(UNKNOWN)).as(CATEGORY),
                        count(when(is(EventType.VIEW_PRODUCT), 1)).as(VIEWS),
                        count(when(is(EventType.ADD_TO_CART), 1)).as(CARTS),
                        count(when(is(EventType.PURCHASE), 1)).as(PURCHASES),
                        coalesce(sum(when(is(EventType.PURCHASE), col(QUANTITY))), lit(0L))
                                .as(UNITS_SOLD),
                        sum(REVENUE).cast(MONEY).as(REVENUE),
                        countDistinct(when(is(EventType.VIEW_PRODUCT), col(USER_ID)))
                                .as(UNIQUE_VIEWERS),
                        countDistinct(when(is(EventType.PURCHASE), col(USER_ID)))
                                .as(UNIQUE_BUYERS));
        return withRates(totals, VIEWS, CARTS, PURCHASES);
    }

    /** gold.funnel_daily: distinct users per step, per (event_date, category) and per date over all categories. */
    public static Dataset<Row> funnelDaily(Dataset<Row> silver) {
        Dataset<Row> users = silver.withColumn(CATEGORY, coalesce(col(CATEGORY), lit(UNKNOWN)))
                .rollup(EVENT_DATE, CATEGORY)
                .agg(
                        countDistinct(when(is(EventType.VIEW_PRODUCT), col(USER_ID)))
                                .as(USERS_VIEWED),
                        countDistinct(when(is(EventType.ADD_TO_CART), col(USER_ID)))
                                .as(USERS_CARTED),
                        countDistinct(when(is(EventType.PURCHASE), col(USER_ID)))
                                .as(USERS_PURCHASED))
                .where(col(EVENT_DATE).isNotNull()) // the rollup's grand total spans dates: not a row of this table
                .withColumn(CATEGORY, coalesce(col(CATEGORY), lit(ALL_CATEGORIES)));
        return withRates(users, USERS_VIEWED, USERS_CARTED, USERS_PURCHASED);
    }

    /**
     * One row per session: a user's events ordered by (event_time, event_id), cut where the gap to the previous
     * event exceeds {@link io.clickcartel.core.GoldColumns#SESSION_GAP}; dated by its first event.
     */
    public static Dataset<Row> sessions(Dataset<Row> silver) {
        WindowSpec byUser = Window.partitionBy(USER_ID).orderBy(EVENT_TIME, EVENT_ID);
        Column micros = unix_micros(col(EVENT_TIME));
        Column startsSession =
                coalesce(micros.minus(lag(micros, 1).over(byUser)).gt(GAP_MICROS), lit(true));
        Dataset<Row> numbered = silver.select(col(USER_ID), col(EVENT_ID), col(EVENT_TIME), col(EVENT_TYPE))
                .withColumn("_starts", startsSession)
                .withColumn(
                        "_session", sum(when(col("_starts"), 1).otherwise(0)).over(byUser));
        Column events = col("_events");
        Column types = transform(events, e -> e.getField(EVENT_TYPE));
        Column firstPurchase =
                array_position(col("_types"), EventType.PURCHASE.wireName()).cast(DataTypes.IntegerType);
        Column converted = col("_first_purchase").gt(0);
        Column untilPurchase = when(converted, slice(col("_types"), lit(1), col("_first_purchase")))
                .otherwise(col("_types"));
        return numbered.groupBy(USER_ID, "_session")
                // structs sort field by field: time, then event_id
                .agg(sort_array(collect_list(struct(col(EVENT_TIME), col(EVENT_ID), col(EVENT_TYPE))))
                        .as("_events"))
                .withColumn("_types", types)
                .withColumn("_first_purchase", firstPurchase)
                .select(
                        col(USER_ID),
                        to_date(element_at(events, 1).getField(EVENT_TIME)).as(SESSION_DATE),
                        element_at(events, 1).getField(EVENT_TIME).as(SESSION_START),
                        element_at(events, -1).getField(EVENT_TIME).as(SESSION_END),
                        converted.as(CONVERTED),
                        // consecutive repeats collapsed: keep an element unless it equals the one before
                        // (element_at is 1-based, so the one before the 0-based i is element_at(i))
                        array_join(
                                        filter(
                                                untilPurchase,
                                                (type, i) -> when(i.equalTo(0), lit(true))
                                                        .otherwise(type.notEqual(element_at(untilPurchase, i)))),
                                        PATH_SEPARATOR)
                                .as(PATH),
                        when(
                                        converted,
                                        size(filter(
                                                slice(
                                                        col("_types"),
                                                        lit(1),
                                                        col("_first_purchase").minus(1)),
                                                type -> type.equalTo(EventType.VIEW_PRODUCT.wireName()))))
                                .as(VIEWS_BEFORE_PURCHASE),
                        when(
                                        converted,
                                        unix_micros(element_at(events, col("_first_purchase"))
                                                        .getField(EVENT_TIME))
                                                .minus(unix_micros(
                                                        element_at(events, 1).getField(EVENT_TIME))))
                                .as(MICROS_TO_PURCHASE));
    }

    /**
     * Per user of {@code batch} (new silver rows), the time from which that user's sessions must be rebuilt when
     * the batch joins {@code sessions} (the sessions built so far): the start of the earliest session that ends
     * within the gap of the user's earliest new event, or that event itself. Sessions ending before that stay
     * as they are: nothing new comes within the gap of their end.
     */
    public static Dataset<Row> redoFrom(Dataset<Row> batch, Dataset<Row> sessions) {
        Dataset<Row> earliestNew = batch.groupBy(USER_ID).agg(min(EVENT_TIME).as("_earliest_new"));
        Column reachable = unix_micros(col(SESSION_END))
                .geq(unix_micros(col("_earliest_new")).minus(GAP_MICROS));
        Dataset<Row> known = sessions.select(USER_ID, SESSION_START, SESSION_END);
        return earliestNew
                .join(
                        known,
                        earliestNew.col(USER_ID).equalTo(known.col(USER_ID)).and(reachable),
                        "left")
                .groupBy(earliestNew.col(USER_ID))
                .agg(least(min(col("_earliest_new")), min(col(SESSION_START))).as(REDO_FROM));
    }

    /**
     * The stored sessions that new events at or after {@code earliestNew} can reach: those ending within the gap
     * of it. Exactly what {@link #redoFrom} may join, given as a bound on a column against a literal so that
     * Delta's file statistics skip the files of older sessions and an update reads what the batch can touch, not
     * all of history.
     */
    public static Dataset<Row> reachableFrom(Dataset<Row> sessions, Timestamp earliestNew) {
        return sessions.where(
                col(SESSION_END).geq(lit(Timestamp.from(earliestNew.toInstant().minus(SESSION_GAP)))));
    }

    /** The sessions of the users in {@code redoFrom}, rebuilt from their silver rows since their redo time. */
    public static Dataset<Row> sessionsSince(Dataset<Row> silver, Dataset<Row> redoFrom) {
        return sessions(silver.join(broadcast(redoFrom), USER_ID)
                .where(col(EVENT_TIME).geq(col(REDO_FROM)))
                .drop(REDO_FROM));
    }

    /** What an update writes to gold.sessions: the sessions of the dates it rewrites, and those dates. */
    public record SessionsUpdate(Dataset<Row> sessions, Dataset<Row> dates) {}

    /**
     * How the stored sessions take in the sessions {@code rebuilt} by {@link #sessionsSince} for {@code redoFrom}:
     * every date holding a replaced or a rebuilt session is rewritten whole, its other sessions kept as they are.
     */
    public static SessionsUpdate sessionsUpdate(Dataset<Row> stored, Dataset<Row> redoFrom, Dataset<Row> rebuilt) {
        // a stored session is replaced when it starts at or after its user's redo time
        Dataset<Row> marked = stored.join(broadcast(redoFrom), USER_ID, "left")
                .withColumn("_replaced", coalesce(col(SESSION_START).geq(col(REDO_FROM)), lit(false)))
                .drop(REDO_FROM);
        Dataset<Row> dates = marked.where(col("_replaced"))
                .select(EVENT_DATE)
                .union(rebuilt.select(EVENT_DATE))
                .distinct();
        Dataset<Row> kept =
                marked.where(not(col("_replaced"))).drop("_replaced").join(dates, EVENT_DATE, "left_semi");
        // in the columns' order of sessions(), which the joins on user and date changed
        Column[] columns = Arrays.stream(rebuilt.columns()).map(functions::col).toArray(Column[]::new);
        return new SessionsUpdate(kept.unionByName(rebuilt).select(columns), dates);
    }

    /** gold.journey_daily, from {@link #sessions}. */
    public static Dataset<Row> journeyDaily(Dataset<Row> sessions) {
        Column converted = count(when(col(CONVERTED), 1));
        return sessions.groupBy(SESSION_DATE)
                .agg(
                        count(lit(1)).as(SESSIONS),
                        converted.as(CONVERTED_SESSIONS),
                        sum(VIEWS_BEFORE_PURCHASE).as("_views"),
                        sum(MICROS_TO_PURCHASE).as("_micros"))
                .select(
                        col(SESSION_DATE),
                        col(SESSIONS),
                        col(CONVERTED_SESSIONS),
                        rate(col(CONVERTED_SESSIONS), col(SESSIONS)).as(SESSION_CONVERSION_RATE),
                        when(
                                        col(CONVERTED_SESSIONS).gt(0),
                                        round(col("_views").divide(col(CONVERTED_SESSIONS)), AVERAGE_SCALE))
                                .as(AVG_VIEWS_BEFORE_FIRST_PURCHASE),
                        when(
                                        col(CONVERTED_SESSIONS).gt(0),
                                        round(
                                                col("_micros")
                                                        .divide(col(CONVERTED_SESSIONS))
                                                        .divide(MICROS_PER_SECOND),
                                                AVERAGE_SCALE))
                                .as(AVG_SECONDS_TO_FIRST_PURCHASE));
    }

    /** gold.purchase_paths, from {@link #sessions}. */
    public static Dataset<Row> purchasePaths(Dataset<Row> sessions) {
        return sessions.groupBy(SESSION_DATE, PATH, CONVERTED)
                .agg(count(lit(1)).as(SESSIONS))
                .select(SESSION_DATE, PATH, SESSIONS, CONVERTED);
    }

    /**
     * Per user and event date, the totals behind customer_value. Totals of any rows combine ({@link
     * #customerTotals}), so an update recomputes only the dates silver changed and the customers those changes
     * touch.
     */
    public static Dataset<Row> customerDaily(Dataset<Row> silver) {
        Column purchase = is(EventType.PURCHASE);
        return combine(
                silver.select(
                        col(USER_ID),
                        col(EVENT_DATE),
                        col(CUSTOMER_LOCATION).as(LOCATION),
                        col(CUSTOMER_SIGNUP_DATE).as(SIGNUP_DATE),
                        col(EVENT_TIME).as(FIRST_EVENT_AT),
                        col(EVENT_TIME).as(LAST_EVENT_AT),
                        when(purchase, col(EVENT_TIME)).as(LAST_PURCHASE_AT),
                        when(purchase, 1L).otherwise(0L).as(ORDERS),
                        when(purchase, col(QUANTITY).cast(DataTypes.LongType))
                                .otherwise(0L)
                                .as(UNITS),
                        col(REVENUE)),
                USER_ID,
                EVENT_DATE);
    }

    /** Per user, the totals of their {@link #customerDaily} rows: what customer_value ranks. */
    public static Dataset<Row> customerTotals(Dataset<Row> customerDaily) {
        return combine(customerDaily, USER_ID);
    }

    /**
     * customer_totals after the daily totals of {@code users} changed: the other customers' rows as {@code stored},
     * the touched users' recomputed from {@code customerDaily}; a touched user with no daily totals left has no
     * row. Applied to totals that already hold the change (a replayed batch), it returns them as they are.
     */
    public static Dataset<Row> customerTotalsAfter(
            Dataset<Row> stored, Dataset<Row> users, Dataset<Row> customerDaily) {
        Dataset<Row> touched = users.select(USER_ID).distinct();
        Dataset<Row> recomputed = customerTotals(customerDaily.join(touched, USER_ID, "left_semi"));
        return stored.join(touched, USER_ID, "left_anti").unionByName(recomputed);
    }

    private static Dataset<Row> combine(Dataset<Row> totals, String key, String... moreKeys) {
        return totals.groupBy(key, moreKeys)
                .agg(
                        max(LOCATION).as(LOCATION),
                        max(SIGNUP_DATE).as(SIGNUP_DATE),
                        min(FIRST_EVENT_AT).as(FIRST_EVENT_AT),
                        max(LAST_EVENT_AT).as(LAST_EVENT_AT),
                        max(LAST_PURCHASE_AT).as(LAST_PURCHASE_AT),
                        sum(ORDERS).as(ORDERS),
                        sum(UNITS).as(UNITS),
                        sum(REVENUE).cast(MONEY).as(REVENUE));
    }

    /**
     * gold.customer_value from {@link #customerTotals}: recency against the newest event date, R/F/M quintiles
     * among buyers (5 best; ties by user_id), segment and revenue rank.
     */
    public static Dataset<Row> customerValue(Dataset<Row> customerTotals) {
        Dataset<Row> asOf = customerTotals.agg(max(to_date(col(LAST_EVENT_AT))).as("_as_of"));
        Dataset<Row> totals = customerTotals
                .withColumn(LOCATION, coalesce(col(LOCATION), lit(UNKNOWN)))
                .crossJoin(asOf)
                .withColumn(RECENCY_DAYS, datediff(col("_as_of"), to_date(col(LAST_PURCHASE_AT))))
                .drop("_as_of");
        Dataset<Row> buyers = totals.where(col(ORDERS).gt(0))
                .withColumn(
                        R_SCORE,
                        ntile(SCORE_BUCKETS)
                                .over(Window.orderBy(col(RECENCY_DAYS).desc(), col(USER_ID))))
                .withColumn(F_SCORE, ntile(SCORE_BUCKETS).over(Window.orderBy(col(ORDERS), col(USER_ID))))
                .withColumn(M_SCORE, ntile(SCORE_BUCKETS).over(Window.orderBy(col(REVENUE), col(USER_ID))))
                .withColumn(SEGMENT, SEGMENT_OF.apply(col(R_SCORE), col(F_SCORE), col(M_SCORE)));
        Dataset<Row> browsers = totals.where(col(ORDERS).equalTo(0))
                .withColumn(R_SCORE, lit(null).cast(DataTypes.IntegerType))
                .withColumn(F_SCORE, lit(null).cast(DataTypes.IntegerType))
                .withColumn(M_SCORE, lit(null).cast(DataTypes.IntegerType))
                .withColumn(SEGMENT, lit(Segment.BROWSER.id()));
        return buyers.unionByName(browsers)
                .withColumn(
                        AVG_ORDER_VALUE,
                        when(
                                col(ORDERS).gt(0),
                                round(col(REVENUE).divide(col(ORDERS)), 2).cast(MONEY)))
                .withColumn(
                        REVENUE_RANK,
                        row_number().over(Window.orderBy(col(REVENUE).desc(), col(USER_ID))))
                .select(
                        col(USER_ID),
                        col(LOCATION),
                        col(SIGNUP_DATE),
                        col(FIRST_EVENT_AT),
                        col(LAST_EVENT_AT),
                        col(LAST_PURCHASE_AT),
                        col(ORDERS),
                        col(UNITS),
                        col(REVENUE),
                        col(AVG_ORDER_VALUE),
                        col(RECENCY_DAYS),
                        col(R_SCORE),
                        col(F_SCORE),
                        col(M_SCORE),
                        col(SEGMENT),
                        col(REVENUE_RANK));
    }

    private static Column is(EventType type) {
        return col(EVENT_TYPE).equalTo(type.wireName());
    }

    /** The three step-to-step rates of a funnel whose step counts are the three columns given. */
    private static Dataset<Row> withRates(Dataset<Row> rows, String first, String second, String third) {
        return rows.withColumn(VIEW_TO_CART_RATE, rate(col(second), col(first)))
                .withColumn(CART_TO_PURCHASE_RATE, rate(col(third), col(second)))
                .withColumn(VIEW_TO_PURCHASE_RATE, rate(col(third), col(first)));
    }

    /** part / whole at the tables' rate scale; null where whole is 0. */
    static Column rate(Column part, Column whole) {
        return when(whole.gt(0), round(part.divide(whole), RATE_SCALE));
    }
}
