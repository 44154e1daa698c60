package dev.tributary.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.JsonText;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PostgreSQL types into engine types and Java values, and positions of each keyable type through JSON and back. */
class PostgresTypesTest {
    private TestDb db;

    @BeforeEach
    void createSchema() {
        db = TestDb.postgres("jdbc_types");
        db.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE DOMAIN price AS numeric(12, 2)",
                "CREATE TYPE pair AS (a int, b text)",
                """
                CREATE TABLE every_type (id serial PRIMARY KEY, i2 smallint, i4 integer, i8 bigint, n numeric, n2 numeric(10,2),
                  n_wide numeric(50,20), n_int numeric(38,0), f4 real, f8 double precision, b boolean, d date, ts timestamp(6),
                  tz timestamptz, j json, jb jsonb, arr int[], tarr text[], u uuid, m mood, by bytea, tm time, iv interval, dm price,
                  mo money, p pair, bp char(3), vc varchar(20), t text, inet_addr inet)""",
                """
                INSERT INTO every_type (i2, i4, i8, n, n2, n_wide, n_int, f4, f8, b, d, ts, tz, j, jb, arr, tarr, u, m, by, tm, iv, dm, mo, p,
                  bp, vc, t, inet_addr) VALUES (-2, 4, 9223372036854775807, 1.5, 2.25, 1.00000000000000000001, 12345678901234567890123456789012345678,
                  1.1, 2.2, true, '2024-02-29', '2024-05-01 10:00:00.123456', '2024-05-01 10:00:00.123456+02', '{"a": 1}', '{"b": [1, 2]}',
                  '{1,2,NULL}', '{"a b","c"}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'ok', '\\x0102ff', '10:00:01.5', '1 day 2 hours',
                  3.5, 12.34, ROW(1, 'x'), 'ab', 'Zoë', 'line
                two', '10.0.0.1')""",
                "INSERT INTO every_type (id) VALUES (2)",
                "SELECT setval('every_type_id_seq', 2)");
    }

    @AfterEach
    void dropSchema() {
        if (db != null) db.close();
    }

    @Test
    void typesMapAsTheReadmeSays() {
        Schema schema = new PostgresSource().discover(db.config()).stream(db.stream("every_type")).orElseThrow().schema();
        Map<String, DataType> types = new LinkedHashMap<>();
        for (Field f : schema.fields()) types.put(f.name(), f.type());
        assertThat(types).containsExactlyEntriesOf(expectedTypes());
        assertThat(schema.primaryKey()).containsExactly("id");
        assertThat(schema.field("id").orElseThrow().nullable()).isFalse();
        assertThat(schema.field("i2").orElseThrow().nullable()).isTrue();
    }

    static Map<String, DataType> expectedTypes() {
        Map<String, DataType> m = new LinkedHashMap<>();
        m.put("id", DataType.INTEGER);
        m.put("i2", DataType.INTEGER);
        m.put("i4", DataType.INTEGER);
        m.put("i8", DataType.INTEGER);
        m.put("n", DataType.DECIMAL);
        m.put("n2", DataType.DECIMAL);
        m.put("n_wide", DataType.TEXT);
        m.put("n_int", DataType.DECIMAL);
        m.put("f4", DataType.NUMBER);
        m.put("f8", DataType.NUMBER);
        m.put("b", DataType.BOOLEAN);
        m.put("d", DataType.DATE);
        m.put("ts", DataType.TIMESTAMP);
        m.put("tz", DataType.TIMESTAMP_TZ);
        m.put("j", DataType.JSON);
        m.put("jb", DataType.JSON);
        m.put("arr", DataType.JSON);
        m.put("tarr", DataType.JSON);
        m.put("u", DataType.TEXT);
        m.put("m", DataType.TEXT);
        m.put("by", DataType.TEXT);
        m.put("tm", DataType.TEXT);
        m.put("iv", DataType.TEXT);
        m.put("dm", DataType.DECIMAL);
        m.put("mo", DataType.DECIMAL);
        m.put("p", DataType.JSON);
        m.put("bp", DataType.TEXT);
        m.put("vc", DataType.TEXT);
        m.put("t", DataType.TEXT);
        m.put("inet_addr", DataType.TEXT);
        return m;
    }

    @Test
    void valuesAreTheJavaTypesDataTypeNames() {
        Reads read = Reads.read(new PostgresSource(), db.config(), db.stream("every_type"), SyncMode.FULL_REFRESH);
        Map<String, Object> row = read.rows().get(0);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", 1L);
        expected.put("i2", -2L);
        expected.put("i4", 4L);
        expected.put("i8", Long.MAX_VALUE);
        expected.put("n", new BigDecimal("1.5"));
        expected.put("n2", new BigDecimal("2.25"));
        expected.put("n_wide", "1.00000000000000000001");
        expected.put("n_int", new BigDecimal("12345678901234567890123456789012345678"));
        expected.put("f4", 1.1);
        expected.put("f8", 2.2);
        expected.put("b", true);
        expected.put("d", LocalDate.of(2024, 2, 29));
        expected.put("ts", LocalDateTime.parse("2024-05-01T10:00:00.123456"));
        expected.put("tz", Instant.parse("2024-05-01T08:00:00.123456Z"));
        expected.put("j", new JsonText("{\"a\": 1}"));
        expected.put("jb", new JsonText("{\"b\": [1, 2]}"));
        expected.put("arr", new JsonText("[1,2,null]"));
        expected.put("tarr", new JsonText("[\"a b\",\"c\"]"));
        expected.put("u", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        expected.put("m", "ok");
        expected.put("by", "AQL/");
        expected.put("tm", "10:00:01.5");
        expected.put("iv", "1 day 02:00:00");
        expected.put("dm", new BigDecimal("3.50"));
        expected.put("mo", new BigDecimal("12.34"));
        expected.put("p", new JsonText("{\"a\":1,\"b\":\"x\"}"));
        expected.put("bp", "ab ");
        expected.put("vc", "Zoë");
        expected.put("t", "line\ntwo");
        expected.put("inet_addr", "10.0.0.1");
        assertThat(row).containsExactlyEntriesOf(expected);
        Map<String, Object> empty = read.rows().get(1);
        assertThat(empty.get("id")).isEqualTo(2L);
        assertThat(empty.entrySet().stream().filter(e -> !e.getKey().equals("id")).map(Map.Entry::getValue)).allMatch(v -> v == null);
    }

    @Test
    void aQueryOverTheTableHasTheTablesTypes() {
        var config = db.config("{'queries': [{'name': 'all_of_it', 'sql': 'select * from " + db.schema() + ".every_type'}]}");
        var catalog = new PostgresSource().discover(config);
        assertThat(catalog.stream("all_of_it").orElseThrow().schema().fields().stream().map(Field::type).toList())
                .isEqualTo(List.copyOf(expectedTypes().values()));
        Reads table = Reads.read(new PostgresSource(), config, db.stream("every_type"), SyncMode.FULL_REFRESH);
        Reads query = Reads.read(new PostgresSource(), config, "all_of_it", SyncMode.FULL_REFRESH);
        assertThat(new java.util.HashSet<>(query.rows())).isEqualTo(new java.util.HashSet<>(table.rows()));
    }

    @Test
    void aValueWithNoEngineTypeIsRejectedWithItsRow() {
        db.execute("INSERT INTO every_type (id, n) VALUES (3, 'NaN')", "INSERT INTO every_type (id, n) VALUES (4, 7)");
        Reads read = Reads.read(new PostgresSource(), db.config(), db.stream("every_type"), SyncMode.FULL_REFRESH);
        assertThat(read.column("id")).containsExactly(1L, 2L, 4L);
        List<Rejection> rejections = read.rejections();
        assertThat(rejections).hasSize(1);
        assertThat(rejections.get(0).origin()).isEqualTo(db.stream("every_type") + ":id=3");
        assertThat(rejections.get(0).reason()).contains("column 'n' (numeric): 'NaN' cannot be read as decimal");
        assertThat(rejections.get(0).raw()).startsWith("id=3, i2=null");
    }

    @Test
    void positionsOfEveryKeyableTypeSurviveJsonAndResume() {
        db.execute("""
                CREATE TABLE keyed (ts timestamp(6), tz timestamptz, amount numeric(20,9), name text, id uuid, m mood, f real, bin bytea,
                  day date, flag boolean, PRIMARY KEY (ts, tz, amount, name, id, m, f, bin, day, flag))""",
                // Twelve rows that tie on every column but the last few, with micro- and nanosecond-looking fractions.
                """
                INSERT INTO keyed SELECT timestamp '2024-05-01 10:00:00.000001' + (g / 6) * interval '1 microsecond',
                  timestamptz '2024-05-01 10:00:00.999999+00', 1.000000001 * (g / 4), 'Name ' || (g / 3),
                  ('00000000-0000-0000-0000-00000000000' || to_hex(g % 2))::uuid, (ARRAY['sad','ok','happy'])[g % 3 + 1]::mood,
                  0.1 * (g % 2), decode(lpad(to_hex(g), 2, '0'), 'hex'), date '2024-01-01', g % 2 = 0
                FROM generate_series(1, 12) g""");
        var config = db.config("{'batch_size': 5}");
        var source = new PostgresSource();
        ConfiguredStream stream = Reads.configured(source, config, db.stream("keyed"), SyncMode.FULL_REFRESH);
        Reads all = Reads.read(source, config, stream, Optional.empty());
        assertThat(all.records()).hasSize(12);
        for (int stopAfter = 1; stopAfter <= 2; stopAfter++) {
            Reads first = Reads.readSome(source, config, stream, Optional.empty(), stopAfter);
            StreamState checkpoint = first.lastCheckpoint().orElseThrow();
            Reads rest = Reads.read(source, config, stream, Optional.of(checkpoint));
            List<Map<String, Object>> combined = new ArrayList<>(first.rows());
            combined.addAll(rest.rows());
            assertThat(combined).as("stopped after %d batches", stopAfter).isEqualTo(all.rows());
        }
    }
}
