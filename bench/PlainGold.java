// The plain baseline of bench/gold.sh: the five gold tables computed the way a data engineer would in a notebook,
// one batch job over silver.events with plain groupBy and window functions — product_daily, funnel_daily (per
// category and an ALL row), sessions by a 30-minute gap (lag + running sum over the user's events by time, event_id)
// feeding journey_daily and purchase_paths, customer_value (per-user totals, ntile(5) R/F/M among buyers, segments,
// revenue rank) — each written as a Delta overwrite with the gold tables' partitioning. The same definitions as
// docs/gold.md and the same Spark settings as the gold service (SparkSessions, CLICKCARTEL_SPARK_MASTER/_CONF),
// silver cached as the refresh caches it. What it leaves out is the service's machinery: no lease, no removal of
// a stream checkpoint, no state tables (gold.sessions, customer_daily, customer_totals are not written: sessions
// and per-user totals stay in memory), no txn ids, no data-quality log, no run-summary listener.
// Run by the script (compiled first, so that no compilation is timed): java -cp "<gold's jars>" PlainGold SILVER OUT
//   prints "plain-gold seconds S rows-in R" (S: from after the SparkSession is built until the fifth write is done);
// then java ... PlainGold --check OUT GOLD compares each table with the gold table of that name (GOLD: the lake's gold
//   folder) value for value, in a JVM of its own, and prints "plain-gold check TABLE rows N only-plain A only-gold B".
import static org.apache.spark.sql.functions.*;

import io.clickcartel.core.SparkConf;
import io.clickcartel.spark.SparkSessions;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

public class PlainGold {
    static Column rate(String part, String whole) {
        return when(col(whole).gt(0), round(col(part).divide(col(whole)), 6));
    }

    static void save(Dataset<Row> table, String partition, String path) {
        table.write().format("delta").mode("overwrite").partitionBy(partition).save(path);
    }

    public static void main(String[] args) throws Exception {
        String master = System.getenv().getOrDefault("CLICKCARTEL_SPARK_MASTER", "local[*]");
        Map<String, String> conf = SparkConf.parse(System.getenv(SparkConf.ENVIRONMENT_VARIABLE));
        SparkSession spark = SparkSessions.create(master, "plain-gold", conf);
        if (args[0].equals("--check")) {
            check(spark, args[1], args[2]);
        } else {
            run(spark, args[0], args[1]);
        }
        spark.stop();
    }

    static void run(SparkSession spark, String silverPath, String out) {
        long started = System.nanoTime();

        Dataset<Row> silver = spark.read().format("delta").load(silverPath).cache();
        Column view = col("event_type").equalTo("view_product");
        Column cart = col("event_type").equalTo("add_to_cart");
        Column purchase = col("event_type").equalTo("purchase");

        // what are people viewing?
        Dataset<Row> productDaily = silver.groupBy("event_date", "product_id")
                .agg(coalesce(max("product_name"), lit("unknown")).as("product_name"),
                        coalesce(max("category"), lit("unknown")).as("category"),
                        count(when(view, 1)).as("views"),
                        count(when(cart, 1)).as("carts"),
                        count(when(purchase, 1)).as("purchases"),
                        coalesce(sum(when(purchase, col("quantity"))), lit(0L)).as("units_sold"),
                        sum("revenue").cast("decimal(18,2)").as("revenue"),
                        countDistinct(when(view, col("user_id"))).as("unique_viewers"),
                        countDistinct(when(purchase, col("user_id"))).as("unique_buyers"))
                .withColumn("view_to_cart_rate", rate("carts", "views"))
                .withColumn("cart_to_purchase_rate", rate("purchases", "carts"))
                .withColumn("view_to_purchase_rate", rate("purchases", "views"));
        save(productDaily, "event_date", out + "/product_daily");

        Column[] steps = {
            countDistinct(when(view, col("user_id"))).as("users_viewed"),
            countDistinct(when(cart, col("user_id"))).as("users_carted"),
            countDistinct(when(purchase, col("user_id"))).as("users_purchased")
        };
        Dataset<Row> perCategory = silver.withColumn("category", coalesce(col("category"), lit("unknown")))
                .groupBy("event_date", "category").agg(steps[0], Arrays.copyOfRange(steps, 1, 3));
        Dataset<Row> allCategories = silver.groupBy("event_date").agg(steps[0], Arrays.copyOfRange(steps, 1, 3))
                .withColumn("category", lit("ALL"));
        Dataset<Row> funnelDaily = perCategory.unionByName(allCategories)
                .withColumn("view_to_cart_rate", rate("users_carted", "users_viewed"))
                .withColumn("cart_to_purchase_rate", rate("users_purchased", "users_carted"))
                .withColumn("view_to_purchase_rate", rate("users_purchased", "users_viewed"));
        save(funnelDaily, "event_date", out + "/funnel_daily");

        // what leads to purchases? sessions: a gap of more than 30 minutes starts a new one
        WindowSpec byUser = Window.partitionBy("user_id").orderBy("event_time", "event_id");
        Column micros = unix_micros(col("event_time"));
        Dataset<Row> sessions = silver.select("user_id", "event_id", "event_time", "event_type")
                .withColumn("gap", micros.minus(lag(micros, 1).over(byUser)))
                .withColumn("new_session", when(col("gap").isNull().or(col("gap").gt(30 * 60 * 1_000_000L)), 1)
                        .otherwise(0))
                .withColumn("session", sum("new_session").over(byUser))
                .groupBy("user_id", "session")
                .agg(sort_array(collect_list(struct("event_time", "event_id", "event_type"))).as("events"))
                .selectExpr("user_id", "events", "transform(events, e -> e.event_type) AS types")
                .selectExpr("user_id", "events", "types",
                        "CAST(array_position(types, 'purchase') AS INT) AS first_purchase")
                .selectExpr(
                        "to_date(events[0].event_time) AS event_date",
                        "first_purchase > 0 AS converted",
                        // up to the first purchase, consecutive repeats collapsed
                        "array_join(filter(IF(first_purchase > 0, slice(types, 1, first_purchase), types),"
                                + " (t, i) -> i = 0 OR t != types[i - 1]), '>') AS path",
                        "IF(first_purchase > 0, size(filter(slice(types, 1, first_purchase - 1),"
                                + " t -> t = 'view_product')), NULL) AS views_before",
                        "IF(first_purchase > 0, unix_micros(events[first_purchase - 1].event_time)"
                                + " - unix_micros(events[0].event_time), NULL) AS micros_to_purchase")
                .cache();
        Dataset<Row> journeyDaily = sessions.groupBy("event_date")
                .agg(count(lit(1)).as("sessions"), count(when(col("converted"), 1)).as("converted_sessions"),
                        round(avg("views_before"), 3).as("avg_views_before_first_purchase"),
                        round(avg("micros_to_purchase").divide(1e6), 3).as("avg_seconds_to_first_purchase"))
                .withColumn("session_conversion_rate", rate("converted_sessions", "sessions"));
        save(journeyDaily, "event_date", out + "/journey_daily");
        Dataset<Row> purchasePaths =
                sessions.groupBy("event_date", "path", "converted").agg(count(lit(1)).as("sessions"));
        save(purchasePaths, "event_date", out + "/purchase_paths");

        // who are our most valuable customers?
        java.sql.Date asOf = silver.agg(max("event_date")).first().getDate(0);
        Dataset<Row> customers = silver.groupBy("user_id")
                .agg(coalesce(max("customer_location"), lit("unknown")).as("location"),
                        max("customer_signup_date").as("signup_date"),
                        min("event_time").as("first_event_at"),
                        max("event_time").as("last_event_at"),
                        max(when(purchase, col("event_time"))).as("last_purchase_at"),
                        count(when(purchase, 1)).as("orders"),
                        coalesce(sum(when(purchase, col("quantity"))), lit(0L)).as("units"),
                        sum("revenue").cast("decimal(18,2)").as("revenue"))
                .withColumn("recency_days", datediff(lit(asOf), to_date(col("last_purchase_at"))));
        Column r = col("r_score"), f = col("f_score"), m = col("m_score");
        Dataset<Row> buyers = customers.where("orders > 0")
                .withColumn("r_score", ntile(5).over(Window.orderBy(col("recency_days").desc(), col("user_id"))))
                .withColumn("f_score", ntile(5).over(Window.orderBy("orders", "user_id")))
                .withColumn("m_score", ntile(5).over(Window.orderBy("revenue", "user_id")))
                .withColumn("segment",
                        when(r.geq(4).and(f.geq(4)).and(m.geq(4)), "champions")
                                .when(f.geq(4), "loyal")
                                .when(m.geq(4), "big_spender")
                                .when(r.leq(2).and(f.geq(3)), "at_risk")
                                .when(f.equalTo(1).and(r.geq(4)), "new")
                                .otherwise("regular"));
        Dataset<Row> browsers = customers.where("orders = 0")
                .withColumn("r_score", lit(null).cast("int"))
                .withColumn("f_score", lit(null).cast("int"))
                .withColumn("m_score", lit(null).cast("int"))
                .withColumn("segment", lit("browser"));
        Dataset<Row> customerValue = buyers.unionByName(browsers)
                .withColumn("avg_order_value",
                        when(col("orders").gt(0), round(col("revenue").divide(col("orders")), 2).cast("decimal(18,2)")))
                .withColumn("revenue_rank", row_number().over(Window.orderBy(col("revenue").desc(), col("user_id"))));
        save(customerValue, "location", out + "/customer_value");

        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("plain-gold seconds %.1f rows-in %d%n", seconds, silver.count());
    }

    static void check(SparkSession spark, String out, String gold) {
        for (String table : new String[] {"product_daily", "funnel_daily", "journey_daily", "purchase_paths",
                "customer_value"}) {
            Dataset<Row> theirs = spark.read().format("delta").load(gold + "/" + table);
            Dataset<Row> ours = spark.read().format("delta").load(out + "/" + table);
            // the gold table's columns, in its order and types
            Column[] columns = Arrays.stream(theirs.schema().fields())
                    .map(field -> col(field.name()).cast(field.dataType()).as(field.name()))
                    .toArray(Column[]::new);
            ours = ours.select(columns);
            theirs = theirs.select(columns);
            System.out.printf("plain-gold check %s rows %d only-plain %d only-gold %d%n", table, ours.count(),
                    ours.exceptAll(theirs).count(), theirs.exceptAll(ours).count());
        }
    }
}
