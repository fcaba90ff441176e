package io.clickcartel.spark;

import io.clickcartel.core.LakeTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.DeltaOptions;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.VersionChecksum;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.SetTransaction;
import org.apache.spark.sql.delta.commands.DMLUtils;
import org.apache.spark.sql.delta.commands.WriteIntoDelta;
import scala.Option;
import scala.Predef;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Writes of a streaming micro-batch ({@code foreachBatch}) made idempotent the way Delta's own streaming sink makes
 * them: each commits Delta's set transaction (an application id — the query's id, which lives in its checkpoint,
 * and the table — and the batch id as its version), so a batch replayed after a crash finds its write committed and
 * writes nothing. A new checkpoint is a new query id: its batches, numbered from 0 again, are new transactions.
 *
 * <p>The write is Delta's own ({@code WriteIntoDelta}, what {@code df.write().format("delta")} runs, with Delta's
 * {@code txnAppId}/{@code txnVersion} options) in Delta's own transaction; only the question "is this batch
 * committed?" is answered here. Delta answers it from the table's state rebuilt in full — a Spark job over the log
 * since its checkpoint, growing with the table — while the version's checksum, which Delta keeps with each commit,
 * already lists the table's set transactions (up to 100 application ids, while none expire). That list is read
 * first; a version without it (no checksum file, too many ids) is answered by Delta's own lookup.
 */
public final class BatchWrites {

    /** Set by Spark on the thread that runs a streaming batch (StreamExecution.QUERY_ID_KEY). */
    private static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

    private BatchWrites() {}

    /** How a write changes a table, as {@code DataFrameWriter} says it: save mode, partitioning, Delta options. */
    public record Write(SaveMode mode, List<String> partitionBy, Map<String, String> options) {

        public Write {
            partitionBy = List.copyOf(partitionBy);
            options = Map.copyOf(options);
        }

        public static Write append() {
            return new Write(SaveMode.Append, List.of(), Map.of());
        }

        public static Write overwrite() {
            return new Write(SaveMode.Overwrite, List.of(), Map.of());
        }

        public Write partitionBy(String column) {
            List<String> columns = new ArrayList<>(partitionBy);
            columns.add(column);
            return new Write(mode, columns, options);
        }

        public Write option(String key, String value) {
            Map<String, String> all = new LinkedHashMap<>(options);
            all.put(key, value);
            return new Write(mode, partitionBy, all);
        }

        /** A plain Delta writer of {@code rows} that writes this way, for a write outside any stream. */
        public DataFrameWriter<Row> writer(Dataset<Row> rows) {
            return rows.write()
                    .format("delta")
                    .mode(mode)
                    .partitionBy(partitionBy.toArray(String[]::new))
                    .options(options);
        }
    }

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
     * Writes {@code rows} into the Delta table at {@code path} as {@code write} says, in one commit that records
     * batch {@code batchId} of {@code appId} — unless the table has that batch, or a later one, of {@code appId}
     * already. The application id Delta's own streaming sink commits under is the query id alone.
     *
     * @return false when the batch was there already and nothing was written
     */
    public static boolean once(Dataset<Row> rows, Write write, String path, String appId, long batchId) {
        SparkSession spark = rows.sparkSession();
        Map<String, String> options = new LinkedHashMap<>(write.options());
        options.put(DeltaOptions.TXN_APP_ID(), appId);
        options.put(DeltaOptions.TXN_VERSION(), Long.toString(batchId));
        DeltaOptions deltaOptions = new DeltaOptions(
                JavaConverters.mapAsScalaMap(options).toMap(Predef.$conforms()),
                spark.sessionState().conf());
        Seq<String> partitionBy =
                JavaConverters.asScalaBuffer(write.partitionBy()).toSeq();
        DeltaLog log = DeltaLog.forTable(spark, path);
        // the command df.write().format("delta").save(path) runs (DeltaDataSource.createRelation)
        WriteIntoDelta command = new WriteIntoDelta(
                log,
                write.mode(),
                deltaOptions,
                partitionBy,
                scala.collection.immutable.Map$.MODULE$.empty(),
                rows,
                Option.empty(),
                Option.empty());
        // WriteIntoDelta.run, with the committed-batch check answered by committedBatch
        return log.<Boolean>withNewTransaction(Option.empty(), Option.empty(), txn -> {
            if (committedBatch(txn, appId) >= batchId) {
                return false;
            }
            DMLUtils.TaggedCommitData<Action> commit =
                    command.writeAndReturnCommitData(txn, spark, Option.empty(), false);
            txn.commitIfNeeded(
                    commit.actions(),
                    new DeltaOperations.Write(
                            write.mode(),
                            Option.apply(partitionBy),
                            deltaOptions.replaceWhere(),
                            deltaOptions.userMetadata()),
                    commit.stringTags());
            return true;
        });
    }

    /**
     * The last batch of {@code appId} in the transaction's snapshot, -1 if none: from the version's checksum when it
     * lists the set transactions, else Delta's own lookup. Either way the id is recorded as read by the transaction,
     * as Delta's lookup records it, so that a concurrent commit of the same id makes this one fail, not double.
     */
    static long committedBatch(OptimisticTransaction txn, String appId) {
        Option<Seq<SetTransaction>> listed = txn.snapshot().checksumOpt().flatMap(VersionChecksum::setTransactions);
        if (listed.isEmpty()) {
            return txn.txnVersion(appId);
        }
        txn.readTxn().$plus$eq(appId);
        for (SetTransaction transaction : JavaConverters.seqAsJavaList(listed.get())) {
            if (transaction.appId().equals(appId)) {
                return transaction.version();
            }
        }
        return -1;
    }
}
