package dev.tributary.destination.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.Field;
import dev.tributary.spi.JsonText;
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
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End to end on the real server: names, types, write modes, concurrency, staging, rejects. */
class PostgresDestinationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PostgresDestination destination = new PostgresDestination();
    private TestWarehouse warehouse;

    @BeforeEach
    void createWarehouse() {
        warehouse = TestWarehouse.create();
    }

    @AfterEach
    void dropWarehouse() {
        if (warehouse != null) warehouse.close();
    }

    @Test
    void normalisesIdentifiersAndKeepsTheSourceNames() {
        String longName = "A very long property name ".repeat(12);
        String longSibling = longName + "(second)";
        String nearLimit = "名前".repeat(10) + "ü"; // 62 bytes: fits
        String overLimit = "名前".repeat(10) + "üü"; // 64 bytes: cut and hashed
        Schema schema = Schema.of(List.of(Field.of("select", DataType.TEXT), Field.of("Company Name", DataType.TEXT),
                Field.of("company_name", DataType.TEXT), Field.of("e-mail", DataType.TEXT), Field.of("名前", DataType.TEXT),
                Field.of(longName, DataType.INTEGER), Field.of(longSibling, DataType.INTEGER), Field.of(nearLimit, DataType.TEXT),
                Field.of(overLimit, DataType.TEXT)));
        ConfiguredStream s = stream("Weird Names!", WriteMode.APPEND, schema);
        try (PostgresSession session = open()) {
            commit(session, s, schema, new Object[] {"s", "Acme", "acme", "a@b.c", "Ada", 1L, 2L, "near", "over"});
            List<String> columns = columnNames(session, s);
            assertThat(columns).hasSize(9 + 3).startsWith("select", "company_name", "company_name_2", "e_mail", "名前");
            assertThat(columns).doesNotHaveDuplicates().allSatisfy(c -> assertThat(Identifiers.bytes(c)).isLessThanOrEqualTo(63));
            assertThat(columns.get(5)).startsWith("a_very_long_property_name_a_very").matches(".*[^_]_[0-9a-f]{8}");
            assertThat(columns.get(6)).as("a long name sharing the first one's start").isNotEqualTo(columns.get(5)).matches(".*_[0-9a-f]{8}");
            assertThat(columns.get(7)).isEqualTo(nearLimit);
            assertThat(columns.get(8)).startsWith("名前".repeat(8)).matches(".*_[0-9a-f]{8}");
            assertThat(session.tableName(s)).isEqualTo(new TableName(warehouse.prefix() + "contract", "weird_names"));

            // The next run lists its fields in another order; each still lands in the column it had.
            Schema reordered = Schema.of(List.of(Field.of("company_name", DataType.TEXT), Field.of("Company Name", DataType.TEXT)));
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                assertThat(w.tableSchema().orElseThrow().fieldNames())
                        .containsExactly("select", "Company Name", "company_name", "e-mail", "名前", longName, longSibling, nearLimit, overLimit);
                w.write(new RecordBatch(reordered, List.of(new Record(new Object[] {"second lower", "Second Upper"}, "t:1")), null));
                w.commit(Optional.empty());
            }
            assertThat(columnNames(session, s)).hasSize(9 + 3);
            List<Map<String, Object>> rows = Rows.query(session, "SELECT \"select\", company_name, company_name_2, \"e_mail\", \"名前\", \""
                    + columns.get(5) + "\" AS long, \"" + columns.get(6) + "\" AS sibling, \"" + columns.get(8) + "\" AS over FROM "
                    + session.tableName(s).quoted() + " ORDER BY company_name");
            assertThat(rows).containsExactly(
                    row("select", "s", "company_name", "Acme", "company_name_2", "acme", "e_mail", "a@b.c", "名前", "Ada", "long", 1L,
                            "sibling", 2L, "over", "over"),
                    row("select", null, "company_name", "Second Upper", "company_name_2", "second lower", "e_mail", null, "名前", null,
                            "long", null, "sibling", null, "over", null));
        }
        try (PostgresSession reopened = open(); StreamWriter w = reopened.writer(s, RunId.generate())) {
            assertThat(w.tableSchema().orElseThrow().fields()).extracting(Field::name, Field::type).containsExactly(
                    tuple("select", DataType.TEXT), tuple("Company Name", DataType.TEXT), tuple("company_name", DataType.TEXT),
                    tuple("e-mail", DataType.TEXT), tuple("名前", DataType.TEXT), tuple(longName, DataType.INTEGER),
                    tuple(longSibling, DataType.INTEGER), tuple(nearLimit, DataType.TEXT), tuple(overLimit, DataType.TEXT));
        }
    }

    @Test
    void longAndOddTableAndSchemaNamesWork() {
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER)));
        String longTable = "Table ".repeat(50);
        ConfiguredStream s = stream(longTable, WriteMode.APPEND, schema).withTarget("Sales Data " + "名".repeat(30), longTable);
        ConfiguredStream blank = stream("things", WriteMode.APPEND, schema).withTarget("", "select");
        try (PostgresSession session = open()) {
            commit(session, s, schema, new Object[] {1L});
            TableName t = session.tableName(s);
            assertThat(Identifiers.bytes(t.schema())).isLessThanOrEqualTo(63);
            assertThat(Identifiers.bytes(t.table())).isLessThanOrEqualTo(63);
            assertThat(t.schema()).startsWith(warehouse.prefix() + "sales_data_");
            assertThat(Rows.table(session, t)).hasSize(1);
            commit(session, blank, schema, new Object[] {2L});
            assertThat(session.tableName(blank)).isEqualTo(new TableName(warehouse.prefix() + "public", "select"));
            assertThat(Rows.table(session, session.tableName(blank))).hasSize(1);
        }
        // A schema named pg_... is PostgreSQL's own: such a prefix (or connection name) gets a leading _.
        String reservedPrefix = "pg" + warehouse.prefix().substring("pgdest".length());
        try (PostgresSession session = destination.open(Config.of(warehouse.settings().put("schema_prefix", reservedPrefix)))) {
            assertThat(session.metadataSchema()).isEqualTo("_" + reservedPrefix + "tributary");
            commit(session, blank, schema, new Object[] {3L});
            assertThat(session.tableName(blank).schema()).isEqualTo("_" + reservedPrefix + "public");
            assertThat(Rows.table(session, session.tableName(blank))).hasSize(1);
        } finally {
            warehouse.dropSchemasStartingWith("_" + reservedPrefix);
        }
    }

    @Test
    void everyDataTypeRoundTrips() {
        Schema schema = Schema.of(List.of(Field.of("b", DataType.BOOLEAN), Field.of("i", DataType.INTEGER), Field.of("d", DataType.DECIMAL),
                Field.of("n", DataType.NUMBER), Field.of("on_day", DataType.DATE), Field.of("ts", DataType.TIMESTAMP),
                Field.of("tz", DataType.TIMESTAMP_TZ), Field.of("t", DataType.TEXT), Field.of("j", DataType.JSON)));
        ConfiguredStream s = stream("types", WriteMode.APPEND, schema);
        LocalDateTime ts = LocalDateTime.of(1999, 12, 31, 23, 59, 58, 123_456_789);
        Instant tz = Instant.parse("1969-07-20T20:17:40.654321Z");
        String awkward = "Zoë 名前 \"q\" 'a'\ttab\nnewline\r\nCRLF back\\slash \\N \\t 🙂 ,;|";
        try (PostgresSession session = open()) {
            commit(session, s, schema,
                    new Object[] {true, Long.MAX_VALUE, new BigDecimal("12345678901234567890123456789.123456789"), 1.5e300,
                            LocalDate.of(2024, 2, 29), ts, tz, awkward, List.of(1, "two\ttab", Map.of("名", "\\"))},
                    new Object[] {false, Long.MIN_VALUE, new BigDecimal("-0.0000000005"), 0.25, LocalDate.of(-43, 3, 15),
                            LocalDateTime.of(0, 1, 1, 0, 0), Instant.EPOCH, "", Map.of()},
                    new Object[] {null, 0L, BigDecimal.ONE, Double.NaN, LocalDate.of(1, 1, 1), ts, tz, "\\N", "\\N"},
                    new Object[9]);
            assertThat(Rows.query(session, "SELECT string_agg(format_type(atttypid, atttypmod), ', ' ORDER BY attnum) AS types FROM pg_attribute "
                    + "WHERE attrelid = '" + session.tableName(s).quoted() + "'::regclass AND attnum > 0 AND attname NOT LIKE '\\_tributary%'"))
                    .containsExactly(row("types", "boolean, bigint, numeric(38,9), double precision, date, timestamp without time zone, "
                            + "timestamp with time zone, text, jsonb"));
            List<Map<String, Object>> rows = Rows.query(session, "SELECT b, i, d, n, on_day::text AS on_day, ts::text AS ts, "
                    + "(extract(epoch FROM tz) * 1000000)::bigint AS tz, t, j::text AS j FROM " + session.tableName(s).quoted() + " ORDER BY i NULLS LAST");
            assertThat(rows.get(0)).containsEntry("b", false).containsEntry("i", Long.MIN_VALUE).containsEntry("n", 0.25)
                    .containsEntry("on_day", "0044-03-15 BC").containsEntry("ts", "0001-01-01 00:00:00 BC").containsEntry("tz", 0L)
                    .containsEntry("t", "").containsEntry("j", "{}");
            assertThat((BigDecimal) rows.get(0).get("d")).as("rounded half-up to 9 places").isEqualByComparingTo("-0.000000001");
            assertThat(rows.get(1)).containsEntry("b", null).containsEntry("n", Double.NaN).containsEntry("on_day", "0001-01-01")
                    .containsEntry("t", "\\N").containsEntry("j", "\"\\\\N\"");
            Map<String, Object> first = rows.get(2);
            assertThat(first).containsEntry("b", true).containsEntry("i", Long.MAX_VALUE).containsEntry("n", 1.5e300)
                    .containsEntry("on_day", "2024-02-29").containsEntry("ts", "1999-12-31 23:59:58.123456")
                    .containsEntry("tz", -14182939345679L).containsEntry("t", awkward);
            assertThat(json((String) first.get("j"))).isEqualTo(json("[1,\"two\\ttab\",{\"名\":\"\\\\\"}]"));
            assertThat((BigDecimal) first.get("d")).isEqualByComparingTo("12345678901234567890123456789.123456789");
            assertThat(rows.get(3).values()).containsOnlyNulls();
            // JDBC hands the values back as the engine's Java types.
            List<Map<String, Object>> typed = Rows.query(session, "SELECT on_day, ts, tz FROM " + session.tableName(s).quoted() + " WHERE i = 0");
            assertThat(typed.get(0).get("on_day")).isNotNull();
        }
    }

    @Test
    void nestedJsonIsStoredAsJsonb() {
        Schema schema = new Schema(List.of(Field.of("id", DataType.INTEGER), Field.of("doc", DataType.JSON)), List.of("id"));
        ConfiguredStream s = stream("docs", WriteMode.MERGE, schema);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tags", List.of("a", "b"));
        doc.put("owner", Map.of("名前", "Ada", "age", 36));
        doc.put("none", null);
        doc.put("text", "line\nbreak\ttab\\slash");
        try (PostgresSession session = open()) {
            commit(session, s, schema, new Object[] {1L, doc}, new Object[] {2L, "just text"}, new Object[] {3L, 42L},
                    new Object[] {4L, JSON.createObjectNode().put("node", true)}, new Object[] {5L, new JsonText("{\"raw\": [1, 2.50]}")});
            List<Map<String, Object>> rows = Rows.query(session, "SELECT id, doc::text AS doc, jsonb_typeof(doc) AS kind, doc->'owner'->>'名前' AS name, "
                    + "jsonb_array_length(doc->'tags')::bigint AS tags, doc->>'text' AS text FROM " + session.tableName(s).quoted() + " ORDER BY id");
            assertThat(rows).extracting(r -> r.get("kind")).containsExactly("object", "string", "number", "object", "object");
            assertThat(rows.get(0)).containsEntry("name", "Ada").containsEntry("tags", 2L).containsEntry("text", "line\nbreak\ttab\\slash");
            assertThat(json((String) rows.get(0).get("doc"))).isEqualTo(JSON.valueToTree(doc));
            assertThat(rows.get(1)).containsEntry("doc", "\"just text\"");
            assertThat(rows.get(2)).containsEntry("doc", "42");
            assertThat(json((String) rows.get(3).get("doc"))).isEqualTo(json("{\"node\":true}"));
            assertThat(rows.get(4)).as("JsonText goes in as written").containsEntry("doc", "{\"raw\": [1, 2.50]}");
        }
    }

    @Test
    void typesWidenAlongTheirChains() {
        Schema narrow = Schema.of(List.of(Field.of("amount", DataType.INTEGER), Field.of("seen", DataType.DATE), Field.of("doc", DataType.JSON)));
        Schema wider = Schema.of(List.of(Field.of("amount", DataType.DECIMAL), Field.of("seen", DataType.TIMESTAMP), Field.of("doc", DataType.JSON)));
        Schema widest = Schema.of(List.of(Field.of("amount", DataType.NUMBER), Field.of("seen", DataType.TIMESTAMP_TZ), Field.of("doc", DataType.TEXT)));
        ConfiguredStream s = stream("widening", WriteMode.APPEND, narrow);
        try (PostgresSession session = open()) {
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
            List<Map<String, Object>> rows = Rows.query(session, "SELECT amount, extract(epoch FROM seen)::bigint AS seen, doc FROM "
                    + session.tableName(s).quoted() + " ORDER BY amount");
            assertThat(rows).extracting(r -> r.get("amount")).containsExactly(1.0, 2.5, 3.25, 4.0);
            assertThat(rows).extracting(r -> r.get("seen")).containsExactly(1704153600L, 1704164640L, 1704164645L, 1704240000L);
            assertThat(rows).extracting(r -> r.get("doc")).containsExactly("[1]", "{\"a\": 1}", "plain", "[2]");
        }
    }

    @Test
    void appendKeepsDeletedRecordsMarked() {
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER)));
        ConfiguredStream s = stream("events", WriteMode.APPEND, schema);
        Instant deletedAt = Instant.parse("2026-01-02T03:04:05Z");
        try (PostgresSession session = open()) {
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(new RecordBatch(schema, List.of(new Record(new Object[] {1L}, "t:1"), new Record(new Object[] {1L}, "t:2", deletedAt)), null));
                w.commit(Optional.empty());
            }
            List<Map<String, Object>> rows = Rows.query(session, "SELECT id, _tributary_deleted_at AS deleted FROM "
                    + session.tableName(s).quoted() + " ORDER BY deleted NULLS FIRST");
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0).get("deleted")).isNull();
            assertThat(((java.sql.Timestamp) rows.get(1).get("deleted")).toInstant()).isEqualTo(deletedAt);
        }
    }

    @Test
    void mergeDeletionKeepsTheStoredValuesAndInsertsUnknownKeys() {
        Schema schema = new Schema(List.of(Field.of("id", DataType.INTEGER), Field.of("name", DataType.TEXT)), List.of("id"));
        ConfiguredStream s = stream("contacts", WriteMode.MERGE, schema);
        Instant deletedAt = Instant.parse("2026-01-02T03:04:05Z");
        try (PostgresSession session = open()) {
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
    void mergeTablesGetAnIndexOnTheirKey() {
        Schema schema = new Schema(List.of(Field.of("Tenant", DataType.TEXT), Field.of("id", DataType.INTEGER), Field.of("v", DataType.TEXT)),
                List.of("Tenant", "id"));
        ConfiguredStream s = stream("keyed", WriteMode.MERGE, schema);
        try (PostgresSession session = open()) {
            commit(session, s, schema, new Object[] {"a", 1L, "x"}, new Object[] {"b", 1L, "y"});
            commit(session, s, schema, new Object[] {"a", 1L, "z"});
            assertThat(Rows.query(session, "SELECT indexdef FROM pg_indexes WHERE schemaname = " + Rows.literal(session.tableName(s).schema())
                    + " AND tablename = 'keyed'")).singleElement()
                    .satisfies(r -> assertThat((String) r.get("indexdef")).contains("(tenant, id)"));
            assertThat(Rows.query(session, "SELECT tenant, v FROM " + session.tableName(s).quoted() + " ORDER BY tenant"))
                    .containsExactly(row("tenant", "a", "v", "z"), row("tenant", "b", "v", "y"));
        }
    }

    @Test
    void aRecordWithoutItsKeyCannotBeMerged() {
        Schema schema = new Schema(List.of(Field.of("id", DataType.INTEGER), Field.of("v", DataType.TEXT)), List.of("id"));
        ConfiguredStream s = stream("needs_keys", WriteMode.MERGE, schema);
        try (PostgresSession session = open(); StreamWriter w = session.writer(s, RunId.generate())) {
            assertThatThrownBy(() -> w.write(new RecordBatch(schema, List.of(new Record(new Object[] {null, "x"}, "f.csv:7")), null)))
                    .isInstanceOf(DataException.class).hasMessageContaining("f.csv:7").hasMessageContaining("primary key column 'id' is empty");
        }
    }

    @Test
    void overwriteWithSeveralCommitsKeepsEverythingStagedSinceTheWriterOpened() {
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER)));
        ConfiguredStream s = stream("snapshot", WriteMode.OVERWRITE, schema);
        try (PostgresSession session = open()) {
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
        try (PostgresSession session = open()) {
            commit(session, s, schema, new Object[] {1L, "old"}, new Object[] {9L, "gone"});
            commit(session, s, schema, new Object[] {1L, "first"}, new Object[] {2L, "b"}, new Object[] {1L, "last"});
            assertThat(Rows.table(session, session.tableName(s))).extracting(r -> r.get("id") + "=" + r.get("name"))
                    .containsExactlyInAnyOrder("1=last", "2=b");
        }
    }

    @Test
    void decimalsOfEveryShapeSurviveTheBinaryCopy() {
        // Base-10000 groups: zeros inside, before and after the point, group boundaries, negative scales, the limits.
        List<String> values = List.of("0", "0.000", "1", "-1", "10000", "9999", "10000.0001", "100000000", "0.0001", "0.00001",
                "0.000000001", "-0.000000001", "12345.6789", "1234.56789", "-98765432109876543210.5", "1E+5", "5E+12", "100.100",
                "99999999999999999999999999999.999999999", "-99999999999999999999999999999.999999999", "0.1234567894", "0.1234567895");
        Schema schema = Schema.of(List.of(Field.of("n", DataType.INTEGER), Field.of("d", DataType.DECIMAL)));
        ConfiguredStream s = stream("decimals", WriteMode.APPEND, schema);
        Object[][] rows = new Object[values.size()][];
        for (int i = 0; i < rows.length; i++) rows[i] = new Object[] {(long) i, new BigDecimal(values.get(i))};
        try (PostgresSession session = open()) {
            commit(session, s, schema, rows);
            List<Map<String, Object>> stored = Rows.query(session, "SELECT n, d FROM " + session.tableName(s).quoted() + " ORDER BY n");
            assertThat(stored).hasSize(values.size());
            for (int i = 0; i < values.size(); i++) {
                BigDecimal expected = new BigDecimal(values.get(i)).setScale(9, java.math.RoundingMode.HALF_UP);
                assertThat((BigDecimal) stored.get(i).get("d")).as(values.get(i)).isEqualByComparingTo(expected);
            }
        }
    }

    @Test
    void appendIntoATableMadeByHandWithTypesOfItsOwnStillLoads() {
        // Binary COPY needs exact types; a table with integer and varchar columns takes the staging path instead.
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER), Field.of("name", DataType.TEXT), Field.of("seen", DataType.TIMESTAMP_TZ)));
        ConfiguredStream s = stream("handmade", WriteMode.APPEND, schema);
        try (PostgresSession session = open()) {
            Rows.execute(session, "CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(session.tableName(s).schema()));
            Rows.execute(session, "CREATE TABLE " + session.tableName(s).quoted() + " (id integer, name varchar(20), seen timestamp(3) with time zone)");
            commit(session, s, schema, new Object[] {1L, "one", Instant.parse("2024-01-02T03:04:05.678Z")}, new Object[] {2L, "two", null});
            commit(session, s, schema, new Object[] {3L, "three", null});
            assertThat(Rows.query(session, "SELECT id, name, _tributary_run_id IS NOT NULL AS has_run FROM " + session.tableName(s).quoted() + " ORDER BY id"))
                    .containsExactly(row("id", 1, "name", "one", "has_run", true), row("id", 2, "name", "two", "has_run", true),
                            row("id", 3, "name", "three", "has_run", true));
            assertThat(Rows.query(session, "SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = "
                    + Rows.literal(session.tableName(s).quoted()) + "::regclass AND attname = 'id'")).containsExactly(row("t", "integer"));
        }
    }

    @Test
    void appendCommitsAreAtomicAndAnAbortTakesBackEveryBatchSinceTheLastCommit() {
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER)));
        Schema wider = Schema.of(List.of(Field.of("id", DataType.INTEGER), Field.of("note", DataType.TEXT)));
        ConfiguredStream s = stream("atomic", WriteMode.APPEND, schema);
        try (PostgresSession session = open(); StreamWriter w = session.writer(s, RunId.generate())) {
            w.write(batch(schema, new Object[] {1L}));
            w.commit(Optional.of(new StreamState(s.id(), 1, JSON.createObjectNode().put("at", 1))));
            w.write(batch(schema, new Object[] {2L}));
            w.write(batch(wider, new Object[] {3L, "a column added inside the open transaction"}));
            assertThat(Rows.table(session, session.tableName(s))).as("nothing of an uncommitted batch is visible").hasSize(1);
            w.abort();
            assertThat(Rows.table(session, session.tableName(s))).extracting(r -> r.get("id")).containsExactly(1L);
            assertThat(columnNames(session, s)).as("the column added before the abort is gone with it").doesNotContain("note");
            assertThat(w.committedState()).map(st -> st.value().path("at").asInt()).contains(1);
            w.write(batch(wider, new Object[] {4L, "after the abort"}));
            assertThatThrownBy(() -> w.write(batch(wider, new Object[] {5L, "fine"}, new Object[] {6L, "a\0b"})))
                    .isInstanceOf(DataException.class).hasMessageContaining("U+0000");
            w.commit(Optional.of(new StreamState(s.id(), 1, JSON.createObjectNode().put("at", 4))));
            assertThat(Rows.table(session, session.tableName(s))).extracting(r -> r.get("id")).containsExactlyInAnyOrder(1L, 4L);
            assertThat(w.committedState()).map(st -> st.value().path("at").asInt()).contains(4);
        }
    }

    @Test
    void aBatchThatFailsHalfWayLeavesEarlierBatchesStaged() {
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER), Field.of("amount", DataType.DECIMAL), Field.of("note", DataType.TEXT),
                Field.of("doc", DataType.JSON)));
        ConfiguredStream s = stream("amounts", WriteMode.APPEND, schema);
        try (PostgresSession session = open(); StreamWriter w = session.writer(s, RunId.generate())) {
            w.write(batch(schema, new Object[] {1L, new BigDecimal("1.5"), "ok", null}));
            RecordBatch tooBig = new RecordBatch(schema, List.of(new Record(new Object[] {2L, BigDecimal.ONE, "ok", null}, "f.csv:2"),
                    new Record(new Object[] {3L, new BigDecimal("1e40"), "ok", null}, "f.csv:3")), null);
            assertThatThrownBy(() -> w.write(tooBig)).isInstanceOf(DataException.class).hasMessageContaining("f.csv:3").hasMessageContaining("amount");
            RecordBatch nul = new RecordBatch(schema, List.of(new Record(new Object[] {4L, null, "a\0b", null}, "f.csv:4")), null);
            assertThatThrownBy(() -> w.write(nul)).isInstanceOf(DataException.class).hasMessageContaining("f.csv:4").hasMessageContaining("note")
                    .hasMessageContaining("U+0000");
            // The server refuses this one (not JSON): the COPY's line number leads back to the record.
            RecordBatch badJson = new RecordBatch(schema, List.of(new Record(new Object[] {5L, null, null, new JsonText("[1]")}, "g.json:1"),
                    new Record(new Object[] {6L, null, null, new JsonText("{not json")}, "g.json:2")), null);
            assertThatThrownBy(() -> w.write(badJson)).isInstanceOf(DataException.class).hasMessageContaining("g.json:2")
                    .hasMessageContaining("doc: PostgreSQL cannot store the value");
            w.commit(Optional.empty());
            assertThat(Rows.table(session, session.tableName(s))).extracting(r -> r.get("id")).containsExactly(1L);
        }
    }

    @Test
    void writersOfTwoStreamsInOneSchemaCommitConcurrently() throws Exception {
        Schema schema = new Schema(List.of(Field.of("id", DataType.INTEGER), Field.of("payload", DataType.TEXT)), List.of("id"));
        List<ConfiguredStream> streams = List.of(stream("left", WriteMode.MERGE, schema).withOnError(ErrorPolicy.REJECT),
                stream("right", WriteMode.APPEND, schema).withOnError(ErrorPolicy.REJECT));
        int batches = 20;
        int perBatch = 500;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (PostgresSession session = open()) {
            CountDownLatch bothOpen = new CountDownLatch(2);
            List<Future<?>> done = new ArrayList<>();
            for (ConfiguredStream s : streams) {
                done.add(pool.submit(() -> {
                    try (StreamWriter w = session.writer(s, RunId.generate())) {
                        bothOpen.countDown();
                        bothOpen.await(30, TimeUnit.SECONDS);
                        for (int b = 0; b < batches; b++) {
                            List<Record> records = new ArrayList<>();
                            for (int i = 0; i < perBatch; i++) records.add(new Record(new Object[] {(long) b * perBatch + i, s.target() + i}, "t"));
                            StreamState checkpoint = new StreamState(s.id(), 1, JSON.createObjectNode().put("batch", b));
                            // Both streams create the schema and its shared rejects table at their first commit.
                            w.write(new RecordBatch(schema, records, List.of(new Rejection(s.target() + ":" + b, "bad", "x")), Optional.of(checkpoint)));
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
            assertThat(Rows.query(session, "SELECT stream, count(*) AS n FROM " + RejectsTable.of(session.tableName(streams.get(0))).quoted()
                    + " GROUP BY stream ORDER BY stream")).containsExactly(row("stream", "left", "n", 20L), row("stream", "right", "n", 20L));
            assertThat(session.states()).hasSize(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void writersBeyondThePoolWaitForAConnectionAndReuseIt() throws Exception {
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER)));
        ConfiguredStream first = stream("first", WriteMode.APPEND, schema);
        ConfiguredStream second = stream("second", WriteMode.APPEND, schema);
        // pool_size 2: one connection for writers, one for the session.
        try (PostgresSession session = destination.open(Config.of(warehouse.settings().put("pool_size", 2)))) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                PostgresStreamWriter w1 = (PostgresStreamWriter) session.writer(first, RunId.generate());
                w1.write(batch(schema, new Object[] {1L}));
                Future<PostgresStreamWriter> waiting = pool.submit(() -> (PostgresStreamWriter) session.writer(second, RunId.generate()));
                assertThatThrownBy(() -> waiting.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
                assertThat(session.committedState("c", first.id())).as("the session still has its connection").isEmpty();
                int pid = w1.backendPid();
                w1.commit(Optional.empty());
                w1.close();
                try (PostgresStreamWriter w2 = waiting.get(10, TimeUnit.SECONDS)) {
                    assertThat(w2.backendPid()).as("the same pooled connection, its staging tables replaced").isEqualTo(pid);
                    w2.write(batch(schema, new Object[] {2L}));
                    w2.commit(Optional.empty());
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(Rows.table(session, session.tableName(first))).hasSize(1);
            assertThat(Rows.table(session, session.tableName(second))).hasSize(1);
        }
    }

    @Test
    void stagedRowsAreInvisibleToOthersAndGoneWithTheWriter() {
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER)));
        ConfiguredStream s = stream("private", WriteMode.APPEND, schema);
        String staging = "SELECT count(*) AS n FROM pg_class WHERE relname = '" + StagingTables.ROWS + "' AND relpersistence = 't'";
        String ours = "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE starts_with(n.nspname, "
                + Rows.literal(warehouse.prefix()) + ") AND c.relkind = 'r' ORDER BY relname";
        long before;
        try (PostgresSession session = open()) {
            before = (Long) Rows.query(session, staging).get(0).get("n");
            StreamWriter w = session.writer(s, RunId.generate());
            w.write(batch(schema, new Object[] {1L}));
            assertThat(Rows.query(session, staging)).containsExactly(row("n", before + 1));
            assertThat(Rows.query(session, ours)).extracting(r -> r.get("relname")).containsExactly("_tributary_columns", "_tributary_state", "_tributary_writers");
            // The session closes with the writer still open, as when a run is killed.
        }
        try (PostgresSession reopened = open()) {
            assertThat(Rows.query(reopened, staging)).containsExactly(row("n", before));
            assertThat(Rows.query(reopened, ours)).extracting(r -> r.get("relname")).containsExactly("_tributary_columns", "_tributary_state", "_tributary_writers");
        }
    }

    @Test
    void aSecondSessionOnTheSameDatabaseSharesIt() {
        Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER)));
        ConfiguredStream s = stream("shared", WriteMode.APPEND, schema);
        try (PostgresSession first = open(); StreamWriter w = first.writer(s, RunId.generate())) {
            w.write(batch(schema, new Object[] {1L}));
            try (PostgresSession second = open()) {
                assertThat(second.states()).isEmpty();
                assertThat(Rows.table(second, second.tableName(s))).isEmpty();
                w.commit(Optional.of(new StreamState(s.id(), 1, JSON.createObjectNode())));
                assertThat(second.committedState("c", s.id())).isPresent();
                assertThat(Rows.table(second, second.tableName(s))).hasSize(1);
            }
        }
    }

    @Test
    void aCommitWithoutBatchesCreatesTheTableFromTheCatalog() {
        Schema schema = Schema.of(List.of(Field.of("Id", DataType.INTEGER), Field.of("Name", DataType.TEXT)));
        ConfiguredStream s = stream("empty", WriteMode.APPEND, schema);
        try (PostgresSession session = open()) {
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
        String raw = "x\ty\nz\\ \0 end";
        try (PostgresSession session = open()) {
            try (StreamWriter w = session.writer(s, run)) {
                w.write(new RecordBatch(schema, List.of(), List.of(new Rejection("f.csv:9", "bad", "x,y")), Optional.empty()));
                w.abort();
                w.write(new RecordBatch(schema, List.of(), List.of(new Rejection("f.csv:3", "id: 'x' is not a whole number", raw)), Optional.empty()));
                w.commit(Optional.empty());
            }
            assertThat(Rows.query(session, "SELECT connection, stream, run_id, origin, raw FROM " + RejectsTable.of(session.tableName(s)).quoted()))
                    .containsExactly(row("connection", "c", "stream", "leads", "run_id", run.value(), "origin", "f.csv:3",
                            "raw", "x\ty\nz\\ \uFFFD end"));
        }
    }

    @Test
    void theSessionNeverShowsThePassword() {
        String secret = "pw-" + Long.toHexString(System.nanoTime());
        // The test server trusts local connections, so any password connects.
        try (PostgresSession session = destination.open(Config.of(warehouse.settings().put("password", secret)))) {
            assertThat(session.describe()).startsWith("PostgreSQL database ").doesNotContain(secret);
            Schema schema = Schema.of(List.of(Field.of("id", DataType.INTEGER)));
            ConfiguredStream s = stream("guarded", WriteMode.APPEND, schema);
            commit(session, s, schema, new Object[] {1L});
            Rows.execute(session, "ALTER TABLE " + session.tableName(s).quoted() + " ADD CONSTRAINT positive CHECK (id > 0)");
            // Append copies straight into the table, so the server refuses the row during the write, naming the record.
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                assertThatThrownBy(() -> w.write(batch(schema, new Object[] {-1L}))).isInstanceOf(DataException.class)
                        .hasMessageContaining("t:0").hasMessageContaining("positive").hasMessageNotContaining(secret);
            }
            // Merge stages first and meets the constraint at commit: the failure names the database, not the password.
            ConfiguredStream merged = stream("guarded", WriteMode.MERGE, new Schema(List.of(Field.of("id", DataType.INTEGER)), List.of("id")));
            try (StreamWriter w = session.writer(merged, RunId.generate())) {
                w.write(batch(merged.schema(), new Object[] {-1L}));
                assertThatThrownBy(() -> w.commit(Optional.empty())).isInstanceOf(PostgresException.class)
                        .hasMessageContaining(session.describe()).hasMessageContaining("positive").hasMessageNotContaining(secret);
            }
        }
    }

    /** A wide first batch (PostgreSQL allows 1,600 columns a table) lands whole, staged and created in single statements. */
    @Test
    void aWideFirstBatchCreatesItsTablesWithAllColumnsAtOnce() {
        int width = 1_500;
        List<Field> fields = new ArrayList<>();
        Object[] values = new Object[width];
        for (int i = 0; i < width; i++) {
            fields.add(Field.of("Column " + i, DataType.TEXT));
            values[i] = "v" + i;
        }
        Schema schema = Schema.of(fields);
        for (WriteMode mode : List.of(WriteMode.APPEND, WriteMode.MERGE)) {
            ConfiguredStream s = stream("wide_" + mode.name().toLowerCase(Locale.ROOT), mode, mode == WriteMode.MERGE
                    ? new Schema(fields, List.of("Column 0")) : schema);
            try (PostgresSession session = open()) {
                commit(session, s, s.schema(), values);
                assertThat(columnNames(session, s)).hasSize(width + 3).startsWith("column_0", "column_1").contains("column_1499");
                Map<String, Object> stored = Rows.table(session, session.tableName(s)).getFirst();
                assertThat(stored).containsEntry("column_0", "v0").containsEntry("column_1499", "v1499");
            }
        }
    }

    private PostgresSession open() {
        return destination.open(warehouse.config());
    }

    private static ConfiguredStream stream(String target, WriteMode mode, Schema schema) {
        StreamDescriptor d = new StreamDescriptor(StreamId.of(target.toLowerCase(Locale.ROOT).replace(' ', '_').replace("!", "")), schema,
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

    private static List<String> columnNames(PostgresSession session, ConfiguredStream s) {
        return Rows.query(session, "SELECT attname FROM pg_attribute WHERE attrelid = " + Rows.literal(session.tableName(s).quoted())
                + "::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum").stream().map(r -> (String) r.get("attname")).toList();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return row;
    }
}
