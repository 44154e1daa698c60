package dev.tributary.lakehouse.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.destination.iceberg.IcebergCatalogs;
import dev.tributary.destination.iceberg.IcebergConfig;
import dev.tributary.destination.iceberg.LakehouseCatalog;
import dev.tributary.spi.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables written through the Iceberg Java API (appends, overwrites, position and equality deletes, schema evolution,
 * partitions), read by DuckDB through {@link LakehouseViews} and by Iceberg's own generic reader: row for row the same.
 */
class IcebergSnapshotReadTest {
    static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "name", Types.StringType.get()),
            Types.NestedField.optional(3, "tenant", Types.StringType.get()),
            Types.NestedField.optional(4, "amount", Types.DecimalType.of(12, 2)),
            Types.NestedField.optional(5, "created_at", Types.TimestampType.withZone()),
            Types.NestedField.optional(6, "day", Types.DateType.get()),
            Types.NestedField.optional(7, "score", Types.IntegerType.get()),
            Types.NestedField.optional(8, "active", Types.BooleanType.get()));

    @TempDir
    Path dir;

    private LakehouseCatalog lake;
    private Connection duckdb;

    @BeforeEach
    void open() throws SQLException {
        lake = IcebergCatalogs.open(IcebergConfig.parse(Config.of(new ObjectMapper().valueToTree(Map.of())), dir), dir);
        ((SupportsNamespaces) lake.catalog()).createNamespace(Namespace.of("crm"));
        duckdb = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("lakehouse.duckdb"));
    }

    @AfterEach
    void close() throws SQLException {
        duckdb.close();
        lake.close();
    }

    @Test
    void appendsAndAnOverwriteReadAsTheCurrentSnapshot() throws Exception {
        Table t = create("contacts", PartitionSpec.unpartitioned());
        DataFile first = append(t, null, rows(t, 1, 50, "a"));
        append(t, null, rows(t, 51, 80, "b"));
        DataFile replacement = dataFile(t, null, rows(t, 1, 20, "c"));
        t.newOverwrite().deleteFile(first).addFile(replacement).commit();

        assertSameRows(t, "crm.contacts");
        assertThat(count("crm.contacts")).isEqualTo(50);
    }

    @Test
    void positionDeletesRemoveExactlyTheirRowsAndOnlyFromTheFileTheyName() throws Exception {
        Table t = create("contacts", PartitionSpec.unpartitioned());
        DataFile a = append(t, null, rows(t, 1, 100, "a"));
        DataFile b = append(t, null, rows(t, 101, 200, "b"));
        t.newRowDelta().addDeletes(positionDeletes(t, null, a.location(), 0, 5, 99)).addDeletes(positionDeletes(t, null, b.location(), 42)).commit();

        assertSameRows(t, "crm.contacts");
        assertThat(count("crm.contacts")).isEqualTo(196);
    }

    @Test
    void equalityDeletesApplyOnlyToOlderDataFilesAndMatchNulls() throws Exception {
        Table t = create("contacts", PartitionSpec.unpartitioned());
        List<Record> first = rows(t, 1, 10, "a");
        first.get(9).setField("name", null);
        append(t, null, first);
        Schema deleteSchema = t.schema().select("name");
        Record nullName = GenericRecord.create(deleteSchema);
        nullName.setField("name", null);
        Record three = GenericRecord.create(deleteSchema);
        three.setField("name", "a 3");
        t.newRowDelta().addDeletes(equalityDeletes(t, null, deleteSchema, List.of(three, nullName))).commit();
        // written after the delete: its 'a 3' stays (a lower sequence number is what the delete applies to)
        append(t, null, List.of(record(t, 3, "a 3", "z")));

        assertSameRows(t, "crm.contacts");
        assertThat(rows("SELECT id FROM crm.contacts WHERE name = 'a 3'")).containsExactly("3");
        assertThat(count("crm.contacts")).isEqualTo(9);
    }

    @Test
    void partitionedEqualityDeletesStayInTheirPartition() throws Exception {
        Table t = create("deals", PartitionSpec.builderFor(SCHEMA).identity("tenant").day("created_at").build());
        twoTenantsWithAnIdDeletedInA(t, 1L);

        assertSameRows(t, "crm.deals");
        assertThat(rows("SELECT tenant FROM crm.deals WHERE id = 1")).containsExactly("b");
    }

    @Test
    void schemaEvolutionReadsByFieldIdWithNullsForColumnsAFileLacks() throws Exception {
        Table t = create("contacts", PartitionSpec.unpartitioned());
        append(t, null, rows(t, 1, 10, "a"));
        t.updateSchema().renameColumn("name", "full_name").addColumn("email", Types.StringType.get()).updateColumn("score", Types.LongType.get()).commit();
        List<Record> later = rows(t, 11, 15, "b");
        later.forEach(r -> {
            r.setField("email", "x" + r.getField("id") + "@example.com");
            r.setField("score", 5_000_000_000L);
        });
        append(t, null, later);
        t.updateSchema().deleteColumn("active").commit();

        assertSameRows(t, "crm.contacts");
        assertThat(columns("crm.contacts")).containsExactly("id", "full_name", "tenant", "amount", "created_at", "day", "score", "email");
        assertThat(rows("SELECT count(*) FROM crm.contacts WHERE email IS NULL AND full_name IS NOT NULL")).containsExactly("10");
    }

    @Test
    void aTableWithoutSnapshotsIsAnEmptyViewWithItsColumns() throws Exception {
        create("empty", PartitionSpec.unpartitioned());
        new LakehouseViews(lake.catalog(), m -> { }).refresh(duckdb);
        assertThat(count("crm.empty")).isZero();
        assertThat(columns("crm.empty")).hasSize(8);
    }

    @Test
    void aViewIsRewrittenOnlyWhenItsTableChangedAndDroppedWithIt() throws Exception {
        Table t = create("contacts", PartitionSpec.unpartitioned());
        append(t, null, rows(t, 1, 5, "a"));
        LakehouseViews views = new LakehouseViews(lake.catalog(), m -> { });
        assertThat(views.refresh(duckdb).created()).isEqualTo(1);
        assertThat(views.refresh(duckdb).unchanged()).isEqualTo(1);
        append(t, null, rows(t, 6, 7, "a"));
        assertThat(views.refresh(duckdb).created()).isEqualTo(1);
        assertThat(count("crm.contacts")).isEqualTo(7);
        lake.catalog().dropTable(TableIdentifier.of("crm", "contacts"));
        assertThat(views.refresh(duckdb).dropped()).isEqualTo(1);
    }

    @Test
    void aTableThisReaderCannotReadExactlyFailsWhenQueriedNamingTheTable() throws Exception {
        Schema nested = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.optional(2, "address", Types.StructType.of(Types.NestedField.optional(3, "city", Types.StringType.get()))));
        lake.catalog().createTable(TableIdentifier.of("crm", "nested"), nested);
        Table readable = create("contacts", PartitionSpec.unpartitioned());
        append(readable, null, rows(readable, 1, 3, "a"));

        LakehouseViews.Refresh refresh = new LakehouseViews(lake.catalog(), m -> { }).refresh(duckdb);

        assertThat(refresh.unreadable()).singleElement().asString().contains("crm.nested").contains("address");
        assertThatThrownBy(() -> count("crm.nested")).hasMessageContaining("lakehouse table crm.nested cannot be read from DuckDB: column address has type struct");
        assertThat(count("crm.contacts")).isEqualTo(3);
    }

    @Test
    void aFileWithoutItsIdentityPartitionColumnIsRefusedRatherThanReadAsNulls() throws Exception {
        Table t = create("imported", PartitionSpec.builderFor(SCHEMA).identity("tenant").build());
        Path file = dir.resolve("imported.parquet");
        try (Statement s = duckdb.createStatement()) {
            s.execute("COPY (SELECT 1::BIGINT AS id, 'x' AS name) TO '" + file + "' (FORMAT parquet, FIELD_IDS {id: 1, name: 2})");
        }
        org.apache.iceberg.PartitionData partition = new org.apache.iceberg.PartitionData(t.spec().partitionType());
        partition.set(0, "a");
        t.newAppend().appendFile(org.apache.iceberg.DataFiles.builder(t.spec()).withPath(file.toString()).withFormat(org.apache.iceberg.FileFormat.PARQUET)
                .withFileSizeInBytes(java.nio.file.Files.size(file)).withRecordCount(1).withPartition(partition).build()).commit();

        LakehouseViews.Refresh refresh = new LakehouseViews(lake.catalog(), m -> { }).refresh(duckdb);

        assertThat(refresh.unreadable()).singleElement().asString().contains("crm.imported").contains("lacks the identity partition column tenant");
    }

    @Test
    void filesOnObjectStorageAreRefusedNotMisread() {
        assertThatThrownBy(() -> SnapshotScan.localPath("s3://bucket/lake/crm/contacts/data/x.parquet", "crm.contacts"))
                .hasMessageContaining("lakehouse table crm.contacts cannot be read from DuckDB: its files are on s3:// storage");
        assertThat(SnapshotScan.localPath("file:/tmp/a%20b.parquet", "t")).isEqualTo("/tmp/a b.parquet");
    }

    // ---- writing through the Iceberg API

    private Table create(String name, PartitionSpec spec) {
        return lake.catalog().createTable(TableIdentifier.of("crm", name), SCHEMA, spec, Map.of(TableProperties.FORMAT_VERSION, "2"));
    }

    static List<Record> rows(Table t, long from, long to, String tenant) {
        List<Record> out = new ArrayList<>();
        for (long i = from; i <= to; i++) out.add(record(t, i, tenant + " " + i, tenant));
        return out;
    }

    static Record record(Table t, long id, String name, String tenant) {
        Record r = GenericRecord.create(t.schema());
        r.setField("id", id);
        r.setField(t.schema().findField(2).name(), name);
        r.setField("tenant", tenant);
        r.setField("amount", BigDecimal.valueOf(id * 101, 2));
        r.setField("created_at", OffsetDateTime.of(2026, 1, 1 + (int) (id % 3), 10, 0, 0, 0, ZoneOffset.UTC));
        r.setField("day", LocalDate.of(2026, 2, 1 + (int) (id % 20)));
        if (t.schema().findField("score").type().typeId() == org.apache.iceberg.types.Type.TypeID.LONG) r.setField("score", id);
        else r.setField("score", (int) id);
        if (t.schema().findField("active") != null) r.setField("active", id % 2 == 0);
        return r;
    }

    static StructLike partition(Table t, Record row) {
        org.apache.iceberg.PartitionKey key = new org.apache.iceberg.PartitionKey(t.spec(), t.schema());
        key.partition(new org.apache.iceberg.data.InternalRecordWrapper(t.schema().asStruct()).wrap(row));
        return key.copy();
    }

    static DataFile append(Table t, StructLike partition, List<Record> rows) throws IOException {
        DataFile file = dataFile(t, partition, rows);
        t.newAppend().appendFile(file).commit();
        return file;
    }

    static DataFile dataFile(Table t, StructLike partition, List<Record> rows) throws IOException {
        DataWriter<Record> w = new GenericFileWriterFactory.Builder(t).dataSchema(t.schema()).build().newDataWriter(output(t), t.spec(), partition);
        try (w) {
            rows.forEach(w::write);
        }
        return w.toDataFile();
    }

    static DeleteFile positionDeletes(Table t, StructLike partition, String dataFile, long... positions) throws IOException {
        PositionDeleteWriter<Record> w = new GenericFileWriterFactory.Builder(t).build().newPositionDeleteWriter(output(t), t.spec(), partition);
        try (w) {
            for (long p : positions) w.write(PositionDelete.<Record>create().set(dataFile, p));
        }
        return w.toDeleteFile();
    }

    static DeleteFile equalityDeletes(Table t, StructLike partition, Schema deleteSchema, List<Record> keys) throws IOException {
        int[] ids = deleteSchema.columns().stream().mapToInt(Types.NestedField::fieldId).toArray();
        EqualityDeleteWriter<Record> w = new GenericFileWriterFactory.Builder(t).equalityFieldIds(ids).equalityDeleteRowSchema(deleteSchema).build()
                .newEqualityDeleteWriter(output(t), t.spec(), partition);
        try (w) {
            keys.forEach(w::write);
        }
        return w.toDeleteFile();
    }

    /** Ids 1 to 30 for tenants a and b, each in its partition, then {@code id} deleted in a's partition by an equality delete. */
    static void twoTenantsWithAnIdDeletedInA(Table t, long id) throws IOException {
        for (String tenant : List.of("a", "b")) {
            List<Record> rows = rows(t, 1, 30, tenant);
            append(t, partition(t, rows.get(0)), rows);
        }
        Schema deleteSchema = t.schema().select("id");
        Record deleted = GenericRecord.create(deleteSchema);
        deleted.setField("id", id);
        List<Record> inA = rows(t, id, id, "a");
        t.newRowDelta().addDeletes(equalityDeletes(t, partition(t, inA.get(0)), deleteSchema, List.of(deleted))).commit();
    }

    private static EncryptedOutputFile output(Table t) {
        return EncryptedFiles.plainAsEncryptedOutput(t.io().newOutputFile(t.location() + "/data/" + UUID.randomUUID() + ".parquet"));
    }

    // ---- reading both ways

    private void assertSameRows(Table t, String view) throws SQLException {
        new LakehouseViews(lake.catalog(), m -> { }).refresh(duckdb);
        t.refresh();
        List<String> names = t.schema().columns().stream().map(Types.NestedField::name).toList();
        List<String> iceberg = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(t).build()) {
            for (Record r : records) {
                List<String> values = new ArrayList<>();
                for (String n : names) values.add(canonical(r.getField(n)));
                iceberg.add(String.join("|", values));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> duck = new ArrayList<>();
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + view)) {
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= names.size(); i++) values.add(canonical(rs.getObject(i)));
                duck.add(String.join("|", values));
            }
        }
        assertThat(duck).as("DuckDB's rows of " + view).isNotEmpty().containsExactlyInAnyOrderElementsOf(iceberg);
    }

    static String canonical(Object v) {
        if (v == null) return "NULL";
        if (v instanceof OffsetDateTime o) return o.toInstant().toString();
        if (v instanceof java.sql.Timestamp ts) return ts.toInstant().toString();
        if (v instanceof java.sql.Date d) return d.toLocalDate().toString();
        if (v instanceof BigDecimal b) return b.toPlainString();
        if (v instanceof Temporal tm) return tm.toString();
        return v.toString();
    }

    private long count(String view) throws SQLException {
        return Long.parseLong(rows("SELECT count(*) FROM " + view).get(0));
    }

    private List<String> columns(String view) throws SQLException {
        return rows("SELECT column_name FROM (DESCRIBE " + view + ")");
    }

    private List<String> rows(String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
