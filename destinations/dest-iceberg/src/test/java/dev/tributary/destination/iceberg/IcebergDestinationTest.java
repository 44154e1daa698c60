package dev.tributary.destination.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataType;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.Field;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the contract does not say: merge correctness against a model, partitioning, tenants, retyping, other readers. */
class IcebergDestinationTest {
    private static final Schema PEOPLE = new Schema(List.of(new Field("id", DataType.INTEGER, false), Field.of("name", DataType.TEXT),
            Field.of("signed_up", DataType.DATE), Field.of("seen_at", DataType.TIMESTAMP_TZ)), List.of("id"));

    @TempDir
    Path dir;

    private IcebergSession open(ObjectNode settings) {
        settings.put("warehouse", dir.resolve("lakehouse").toString());
        return new IcebergDestination().open(Config.of(settings));
    }

    private IcebergSession open() {
        return open(JsonNodeFactory.instance.objectNode());
    }

    private static ConfiguredStream stream(String connection, String name, Schema schema, WriteMode mode) {
        StreamDescriptor d = new StreamDescriptor(StreamId.of(name), schema, Set.of(SyncMode.INCREMENTAL), Optional.empty());
        return new ConfiguredStream(connection, d, SyncMode.INCREMENTAL, mode, mode == WriteMode.MERGE ? schema.primaryKey() : List.of(),
                ErrorPolicy.FAIL, connection, name);
    }

    private static StreamState state(String stream, int position) {
        return new StreamState(StreamId.of(stream), 1, new ObjectMapper().createObjectNode().put("position", position));
    }

    private static Object[] person(long id, String name) {
        return new Object[] {id, name, LocalDate.of(2026, 1, 1).plusDays(id % 40), Instant.parse("2026-02-01T00:00:00Z").plusSeconds(id)};
    }

    /** Random upserts, duplicates within a batch and deletions over many commits, with compactions between: the table is the model. */
    @Test
    void mergeMatchesAModelOverManyCommitsAndCompactions() throws Exception {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putObject("tables").putObject("crm.people").putArray("partition_by").add("bucket(4, id)");
        Random random = new Random(42);
        // the model: each key's committed name and whether it is soft-deleted
        Map<Long, String> names = new TreeMap<>();
        Map<Long, Boolean> isDeleted = new TreeMap<>();
        ConfiguredStream s = stream("crm", "people", PEOPLE, WriteMode.MERGE);
        try (IcebergSession session = open(settings)) {
            for (int commit = 1; commit <= 8; commit++) {
                Map<Long, String> lastName = new HashMap<>();
                Map<Long, Boolean> lastDeleted = new HashMap<>();
                try (StreamWriter w = session.writer(s, RunId.generate())) {
                    for (int batch = 0; batch < 3; batch++) {
                        List<Record> records = new ArrayList<>();
                        for (int i = 0; i < 150; i++) {
                            long id = random.nextInt(400);
                            String name = "v" + commit + "-" + batch + "-" + i;
                            boolean deletion = random.nextInt(8) == 0;
                            records.add(deletion ? new Record(person(id, name), "gen", Instant.parse("2026-03-01T00:00:00Z")) : new Record(person(id, name), "gen"));
                            lastName.put(id, name);
                            lastDeleted.put(id, deletion);
                        }
                        w.write(new RecordBatch(PEOPLE, records, List.of(), Optional.empty()));
                    }
                    w.commit(Optional.of(state("people", commit)));
                }
                for (Map.Entry<Long, String> e : lastName.entrySet()) {
                    long id = e.getKey();
                    // the last staged record of a key wins; a deletion keeps the stored values of a stored key
                    if (!lastDeleted.get(id) || !names.containsKey(id)) names.put(id, e.getValue());
                    isDeleted.put(id, lastDeleted.get(id));
                }
                if (commit % 3 == 0) {
                    new LakehouseMaintenance(session, LockHolder.thisProcess("test")).compact(TableIdentifier.of("crm", "people"));
                }
                Map<Long, String> rows = new TreeMap<>();
                Map<Long, Boolean> rowDeleted = new TreeMap<>();
                for (Map<String, Object> r : Rows.table(session, s)) {
                    long id = ((Number) r.get("id")).longValue();
                    assertThat(rows.put(id, (String) r.get("name"))).as("one row per key, id %d after commit %d", id, commit).isNull();
                    rowDeleted.put(id, r.get("_tributary_deleted_at") != null);
                }
                assertThat(rows).as("names after commit %d", commit).isEqualTo(names);
                assertThat(rowDeleted).as("soft deletes after commit %d", commit).isEqualTo(isDeleted);
            }
            assertThat(session.committedState("crm", StreamId.of("people"))).contains(state("people", 8));
            Table t = session.lakehouse().catalog().loadTable(TableIdentifier.of("crm", "people"));
            assertThat(t.spec().fields()).extracting(f -> f.transform().toString()).containsExactly("bucket[4]");
        }
    }

    @Test
    void partitionSpecsAreBuiltFromTermsAndBadTermsNameTheTable() {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        ObjectNode tables = settings.putObject("tables");
        tables.putObject("crm.people").putArray("partition_by").add("day(seen_at)").add("month(Signed Up)").add("name");
        tables.putObject("crm.bad").putArray("partition_by").add("day(nope)");
        Schema withSpace = new Schema(List.of(new Field("id", DataType.INTEGER, false), Field.of("name", DataType.TEXT),
                Field.of("Signed Up", DataType.DATE), Field.of("seen_at", DataType.TIMESTAMP_TZ)), List.of("id"));
        try (IcebergSession session = open(settings)) {
            ConfiguredStream s = stream("crm", "people", withSpace, WriteMode.APPEND);
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(new RecordBatch(withSpace, List.of(new Record(person(1, "Ada"), "gen"), new Record(person(2, "Grace"), "gen")),
                        List.of(), Optional.empty()));
                w.commit(Optional.of(state("people", 1)));
            }
            Table t = session.lakehouse().catalog().loadTable(TableIdentifier.of("crm", "people"));
            assertThat(t.spec().fields()).extracting(f -> f.name()).containsExactly("seen_at_day", "signed_up_month", "name");
            assertThat(Rows.table(session, s)).hasSize(2);
            ConfiguredStream bad = stream("crm", "bad", PEOPLE, WriteMode.APPEND);
            try (StreamWriter w = session.writer(bad, RunId.generate())) {
                assertThatThrownBy(() -> w.write(new RecordBatch(PEOPLE, List.of(new Record(person(1, "Ada"), "gen")), List.of(), Optional.empty())))
                        .isInstanceOf(ConfigException.class).hasMessageContaining("crm.bad").hasMessageContaining("day(nope)")
                        .hasMessageContaining("nope");
            }
        }
    }

    /**
     * Tenants of a multi-tenant connection land in a namespace each ({@code crm_<hub>}): their own tables, rows, keys
     * and states; removing one drops its namespace and forgets its states, the other's stay whole.
     */
    @Test
    void tenantsHaveTheirOwnNamespacesAndRemovingOneLeavesTheOther() {
        try (IcebergSession session = open()) {
            for (String tenant : List.of("111", "222")) {
                ConfiguredStream s = stream("crm_" + tenant, "people", PEOPLE, WriteMode.MERGE);
                try (StreamWriter w = session.writer(s, RunId.generate())) {
                    w.write(new RecordBatch(PEOPLE, List.of(new Record(person(1, "one of " + tenant), "gen"), new Record(person(2, "two of " + tenant), "gen")),
                            List.of(), Optional.empty()));
                    w.commit(Optional.of(state("people", Integer.parseInt(tenant))));
                }
            }
            ConfiguredStream first = stream("crm_111", "people", PEOPLE, WriteMode.MERGE);
            ConfiguredStream second = stream("crm_222", "people", PEOPLE, WriteMode.OVERWRITE);
            try (StreamWriter w = session.writer(second, RunId.generate())) {
                w.write(new RecordBatch(PEOPLE, List.of(new Record(person(9, "only"), "gen")), List.of(), Optional.empty()));
                w.commit(Optional.of(state("people", 333)));
            }
            assertThat(Rows.table(session, first)).extracting(r -> r.get("id") + ":" + r.get("name")).containsExactlyInAnyOrder("1:one of 111", "2:two of 111");
            assertThat(Rows.table(session, second)).extracting(r -> r.get("id") + ":" + r.get("name")).as("an overwrite replaces its own table only")
                    .containsExactly("9:only");
            assertThat(session.tableId(first)).isEqualTo(TableIdentifier.of("crm_111", "people"));
            assertThat(session.lakehouse().catalog().loadTable(session.tableId(first)).spec().isUnpartitioned()).isTrue();

            assertThat(session.dropNamespace("crm_222", "crm_222")).contains("crm_222").contains("1 table");
            assertThat(session.lakehouse().catalog().tableExists(TableIdentifier.of("crm_222", "people"))).isFalse();
            assertThat(session.committedState("crm_222", StreamId.of("people"))).isEmpty();
            assertThat(session.committedState("crm_111", StreamId.of("people"))).contains(state("people", 111));
            assertThat(Rows.table(session, first)).hasSize(2);
            assertThat(session.allTables()).extracting(t -> t.namespace().toString()).doesNotContain("crm_222");
        }
    }

    /**
     * A process that dies between the rejects commit and the data commit: the resumed run reads the records again and
     * rejects them again (here over two commits instead of one); each rejection is stored once.
     */
    @Test
    void rejectsOfADataCommitThatNeverHappenedAreStoredOnceWhenTheRunResumes() throws Exception {
        ConfiguredStream s = stream("shop", "people", PEOPLE, WriteMode.MERGE);
        Rejection second = new Rejection("a.csv:3", "id: not a number", "x,Grace");
        Rejection third = new Rejection("a.csv:4", "id: not a number", "y,Edsger");
        try (IcebergSession session = open()) {
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(new RecordBatch(PEOPLE, List.of(new Record(person(1, "Ada"), "gen")), List.of(new Rejection("a.csv:2", "name: too long", "1,A...")),
                        Optional.empty()));
                w.commit(Optional.of(state("people", 1)));
            }
            IcebergStreamWriter.beforeCatalogCommit = () -> {
                throw new IllegalStateException("killed before the catalog commit");
            };
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(new RecordBatch(PEOPLE, List.of(new Record(person(2, "Grace"), "gen"), new Record(person(3, "Edsger"), "gen")),
                        List.of(second, third), Optional.empty()));
                assertThatThrownBy(() -> w.commit(Optional.of(state("people", 3)))).hasMessageContaining("killed");
            } finally {
                IcebergStreamWriter.beforeCatalogCommit = () -> {};
            }
            assertThat(rejectOrigins(session)).as("the lost commit's rejections are stored, not yet acknowledged")
                    .containsExactlyInAnyOrder("a.csv:2", "a.csv:3", "a.csv:4");
        }
        try (IcebergSession session = open()) {
            assertThat(session.committedState("shop", StreamId.of("people"))).contains(state("people", 1));
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(new RecordBatch(PEOPLE, List.of(new Record(person(2, "Grace"), "gen")), List.of(second), Optional.empty()));
                w.commit(Optional.of(state("people", 2)));
                w.write(new RecordBatch(PEOPLE, List.of(new Record(person(3, "Edsger"), "gen")), List.of(third), Optional.empty()));
                w.commit(Optional.of(state("people", 3)));
            }
            assertThat(rejectOrigins(session)).as("every rejection once").containsExactlyInAnyOrder("a.csv:2", "a.csv:3", "a.csv:4");
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(new RecordBatch(PEOPLE, List.of(new Record(person(4, "Barbara"), "gen")), List.of(), Optional.empty()));
                w.commit(Optional.of(state("people", 4)));
            }
            assertThat(rejectOrigins(session)).as("acknowledged batches stay").containsExactlyInAnyOrder("a.csv:2", "a.csv:3", "a.csv:4");
            assertThat(Rows.table(session, s)).hasSize(4);
        }
    }

    private static List<String> rejectOrigins(IcebergSession session) throws Exception {
        Table t = session.lakehouse().catalog().loadTable(TableIdentifier.of("shop", RejectsTable.NAME));
        List<String> out = new ArrayList<>();
        try (CloseableIterable<org.apache.iceberg.data.Record> rows = org.apache.iceberg.data.IcebergGenerics.read(t).build()) {
            rows.forEach(r -> out.add((String) r.getField("origin")));
        }
        return out;
    }

    @Test
    void aTypeIcebergCannotWidenRewritesTheTableButAPartitionColumnCannotChange() {
        Schema narrow = new Schema(List.of(new Field("id", DataType.INTEGER, false), Field.of("score", DataType.INTEGER),
                Field.of("day", DataType.DATE)), List.of("id"));
        Schema wide = new Schema(List.of(new Field("id", DataType.INTEGER, false), Field.of("score", DataType.DECIMAL),
                Field.of("day", DataType.TIMESTAMP)), List.of("id"));
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putObject("tables").putObject("crm.parted").putArray("partition_by").add("day");
        try (IcebergSession session = open(settings)) {
            ConfiguredStream s = stream("crm", "scores", narrow, WriteMode.MERGE);
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(new RecordBatch(narrow, List.of(new Record(new Object[] {1L, 7L, LocalDate.of(2026, 5, 1)}, "a")), List.of(), Optional.empty()));
                w.commit(Optional.of(state("scores", 1)));
            }
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(new RecordBatch(narrow, List.of(new Record(new Object[] {2L, 8L, LocalDate.of(2026, 5, 2)}, "b")), List.of(), Optional.empty()));
                w.write(new RecordBatch(wide, List.of(new Record(new Object[] {3L, new java.math.BigDecimal("9.5"), LocalDateTime.of(2026, 5, 3, 10, 0)}, "c")),
                        List.of(), Optional.empty()));
                w.commit(Optional.of(state("scores", 2)));
                assertThat(w.tableSchema().orElseThrow().field("score").orElseThrow().type()).isEqualTo(DataType.DECIMAL);
            }
            Map<Long, String> scores = new HashMap<>();
            for (Map<String, Object> r : Rows.table(session, s)) scores.put(((Number) r.get("id")).longValue(), r.get("score") + "|" + r.get("day"));
            assertThat(scores).containsOnly(Map.entry(1L, "7.000000000|2026-05-01T00:00"), Map.entry(2L, "8.000000000|2026-05-02T00:00"),
                    Map.entry(3L, "9.500000000|2026-05-03T10:00"));
            assertThat(session.committedState("crm", StreamId.of("scores"))).contains(state("scores", 2));

            ConfiguredStream parted = stream("crm", "parted", narrow, WriteMode.APPEND);
            try (StreamWriter w = session.writer(parted, RunId.generate())) {
                w.write(new RecordBatch(narrow, List.of(new Record(new Object[] {1L, 7L, LocalDate.of(2026, 5, 1)}, "a")), List.of(), Optional.empty()));
                w.commit(Optional.of(state("parted", 1)));
            }
            try (StreamWriter w = session.writer(parted, RunId.generate())) {
                assertThatThrownBy(() -> w.write(new RecordBatch(wide, List.of(new Record(new Object[] {2L, null, LocalDateTime.of(2026, 5, 3, 10, 0)}, "c")),
                        List.of(), Optional.empty())))
                        .hasMessageContaining("crm.parted").hasMessageContaining("column day").hasMessageContaining("from date to timestamp")
                        .hasMessageContaining("partitioned on it");
            }
        }
    }

    /** The key files of a pass in progress are part of the table: remove-orphans keeps them, and the pass ends with them. */
    @Test
    void aPassInProgressKeepsItsKeyFilesThroughRemoveOrphans() {
        Schema keyed = new Schema(List.of(new Field("id", DataType.INTEGER, false), Field.of("name", DataType.TEXT)), List.of("id"));
        ConfiguredStream s = stream("crm", "people", keyed, WriteMode.MERGE);
        java.util.function.Function<long[], RecordBatch> people = ids -> {
            List<Record> records = new ArrayList<>();
            for (long id : ids) records.add(new Record(new Object[] {id, "p" + id}, "gen"));
            return new RecordBatch(keyed, records, List.of(), Optional.empty());
        };
        try (IcebergSession session = open()) {
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(people.apply(new long[] {1, 2, 3}));
                w.commit(Optional.of(state("people", 1)));
            }
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(people.apply(new long[] {}).withCompletions(List.of(new dev.tributary.spi.Completion.KeysSeen("p1",
                        List.of(List.of(1L)), false, Instant.parse("2026-04-01T00:00:00Z")))));
                w.commit(Optional.of(state("people", 2)));
            }
            LakehouseMaintenance m = new LakehouseMaintenance(session, LockHolder.thisProcess("test"));
            assertThat(m.removeOrphans(TableIdentifier.of("crm", "people"), java.time.Duration.ZERO, false).files()).isEmpty();
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(people.apply(new long[] {}).withCompletions(List.of(new dev.tributary.spi.Completion.KeysSeen("p1",
                        List.of(List.of(2L)), true, Instant.parse("2026-04-01T00:00:00Z")))));
                w.commit(Optional.of(state("people", 3)));
            }
            assertThat(Rows.table(session, s)).filteredOn(r -> r.get("_tributary_deleted_at") == null)
                    .extracting(r -> ((Number) r.get("id")).longValue()).containsExactlyInAnyOrder(1L, 2L);
        }
    }

    /** Another engine reads what we wrote: DuckDB's read_parquet over the data files of the current snapshot. */
    @Test
    void duckDbReadsTheDataFiles() throws Exception {
        ConfiguredStream s = stream("crm", "people", PEOPLE, WriteMode.APPEND);
        try (IcebergSession session = open()) {
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                List<Record> records = new ArrayList<>();
                for (long id = 1; id <= 1000; id++) records.add(new Record(person(id, "name " + id), "gen"));
                w.write(new RecordBatch(PEOPLE, records, List.of(), Optional.empty()));
                w.commit(Optional.of(state("people", 1)));
            }
            Table t = session.lakehouse().catalog().loadTable(TableIdentifier.of("crm", "people"));
            List<String> files = new ArrayList<>();
            try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
                for (FileScanTask task : tasks) files.add("'" + task.file().location() + "'");
            }
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select count(*), count(distinct id), max(name), min(signed_up), "
                            + "max(_tributary_extracted_at) is not null from read_parquet([" + String.join(",", files) + "])")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1000);
                assertThat(rs.getLong(2)).isEqualTo(1000);
                assertThat(rs.getString(3)).isEqualTo("name 999");
                assertThat(rs.getString(4)).isEqualTo("2026-01-01");
                assertThat(rs.getBoolean(5)).isTrue();
            }
        }
    }
}
