package io.clickcartel.spark;

import io.clickcartel.core.LakeTable;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.SparkSession;

/**
 * Writes of a streaming micro-batch ({@code foreachBatch}) made idempotent the way Delta's own streaming sink makes
 * them: each carries Delta's {@code txnAppId} (the query's id, which lives in its checkpoint, and the table) and
 * {@code txnVersion} (the batch id), so a batch replayed after a crash finds its write committed and writes nothing.
 * A new checkpoint is a new query id: its batches, numbered from 0 again, are new transactions.
 */
public final class BatchWrites {

    /** Set by Spark on the thread that runs a streaming batch (StreamExecution.QUERY_ID_KEY). */
    private static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

    private BatchWrites() {}

    /** The id of the streaming query whose batch runs on this thread. */
    public static String queryId(SparkSession spark) {
        String id = spark.sparkContext().getLocalProperty(QUERY_ID_PROPERTY);
        if (id == null) {
            throw new IllegalStateException("not inside a streaming batch: no query id to write under");
        }
        return id;
    }

    /** The Delta application id under which the query's batches write {@code table}. */
    public static String appId(String queryId, LakeTable table) {
        return queryId + "-" + table.qualifiedName();
    }

    /**
     * As {@link #once}, under the application id Delta's own streaming sink commits with: the query id alone. For a
     * query that writes a single table and once wrote it through that sink (bronze did), so that after the upgrade a
     * batch the sink committed but the checkpoint had not yet recorded is not written a second time.
     */
    public static <T> DataFrameWriter<T> onceAsDeltaSink(DataFrameWriter<T> writer, String queryId, long batchId) {
        return writer.option("txnAppId", queryId).option("txnVersion", batchId);
    }

    /** {@code writer}, writing batch {@code batchId} of the query into {@code table} at most once. */
    public static <T> DataFrameWriter<T> once(
            DataFrameWriter<T> writer, String queryId, LakeTable table, long batchId) {
        return writer.option("txnAppId", appId(queryId, table)).option("txnVersion", batchId);
    }
}
