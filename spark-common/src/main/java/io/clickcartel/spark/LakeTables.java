package io.clickcartel.spark;

import io.clickcartel.core.BronzeColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.SilverColumns;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Creating the tables several processes share, whichever starts first. */
public final class LakeTables {

    private static final int CREATE_ATTEMPTS = 3;

    private LakeTables() {
    }

    /**
     * Creates {@code bronze.events} unless it exists: the bronze writer appends to it from two queries and silver
     * streams from it, so neither may depend on the other having started first.
     */
    public static String createBronzeIfMissing(SparkSession spark, String lake) {
        return createIfMissing(spark, LakeTable.BRONZE_EVENTS.location(lake), TableSchemas.BRONZE_EVENTS,
                BronzeColumns.INGEST_DATE);
    }

    /** Creates {@code silver.events} unless it exists: silver writes it, gold streams from it. */
    public static String createSilverEventsIfMissing(SparkSession spark, String lake) {
        return createIfMissing(spark, LakeTable.SILVER_EVENTS.location(lake), TableSchemas.SILVER_EVENTS,
                SilverColumns.EVENT_DATE);
    }

    /**
     * A concurrent creation by another process is not an error: the loser of that race fails its commit, and its
     * next attempt finds the winner's table.
     */
    private static String createIfMissing(SparkSession spark, String table, StructType schema, String partitionedBy) {
        for (int attempt = 1; ; attempt++) {
            try {
                DeltaTable.createIfNotExists(spark).location(table).addColumns(schema).partitionedBy(partitionedBy)
                        .execute();
                return table;
            } catch (RuntimeException e) {
                if (attempt == CREATE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
