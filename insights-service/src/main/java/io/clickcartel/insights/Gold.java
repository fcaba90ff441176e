package io.clickcartel.insights;

import static io.clickcartel.core.GoldColumns.*;
import static io.clickcartel.core.SilverColumns.CATEGORY;
import static io.clickcartel.core.SilverColumns.EVENT_DATE;
import static io.clickcartel.core.SilverColumns.PRODUCT_NAME;
import static io.clickcartel.core.SilverColumns.REVENUE;
import static io.clickcartel.core.contract.EventField.PRODUCT_ID;
import static io.clickcartel.core.contract.EventField.USER_ID;

import io.clickcartel.core.LakeTable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Function;

/** The public gold tables as the service holds them: one record type per table, read by the contract's names. */
final class Gold {

    private Gold() {}

    record ProductDay(
            LocalDate date,
            String productId,
            String productName,
            String category,
            long views,
            long carts,
            long purchases,
            long unitsSold,
            BigDecimal revenue,
            long uniqueViewers,
            long uniqueBuyers) {
        static ProductDay of(NamedRow row) {
            return new ProductDay(
                    row.date(EVENT_DATE),
                    row.string(PRODUCT_ID),
                    row.string(PRODUCT_NAME),
                    row.string(CATEGORY),
                    row.number(VIEWS),
                    row.number(CARTS),
                    row.number(PURCHASES),
                    row.number(UNITS_SOLD),
                    row.decimal(REVENUE),
                    row.number(UNIQUE_VIEWERS),
                    row.number(UNIQUE_BUYERS));
        }
    }

    /** One date and category ({@link io.clickcartel.core.GoldColumns#ALL_CATEGORIES} for the whole shop). */
    record FunnelDay(LocalDate date, String category, long usersViewed, long usersCarted, long usersPurchased) {
        static FunnelDay of(NamedRow row) {
            return new FunnelDay(
                    row.date(EVENT_DATE),
                    row.string(CATEGORY),
                    row.number(USERS_VIEWED),
                    row.number(USERS_CARTED),
                    row.number(USERS_PURCHASED));
        }
    }

    record JourneyDay(
            LocalDate date,
            long sessions,
            long convertedSessions,
            BigDecimal avgViewsBeforeFirstPurchase,
            BigDecimal avgSecondsToFirstPurchase) {
        static JourneyDay of(NamedRow row) {
            return new JourneyDay(
                    row.date(EVENT_DATE),
                    row.number(SESSIONS),
                    row.number(CONVERTED_SESSIONS),
                    row.decimal(AVG_VIEWS_BEFORE_FIRST_PURCHASE),
                    row.decimal(AVG_SECONDS_TO_FIRST_PURCHASE));
        }
    }

    record PathDay(LocalDate date, String path, boolean converted, long sessions) {
        static PathDay of(NamedRow row) {
            return new PathDay(row.date(EVENT_DATE), row.string(PATH), row.bool(CONVERTED), row.number(SESSIONS));
        }
    }

    record Customer(
            String userId,
            String location,
            LocalDate signupDate,
            long orders,
            long units,
            BigDecimal revenue,
            BigDecimal avgOrderValue,
            Long recencyDays,
            Long rScore,
            Long fScore,
            Long mScore,
            String segment,
            long revenueRank,
            Instant firstEventAt,
            Instant lastEventAt,
            Instant lastPurchaseAt) {
        static Customer of(NamedRow row) {
            return new Customer(
                    row.string(USER_ID),
                    row.string(LOCATION),
                    row.date(SIGNUP_DATE),
                    row.number(ORDERS),
                    row.number(UNITS),
                    row.decimal(REVENUE),
                    row.decimal(AVG_ORDER_VALUE),
                    row.optionalNumber(RECENCY_DAYS),
                    row.optionalNumber(R_SCORE),
                    row.optionalNumber(F_SCORE),
                    row.optionalNumber(M_SCORE),
                    row.string(SEGMENT),
                    row.number(REVENUE_RANK),
                    row.timestamp(FIRST_EVENT_AT),
                    row.timestamp(LAST_EVENT_AT),
                    row.timestamp(LAST_PURCHASE_AT));
        }
    }

    /** A public gold table, how to read one of its rows, and its place in a {@link GoldSnapshot}. */
    enum Table {
        PRODUCT_DAILY(LakeTable.GOLD_PRODUCT_DAILY, ProductDay::of),
        FUNNEL_DAILY(LakeTable.GOLD_FUNNEL_DAILY, FunnelDay::of),
        JOURNEY_DAILY(LakeTable.GOLD_JOURNEY_DAILY, JourneyDay::of),
        PURCHASE_PATHS(LakeTable.GOLD_PURCHASE_PATHS, PathDay::of),
        CUSTOMER_VALUE(LakeTable.GOLD_CUSTOMER_VALUE, Customer::of);

        final LakeTable lakeTable;
        final Function<NamedRow, ?> reader;

        Table(LakeTable lakeTable, Function<NamedRow, ?> reader) {
            this.lakeTable = lakeTable;
            this.reader = reader;
        }
    }
}
