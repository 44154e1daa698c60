package dev.tributary.bench;

import dev.tributary.exports.ExportLocation;
import dev.tributary.exports.ExportResult;
import dev.tributary.exports.PartitionedExport;
import dev.tributary.lakehouse.duckdb.LakehouseViews;
import dev.tributary.spi.Config;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.types.Types;

/**
 * Partitioned Parquet exports against DuckDB's own COPY of the same rows, and DuckDB reading an Iceberg table's current
 * snapshot (with position and equality deletes) through the lakehouse views against Iceberg's generic reader.
 * Usage: LakehouseBenchmark [rows] [work-dir]
 */
public final class LakehouseBenchmark {
    private static final int FILES = 10;
    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "tenant", Types.StringType.get()),
            Types.NestedField.optional(3, "stream", Types.StringType.get()),
            Types.NestedField.optional(4, "name", Types.StringType.get()),
            Types.NestedField.optional(5, "amount", Types.DecimalType.of(12, 2)),
            Types.NestedField.optional(6, "created_at", Types.TimestampType.withZone()));

    private LakehouseBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("tributary-lakehouse-bench");
        Files.createDirectories(work);
        System.out.printf(Locale.ROOT, "work folder %s, %,d rows, %d cores%n", work, rows, Runtime.getRuntime().availableProcessors());
        HeapProbe heap = new HeapProbe();
        exports(rows, work);
        reads(rows, work);
        heap.stop();
        System.out.printf(Locale.ROOT, "peak heap %d MB, peak RSS %d MB%n", heap.peakMb(), HeapProbe.peakRssMb());
    }

    private static void exports(long rows, Path work) throws SQLException {
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duckdb.createStatement()) {
            s.execute("CREATE TABLE t AS SELECT i AS id, 'hub' || (i % 20) AS tenant, ['contacts','companies','deals','tickets','notes'][1 + ((i // 20) % 5)::INT] AS stream,"
                    + " 'name ' || i AS name, (i % 100000) / 100.0 AS amount, TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_seconds(i) AS created_at FROM range(" + rows + ") r(i)");
            long t0 = System.nanoTime();
            s.execute("COPY (SELECT * FROM t) TO '" + work.resolve("reference.parquet") + "' (FORMAT parquet)");
            double reference = seconds(t0);
            System.out.printf(Locale.ROOT, "DuckDB COPY TO one parquet file:            %6.2f s, %,9.0f rows/s%n", reference, rows / reference);
            long tp = System.nanoTime();
            s.execute("COPY (SELECT * FROM t) TO '" + work.resolve("reference-partitioned") + "' (FORMAT parquet, PARTITION_BY (tenant, stream), OVERWRITE_OR_IGNORE)");
            double partitioned = seconds(tp);
            System.out.printf(Locale.ROOT, "DuckDB COPY ... PARTITION_BY to a folder:   %6.2f s, %,9.0f rows/s%n", partitioned, rows / partitioned);
            for (String run : List.of("first", "replacing")) {
                long t1 = System.nanoTime();
                ExportResult r = new PartitionedExport(duckdb, line -> { }).run("t", "t", new ExportLocation.LocalFolder(work.resolve("exports")),
                        new PartitionedExport.Options(List.of("tenant", "stream"), false, null, work));
                double took = seconds(t1);
                System.out.printf(Locale.ROOT, "partitioned export (%-9s) to a folder:    %6.2f s, %,9.0f rows/s (ratio %.2f to one file, %.2f to PARTITION_BY),"
                        + " %d partitions, %d files, %,d bytes%n", run, took, rows / took, reference / took, partitioned / took, r.partitionsWritten(), r.files(), r.bytes());
            }
        }
    }

    private static void reads(long rows, Path work) throws Exception {
        Path project = work.resolve("lake");
        Config destination = Config.of(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(Map.of("warehouse", project.resolve("lakehouse").toString())));
        try (var lake = dev.tributary.destination.iceberg.IcebergCatalogs.open(dev.tributary.destination.iceberg.IcebergConfig.parse(destination, project), project)) {
            Catalog catalog = lake.catalog();
            TableIdentifier id = TableIdentifier.of("crm", "contacts");
            if (catalog.tableExists(id)) catalog.dropTable(id, true);
            if (!((SupportsNamespaces) catalog).namespaceExists(Namespace.of("crm"))) ((SupportsNamespaces) catalog).createNamespace(Namespace.of("crm"));
            Table t = catalog.createTable(id, SCHEMA, PartitionSpec.unpartitioned(), Map.of(TableProperties.FORMAT_VERSION, "2"));
            long t0 = System.nanoTime();
            List<DataFile> files = new ArrayList<>();
            var append = t.newAppend();
            long perFile = rows / FILES;
            for (int f = 0; f < FILES; f++) {
                DataWriter<Record> w = new GenericFileWriterFactory.Builder(t).dataSchema(t.schema()).build().newDataWriter(output(t), t.spec(), null);
                try (w) {
                    Record r = GenericRecord.create(t.schema());
                    for (long i = f * perFile; i < (f + 1) * perFile; i++) {
                        r.setField("id", i);
                        r.setField("tenant", "hub" + (i % 20));
                        r.setField("stream", "contacts");
                        r.setField("name", "name " + i);
                        r.setField("amount", BigDecimal.valueOf(i % 100000, 2));
                        r.setField("created_at", OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusSeconds(i));
                        w.write(r);
                    }
                }
                files.add(w.toDataFile());
                append.appendFile(w.toDataFile());
            }
            append.commit();
            System.out.printf(Locale.ROOT, "Iceberg table written (%d files) in %.2f s%n", FILES, seconds(t0));
            // 1% of the rows by position deletes, 1,000 ids by one equality delete
            RowDelta delta = t.newRowDelta();
            for (DataFile file : files) {
                PositionDeleteWriter<Record> w = new GenericFileWriterFactory.Builder(t).build().newPositionDeleteWriter(output(t), t.spec(), null);
                try (w) {
                    for (long p = 0; p < perFile; p += 100) w.write(PositionDelete.<Record>create().set(file.location(), p));
                }
                delta.addDeletes(w.toDeleteFile());
            }
            delta.commit();
            Schema idOnly = t.schema().select("id");
            EqualityDeleteWriter<Record> eq = new GenericFileWriterFactory.Builder(t).equalityFieldIds(new int[] {1}).equalityDeleteRowSchema(idOnly).build()
                    .newEqualityDeleteWriter(output(t), t.spec(), null);
            try (eq) {
                Record key = GenericRecord.create(idOnly);
                for (long i = 1; i < rows; i += rows / 1000) {
                    key.setField("id", i);
                    eq.write(key);
                }
            }
            t.newRowDelta().addDeletes(eq.toDeleteFile()).commit();
            t.refresh();

            try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:" + work.resolve("lakehouse.duckdb")); Statement s = duckdb.createStatement()) {
                long t1 = System.nanoTime();
                new LakehouseViews(catalog, System.out::println).refresh(duckdb);
                System.out.printf(Locale.ROOT, "view refresh (plan + footer check):          %6.2f s%n", seconds(t1));
                String raw = "read_parquet([" + String.join(", ", files.stream().map(f -> "'" + f.location() + "'").toList()) + "])";
                long duckRows = timeCount(s, "DuckDB over the data files, no deletes:      ", raw);
                long viewRows = timeCount(s, "DuckDB over the view (current snapshot):     ", "crm.contacts");
                long t2 = System.nanoTime();
                long icebergRows = 0;
                try (CloseableIterable<Record> records = IcebergGenerics.read(t).build()) {
                    for (Record ignored : records) icebergRows++;
                }
                double took = seconds(t2);
                System.out.printf(Locale.ROOT, "IcebergGenerics reading the same snapshot:   %6.2f s, %,9.0f rows/s, %,d rows%n", took, icebergRows / took, icebergRows);
                System.out.printf(Locale.ROOT, "rows: %,d in the files, %,d after deletes (DuckDB view), %,d (Iceberg): %s%n", duckRows, viewRows, icebergRows,
                        viewRows == icebergRows ? "same" : "DIFFERENT");
            }
        }
    }

    private static long timeCount(Statement s, String label, String relation) throws SQLException {
        long t = System.nanoTime();
        try (ResultSet rs = s.executeQuery("SELECT count(*), sum(amount) FROM " + relation)) {
            rs.next();
            double took = seconds(t);
            System.out.printf(Locale.ROOT, "%s %6.2f s, %,9.0f rows/s, %,d rows%n", label, took, rs.getLong(1) / took, rs.getLong(1));
            return rs.getLong(1);
        }
    }

    private static EncryptedOutputFile output(Table t) {
        return EncryptedFiles.plainAsEncryptedOutput(t.io().newOutputFile(t.location() + "/data/" + UUID.randomUUID() + ".parquet"));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
