package dev.tributary.lakehouse.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.destination.iceberg.IcebergDestination;
import dev.tributary.destination.iceberg.IcebergSession;
import dev.tributary.destination.iceberg.LakehouseMaintenance;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataType;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.Field;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DuckDB reader of the lakehouse (a view made from the snapshot current at its refresh) while compaction,
 * expire-snapshots and remove-orphans run: it keeps reading exactly its snapshot's rows for as long as the retention
 * says, and once the files are gone its query fails naming one, never answering with part of the rows.
 */
class MaintenanceWhileReadingTest {
    private static final Schema PEOPLE = new Schema(List.of(new Field("id", DataType.INTEGER, false), Field.of("name", DataType.TEXT)), List.of("id"));
    private static final TableIdentifier TABLE = TableIdentifier.of("crm", "people");
    private static final String ALL = "select id, name from crm.people order by id";

    @TempDir
    Path dir;

    private static void sync(IcebergSession session, LongStream ids, String version) throws Exception {
        StreamDescriptor d = new StreamDescriptor(StreamId.of("people"), PEOPLE, Set.of(SyncMode.INCREMENTAL), Optional.empty());
        ConfiguredStream s = new ConfiguredStream("crm", d, SyncMode.INCREMENTAL, WriteMode.MERGE, List.of("id"), ErrorPolicy.FAIL, "crm", "people");
        List<Record> records = new ArrayList<>();
        ids.forEach(id -> records.add(new Record(new Object[] {id, "name " + id + " " + version}, "gen")));
        try (StreamWriter w = session.writer(s, RunId.generate())) {
            w.write(new RecordBatch(PEOPLE, records, List.of(), Optional.empty()));
            w.commit(Optional.empty());
        }
    }

    private static List<String> read(Connection duckdb) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = duckdb.createStatement(); ResultSet rs = st.executeQuery(ALL)) {
            while (rs.next()) out.add(rs.getLong(1) + "=" + rs.getString(2));
        }
        return out;
    }

    @Test
    void aViewOfAReplacedSnapshotReadsItsRowsUntilTheRetentionEndsThenFailsLoudly() throws Exception {
        Properties streaming = new Properties();
        streaming.setProperty("jdbc_stream_results", "true"); // results come as the query runs, not all at once
        try (IcebergSession session = new IcebergDestination().open(Config.of(JsonNodeFactory.instance.objectNode()
                .put("warehouse", dir.resolve("lakehouse").toString())));
                Connection duckdb = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("lakehouse.duckdb"), streaming)) {
            for (int i = 0; i < 4; i++) sync(session, LongStream.range(i * 500L, i * 500L + 500), "v1");
            sync(session, LongStream.range(0, 2_000).filter(id -> id % 3 == 0), "v2");
            LakehouseViews views = new LakehouseViews(session.lakehouse().catalog(), line -> {});
            views.refresh(duckdb);
            List<String> expected = read(duckdb);
            assertThat(expected).hasSize(2_000).contains("3=name 3 v2", "4=name 4 v1");

            LakehouseMaintenance maintenance = new LakehouseMaintenance(session, LockHolder.thisProcess("test"));
            assertThat(session.compact("crm.people", LockHolder.thisProcess("test")).summary()).as("the snapshot the view reads is replaced")
                    .contains("rows rewritten");
            // the defaults' kind of retention: the view's snapshot stopped being current a moment ago, so it stays
            LakehouseMaintenance.Expired kept = maintenance.expireSnapshots(TABLE, Duration.ofHours(1), 1);
            assertThat(kept.snapshotsAfter()).isEqualTo(kept.snapshotsBefore());
            maintenance.removeOrphans(TABLE, Duration.ofHours(1), false);
            assertThat(read(duckdb)).as("the view over the replaced snapshot, after maintenance").isEqualTo(expected);

            // a reader streaming its result while every older snapshot is expired and every unreferenced file removed
            try (Statement st = duckdb.createStatement()) {
                List<String> got = new ArrayList<>();
                SQLException failure = null;
                try (ResultSet rs = st.executeQuery(ALL)) {
                    rs.next();
                    got.add(rs.getLong(1) + "=" + rs.getString(2));
                    maintenance.expireSnapshots(TABLE, Duration.ZERO, 1);
                    maintenance.removeOrphans(TABLE, Duration.ZERO, false);
                    while (rs.next()) got.add(rs.getLong(1) + "=" + rs.getString(2));
                } catch (SQLException e) {
                    failure = e;
                }
                if (failure == null) assertThat(got).as("a query that did not fail read every row").isEqualTo(expected);
            }
            assertThatThrownBy(() -> read(duckdb)).as("the view's files are gone: an error, not fewer rows").isInstanceOf(SQLException.class)
                    .hasMessageContaining(dir.resolve("lakehouse").toString()).hasMessageContaining(".parquet");

            views.refresh(duckdb);
            assertThat(read(duckdb)).as("the next refresh reads the current snapshot: the same rows").isEqualTo(expected);
        }
    }
}
