package io.clickcartel.insights;

import io.delta.kernel.data.Row;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StructType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** A Delta Kernel row read by column name (a gold table's columns are named in the contract's GoldColumns). */
final class NamedRow {

    private final StructType schema;
    private Row row;

    NamedRow(StructType schema) {
        this.schema = schema;
    }

    NamedRow at(Row current) {
        this.row = current;
        return this;
    }

    private int ordinal(String column) {
        int ordinal = schema.indexOf(column);
        if (ordinal < 0) {
            throw new IllegalStateException(
                    "the table has no column " + column + " (it has " + schema.fieldNames() + ")");
        }
        return ordinal;
    }

    String string(String column) {
        int i = ordinal(column);
        return row.isNullAt(i) ? null : row.getString(i);
    }

    /** A whole number of any integer type; 0 when null (a count). */
    long number(String column) {
        Long value = optionalNumber(column);
        return value == null ? 0 : value;
    }

    Long optionalNumber(String column) {
        int i = ordinal(column);
        if (row.isNullAt(i)) {
            return null;
        }
        DataType type = schema.at(i).getDataType();
        if (type instanceof IntegerType) {
            return (long) row.getInt(i);
        }
        if (type instanceof ShortType) {
            return (long) row.getShort(i);
        }
        if (type instanceof ByteType) {
            return (long) row.getByte(i);
        }
        return row.getLong(i);
    }

    /** A decimal or floating-point value as written (a double by its shortest decimal form). */
    BigDecimal decimal(String column) {
        int i = ordinal(column);
        if (row.isNullAt(i)) {
            return null;
        }
        DataType type = schema.at(i).getDataType();
        if (type instanceof DoubleType) {
            return BigDecimal.valueOf(row.getDouble(i));
        }
        if (type instanceof FloatType) {
            return new BigDecimal(Float.toString(row.getFloat(i)));
        }
        if (type instanceof DecimalType) {
            return row.getDecimal(i);
        }
        return BigDecimal.valueOf(optionalNumber(column));
    }

    boolean bool(String column) {
        int i = ordinal(column);
        return !row.isNullAt(i) && row.getBoolean(i);
    }

    LocalDate date(String column) {
        int i = ordinal(column);
        return row.isNullAt(i) ? null : LocalDate.ofEpochDay(row.getInt(i));
    }

    Instant timestamp(String column) {
        int i = ordinal(column);
        if (row.isNullAt(i)) {
            return null;
        }
        long micros = row.getLong(i);
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000);
    }
}
