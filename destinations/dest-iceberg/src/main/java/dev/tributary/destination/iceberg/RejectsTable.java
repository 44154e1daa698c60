package dev.tributary.destination.iceberg;

import dev.tributary.spi.Rejection;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Types;

/**
 * {@code <namespace>._tributary_rejects} (connection, stream, run_id, origin, reason, raw, rejected_at): input that
 * could not become a record. Appended just before the data commit of the same writer (Iceberg has no commit across
 * two tables): a crash between the two leaves the rejections of that commit stored once more when the run resumes.
 */
final class RejectsTable {
    static final String NAME = "_tributary_rejects";
    static final Schema SCHEMA = new Schema(
            Types.NestedField.optional(1, "connection", Types.StringType.get()),
            Types.NestedField.optional(2, "stream", Types.StringType.get()),
            Types.NestedField.optional(3, "run_id", Types.StringType.get()),
            Types.NestedField.optional(4, "origin", Types.StringType.get()),
            Types.NestedField.optional(5, "reason", Types.StringType.get()),
            Types.NestedField.optional(6, "raw", Types.StringType.get()),
            Types.NestedField.optional(7, "rejected_at", Types.TimestampType.withZone()));

    private final Catalog catalog;

    RejectsTable(Catalog catalog) {
        this.catalog = catalog;
    }

    static TableIdentifier of(Namespace namespace) {
        return TableIdentifier.of(namespace, NAME);
    }

    void append(Namespace namespace, String connection, String stream, String runId, List<Rejection> rejections) {
        Table table = loadOrCreate(namespace);
        StagedFiles files = new StagedFiles(table, table.schema(), runId + "-rejects-" + UUID.randomUUID());
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
                files.write(row);
            }
            AppendFiles append = table.newAppend();
            files.finish().forEach(append::appendFile);
            append.set("tributary.run-id", runId);
            append.commit();
        } catch (RuntimeException e) {
            files.discard();
            throw e;
        }
    }

    private Table loadOrCreate(Namespace namespace) {
        TableIdentifier id = of(namespace);
        return TableFactory.load(catalog, id).orElseGet(() -> {
            if (catalog instanceof SupportsNamespaces ns && !ns.namespaceExists(namespace)) {
                try {
                    ns.createNamespace(namespace);
                } catch (AlreadyExistsException raced) {
                    // made meanwhile
                }
            }
            Map<String, String> props = new HashMap<>();
            props.put(TableProperties.FORMAT_VERSION, "2");
            try {
                return catalog.createTable(id, SCHEMA, PartitionSpec.unpartitioned(), props);
            } catch (AlreadyExistsException raced) {
                return catalog.loadTable(id);
            }
        });
    }
}
