package io.clickcartel.gold;

import io.clickcartel.check.GroundTruthCheck;
import io.clickcartel.core.LakeTable;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Gold's tables read as canonical rows, for comparing two states of gold. */
final class GoldTables {

    private GoldTables() {}

    /** The five tables the teams read. */
    static Map<GoldPipeline.Table, List<Map<String, String>>> readAll(SparkSession spark, GoldPipeline gold) {
        Map<GoldPipeline.Table, List<Map<String, String>>> tables = new EnumMap<>(GoldPipeline.Table.class);
        for (GoldPipeline.Table table : GoldPipeline.Table.values()) {
            tables.put(table, GroundTruthCheck.canonicalRows(spark, gold.location(table)));
        }
        return tables;
    }

    /** Gold's own state: sessions, customer daily totals, customer totals. */
    static Map<LakeTable, List<Map<String, String>>> readState(SparkSession spark, String lake) {
        Map<LakeTable, List<Map<String, String>>> tables = new LinkedHashMap<>();
        for (LakeTable table :
                List.of(LakeTable.GOLD_SESSIONS, LakeTable.GOLD_CUSTOMER_DAILY, LakeTable.GOLD_CUSTOMER_TOTALS)) {
            tables.put(table, GroundTruthCheck.canonicalRows(spark, table.location(lake)));
        }
        return tables;
    }
}
