package io.clickcartel.datagen;

import java.math.BigDecimal;

/**
 * One text form per value, so that answers computed in Spark and in plain Java compare as strings: decimals plain
 * ({@code 12.50}), doubles as {@link Double#toString}, timestamps as ISO-8601 UTC instants, dates as ISO dates,
 * integers of any width alike, null as null.
 */
public final class CanonicalText {

    private CanonicalText() {}

    public static String of(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant().toString();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toString();
        }
        return String.valueOf(value);
    }
}
