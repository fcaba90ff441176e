package io.clickcartel.gold;

import static io.clickcartel.core.GoldColumns.*;
import static io.clickcartel.core.SilverColumns.CATEGORY;
import static io.clickcartel.core.SilverColumns.EVENT_DATE;
import static io.clickcartel.core.SilverColumns.PRODUCT_NAME;
import static io.clickcartel.core.SilverColumns.REVENUE;
import static io.clickcartel.core.contract.EventField.PRODUCT_ID;
import static io.clickcartel.core.contract.EventField.USER_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The three answers, read from the gold tables only: what people view (top products with conversion), what leads
 * to purchases (the funnel by day, sessions, the most common paths to a purchase), who the most valuable customers
 * are (top customers, segments). Printed as terminal tables or as JSON.
 */
public final class Report {

    /** Section title → rows (column → value), in display order. */
    private final Map<String, List<Map<String, Object>>> sections = new LinkedHashMap<>();

    private Report() {}

    public static Report build(SparkSession spark, GoldPipeline pipeline, int top) {
        Report report = new Report();
        Dataset<Row> products = read(spark, pipeline, GoldPipeline.Table.PRODUCT_DAILY);
        report.add(
                "What are people viewing? Top products by views",
                products.groupBy(PRODUCT_ID)
                        .agg(
                                first(PRODUCT_NAME).as(PRODUCT_NAME),
                                first(CATEGORY).as(CATEGORY),
                                sum(VIEWS).as(VIEWS),
                                sum(CARTS).as(CARTS),
                                sum(PURCHASES).as(PURCHASES),
                                sum(REVENUE).as(REVENUE))
                        .withColumn(VIEW_TO_CART_RATE, GoldTransforms.rate(col(CARTS), col(VIEWS)))
                        .withColumn(CART_TO_PURCHASE_RATE, GoldTransforms.rate(col(PURCHASES), col(CARTS)))
                        .orderBy(col(VIEWS).desc(), col(PRODUCT_ID))
                        .limit(top));
        report.add(
                "What actions lead to purchases? Users through the funnel, all categories",
                read(spark, pipeline, GoldPipeline.Table.FUNNEL_DAILY)
                        .where(col(CATEGORY).equalTo(ALL_CATEGORIES))
                        .drop(CATEGORY)
                        .orderBy(EVENT_DATE));
        report.add(
                "Sessions by day",
                read(spark, pipeline, GoldPipeline.Table.JOURNEY_DAILY).orderBy(EVENT_DATE));
        Dataset<Row> paths = read(spark, pipeline, GoldPipeline.Table.PURCHASE_PATHS);
        report.add(
                "Most common paths to a purchase",
                paths.where(col(CONVERTED))
                        .groupBy(PATH)
                        .agg(sum(SESSIONS).as(SESSIONS))
                        .orderBy(col(SESSIONS).desc(), col(PATH))
                        .limit(top));
        Dataset<Row> customers = read(spark, pipeline, GoldPipeline.Table.CUSTOMER_VALUE);
        report.add(
                "Who are our most valuable customers? Top customers by revenue",
                customers
                        .select(
                                REVENUE_RANK,
                                USER_ID,
                                LOCATION,
                                ORDERS,
                                REVENUE,
                                AVG_ORDER_VALUE,
                                RECENCY_DAYS,
                                R_SCORE,
                                F_SCORE,
                                M_SCORE,
                                SEGMENT)
                        .orderBy(REVENUE_RANK)
                        .limit(top));
        report.add(
                "Customers by segment",
                customers
                        .groupBy(SEGMENT)
                        .agg(count(lit(1)).as("customers"), sum(REVENUE).as(REVENUE))
                        .orderBy(col(REVENUE).desc(), col(SEGMENT)));
        return report;
    }

    private static Dataset<Row> read(SparkSession spark, GoldPipeline pipeline, GoldPipeline.Table table) {
        return spark.read().format("delta").load(pipeline.location(table));
    }

    private void add(String title, Dataset<Row> rows) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row row : rows.collectAsList()) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (String field : row.schema().fieldNames()) {
                Object value = row.getAs(field);
                values.put(field, isoText(value));
            }
            list.add(values);
        }
        sections.put(title, list);
    }

    public Map<String, List<Map<String, Object>>> sections() {
        return sections;
    }

    public String json() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(sections);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fixed-width tables, one per section. */
    public String text() {
        StringBuilder out = new StringBuilder();
        sections.forEach((title, rows) -> {
            out.append('\n').append(title).append('\n');
            if (rows.isEmpty()) {
                out.append("  (no rows yet)\n");
                return;
            }
            List<String> columns = List.copyOf(rows.get(0).keySet());
            int[] widths = columns.stream().mapToInt(String::length).toArray();
            for (Map<String, Object> row : rows) {
                for (int i = 0; i < columns.size(); i++) {
                    widths[i] =
                            Math.max(widths[i], cell(row.get(columns.get(i))).length());
                }
            }
            appendLine(out, columns.stream().map(c -> (Object) c).toList(), widths);
            for (Map<String, Object> row : rows) {
                appendLine(out, columns.stream().map(row::get).toList(), widths);
            }
        });
        return out.toString();
    }

    private static void appendLine(StringBuilder out, List<Object> cells, int[] widths) {
        out.append(' ');
        for (int i = 0; i < cells.size(); i++) {
            Object value = cells.get(i);
            String text = cell(value);
            String padded = value instanceof Number
                    ? " ".repeat(widths[i] - text.length()) + text
                    : text + " ".repeat(widths[i] - text.length());
            out.append(' ').append(padded);
        }
        out.append('\n');
    }

    private static String cell(Object value) {
        return value == null ? "-" : value instanceof java.math.BigDecimal d ? d.toPlainString() : value.toString();
    }

    /** Dates and timestamps as ISO text (timestamps as UTC instants), so the JSON does not depend on the JVM's zone. */
    private static Object isoText(Object value) {
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toString();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant().toString();
        }
        return value;
    }
}
