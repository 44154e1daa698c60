package dev.tributary.destination.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Destination;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.Field;
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
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbDestinationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final DuckDbDestination destination = new DuckDbDestination();

    @Test
    void isFoundThroughServiceLoaderAsDuckdb() {
        assertThat(ServiceLoader.load(Destination.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(d -> {
                    assertThat(d).isInstanceOf(DuckDbDestination.class);
                    assertThat(d.spec().type()).isEqualTo("duckdb");
                });
    }

    @Test
    void readsPathThroughConfigSoTyposAreReported() {
        Config config = Config.of(JsonNodeFactory.instance.objectNode().put("path", file()).put("paht", "x"));
        try (DuckDbSession session = destination.open(config)) {
            assertThat(session.describe()).contains(file());
        }
        assertThat(config.unknownKeys()).singleElement().extracting(ConfigException::path).isEqualTo("paht");
    }

    @Test
    void memoryLimitAndThreadsAreSetAndCheckedWithASaneDefault() throws Exception {
        try (DuckDbSession session = open(); java.sql.Connection c = session.newConnection(); java.sql.Statement s = c.createStatement()) {
            // DuckDB's own default is 80% of the machine's RAM: a server with hundreds of tenants grew to gigabytes
            assertThat(setting(s, "memory_limit")).isEqualTo("953.6 MiB");
        }
        Config config = Config.of(JsonNodeFactory.instance.objectNode().put("path", file()).put("memory_limit", "256MB").put("threads", 2));
        try (DuckDbSession session = destination.open(config); java.sql.Connection c = session.newConnection(); java.sql.Statement s = c.createStatement()) {
            assertThat(setting(s, "memory_limit")).isEqualTo("244.1 MiB");
            assertThat(setting(s, "threads")).isEqualTo("2");
        }
        assertThat(config.unknownKeys()).isEmpty();
        for (String bad : List.of("lots", "0GB", "12", "-1GB")) {
            assertThatThrownBy(() -> destination.open(Config.of(JsonNodeFactory.instance.objectNode().put("path", file()).put("memory_limit", bad))))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("memory_limit").hasMessageContaining(bad);
        }
        for (int bad : new int[] {0, 2000}) {
            assertThatThrownBy(() -> destination.open(Config.of(JsonNodeFactory.instance.objectNode().put("path", file()).put("threads", bad))))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("threads");
        }
    }

    private static String setting(java.sql.Statement s, String name) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = s.executeQuery("SELECT current_setting('" + name + "')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void normalisesIdentifiersAndKeepsTheSourceNames() {
        String longName = "A very long property name ".repeat(12);
        Schema schema = Schema.of(List.of(Field.of("select", DataType.TEXT), Field.of("Company Name", DataType.TEXT),
                Field.of("company_name", DataType.TEXT), Field.of("e-mail", DataType.TEXT), Field.of("名前", DataType.TEXT),
                Field.of(longName, DataType.INTEGER)));
        ConfiguredStream s = stream("Weird Names!", WriteMode.APPEND, schema);
        try (DuckDbSession session = open()) {
            commit(session, s, schema, new Object[] {"s", "Acme", "acme", "a@b.c", "Ada", 1L});
            List<String> expected = List.of("select", "company_name", "company_name_2", "e_mail", "名前");
            assertThat(columnNames(session, s)).startsWith(expected.toArray(String[]::new)).hasSize(6 + 3);
            String longColumn = columnNames(session, s).get(5);
            assertThat(longColumn).hasSizeLessThanOrEqualTo(Identifiers.MAX_LENGTH).startsWith("a_very_long_property_name_a_very").matches(".*[^_]_[0-9a-f]{8}");
            assertThat(session.tableName(s)).isEqualTo(new TableName("warehouse", "contract", "weird_names"));

            // The next run lists its fields in another order; each still lands in the column it had.
            Schema reordered = Schema.of(List.of(Field.of("company_name", DataType.TEXT), Field.of("Company Name", DataType.TEXT)));
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                assertThat(w.tableSchema().orElseThrow().fieldNames()).containsExactly("select", "Company Name", "company_name", "e-mail", "名前", longName);
                w.write(new RecordBatch(reordered, List.of(new Record(new Object[] {"second lower", "Second Upper"}, "t:1")), null));
                w.commit(Optional.empty());
            }
            assertThat(columnNames(session, s)).hasSize(6 + 3);
            List<Map<String, Object>> rows = Rows.query(session, "SELECT \"select\", company_name, company_name_2, \"e_mail\", \"名前\", \""
                    + longColumn + "\" AS long FROM " + session.tableName(s).quoted() + " ORDER BY company_name");
            assertThat(rows).containsExactly(
                    row("select", "s", "company_name", "Acme", "company_name_2", "acme", "e_mail", "a@b.c", "名前", "Ada", "long", 1L),
                    row("select", null, "company_name", "Second Upper", "company_name_2", "second lower", "e_mail", null, "名前", null, "long", null));
        }
        try (DuckDbSession reopened = open(); StreamWriter w = reopened.writer(s, RunId.generate())) {
            assertThat(w.tableSchema().orElseThrow().fields()).extracting(Field::name, Field::type).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("select", DataType.TEXT), org.assertj.core.groups.Tuple.tuple("Company Name", DataType.TEXT),
                    org.assertj.core.groups.Tuple.tuple("company_name", DataType.TEXT), org.assertj.core.groups.Tuple.tuple("e-mail", DataType.TEXT),
                    org.assertj.core.groups.Tuple.tuple("名前", DataType.TEXT), org.assertj.core.groups.Tuple.tuple(longName, DataType.INTEGER));
        }
    }

    @Test
    void everyDataTypeRoundTrips() {
        Schema schema = Schema.of(List.of(Field.of("b", DataType.BOOLEAN), Field.of("i", DataType.INTEGER), Field.of("d", DataType.DECIMAL),
                Field.of("n", DataType.NUMBER), Field.of("on_day", DataType.DATE), Field.of("ts", DataType.TIMESTAMP),
                Field.of("tz", DataType.TIMESTAMP_TZ), Field.of("t", DataType.TEXT), Field.of("j", DataType.JSON)));
        ConfiguredStream s = stream("types", WriteMode.APPEND, schema);
        LocalDateTime ts = LocalDateTime.of(1999, 12, 31, 23, 59, 58, 123_456_000);
        Instant tz = Instant.parse("1969-07-20T20:17:40.654321Z");
        try (DuckDbSession session = open()) {
            commit(session, s, schema,
                    new Object[] {true, Long.MAX_VALUE, new BigDecimal("12345678901234567890123456789.123456789"), 1.5e300,
                            LocalDate.of(2024, 2, 29), ts, tz, "Zoë 名前 \"q\" 'a'\n", List.of(1, "two")},
                    new Object[] {false, Long.MIN_VALUE, new BigDecimal("-0.000000001"), 0.25, LocalDate.of(1, 1, 1), ts, Instant.EPOCH, "", Map.of()},
                    new Object[9]);
            assertThat(Rows.query(session, "SELECT string_agg(data_type, ' ' ORDER BY column_index) AS types FROM duckdb_columns() "
                    + "WHERE table_name = 'types' AND NOT starts_with(column_name, '_tributary')"))
                    .containsExactly(row("types", "BOOLEAN BIGINT DECIMAL(38,9) DOUBLE DATE TIMESTAMP TIMESTAMP WITH TIME ZONE VARCHAR JSON"));
            List<Map<String, Object>> rows = Rows.query(session, "SELECT b, i, d, n, on_day, ts::VARCHAR AS ts, epoch_us(tz) AS tz, t, j FROM "
                    + session.tableName(s).quoted() + " ORDER BY i NULLS LAST");
            assertThat(rows.get(0)).containsEntry("b", false).containsEntry("i", Long.MIN_VALUE).containsEntry("n", 0.25)
                    .containsEntry("on_day", LocalDate.of(1, 1, 1)).containsEntry("tz", 0L).containsEntry("t", "").containsEntry("j", "{}");
            assertThat((BigDecimal) rows.get(0).get("d")).isEqualByComparingTo("-0.000000001");
            Map<String, Object> first = rows.get(1);
            assertThat(first).containsEntry("b", true).containsEntry("i", Long.MAX_VALUE).containsEntry("n", 1.5e300)
                    .containsEntry("on_day", LocalDate.of(2024, 2, 29)).containsEntry("ts", "1999-12-31 23:59:58.123456")
                    .containsEntry("tz", BatchAppender.epochMicros(tz)).containsEntry("t", "Zoë 名前 \"q\" 'a'\n").containsEntry("j", "[1,\"two\"]");
            assertThat((BigDecimal) first.get("d")).isEqualByComparingTo("12345678901234567890123456789.123456789");
            assertThat(rows.get(2).values()).containsOnlyNulls();
        }
    }

    @Test
    void nestedJsonIsStoredAsJson() {
        Schema schema = new Schema(List.of(Field.of("id", DataType.INTEGER), Field.of("doc", DataType.JSON)), List.of("id"));
        ConfiguredStream s = stream("docs", WriteMode.MERGE, schema);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tags", List.of("a", "b"));
        doc.put("owner", Map.of("名前", "Ada", "age", 36));
        doc.put("none", null);
        try (DuckDbSession session = open()) {
            commit(session, s, schema, new Object[] {1L, doc}, new Object[] {2L, "just text"}, new Object[] {3L, 42L},
                    new Object[] {4L, JSON.createObjectNode().put("node", true)});
            List<Map<String, Object>> rows = Rows.query(session, "SELECT id, doc, json_valid(doc::VARCHAR) AS valid, doc->>'$.owner.名前' AS name, "
                    + "json_array_length(doc, '$.tags')::BIGINT AS tags FROM " + session.tableName(s).quoted() + " ORDER BY id");
            assertThat(rows).extracting(r -> r.get("valid")).containsOnly(true);
            assertThat(rows.get(0)).containsEntry("name", "Ada").containsEntry("tags", 2L);
            assertThat(rows.get(0).get("doc").toString()).startsWith("{\"tags\":[\"a\",\"b\"]").contains("\"none\":null");
            assertThat(rows.get(1)).containsEntry("doc", "\"just text\"");
            assertThat(rows.get(2)).containsEntry("doc", "42");
            assertThat(rows.get(3)).containsEntry("doc", "{\"node\":true}");
        }
    }

    @Test
    void typesWidenAlongTheirChains() {
        Schema narrow = Schema.of(List.of(Field.of("amount", DataType.INTEGER), Field.of("seen", DataType.DATE), Field.of("doc", DataType.JSON)));
        Schema wider = Schema.of(List.of(Field.of("amount", DataType.DECIMAL), Field.of("seen", DataType.TIMESTAMP), Field.of("doc", DataType.JSON)));
        Schema widest = Schema.of(List.of(Field.of("amount", DataType.NUMBER), Field.of("seen", DataType.TIMESTAMP_TZ), Field.of("doc", DataType.TEXT)));
        ConfiguredStream s = stream("widening", WriteMode.APPEND, narrow);
        try (DuckDbSession session = open()) {
            commit(session, s, narrow, new Object[] {1L, LocalDate.of(2024, 1, 2), List.of(1)});
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                // Two widenings staged by one writer before a single commit.
                w.write(batch(wider, new Object[] {new BigDecimal("2.5"), LocalDateTime.of(2024, 1, 2, 3, 4), Map.of("a", 1)}));
                assertThat(w.tableSchema().orElseThrow().field("amount").map(Field::type)).contains(DataType.DECIMAL);
                w.write(batch(widest, new Object[] {3.25, Instant.parse("2024-01-02T03:04:05Z"), "plain"}));
                w.commit(Optional.empty());
            }
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                assertThat(w.tableSchema().orElseThrow().fields()).extracting(Field::type)
                        .containsExactly(DataType.NUMBER, DataType.TIMESTAMP_TZ, DataType.TEXT);
                // A narrower batch after widening is stored in the wide columns.
                w.write(batch(narrow, new Object[] {4L, LocalDate.of(2024, 1, 3), List.of(2)}));
                w.commit(Optional.empty());
            }
            List<Map<String, Object>> rows = Rows.query(session, "SELECT amount, epoch(seen)::BIGINT AS seen, doc FROM "
                    + session.tableName(s).quoted() + " ORDER BY amount");
            assertThat(rows).extracting(r -> r.get("amount")).containsExactly(1.0, 2.5, 3.25, 4.0);
            assertThat(rows).extracting(r -> r.get("seen")).containsExactly(1704153600L, 1704164640L, 1704164645L, 1704240000L);
            assertThat(rows).extracting(r -> r.get("doc")).containsExactly("[1]", "{\"a\":1}", "plain", "[2]");
        }
    }

    @Test
    void appendKeepsDeletedRecordsMarked() {
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER)));
        ConfiguredStream s = stream("events", WriteMode.APPEND, schema);
        Instant deletedAt = Instant.parse("2026-01-02T03:04:05Z");
        try (DuckDbSession session = open()) {
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(new RecordBatch(schema, List.of(new Record(new Object[] {1L}, "t:1"), new Record(new Object[] {1L}, "t:2", deletedAt)), null));
                w.commit(Optional.empty());
            }
            List<Map<String, Object>> rows = Rows.query(session, "SELECT id, _tributary_deleted_at AS deleted FROM "
                    + session.tableName(s).quoted() + " ORDER BY deleted NULLS FIRST");
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0).get("deleted")).isNull();
            assertThat(((OffsetDateTime) rows.get(1).get("deleted")).toInstant()).isEqualTo(deletedAt);
        }
    }

    @Test
    void mergeDeletionKeepsTheStoredValuesAndInsertsUnknownKeys() {
        Schema schema = new Schema(List.of(Field.of("id", DataType.INTEGER), Field.of("name", DataType.TEXT)), List.of("id"));
        ConfiguredStream s = stream("contacts", WriteMode.MERGE, schema);
        Instant deletedAt = Instant.parse("2026-01-02T03:04:05Z");
        try (DuckDbSession session = open()) {
            commit(session, s, schema, new Object[] {1L, "Ada"}, new Object[] {2L, "Grace"});
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(new RecordBatch(schema, List.of(new Record(new Object[] {1L, null}, "t:1", deletedAt),
                        new Record(new Object[] {3L, null}, "t:2", deletedAt)), null));
                w.commit(Optional.empty());
            }
            assertThat(Rows.query(session, "SELECT id, name, _tributary_deleted_at IS NOT NULL AS deleted FROM " + session.tableName(s).quoted() + " ORDER BY id"))
                    .containsExactly(row("id", 1L, "name", "Ada", "deleted", true), row("id", 2L, "name", "Grace", "deleted", false),
                            row("id", 3L, "name", null, "deleted", true));
            commit(session, s, schema, new Object[] {1L, "Ada again"});
            assertThat(Rows.query(session, "SELECT name, _tributary_deleted_at AS deleted FROM " + session.tableName(s).quoted() + " WHERE id = 1"))
                    .containsExactly(row("name", "Ada again", "deleted", null));
        }
    }

    @Test
    void overwriteWithSeveralCommitsKeepsEverythingStagedSinceTheWriterOpened() {
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER)));
        ConfiguredStream s = stream("snapshot", WriteMode.OVERWRITE, schema);
        try (DuckDbSession session = open()) {
            commit(session, s, schema, new Object[] {1L}, new Object[] {2L});
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(batch(schema, new Object[] {3L}));
                w.commit(Optional.empty());
                w.write(batch(schema, new Object[] {4L}));
                w.commit(Optional.empty());
            }
            assertThat(Rows.table(session, session.tableName(s))).extracting(r -> r.get("id")).containsExactlyInAnyOrder(3L, 4L);
        }
    }

    @Test
    void overwriteWithAPrimaryKeyKeepsTheLastRowOfEachKey() {
        Schema schema = new Schema(List.of(Field.of("id", DataType.INTEGER), Field.of("name", DataType.TEXT)), List.of("id"));
        StreamDescriptor d = new StreamDescriptor(StreamId.of("people"), schema, Set.of(SyncMode.FULL_REFRESH), Optional.empty());
        ConfiguredStream s = new ConfiguredStream("c", d, SyncMode.FULL_REFRESH, WriteMode.OVERWRITE, List.of("id"), ErrorPolicy.FAIL, "c", "people");
        try (DuckDbSession session = open()) {
            commit(session, s, schema, new Object[] {1L, "old"}, new Object[] {9L, "gone"});
            commit(session, s, schema, new Object[] {1L, "first"}, new Object[] {2L, "b"}, new Object[] {1L, "last"});
            assertThat(Rows.table(session, session.tableName(s))).extracting(r -> r.get("id") + "=" + r.get("name"))
                    .containsExactlyInAnyOrder("1=last", "2=b");
        }
    }

    @Test
    void aBatchThatFailsHalfWayLeavesEarlierBatchesStaged() {
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER), Field.of("amount", DataType.DECIMAL)));
        ConfiguredStream s = stream("amounts", WriteMode.APPEND, schema);
        try (DuckDbSession session = open(); StreamWriter w = session.writer(s, RunId.generate())) {
            w.write(batch(schema, new Object[] {1L, new BigDecimal("1.5")}));
            RecordBatch bad = new RecordBatch(schema, List.of(new Record(new Object[] {2L, BigDecimal.ONE}, "f.csv:2"),
                    new Record(new Object[] {3L, new BigDecimal("1e40")}, "f.csv:3")), null);
            assertThatThrownBy(() -> w.write(bad)).isInstanceOf(DataException.class)
                    .hasMessageContaining("f.csv:3").hasMessageContaining("amount");
            w.commit(Optional.empty());
            assertThat(Rows.table(session, session.tableName(s))).extracting(r -> r.get("id")).containsExactly(1L);
        }
    }

    @Test
    void writersOfTwoStreamsCommitConcurrently() throws Exception {
        Schema schema = new Schema(List.of(Field.of("id", DataType.INTEGER), Field.of("payload", DataType.TEXT)), List.of("id"));
        List<ConfiguredStream> streams = List.of(stream("left", WriteMode.MERGE, schema), stream("right", WriteMode.APPEND, schema));
        int batches = 20;
        int perBatch = 500;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (DuckDbSession session = open()) {
            List<Future<?>> done = new ArrayList<>();
            for (ConfiguredStream s : streams) {
                done.add(pool.submit(() -> {
                    try (StreamWriter w = session.writer(s, RunId.generate())) {
                        for (int b = 0; b < batches; b++) {
                            List<Record> records = new ArrayList<>();
                            for (int i = 0; i < perBatch; i++) records.add(new Record(new Object[] {(long) b * perBatch + i, s.target() + i}, "t"));
                            StreamState checkpoint = new StreamState(s.id(), 1, JSON.createObjectNode().put("batch", b));
                            w.write(new RecordBatch(schema, records, checkpoint));
                            w.commit(Optional.of(checkpoint));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
            for (ConfiguredStream s : streams) {
                assertThat(Rows.query(session, "SELECT count(DISTINCT id) AS n, count(*) AS total FROM " + session.tableName(s).quoted()))
                        .containsExactly(row("n", (long) batches * perBatch, "total", (long) batches * perBatch));
                assertThat(session.committedState(s.connection(), s.id()).orElseThrow().value().get("batch").asInt()).isEqualTo(batches - 1);
            }
            assertThat(session.states()).hasSize(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void inMemorySessionsWorkAndAreSeparate() {
        Config memory = Config.of(JsonNodeFactory.instance.objectNode().put("path", ":memory:"));
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER)));
        ConfiguredStream s = stream("things", WriteMode.APPEND, schema);
        try (DuckDbSession one = destination.open(memory); DuckDbSession two = destination.open(memory)) {
            assertThat(one.describe()).contains("in-memory");
            commit(one, s, schema, new Object[] {1L});
            assertThat(Rows.table(one, one.tableName(s))).hasSize(1);
            assertThat(one.committedState("c", s.id())).isPresent();
            assertThat(Rows.table(two, two.tableName(s))).isEmpty();
            assertThat(two.committedState("c", s.id())).isEmpty();
        }
    }

    @Test
    void stagedRowsAreInvisibleToOthersAndGoneWithTheWriter() {
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER)));
        ConfiguredStream s = stream("private", WriteMode.APPEND, schema);
        String tables = "SELECT table_name FROM duckdb_tables() ORDER BY table_name";
        try (DuckDbSession session = open()) {
            StreamWriter w = session.writer(s, RunId.generate());
            w.write(batch(schema, new Object[] {1L}));
            assertThat(Rows.query(session, tables)).extracting(r -> r.get("table_name")).containsExactly("_tributary_columns", "_tributary_state");
            // The session closes with the writer still open, as when a run is killed.
        }
        try (DuckDbSession reopened = open()) {
            assertThat(Rows.query(reopened, tables)).extracting(r -> r.get("table_name")).containsExactly("_tributary_columns", "_tributary_state");
        }
    }

    @Test
    void aSecondSessionOnTheSameFileSharesTheDatabase() {
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER)));
        ConfiguredStream s = stream("shared", WriteMode.APPEND, schema);
        try (DuckDbSession first = open(); StreamWriter w = first.writer(s, RunId.generate())) {
            w.write(batch(schema, new Object[] {1L}));
            try (DuckDbSession second = open()) {
                assertThat(second.states()).isEmpty();
                w.commit(Optional.of(new StreamState(s.id(), 1, JSON.createObjectNode())));
                assertThat(second.committedState("c", s.id())).isPresent();
                assertThat(Rows.table(second, second.tableName(s))).hasSize(1);
            }
            assertThat(Rows.table(first, first.tableName(s))).hasSize(1);
        }
    }

    @Test
    void namespacesNamedLikeACatalogAreNotMistakenForOne() {
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER)));
        try (DuckDbSession session = open()) {
            for (String namespace : List.of("warehouse", "temp", "main", "memory", "system")) {
                ConfiguredStream s = stream("people", WriteMode.APPEND, schema).withTarget(namespace, "people");
                commit(session, s, schema, new Object[] {1L});
                assertThat(Rows.table(session, session.tableName(s))).as(namespace).hasSize(1);
            }
        }
    }

    @Test
    void aCommitWithoutBatchesCreatesTheTableFromTheCatalog() {
        Schema schema = Schema.of(List.of(Field.of("Id", DataType.INTEGER), Field.of("Name", DataType.TEXT)));
        ConfiguredStream s = stream("empty", WriteMode.APPEND, schema);
        try (DuckDbSession session = open()) {
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                assertThat(w.tableSchema()).isEmpty();
                w.commit(Optional.empty());
            }
            assertThat(columnNames(session, s)).containsExactly("id", "name", "_tributary_extracted_at", "_tributary_run_id", "_tributary_deleted_at");
        }
    }

    @Test
    void rejectionsAreStoredPerStreamWithTheRun() {
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER)));
        ConfiguredStream s = stream("leads", WriteMode.APPEND, schema).withOnError(ErrorPolicy.REJECT);
        RunId run = RunId.generate();
        try (DuckDbSession session = open()) {
            try (StreamWriter w = session.writer(s, run)) {
                w.write(new RecordBatch(schema, List.of(), List.of(new dev.tributary.spi.Rejection("f.csv:9", "bad", "x,y")), Optional.empty()));
                w.abort();
                w.write(new RecordBatch(schema, List.of(), List.of(new dev.tributary.spi.Rejection("f.csv:3", "id: 'x' is not a whole number", "x")), Optional.empty()));
                w.commit(Optional.empty());
            }
            assertThat(Rows.query(session, "SELECT connection, stream, run_id, origin, raw FROM " + RejectsTable.of(session.tableName(s)).quoted()))
                    .containsExactly(row("connection", "c", "stream", "leads", "run_id", run.value(), "origin", "f.csv:3", "raw", "x"));
        }
    }

    /**
     * A first batch of a wide file creates staging and target with all their columns at once. DuckDB numbers every
     * catalog entry it creates from one counter, so the numbers two probe tables get before and after the commit
     * show how many catalog changes it made: one ALTER TABLE per column would take thousands.
     */
    @Test
    void aWideFirstBatchCreatesItsTablesWithAllColumnsAtOnce() {
        int width = 2_500;
        List<Field> fields = new ArrayList<>();
        Object[] values = new Object[width];
        for (int i = 0; i < width; i++) {
            fields.add(Field.of("Column " + i, DataType.TEXT));
            values[i] = "v" + i;
        }
        Schema schema = Schema.of(fields);
        ConfiguredStream s = stream("wide", WriteMode.APPEND, schema);
        try (DuckDbSession session = open()) {
            long before = probeOid(session, "probe_before");
            commit(session, s, schema, values);
            long after = probeOid(session, "probe_after");
            assertThat(after - before).as("catalog entries created by the first commit of %d columns", width).isLessThan(200);
            List<String> columns = columnNames(session, s);
            assertThat(columns).hasSize(width + 3).startsWith("column_0", "column_1").contains("column_2499");
            Map<String, Object> stored = Rows.table(session, session.tableName(s)).getFirst();
            assertThat(stored).containsEntry("column_0", "v0").containsEntry("column_2499", "v2499");
        }
        try (DuckDbSession reopened = open(); StreamWriter w = reopened.writer(s, RunId.generate())) {
            assertThat(w.tableSchema()).get().extracting(sc -> sc.fields().size()).isEqualTo(width);
            assertThat(w.tableSchema().get().fields().get(width - 1).name()).isEqualTo("Column 2499");
        }
    }

    private static long probeOid(DuckDbSession session, String name) {
        Rows.execute(session, "CREATE TABLE main." + name + " (x INTEGER)");
        return ((Number) Rows.query(session, "SELECT table_oid FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = '" + name + "'")
                .getFirst().get("table_oid")).longValue();
    }

    private DuckDbSession open() {
        return destination.open(Config.of(JsonNodeFactory.instance.objectNode().put("path", file())));
    }

    private String file() {
        return dir.resolve("warehouse.duckdb").toString();
    }

    private static ConfiguredStream stream(String target, WriteMode mode, Schema schema) {
        StreamDescriptor d = new StreamDescriptor(StreamId.of(target.toLowerCase(java.util.Locale.ROOT).replace(' ', '_').replace("!", "")), schema,
                Set.of(SyncMode.FULL_REFRESH), Optional.empty());
        return new ConfiguredStream("c", d, SyncMode.FULL_REFRESH, mode, mode == WriteMode.MERGE ? schema.primaryKey() : List.of(),
                ErrorPolicy.FAIL, "contract", target);
    }

    private static RecordBatch batch(Schema schema, Object[]... rows) {
        List<Record> records = new ArrayList<>();
        for (Object[] r : rows) records.add(new Record(r, "t:" + records.size()));
        return new RecordBatch(schema, records, null);
    }

    private static void commit(DestinationSession session, ConfiguredStream s, Schema schema, Object[]... rows) {
        try (StreamWriter w = session.writer(s, RunId.generate())) {
            w.write(batch(schema, rows));
            w.commit(Optional.of(new StreamState(s.id(), 1, JSON.createObjectNode().put("rows", rows.length))));
        }
    }

    private static List<String> columnNames(DestinationSession session, ConfiguredStream s) {
        TableName t = ((DuckDbSession) session).tableName(s);
        return Rows.query(session, "SELECT column_name FROM duckdb_columns() WHERE schema_name = '" + t.schema() + "' AND table_name = '"
                + t.table() + "' ORDER BY column_index").stream().map(r -> (String) r.get("column_name")).toList();
    }

    private static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return row;
    }
}
