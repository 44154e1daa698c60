package dev.tributary.destination.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staged files encoded on a thread of their own: every row where {@code write} said, files rolled, failures thrown. */
class StagedFilesTest {
    private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "name", Types.StringType.get()));

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
}
