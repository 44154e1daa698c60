package dev.tributary.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Partitioned exports to a local folder, read back the two ways the README documents: a glob and the manifests. */
class PartitionedExportTest {
    @TempDir
    Path dir;

    private Connection duckdb;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void open() throws SQLException {
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
        sql("CREATE TABLE leads AS SELECT (i % 3)::VARCHAR AS tenant, CASE WHEN i % 2 = 0 THEN 'contacts' ELSE 'deals' END AS stream, i AS id, 'name ' || i AS name"
                + " FROM range(1, 601) t(i)");
    }

    @AfterEach
    void close() throws SQLException {
        duckdb.close();
    }

    @Test
    void writesHivePartitionsThatAGlobAndTheManifestsBothReadAsTheRelation() throws Exception {
        Path root = dir.resolve("exports/leads");
        ExportResult result = export(root, false);

        assertThat(result.partitionsWritten()).isEqualTo(6);
        assertThat(result.rows()).isEqualTo(600);
        assertThat(root.resolve("tenant=1/stream=deals/_SUCCESS")).exists();
        assertThat(globRows(root)).isEqualTo(expected());
        assertThat(manifestRows(root)).isEqualTo(expected());
        assertThat(Files.list(dir.resolve("exports")).map(p -> p.getFileName().toString()).toList()).as("no staging left")
                .containsExactlyInAnyOrder("leads", ".leads.tributary-export.lock");
    }

    @Test
    void aRerunReplacesEachPartitionWithoutDoublesAndRemovesPartitionsThatHaveNoRowsNow() throws Exception {
        Path root = dir.resolve("leads");
        ExportResult first = export(root, false);
        ExportResult second = export(root, false);

        assertThat(globRows(root)).isEqualTo(expected());
        assertThat(dataFiles(root)).allMatch(f -> f.contains(second.exportId())).noneMatch(f -> f.contains(first.exportId()));

        sql("DELETE FROM leads WHERE tenant = '2'");
        ExportResult third = export(root, false);
        assertThat(third.partitionsRemoved()).isEqualTo(2);
        assertThat(root.resolve("tenant=2")).doesNotExist();
        assertThat(globRows(root)).isEqualTo(expected());
        assertThat(manifestRows(root)).isEqualTo(expected());
    }

    @Test
    void keepOtherPartitionsLeavesPartitionsWithoutRowsAsTheyWere() throws Exception {
        Path root = dir.resolve("leads");
        export(root, false);
        List<String> before = globRows(root);
        sql("DELETE FROM leads WHERE tenant = '2'");
        sql("UPDATE leads SET name = 'changed' WHERE tenant = '0'");

        export(root, true);

        assertThat(root.resolve("tenant=2/stream=contacts/_SUCCESS")).exists();
        assertThat(globRows(root)).hasSize(before.size()).contains("2|contacts|2|name 2").contains("0|contacts|6|changed");
    }

    @Test
    void aKilledExportLeavesEveryPartitionAsItWasForManifestReadersAndTheNextExportCleansUp() throws Exception {
        Path root = dir.resolve("leads");
        export(root, false);
        List<String> before = manifestRows(root);
        sql("UPDATE leads SET name = 'new ' || id");

        // dies after the files of the third partition are in, before its manifest is replaced
        assertThatThrownBy(() -> new PartitionedExport(duckdb, progress::add, location -> new DyingStore(new LocalPartitionStore(location), 3))
                .run("leads", "leads", new ExportLocation.LocalFolder(root), options(false)))
                .hasMessageContaining("killed");

        List<String> after = manifestRows(root);
        assertThat(after.stream().filter(r -> r.endsWith("|name " + r.split("\\|")[2])).count()).as("untouched partitions").isEqualTo(600 - 2 * 100);
        assertThat(after).hasSize(before.size());

        export(root, false);
        assertThat(globRows(root)).isEqualTo(expected()).allMatch(r -> r.contains("|new "));
        assertThat(Files.exists(root.getParent().resolve(".leads.tributary-staging"))).isFalse();
    }

    /** Found by a stranger's pass: re-exporting by other columns left the old layout's files, so a glob read rows twice. */
    @Test
    void anExportByOtherColumnsReplacesTheOldLayoutEitherWayRound() throws Exception {
        Path root = dir.resolve("leads");
        export(root, List.of("tenant"), false);
        ExportResult deeper = export(root, List.of("tenant", "stream"), false);
        assertThat(deeper.partitionsRemoved()).as("the three tenant= partitions of before").isEqualTo(3);
        assertThat(allFiles(root)).allMatch(f -> f.endsWith("_SUCCESS") || f.contains(deeper.exportId())).allMatch(f -> f.split("/").length == 3);
        assertThat(rows("SELECT count(*) FROM read_parquet('" + root + "/**/*.parquet', hive_partitioning=true, union_by_name=true)")).containsExactly("600");

        ExportResult shallower = export(root, List.of("tenant"), false);
        assertThat(shallower.partitionsRemoved()).isEqualTo(6);
        assertThat(allFiles(root)).allMatch(f -> f.endsWith("_SUCCESS") || f.contains(shallower.exportId())).allMatch(f -> f.split("/").length == 2);
        assertThat(rows("SELECT count(*) FROM read_parquet('" + root + "/**/*.parquet', hive_partitioning=true)")).containsExactly("600");

        List<String> files = allFiles(root);
        assertThatThrownBy(() -> export(root, List.of("tenant", "stream"), true)).as("keep_other_partitions cannot keep another layout")
                .hasMessageContaining("holds partitions of an export by other columns (tenant=0, tenant=1, tenant=2)");
        assertThat(allFiles(root)).as("nothing written").isEqualTo(files);
    }

    @Test
    void anUnknownPartitionColumnIsAnErrorNamingTheColumns() {
        assertThatThrownBy(() -> new PartitionedExport(duckdb, progress::add).run("leads", "leads", new ExportLocation.LocalFolder(dir.resolve("x")),
                new PartitionedExport.Options(List.of("tenat"), false, null, dir)))
                .hasMessage("partition_by column 'tenat' is not a column of leads (its columns: tenant, stream, id, name)");
    }

    @Test
    void twoExportsToOneFolderAtOnceAreRefused() {
        try (LocalPartitionStore held = new LocalPartitionStore(dir.resolve("leads"))) {
            assertThatThrownBy(() -> export(dir.resolve("leads"), false)).hasMessageContaining("another export is writing");
        }
    }

    private ExportResult export(Path root, boolean keepOthers) throws SQLException {
        return new PartitionedExport(duckdb, progress::add).run("leads", "leads", new ExportLocation.LocalFolder(root), options(keepOthers));
    }

    private ExportResult export(Path root, List<String> partitionBy, boolean keepOthers) throws SQLException {
        return new PartitionedExport(duckdb, progress::add).run("leads", "leads", new ExportLocation.LocalFolder(root),
                new PartitionedExport.Options(partitionBy, keepOthers, null, dir));
    }

    /** Every file under root, as a relative path, sorted. */
    private static List<String> allFiles(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private PartitionedExport.Options options(boolean keepOthers) {
        return new PartitionedExport.Options(List.of("tenant", "stream"), keepOthers, null, dir);
    }

    private List<String> expected() throws SQLException {
        return rows("SELECT tenant || '|' || stream || '|' || id || '|' || name FROM leads ORDER BY id");
    }

    private List<String> globRows(Path root) throws SQLException {
        return rows("SELECT tenant || '|' || stream || '|' || id || '|' || name FROM read_parquet('" + root + "/*/*/*.parquet', hive_partitioning=true) ORDER BY id");
    }

    /** The README's recipe for a reader that honours the manifests. */
    private List<String> manifestRows(Path root) throws SQLException {
        sql("SET VARIABLE files = (SELECT list(parse_dirpath(filename) || '/' || f) FROM read_json('" + root + "/*/*/_SUCCESS', filename=true) AS m, unnest(m.files) AS t(f))");
        return rows("SELECT tenant || '|' || stream || '|' || id || '|' || name FROM read_parquet(getvariable('files'), hive_partitioning=true) ORDER BY id");
    }

    private static List<String> dataFiles(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet")).toList();
        }
    }

    private List<String> rows(String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private void sql(String statement) throws SQLException {
        try (Statement s = duckdb.createStatement()) {
            s.execute(statement);
        }
    }

    /** A store that dies (as a kill would stop it) just before the n-th partition's manifest is replaced. */
    private static final class DyingStore extends ForwardingStore {
        private int commitsLeft;

        DyingStore(PartitionStore delegate, int dieAtCommit) {
            super(delegate);
            this.commitsLeft = dieAtCommit;
        }

        @Override
        public void commit(String partition, PartitionManifest manifest) {
            if (--commitsLeft == 0) throw new IllegalStateException("killed before committing " + partition);
            super.commit(partition, manifest);
        }
    }
}
