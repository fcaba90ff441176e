package io.clickcartel.spark;

import io.clickcartel.core.BronzeColumns;
import io.clickcartel.core.LakeTable;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.SparkSession;

/** Creating the tables several processes share, whichever starts first. */
public final class LakeTables {

    private LakeTables() {
    }

    /**
     * Creates {@code bronze.events} unless it exists: the bronze writer appends to it from two queries and silver
     * streams from it, so neither may depend on the other having started first. A concurrent creation by another
     * process is not an error.
     */
    public static String createBronzeIfMissing(SparkSession spark, String lake) {
        String table = LakeTable.BRONZE_EVENTS.location(lake);
        try {
            DeltaTable.createIfNotExists(spark).location(table).addColumns(TableSchemas.BRONZE_EVENTS)
                    .partitionedBy(BronzeColumns.INGEST_DATE).execute();
        } catch (RuntimeException e) {
            if (!DeltaTable.isDeltaTable(spark, table)) {
                throw e;
            }
        }
        return table;
    }
}
