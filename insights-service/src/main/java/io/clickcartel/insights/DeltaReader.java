package io.clickcartel.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.SparkConf;
import io.delta.kernel.Scan;
import io.delta.kernel.ScanBuilder;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import jakarta.inject.Singleton;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Reads Delta tables with Delta Kernel's default engine: the log for a table's version, the snapshot's Parquet
 * files for its rows. Read-only, no Spark, and no lock: a snapshot is an immutable set of files, so writers never
 * wait for it. The lake's store is reached through Hadoop's file systems (local, {@code s3a://}), set up by the
 * {@code spark.hadoop.*} entries of {@code CLICKCARTEL_SPARK_CONF} as for the Spark layers.
 */
@Singleton
final class DeltaReader {

    /** A table's identity at one version: enough to tell whether it changed. */
    record Version(long version, Instant committedAt) {}

    /** A table's rows at one version. */
    record Loaded<T>(Version version, List<T> rows) {}

    private static final ObjectMapper LOG_JSON = new ObjectMapper();

    private final Configuration hadoop = new Configuration();
    private final Engine engine;

    DeltaReader(InsightsConfig config) {
        SparkConf.hadoopSettings(SparkConf.parse(config.spark().conf())).forEach(hadoop::set);
        engine = DefaultEngine.create(hadoop);
    }

    /** The newest version, or empty when no table exists there yet. */
    Optional<Version> latest(String location) {
        try {
            Snapshot snapshot = Table.forPath(engine, location).getLatestSnapshot(engine);
            return Optional.of(versionOf(snapshot));
        } catch (TableNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Every row of the newest snapshot, each turned into a {@code T} by {@code toRow}; empty when no table. */
    <T> Optional<Loaded<T>> read(String location, Function<NamedRow, T> toRow) {
        return read(location, List.of(), toRow);
    }

    /** As {@link #read(String, Function)}, reading only {@code columns} (all when empty). */
    <T> Optional<Loaded<T>> read(String location, List<String> columns, Function<NamedRow, T> toRow) {
        List<T> rows = new ArrayList<>();
        return scan(location, columns, toRow, (FileVisitor<T>) (file, read) -> read.into(rows))
                .map(version -> new Loaded<>(version, rows));
    }

    /** What was made of each data file of a snapshot, by the file's identity (its path and deletion vector). */
    record PerFile<S>(Version version, Map<String, S> byFile) {}

    /**
     * As {@link #read(String, List, Function)}, but {@code summarize} makes one {@code S} of each data file's rows,
     * and a file already summarized in {@code known} is not read again: data files never change (a deletion vector
     * makes another identity), so after a new version only the files it added are read. Keep the answer's
     * {@link PerFile#byFile()} as the next call's {@code known}.
     */
    <T, S> Optional<PerFile<S>> readPerFile(
            String location,
            List<String> columns,
            Function<NamedRow, T> toRow,
            Function<List<T>, S> summarize,
            Map<String, S> known) {
        Map<String, S> byFile = new LinkedHashMap<>(); // in the scan's order, which samples follow
        return scan(location, columns, toRow, (FileVisitor<T>) (file, read) -> {
                    S summary = known.get(file);
                    if (summary == null) {
                        List<T> rows = new ArrayList<>();
                        read.into(rows);
                        summary = summarize.apply(rows);
                    }
                    byFile.put(file, summary);
                })
                .map(version -> new PerFile<>(version, byFile));
    }

    /** Reads one data file's rows, turned into {@code T}, into a list. */
    private interface FileRead<T> {
        void into(List<T> rows) throws IOException;
    }

    /** Visits each data file of the newest snapshot by its identity. */
    private interface FileVisitor<T> {
        void visit(String file, FileRead<T> read) throws IOException;
    }

    /** Visits each data file of the newest snapshot; its version, or empty when no table exists there. */
    private <T> Optional<Version> scan(
            String location, List<String> columns, Function<NamedRow, T> toRow, FileVisitor<T> visitor) {
        Snapshot snapshot;
        try {
            snapshot = Table.forPath(engine, location).getLatestSnapshot(engine);
        } catch (TableNotFoundException e) {
            return Optional.empty();
        }
        ScanBuilder builder = snapshot.getScanBuilder(engine);
        if (!columns.isEmpty()) {
            StructType schema = snapshot.getSchema(engine);
            StructType projected = new StructType();
            for (String column : columns) {
                projected = projected.add(schema.get(column));
            }
            builder = builder.withReadSchema(engine, projected);
        }
        Scan scan = builder.build();
        Row scanState = scan.getScanState(engine);
        StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(engine, scanState);
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> fileRows = files.next().getRows()) {
                    while (fileRows.hasNext()) {
                        Row scanFile = fileRows.next();
                        DeletionVectorDescriptor deletions =
                                InternalScanFileUtils.getDeletionVectorDescriptorFromRow(scanFile);
                        String identity =
                                InternalScanFileUtils.getAddFileStatus(scanFile).getPath()
                                        + (deletions == null ? "" : "#" + deletions.getUniqueId());
                        visitor.visit(identity, rows -> readFile(scanState, scanFile, physicalSchema, toRow, rows));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + location + " failed", e);
        }
        return Optional.of(versionOf(snapshot));
    }

    private <T> void readFile(
            Row scanState, Row scanFile, StructType physicalSchema, Function<NamedRow, T> toRow, List<T> into)
            throws IOException {
        FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
        CloseableIterator<ColumnarBatch> physical = engine.getParquetHandler()
                .readParquetFiles(Utils.singletonCloseableIterator(file), physicalSchema, Optional.empty());
        try (CloseableIterator<FilteredColumnarBatch> logical =
                Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
            while (logical.hasNext()) {
                try (CloseableIterator<Row> rows = logical.next().getRows()) {
                    NamedRow named = null;
                    while (rows.hasNext()) {
                        Row row = rows.next();
                        named = named == null ? new NamedRow(row.getSchema()) : named;
                        into.add(toRow.apply(named.at(row)));
                    }
                }
            }
        }
    }

    /** A commit as its log entry tells it (Delta's commitInfo, and the txn action of an idempotent batch write). */
    record Commit(
            long version, Instant committedAt, String operation, Long batchId, long rowsWritten, long filesAdded) {}

    /**
     * The newest {@code count} commits up to {@code latest}, newest first, from the log's commit files (the Delta
     * protocol's JSON); a commit whose file the log has already cleaned up is left out.
     */
    List<Commit> recentCommits(String location, long latest, int count) {
        List<Commit> commits = new ArrayList<>();
        for (long version = latest; version >= 0 && version > latest - count; version--) {
            org.apache.hadoop.fs.Path file =
                    new org.apache.hadoop.fs.Path(location + "/_delta_log/" + String.format("%020d.json", version));
            try {
                FileSystem fs = file.getFileSystem(hadoop);
                if (!fs.exists(file)) {
                    break;
                }
                try (BufferedReader lines =
                        new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
                    commits.add(commitOf(version, lines));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading the log of " + location + " failed", e);
            }
        }
        return commits;
    }

    private static Commit commitOf(long version, BufferedReader lines) throws IOException {
        JsonNode info = null;
        JsonNode txn = null;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            JsonNode action = LOG_JSON.readTree(line);
            info = action.has("commitInfo") ? action.get("commitInfo") : info;
            txn = action.has("txn") ? action.get("txn") : txn;
        }
        JsonNode metrics = info == null ? LOG_JSON.createObjectNode() : info.path("operationMetrics");
        return new Commit(
                version,
                info == null
                        ? null
                        : Instant.ofEpochMilli(info.path("timestamp").asLong()),
                info == null ? null : info.path("operation").asText(null),
                txn == null ? null : txn.path("version").asLong(),
                metrics.path("numOutputRows").asLong(0),
                metrics.has("numAddedFiles")
                        ? metrics.path("numAddedFiles").asLong(0)
                        : metrics.path("numFiles").asLong(0));
    }

    private Version versionOf(Snapshot snapshot) {
        return new Version(snapshot.getVersion(engine), Instant.ofEpochMilli(snapshot.getTimestamp(engine)));
    }
}
