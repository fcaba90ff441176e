package io.clickcartel.insights;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads Delta tables with Delta Kernel's default engine: the log for a table's version, the snapshot's Parquet
 * files for its rows. Read-only, no Spark, and no lock: a snapshot is an immutable set of files, so writers never
 * wait for it.
 */
final class DeltaReader {

    /** A table's identity at one version: enough to tell whether it changed. */
    record Version(long version, Instant committedAt) {
    }

    /** A table's rows at one version. */
    record Loaded<T>(Version version, List<T> rows) {
    }

    private final Engine engine = DefaultEngine.create(new Configuration());

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
        Snapshot snapshot;
        try {
            snapshot = Table.forPath(engine, location).getLatestSnapshot(engine);
        } catch (TableNotFoundException e) {
            return Optional.empty();
        }
        Scan scan = snapshot.getScanBuilder(engine).build();
        Row scanState = scan.getScanState(engine);
        StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(engine, scanState);
        List<T> rows = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> fileRows = files.next().getRows()) {
                    while (fileRows.hasNext()) {
                        readFile(scanState, fileRows.next(), physicalSchema, toRow, rows);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + location + " failed", e);
        }
        return Optional.of(new Loaded<>(versionOf(snapshot), rows));
    }

    private <T> void readFile(Row scanState, Row scanFile, StructType physicalSchema, Function<NamedRow, T> toRow,
                              List<T> into) throws IOException {
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

    private Version versionOf(Snapshot snapshot) {
        return new Version(snapshot.getVersion(engine), Instant.ofEpochMilli(snapshot.getTimestamp(engine)));
    }
}
