// The plain baseline of bench/silver-vs-plain.sh: silver written the way a hand-written Spark job would write it,
// the same work as the silver processor minus its typed contract check and quarantine. from_json with a
// string schema, filters for the required fields, the event type and the quantity, the event time from ISO-8601
// or epoch milliseconds, withWatermark + dropDuplicatesWithinWatermark on event_id, broadcast joins with the two
// reference files, Delta append partitioned by date; the same Spark settings, trigger size and heap as the service.
// Run by the script: java -cp "<silver's jars>" bench/PlainSilver.java BRONZE OUT CHECKPOINT CUSTOMERS PRODUCTS
//   DELAY MAX_BYTES_PER_TRIGGER ; prints "plain rows R busy_seconds S wall_seconds W".
import static org.apache.spark.sql.functions.*;

import io.clickcartel.spark.SparkSessions;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

public class PlainSilver {
    public static void main(String[] args) throws Exception {
        String bronze = args[0], out = args[1], checkpoint = args[2], customersCsv = args[3], productsParquet = args[4];
        String delay = args[5], maxBytes = args[6];
        SparkSession spark = SparkSessions.create("local[*]", "plain-silver", Map.of());
        StructType event = new StructType()
                .add("event_id", DataTypes.StringType)
                .add("timestamp", DataTypes.StringType)
                .add("user_id", DataTypes.StringType)
                .add("event_type", DataTypes.StringType)
                .add("product_id", DataTypes.StringType)
                .add("session_id", DataTypes.StringType)
                .add("quantity", DataTypes.LongType);
        Dataset<Row> products = spark.read().parquet(productsParquet)
                .select(col("product_id").as("_product"), col("product_name"), col("category"),
                        col("price").cast("decimal(10,2)").as("unit_price"));
        Dataset<Row> customers = spark.read().option("header", "true").csv(customersCsv)
                .select(col("customer_id").as("_customer"), col("signup_date").cast("date").as("customer_signup_date"),
                        col("location").as("customer_location"));
        Dataset<Row> parsed = spark.readStream().format("delta").option("maxBytesPerTrigger", maxBytes).load(bronze)
                .select(from_json(col("value"), event).as("e"), col("ingested_at"), col("source"), col("topic"),
                        col("partition"), col("offset"), col("source_file"))
                .select(col("e.*"), col("ingested_at"), col("source"), col("topic"), col("partition"), col("offset"),
                        col("source_file"))
                .withColumn("event_type", lower(trim(col("event_type"))))
                .withColumn("event_time", coalesce(to_timestamp(col("timestamp")),
                        timestamp_millis(col("timestamp").cast("long"))))
                .where(col("event_id").isNotNull().and(col("user_id").isNotNull()).and(col("product_id").isNotNull())
                        .and(col("event_time").isNotNull())
                        .and(col("event_type").isin("view_product", "add_to_cart", "purchase"))
                        .and(col("quantity").isNull().or(col("quantity").between(1, 1000))))
                .withColumn("quantity", coalesce(col("quantity").cast("int"), lit(1)))
                .withColumn("event_date", to_date(col("event_time")));
        Dataset<Row> silver = parsed.withWatermark("event_time", delay).dropDuplicatesWithinWatermark("event_id")
                .join(broadcast(products), col("product_id").equalTo(col("_product")), "left")
                .join(broadcast(customers), col("user_id").equalTo(col("_customer")), "left")
                .withColumn("revenue", when(col("event_type").equalTo("purchase").and(col("unit_price").isNotNull()),
                        col("unit_price").multiply(col("quantity"))).otherwise(lit(0)).cast("decimal(18,2)"))
                .withColumn("known_customer", col("_customer").isNotNull())
                .withColumn("known_product", col("_product").isNotNull())
                .drop("_customer", "_product", "timestamp");
        long started = System.nanoTime();
        StreamingQuery query = silver.writeStream().format("delta").partitionBy("event_date")
                .option("checkpointLocation", checkpoint).trigger(Trigger.AvailableNow()).start(out);
        query.awaitTermination();
        double wall = (System.nanoTime() - started) / 1e9;
        long rows = 0;
        double busy = 0;
        for (StreamingQueryProgress progress : query.recentProgress()) {
            if (progress.numInputRows() > 0) {
                rows += progress.numInputRows();
                busy += progress.durationMs().getOrDefault("triggerExecution", 0L) / 1000.0;
            }
        }
        System.out.printf("plain rows %d busy_seconds %.1f wall_seconds %.1f written %d%n", rows, busy, wall,
                spark.read().format("delta").load(out).count());
        spark.stop();
    }
}
