package dev.tributary.destination.iceberg;

import dev.tributary.spi.Rejection;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Types;

/**
 * {@code <namespace>._tributary_rejects} (connection, stream, run_id, origin, reason, raw, rejected_at, batch): input
 * that could not become a record. Iceberg has no commit across two tables, so a writer's rejections are appended just
 * before its data commit, as a <em>batch</em>: the rows carry the batch id, the rejects snapshot names it
 * ({@value #BATCH} and {@value #STREAM} in its summary), and the data commit acknowledges it in its own summary
 * ({@code tributary.rejects.<connection>/<stream>}, carried forward like the states). A batch of the stream newer than
 * the acknowledged one belongs to a data commit that never happened (the process died in between): the run that
 * resumes reads those records again and rejects them again, so its first rejects commit deletes the unacknowledged
 * batches' rows (position deletes) in the same snapshot as it adds its own. Every rejection is stored once.
 */
final class RejectsTable {
    static final String NAME = "_tributary_rejects";
    /** Snapshot summary keys of a rejects commit: which stream's batch, and its id. */
    static final String STREAM = "tributary.rejects-stream";
    static final String BATCH = "tributary.rejects-batch";
    static final Schema SCHEMA = new Schema(
            Types.NestedField.optional(1, "connection", Types.StringType.get()),
            Types.NestedField.optional(2, "stream", Types.StringType.get()),
            Types.NestedField.optional(3, "run_id", Types.StringType.get()),
            Types.NestedField.optional(4, "origin", Types.StringType.get()),
            Types.NestedField.optional(5, "reason", Types.StringType.get()),
            Types.NestedField.optional(6, "raw", Types.StringType.get()),
            Types.NestedField.optional(7, "rejected_at", Types.TimestampType.withZone()),
            Types.NestedField.optional(8, "batch", Types.StringType.get()));

    private final Catalog catalog;

    RejectsTable(Catalog catalog) {
        this.catalog = catalog;
    }

    static TableIdentifier of(Namespace namespace) {
        return TableIdentifier.of(namespace, NAME);
    }

    /**
     * Appends {@code rejections} of a stream as a new batch, removing the stream's batches newer than
     * {@code acknowledged} (the batch its data table's current snapshot acknowledges; null: none yet) in the same
     * snapshot. Returns the batch id for the data commit to acknowledge, or null when nothing was committed (no
     * rejections and nothing to remove).
     */
    String append(Namespace namespace, String connection, String stream, String runId, List<Rejection> rejections, String acknowledged) {
        Optional<Table> existing = TableFactory.load(catalog, of(namespace));
        if (existing.isEmpty() && rejections.isEmpty()) return null;
        Table table = existing.map(RejectsTable::withBatchColumn).orElseGet(() -> loadOrCreate(namespace));
        String streamKey = connection + "/" + stream;
        Set<String> unacknowledged = unacknowledged(table, streamKey, acknowledged);
        if (rejections.isEmpty() && unacknowledged.isEmpty()) return null;
        String batch = runId + "-" + UUID.randomUUID();
        StagedFiles files = new StagedFiles(table, table.schema(), runId + "-rejects-" + UUID.randomUUID());
        List<DeleteFile> deletes = List.of();
        var now = Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        try {
            for (Rejection r : rejections) {
                GenericRecord row = GenericRecord.create(table.schema());
                row.setField("connection", connection);
                row.setField("stream", stream);
                row.setField("run_id", runId);
                row.setField("origin", r.origin());
                row.setField("reason", r.reason());
                row.setField("raw", r.raw());
                row.setField("rejected_at", now);
                row.setField("batch", batch);
                files.write(row);
            }
            List<DataFile> added = files.finish();
            PositionDeletes stale = new PositionDeletes(table, runId + "-rejects-" + UUID.randomUUID());
            List<String> referenced = new ArrayList<>();
            if (!unacknowledged.isEmpty()) {
                Map<String, Boolean> batches = new HashMap<>();
                unacknowledged.forEach(b -> batches.put(b, true));
                Expression ofStream = Expressions.and(Expressions.equal("connection", connection), Expressions.equal("stream", stream));
                for (KeyPositions.Position p : KeyPositions.find(table, List.of("batch"), batches, ofStream)) {
                    stale.add(p.path(), p.position(), p.spec(), p.partition());
                    referenced.add(p.path());
                }
            }
            deletes = stale.write();
            SnapshotUpdate<?> op;
            if (deletes.isEmpty()) {
                AppendFiles append = table.newAppend();
                added.forEach(append::appendFile);
                op = append;
            } else {
                RowDelta delta = table.newRowDelta();
                added.forEach(delta::addRows);
                deletes.forEach(delta::addDeletes);
                delta.validateDataFilesExist(referenced);
                op = delta;
            }
            op.set("tributary.run-id", runId);
            op.set(STREAM, streamKey);
            op.set(BATCH, batch);
            op.commit();
            return batch;
        } catch (RuntimeException e) {
            files.discard();
            for (DeleteFile d : deletes) {
                try {
                    table.io().deleteFile(d.location());
                } catch (RuntimeException ignored) {
                    // left for remove-orphans
                }
            }
            throw e;
        }
    }

    /** The stream's batches newer than {@code acknowledged}, newest first (snapshots expired meanwhile are not looked at). */
    static Set<String> unacknowledged(Table table, String streamKey, String acknowledged) {
        Set<String> out = new LinkedHashSet<>();
        for (Snapshot s = table.currentSnapshot(); s != null; s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            if (!streamKey.equals(s.summary().get(STREAM))) continue;
            String batch = s.summary().get(BATCH);
            if (batch == null || batch.equals(acknowledged)) break;
            out.add(batch);
        }
        return out;
    }

    /** A rejects table made before rows carried their batch gets the column (older rows read null). */
    private static Table withBatchColumn(Table table) {
        if (table.schema().findField("batch") != null) return table;
        try {
            table.updateSchema().addColumn("batch", Types.StringType.get()).commit();
        } catch (CommitFailedException raced) {
            // another writer added it
        }
        table.refresh();
        return table;
    }

    /** The rejects table of {@code namespace}, created (with the namespace) when missing. */
    Table loadOrCreate(Namespace namespace) {
        TableIdentifier id = of(namespace);
        return TableFactory.load(catalog, id).orElseGet(() -> {
            Map<String, String> props = new HashMap<>();
            props.put(TableProperties.FORMAT_VERSION, "2");
            return CatalogObjects.createTableIfAbsent(catalog, id, () -> catalog.createTable(id, SCHEMA, PartitionSpec.unpartitioned(), props));
        });
    }
}
