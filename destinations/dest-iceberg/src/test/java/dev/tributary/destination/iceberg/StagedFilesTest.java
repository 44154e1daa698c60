package dev.tributary.destination.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.Config;
import dev.tributary.spi.DataType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staged files encoded on a thread of their own: every row where {@code write} said, files rolled, failures thrown. Our
 * Parquet value writers ({@link TableRowWriter} over {@link TableRow}s) against Iceberg's generic writer on the same rows:
 * the same values read back, the same data file metrics (value, null and NaN counts, lower and upper bounds, column
 * sizes), which pruning, DuckDB and Spark rely on; and the engine's values converted straight into the internal
 * representation ({@link IcebergTypes#toInternal}) exactly as Iceberg converts the generic ones.
 */
class StagedFilesTest {
    private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "name", Types.StringType.get()));
    private static final Schema EVERY_TYPE = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "name", Types.StringType.get()),
            Types.NestedField.optional(3, "amount", Types.DecimalType.of(38, 9)),
            Types.NestedField.optional(4, "rate", Types.DoubleType.get()),
            Types.NestedField.optional(5, "active", Types.BooleanType.get()),
            Types.NestedField.optional(6, "born", Types.DateType.get()),
            Types.NestedField.optional(7, "local_ts", Types.TimestampType.withoutZone()),
            Types.NestedField.optional(8, "ts", Types.TimestampType.withZone()));

    @TempDir
    Path dir;

    private LakehouseCatalog lake;
    private Table table;

    @BeforeEach
    void open() {
        lake = IcebergCatalogs.open(IcebergConfig.parse(Config.of(new ObjectMapper().valueToTree(Map.of())), dir), dir);
        ((SupportsNamespaces) lake.catalog()).createNamespace(Namespace.of("app"));
        // a tiny target size: every size check rolls the file
        table = lake.catalog().createTable(TableIdentifier.of("app", "people"), SCHEMA, PartitionSpec.unpartitioned(),
                Map.of(TableProperties.FORMAT_VERSION, "2", TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, "1"));
    }

    @AfterEach
    void close() {
        lake.close();
    }

    @Test
    void pipelinedRowsAreWhereWriteSaidAcrossRolledFiles() throws Exception {
        StagedFiles staged = StagedFiles.pipelined(table, table.schema(), "test");
        Map<Long, Long> where = new HashMap<>();
        for (long id = 0; id < 20_000; id++) where.put(id, staged.write(row(id, "name " + id)));

        List<DataFile> files = staged.finish();

        assertThat(files.size()).isGreaterThan(1);
        assertThat(files.stream().mapToLong(DataFile::recordCount).sum()).isEqualTo(20_000);
        Map<String, Integer> fileIds = new HashMap<>();
        for (int i = 0; i < files.size(); i++) fileIds.put(staged.path(i), i);
        int checked = 0;
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duckdb.createStatement()) {
            for (DataFile f : files) {
                try (ResultSet rs = s.executeQuery("SELECT file_row_number, id, name FROM read_parquet('" + f.location() + "', file_row_number = true)")) {
                    while (rs.next()) {
                        long id = rs.getLong(2);
                        assertThat(rs.getString(3)).isEqualTo("name " + id);
                        assertThat(where.get(id)).as("place of id " + id).isEqualTo(((long) fileIds.get(f.location()) << 40) | rs.getLong(1));
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(20_000);
    }

    @Test
    void aFailureWhileEncodingIsThrownToTheWriterAndDiscardStillDeletesTheFiles() throws Exception {
        StagedFiles staged = StagedFiles.pipelined(table, table.schema(), "test");
        staged.write(row(1, "one"));
        Record bad = GenericRecord.create(SCHEMA);
        bad.setField("id", 2L);
        bad.set(1, 42); // not a string: the Parquet writer fails on the encoding thread
        staged.write(bad);

        assertThatThrownBy(staged::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("writing Parquet files of")
                .hasMessageContaining("app.people");
        List<String> written = staged.allPaths();
        assertThat(written).isNotEmpty();
        assertThatThrownBy(() -> {
            for (int i = 0; i < 2 * ParquetEncoder.CHUNK_ROWS; i++) staged.write(row(i, "more"));
        }).hasMessageContaining("writing Parquet files of");

        staged.discard();

        for (String p : written) assertThat(Files.exists(Path.of(p))).as(p).isFalse();
        assertThat(staged.isEmpty()).isTrue();
    }

    private static Record row(long id, String name) {
        Record r = GenericRecord.create(SCHEMA);
        r.setField("id", id);
        r.setField("name", name);
        return r;
    }

    @Test
    void filesAndMetricsAreThoseOfIcebergsGenericWriter() throws Exception {
        Table table = lake.catalog().createTable(TableIdentifier.of("app", "things"), EVERY_TYPE, PartitionSpec.unpartitioned(),
                Map.of(TableProperties.FORMAT_VERSION, "2", TableProperties.PARQUET_COMPRESSION, "zstd"));
        List<Record> rows = rows(5_000);

        StagedFiles staged = StagedFiles.pipelined(table, table.schema(), "ours");
        for (Record r : rows) staged.write(r);
        DataFile ours = staged.finish().get(0);
        DataFile generic = withIcebergsWriter(table, rows);

        assertThat(ours.recordCount()).isEqualTo(5_000);
        assertThat(ours.valueCounts()).isEqualTo(generic.valueCounts());
        assertThat(ours.nullValueCounts()).isEqualTo(generic.nullValueCounts());
        assertThat(ours.nanValueCounts()).isEqualTo(generic.nanValueCounts()).containsEntry(4, 50L);
        assertThat(ours.lowerBounds()).isEqualTo(generic.lowerBounds()).containsKeys(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(ours.upperBounds()).isEqualTo(generic.upperBounds()).containsKeys(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(ours.columnSizes()).isEqualTo(generic.columnSizes());
        assertThat(ours.fileSizeInBytes()).isEqualTo(generic.fileSizeInBytes());
        assertThat(read(table, ours)).isEqualTo(read(table, generic)).isEqualTo(rows);

        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duckdb.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), count(name), max(id), min(born), sum(amount) FROM read_parquet('" + ours.location() + "')")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(5_000);
            assertThat(rs.getLong(2)).isEqualTo(rows.stream().filter(r -> r.getField("name") != null).count());
            assertThat(rs.getLong(3)).isEqualTo(4_999);
            assertThat(rs.getObject(4, LocalDate.class)).isEqualTo(rows.stream().map(r -> (LocalDate) r.getField("born"))
                    .filter(d -> d != null).min(LocalDate::compareTo).orElseThrow());
            assertThat(rs.getBigDecimal(5)).isEqualByComparingTo(rows.stream().map(r -> (BigDecimal) r.getField("amount"))
                    .filter(d -> d != null).reduce(BigDecimal.ZERO, BigDecimal::add));
        }
    }

    @Test
    void textThroughTheReusedBufferIsWhatIcebergsWriterWrites() throws Exception {
        // a tiny dictionary: the text column starts with a dictionary and falls back to plain encoding within the file,
        // so the reused buffer goes through the dictionary, the plain writer, the statistics and the page's bounds
        Table table = lake.catalog().createTable(TableIdentifier.of("app", "texts"), EVERY_TYPE, PartitionSpec.unpartitioned(),
                Map.of(TableProperties.FORMAT_VERSION, "2", TableProperties.PARQUET_DICT_SIZE_BYTES, "2048", TableProperties.PARQUET_PAGE_ROW_LIMIT, "1000"));
        Random random = new Random(11);
        String[] words = {"", "a", "zz", "Zoë", "a much longer value than the ones around it, ascii only", "李四", "\uD800 unpaired", "m"};
        List<Record> rows = new ArrayList<>();
        for (long id = 0; id < 30_000; id++) {
            Record r = GenericRecord.create(EVERY_TYPE);
            r.setField("id", id);
            String word = words[random.nextInt(words.length)];
            r.setField("name", id < 5_000 ? word : random.nextInt(20) == 0 ? null : word + " " + random.nextInt(1_000_000));
            rows.add(r);
        }

        StagedFiles staged = StagedFiles.pipelined(table, table.schema(), "ours");
        for (Record r : rows) staged.write(r);
        DataFile ours = staged.finish().get(0);
        DataFile generic = withIcebergsWriter(table, rows);

        assertThat(ours.lowerBounds().get(2)).isEqualTo(generic.lowerBounds().get(2));
        assertThat(ours.upperBounds().get(2)).isEqualTo(generic.upperBounds().get(2));
        assertThat(ours.columnSizes().get(2)).isEqualTo(generic.columnSizes().get(2));
        assertThat(ours.nullValueCounts().get(2)).isEqualTo(generic.nullValueCounts().get(2));
        List<Record> back = read(table, ours);
        List<Record> expected = read(table, generic);
        assertThat(back).hasSize(30_000);
        for (int i = 0; i < back.size(); i++) {
            assertThat(back.get(i).getField("name")).as("row " + i).isEqualTo(expected.get(i).getField("name"));
        }
        // the unpaired surrogate became '?', as String.getBytes makes it, in both
        assertThat(back).anyMatch(r -> "? unpaired".equals(r.getField("name")));
        // DuckDB reads the same text; its per-page statistics (the page's bounds) filter pages
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duckdb.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + ours.location() + "') WHERE name = 'zz'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(rows.stream().filter(r -> "zz".equals(r.getField("name"))).count()).isPositive();
        }
    }

    @Test
    void engineValuesConvertStraightToWhatIcebergMakesOfTheGenericOnes() {
        InternalRecordWrapper internal = new InternalRecordWrapper(new Schema(
                Types.NestedField.optional(1, "v", Types.TimestampType.withZone()),
                Types.NestedField.optional(2, "w", Types.TimestampType.withoutZone()),
                Types.NestedField.optional(3, "d", Types.DateType.get())).asStruct());
        List<Object> timestamps = List.of(Instant.parse("2024-03-01T10:15:30.123456789Z"), Instant.parse("1969-12-31T23:59:59.999999999Z"),
                Instant.parse("1500-01-01T00:00:00.000001Z"), OffsetDateTime.parse("2024-03-01T10:15:30.5+05:30"),
                LocalDateTime.parse("1960-06-01T00:00:00.0000017"), LocalDate.parse("1901-02-03"));
        for (Object v : timestamps) {
            Record r = GenericRecord.create(new Schema(Types.NestedField.optional(1, "v", Types.TimestampType.withZone()),
                    Types.NestedField.optional(2, "w", Types.TimestampType.withoutZone()),
                    Types.NestedField.optional(3, "d", Types.DateType.get())));
            r.set(0, IcebergTypes.toIceberg(v, DataType.TIMESTAMP_TZ, "test", "v"));
            if (!(v instanceof Instant) && !(v instanceof OffsetDateTime)) r.set(1, IcebergTypes.toIceberg(v, DataType.TIMESTAMP, "test", "w"));
            if (v instanceof LocalDate) r.set(2, IcebergTypes.toIceberg(v, DataType.DATE, "test", "d"));
            internal.wrap(r);
            assertThat(IcebergTypes.toInternal(v, DataType.TIMESTAMP_TZ, "test", "v")).as("timestamptz of " + v).isEqualTo(internal.get(0, Long.class));
            if (r.get(1) != null) assertThat(IcebergTypes.toInternal(v, DataType.TIMESTAMP, "test", "w")).as("timestamp of " + v).isEqualTo(internal.get(1, Long.class));
            if (r.get(2) != null) assertThat(IcebergTypes.toInternal(v, DataType.DATE, "test", "d")).as("date of " + v).isEqualTo(internal.get(2, Integer.class));
            assertThat(IcebergTypes.keyText(IcebergTypes.generic(IcebergTypes.toInternal(v, DataType.TIMESTAMP_TZ, "test", "v"), Types.TimestampType.withZone())))
                    .isEqualTo(IcebergTypes.keyText(r.get(0)));
        }
    }

    private static List<Record> rows(int n) {
        Random random = new Random(3);
        String[] names = {"Zoë", "Ünal", "李", "a name longer than the sixteen characters of a bound", "Ann", "Bob"};
        List<Record> out = new ArrayList<>();
        for (long id = 0; id < n; id++) {
            Record r = GenericRecord.create(EVERY_TYPE);
            r.setField("id", id);
            if (random.nextInt(10) > 0) r.setField("name", names[random.nextInt(names.length)] + (random.nextBoolean() ? "" : " " + random.nextInt(3000)));
            if (random.nextInt(10) > 0) r.setField("amount", BigDecimal.valueOf(random.nextLong() % 1_000_000_000_000L, 4).setScale(9));
            if (id % 100 == 7) r.setField("rate", Double.NaN);
            else if (random.nextInt(10) > 0) r.setField("rate", random.nextGaussian());
            if (random.nextInt(10) > 0) r.setField("active", random.nextBoolean());
            if (random.nextInt(10) > 0) r.setField("born", LocalDate.ofEpochDay(random.nextInt(80_000) - 40_000));
            if (random.nextInt(10) > 0) r.setField("local_ts", LocalDateTime.of(1950, 1, 1, 0, 0).plusNanos(random.nextLong(3_000_000_000_000_000L) / 1000 * 1000));
            if (random.nextInt(10) > 0) r.setField("ts", OffsetDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).minusNanos(random.nextLong(1_000_000_000_000_000L) / 1000 * 1000));
            out.add(r);
        }
        return out;
    }

    /** The rows through Iceberg's own generic writer (what StagedFiles used before), with the table's settings. */
    private static DataFile withIcebergsWriter(Table table, List<Record> rows) throws Exception {
        var files = OutputFileFactory.builderFor(table, 1, 2).format(FileFormat.PARQUET).operationId("generic").build();
        DataWriter<Record> w = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).dataSchema(table.schema()).build()
                .newDataWriter(files.newOutputFile(), table.spec(), null);
        try (w) {
            for (Record r : rows) w.write(r);
        }
        return w.toDataFile();
    }

    private static List<Record> read(Table table, DataFile f) throws Exception {
        List<Record> out = new ArrayList<>();
        try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(f.location())).project(EVERY_TYPE)
                .createReaderFunc(fs -> GenericParquetReaders.buildReader(EVERY_TYPE, fs)).build()) {
            for (Record r : rows) out.add(r.copy());
        }
        return out;
    }
}
