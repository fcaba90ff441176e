package io.clickcartel.silver;

import io.clickcartel.core.LakeTable;
import io.clickcartel.spark.BatchWrites;
import io.clickcartel.spark.LakeTables;
import io.delta.tables.DeltaTable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.delta.sources.DeltaSourceOffset;
import org.apache.spark.sql.delta.sources.DeltaSourceOffset$;
import org.apache.spark.sql.execution.streaming.OffsetSeq;
import org.apache.spark.sql.execution.streaming.OffsetSeqLog;
import org.apache.spark.sql.execution.streaming.StreamMetadata;
import org.apache.spark.sql.execution.streaming.StreamMetadata$;

/**
 * How much of bronze the silver events stream has written into silver: the newest bronze version all of whose rows
 * (and none after them) are behind silver's last written batch. A backfill derives silver from exactly that
 * snapshot of bronze; rows bronze gained since then the stream appends when it runs again, so neither writes a row
 * the other wrote. Read from the stream's own records: the query id in its checkpoint, the last batch the stream
 * committed to silver under that id (silver's transaction log), and that batch's end offset in bronze (the offset log).
 */
final class WrittenBronze {

    /** The stream's position does not name a whole bronze version: the backfill cannot know where to stop. */
    static final class NotAtAVersionException extends Exception {
        NotAtAVersionException(String message) {
            super(message);
        }
    }

    private WrittenBronze() {}

    static long lastVersion(SparkSession spark, String checkpoint, String silverTable, String bronzeTable)
            throws NotAtAVersionException {
        scala.Option<StreamMetadata> metadata = StreamMetadata$.MODULE$.read(
                new Path(checkpoint, "metadata"), spark.sparkContext().hadoopConfiguration());
        if (metadata.isEmpty()) {
            throw new NotAtAVersionException("the silver stream has not run yet (no checkpoint at " + checkpoint
                    + "): start the silver service first; it writes silver from bronze");
        }
        String queryId = metadata.get().id();
        scala.Option<Object> written = LakeTables.latestSnapshot(spark, silverTable)
                .transactions()
                .get(BatchWrites.appId(queryId, LakeTable.SILVER_EVENTS));
        if (written.isEmpty()) {
            throw new NotAtAVersionException("the silver stream has not written a batch yet: let the silver "
                    + "service run until silver has rows");
        }
        long batch = (Long) written.get();
        scala.Option<OffsetSeq> offsets =
                new OffsetSeqLog(spark, new Path(checkpoint, "offsets").toString()).get(batch);
        if (offsets.isEmpty()
                || offsets.get().offsets().isEmpty()
                || offsets.get().offsets().head().isEmpty()) {
            throw new IllegalStateException("silver's batch " + batch + " has no offsets in " + checkpoint
                    + ": the checkpoint does not belong to " + silverTable);
        }
        String bronzeId =
                DeltaTable.forPath(spark, bronzeTable).detail().first().getAs("id");
        Offset end = offsets.get().offsets().head().get();
        DeltaSourceOffset position = DeltaSourceOffset$.MODULE$.apply(bronzeId, end);
        if (position.index() != DeltaSourceOffset$.MODULE$.BASE_INDEX() || position.isInitialSnapshot()) {
            throw new NotAtAVersionException("the silver stream stopped part-way through bronze version "
                    + position.reservoirVersion() + ": run the silver service until it has caught up with bronze "
                    + "(its lag metric at 0), stop it, and run the backfill again");
        }
        return position.reservoirVersion() - 1;
    }
}
