package dev.tributary.destination.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakehouse compact}: after many small syncs and after merges, the same rows (every column, compared with a
 * read before the compaction), fewer files, the states carried forward, and work in proportion to what changed.
 */
class IcebergCompactionTest {
    private static final Schema ROWS = new Schema(List.of(new Field("id", DataType.INTEGER, false), Field.of("name", DataType.TEXT),
            Field.of("amount", DataType.DECIMAL), Field.of("score", DataType.NUMBER), Field.of("active", DataType.BOOLEAN),
            Field.of("signed_up", DataType.DATE), Field.of("local_at", DataType.TIMESTAMP), Field.of("seen_at", DataType.TIMESTAMP_TZ),
            Field.of("doc", DataType.JSON)), List.of("id"));
    private static final TableIdentifier TABLE = TableIdentifier.of("crm", "rows");

    @TempDir
    Path dir;

    private IcebergSession open(ObjectNode settings) {
        settings.put("warehouse", dir.resolve("lakehouse").toString());
        return new IcebergDestination().open(Config.of(settings));
    }

    private static ConfiguredStream stream(WriteMode mode) {
        StreamDescriptor d = new StreamDescriptor(StreamId.of("rows"), ROWS, Set.of(SyncMode.INCREMENTAL), Optional.empty());
        return new ConfiguredStream("crm", d, SyncMode.INCREMENTAL, mode, mode == WriteMode.MERGE ? ROWS.primaryKey() : List.of(),
                ErrorPolicy.FAIL, "crm", "rows");
    }

    private static Object[] row(long id, String version) {
        return new Object[] {id, version.isEmpty() ? null : "name " + id + " " + version + " é", BigDecimal.valueOf(id * 100 + 7, 2),
                id % 5 == 0 ? Double.NaN : id / 3.0, id % 2 == 0, LocalDate.of(1969, 12, 1).plusDays(id), LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(id * 37),
                Instant.parse("1965-02-01T00:00:00Z").plusSeconds(id * 86_411), "{\"id\": " + id + "}"};
    }

    /** One sync: a commit of the given ids (a deletion of each {@code deletions} id), with the stream's state. */
    private static void sync(IcebergSession session, ConfiguredStream s, LongStream ids, String version, int position) throws Exception {
        List<Record> records = new ArrayList<>();
        ids.forEach(id -> records.add(id % 97 == 13 ? new Record(row(id, version), "gen", Instant.parse("2026-03-01T00:00:00Z")) : new Record(row(id, version), "gen")));
        try (StreamWriter w = session.writer(s, RunId.generate())) {
            w.write(new RecordBatch(ROWS, records, List.of(), Optional.empty()));
            w.commit(Optional.of(new StreamState(StreamId.of("rows"), 1, new ObjectMapper().createObjectNode().put("position", position))));
        }
    }

    private static TableRewriter.Compaction compact(IcebergSession session) {
        return new LakehouseMaintenance(session, LockHolder.thisProcess("test")).compact(TABLE);
    }

    private static int dataFiles(IcebergSession session) {
        return Integer.parseInt(table(session).currentSnapshot().summary().get("total-data-files"));
    }

    private static int deleteFiles(IcebergSession session) {
        return Integer.parseInt(table(session).currentSnapshot().summary().get("total-delete-files"));
    }

    private static Table table(IcebergSession session) {
        return session.lakehouse().catalog().loadTable(TABLE);
    }

    /** Every column of every live row, in a canonical order (NaN compares equal to NaN as a string). */
    private static List<String> rows(IcebergSession session) {
        return Rows.table(session, TABLE).stream().map(Map::toString).sorted().toList();
    }

    @Test
    void manySmallSyncsBecomeOneFileWithTheSameRowsAndStates() throws Exception {
        try (IcebergSession session = open(JsonNodeFactory.instance.objectNode())) {
            ConfiguredStream s = stream(WriteMode.APPEND);
            for (int i = 0; i < 25; i++) sync(session, s, LongStream.range(i * 40L, i * 40L + 40), "v1", i + 1);
            List<String> before = rows(session);
            assertThat(before).hasSize(1_000);
            assertThat(dataFiles(session)).isEqualTo(25);

            TableRewriter.Compaction c = compact(session);

            assertThat(c.filesBefore()).isEqualTo(25);
            assertThat(c.filesAfter()).isEqualTo(1);
            assertThat(c.rowsRewritten()).isEqualTo(1_000);
            assertThat(dataFiles(session)).isEqualTo(1);
            assertThat(rows(session)).as("every column of every row as before the compaction").isEqualTo(before);
            assertThat(session.committedState("crm", StreamId.of("rows"))).hasValueSatisfying(st -> assertThat(st.value().get("position").asInt()).isEqualTo(25));
            assertThat(table(session).currentSnapshot().summary()).containsEntry("tributary.operation", "compact");
            assertThat(compact(session).nothing()).as("one file: nothing left to do").isTrue();
        }
    }

    @Test
    void afterMergesOnlyTheChangedPartIsRewrittenAndTheDeletesAreFolded() throws Exception {
        try (IcebergSession session = open(JsonNodeFactory.instance.objectNode())) {
            ConfiguredStream s = stream(WriteMode.MERGE);
            sync(session, s, LongStream.range(0, 20_000), "v1", 1);
            // three merges of 40 changed keys each: a small data file and a position delete file each
            for (int m = 0; m < 3; m++) {
                int offset = m;
                sync(session, s, LongStream.range(0, 40).map(i -> i * 487 + 11 + offset), "v" + (m + 2), m + 2);
            }
            assertThat(dataFiles(session)).isEqualTo(4);
            assertThat(deleteFiles(session)).isEqualTo(3);
            List<String> before = rows(session);
            assertThat(before).hasSize(20_000);

            TableRewriter.Compaction c = compact(session);

            // the big file (0.6% of its rows deleted) stays; the three small ones become one; three delete files become one
            assertThat(c.rowsRewritten()).as("the merged rows, not the table: %s", c).isEqualTo(120);
            assertThat(c.filesBefore()).isEqualTo(3);
            assertThat(c.filesAfter()).isEqualTo(1);
            assertThat(c.deleteFilesBefore()).isEqualTo(3);
            assertThat(c.deleteFilesAfter()).isEqualTo(1);
            assertThat(dataFiles(session)).isEqualTo(2);
            assertThat(deleteFiles(session)).isEqualTo(1);
            assertThat(rows(session)).as("every column of every row as before the compaction").isEqualTo(before);

            // a merge that changes 40% of the big file: now the file is rewritten without its deleted rows
            sync(session, s, LongStream.range(0, 8_000).map(i -> i * 2 + 1), "v9", 9);
            List<String> beforeBig = rows(session);
            TableRewriter.Compaction big = compact(session);
            assertThat(big.rowsRewritten()).as("%s", big).isGreaterThan(10_000);
            // what deletes are left (the merge's own soft deletes re-staged in its new file) are a small share of their files
            List<org.apache.iceberg.FileScanTask> tasks = new ArrayList<>();
            table(session).newScan().planFiles().forEach(tasks::add);
            Map<String, java.util.BitSet> deleted = TableRewriter.deletedPositions(table(session), tasks);
            for (var t : tasks) {
                java.util.BitSet d = deleted.get(t.file().location());
                assertThat(d == null ? 0 : d.cardinality()).as("deleted rows of %s", t.file().location()).isLessThan((int) (t.file().recordCount() * 0.3));
            }
            assertThat(deleteFiles(session)).isLessThanOrEqualTo(1);
            assertThat(rows(session)).as("every column of every row as before the compaction").isEqualTo(beforeBig);
            assertThat(session.committedState("crm", StreamId.of("rows"))).hasValueSatisfying(st -> assertThat(st.value().get("position").asInt()).isEqualTo(9));
        }
    }

    @Test
    void partitionedTablesCompactPerPartition() throws Exception {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putObject("tables").putObject("crm.rows").putArray("partition_by").add("bucket(3, id)");
        try (IcebergSession session = open(settings)) {
            ConfiguredStream s = stream(WriteMode.MERGE);
            for (int i = 0; i < 6; i++) sync(session, s, LongStream.range(i * 50L, i * 50L + 50), "v1", i + 1);
            sync(session, s, LongStream.range(0, 300).filter(id -> id % 4 == 0), "v2", 7);
            List<String> before = rows(session);
            TableRewriter.Compaction c = compact(session);
            assertThat(c.filesAfter()).as("%s", c).isLessThan(c.filesBefore());
            assertThat(rows(session)).isEqualTo(before);
            for (var f : table(session).newScan().planFiles()) assertThat(f.deletes()).isEmpty();
        }
    }

    /**
     * expire-snapshots counts a snapshot's age from when it stopped being current: a reader that planned it just before
     * a newer commit keeps its files however old the snapshot is (Iceberg's own rule, the snapshot's creation time, would
     * expire it at once).
     */
    @Test
    void expiryCountsASnapshotsAgeFromWhenItWasReplaced() throws Exception {
        try (IcebergSession session = open(JsonNodeFactory.instance.objectNode())) {
            ConfiguredStream s = stream(WriteMode.APPEND);
            List<Long> ids = new ArrayList<>();
            long last = 0;
            for (int i = 0; i < 3; i++) {
                while (System.currentTimeMillis() <= last) Thread.onSpinWait(); // snapshots a millisecond apart at least
                sync(session, s, LongStream.range(i * 10L, i * 10L + 10), "v1", i + 1);
                ids.add(table(session).currentSnapshot().snapshotId());
                last = table(session).currentSnapshot().timestampMillis();
            }
            Table t = table(session);
            long secondMade = t.snapshot(ids.get(1)).timestampMillis();
            long thirdMade = t.snapshot(ids.get(2)).timestampMillis();
            // a cutoff after the second snapshot was made but before the third replaced it: only the first is expired
            assertThat(LakehouseMaintenance.expirable(t, thirdMade, 1)).containsExactly(ids.get(0));
            assertThat(LakehouseMaintenance.expirable(t, secondMade, 1)).as("the first was replaced when the second was made, not before").isEmpty();
            assertThat(LakehouseMaintenance.expirable(t, thirdMade + 1, 1)).containsExactlyInAnyOrder(ids.get(0), ids.get(1));
            assertThat(LakehouseMaintenance.expirable(t, thirdMade + 1, 2)).as("retain the last two").containsExactly(ids.get(0));

            LakehouseMaintenance m = new LakehouseMaintenance(session, LockHolder.thisProcess("test"));
            assertThat(m.expireSnapshots(TABLE, java.time.Duration.ofHours(1), 1).snapshotsAfter()).as("all replaced within the hour").isEqualTo(3);
            assertThat(m.expireSnapshots(TABLE, java.time.Duration.ZERO, 1).snapshotsAfter()).isEqualTo(1);
            assertThat(Rows.table(session, TABLE)).hasSize(30);
        }
    }
}
