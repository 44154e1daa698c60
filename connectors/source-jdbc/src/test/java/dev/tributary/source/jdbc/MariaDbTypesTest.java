package dev.tributary.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.JsonText;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MariaDB types into engine types and Java values, and positions of each keyable type through JSON and back. */
class MariaDbTypesTest {
    private TestDb db;

    @BeforeEach
    void createDatabase() {
        db = TestDb.mariadb("jdbc_types");
        db.execute("""
                CREATE TABLE every_type (id int PRIMARY KEY, flag tinyint(1), bit1 bit(1), bit8 bit(8), tiny tinyint, small smallint,
                  medium mediumint unsigned, i int unsigned, big bigint, ubig bigint unsigned, d decimal(10,2), d_wide decimal(50,20),
                  f float, dbl double, day date, dt datetime(6), ts timestamp(6) NULL, y year, tm time, c char(3), vc varchar(20), t text,
                  j json, bl blob, vb varbinary(10), e enum('x','y'), s set('a','b'), g geometry, u uuid)""",
                "SET time_zone = '+00:00'",
                """
                INSERT INTO every_type VALUES (1, 1, b'1', b'10000001', -5, -300, 16000000, 4000000000, -9223372036854775808,
                  18446744073709551615, 12.34, 1.00000000000000000001, 1.1, 2.2, '2024-02-29', '2024-05-01 10:00:00.123456',
                  '2024-05-01 10:00:00.654321', 2024, '838:59:59', 'ab', 'Zoë', 'line\ntwo', '{"a": [1, 2]}', x'0102ff', x'00',
                  'y', 'a,b', ST_GeomFromText('POINT(1 2)'), '123e4567-e89b-12d3-a456-426614174000')""",
                "INSERT INTO every_type (id) VALUES (2)");
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) db.close();
    }

    static Map<String, DataType> expectedTypes() {
        Map<String, DataType> m = new LinkedHashMap<>();
        m.put("id", DataType.INTEGER);
        m.put("flag", DataType.BOOLEAN);
        m.put("bit1", DataType.BOOLEAN);
        m.put("bit8", DataType.INTEGER);
        m.put("tiny", DataType.INTEGER);
        m.put("small", DataType.INTEGER);
        m.put("medium", DataType.INTEGER);
        m.put("i", DataType.INTEGER);
        m.put("big", DataType.INTEGER);
        m.put("ubig", DataType.DECIMAL);
        m.put("d", DataType.DECIMAL);
        m.put("d_wide", DataType.TEXT);
        m.put("f", DataType.NUMBER);
        m.put("dbl", DataType.NUMBER);
        m.put("day", DataType.DATE);
        m.put("dt", DataType.TIMESTAMP);
        m.put("ts", DataType.TIMESTAMP_TZ);
        m.put("y", DataType.INTEGER);
        m.put("tm", DataType.TEXT);
        m.put("c", DataType.TEXT);
        m.put("vc", DataType.TEXT);
        m.put("t", DataType.TEXT);
        m.put("j", DataType.JSON);
        m.put("bl", DataType.TEXT);
        m.put("vb", DataType.TEXT);
        m.put("e", DataType.TEXT);
        m.put("s", DataType.TEXT);
        m.put("g", DataType.TEXT);
        m.put("u", DataType.TEXT);
        return m;
    }

    @Test
    void typesMapAsTheReadmeSays() {
        Schema schema = new MySqlSource().discover(db.config()).stream(db.stream("every_type")).orElseThrow().schema();
        Map<String, DataType> types = new LinkedHashMap<>();
        for (Field f : schema.fields()) types.put(f.name(), f.type());
        assertThat(types).containsExactlyEntriesOf(expectedTypes());
        assertThat(schema.primaryKey()).containsExactly("id");
    }

    @Test
    void valuesAreTheJavaTypesDataTypeNames() {
        Reads read = Reads.read(new MySqlSource(), db.config(), db.stream("every_type"), SyncMode.FULL_REFRESH);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", 1L);
        expected.put("flag", true);
        expected.put("bit1", true);
        expected.put("bit8", 129L);
        expected.put("tiny", -5L);
        expected.put("small", -300L);
        expected.put("medium", 16000000L);
        expected.put("i", 4000000000L);
        expected.put("big", Long.MIN_VALUE);
        expected.put("ubig", new BigDecimal("18446744073709551615"));
        expected.put("d", new BigDecimal("12.34"));
        expected.put("d_wide", "1.00000000000000000001");
        expected.put("f", 1.1);
        expected.put("dbl", 2.2);
        expected.put("day", LocalDate.of(2024, 2, 29));
        expected.put("dt", LocalDateTime.parse("2024-05-01T10:00:00.123456"));
        expected.put("ts", Instant.parse("2024-05-01T10:00:00.654321Z"));
        expected.put("y", 2024L);
        expected.put("tm", "838:59:59");
        expected.put("c", "ab");
        expected.put("vc", "Zoë");
        expected.put("t", "line\ntwo");
        expected.put("j", new JsonText("{\"a\": [1, 2]}"));
        expected.put("bl", "AQL/");
        expected.put("vb", "AA==");
        expected.put("e", "y");
        expected.put("s", "a,b");
        expected.put("g", "POINT(1 2)");
        expected.put("u", "123e4567-e89b-12d3-a456-426614174000");
        assertThat(read.rows().get(0)).containsExactlyEntriesOf(expected);
        assertThat(read.rows().get(1).entrySet().stream().filter(e -> !e.getKey().equals("id")).map(Map.Entry::getValue))
                .allMatch(v -> v == null);
    }

    @Test
    void aQueryOverTheTableHasTheTablesTypes() {
        var config = db.config("{'queries': [{'name': 'all_of_it', 'sql': 'select * from " + db.schema() + ".every_type'}]}");
        var catalog = new MySqlSource().discover(config);
        Map<String, DataType> types = new LinkedHashMap<>();
        for (Field f : catalog.stream("all_of_it").orElseThrow().schema().fields()) types.put(f.name(), f.type());
        assertThat(types).containsExactlyEntriesOf(expectedTypes());
        Reads table = Reads.read(new MySqlSource(), config, db.stream("every_type"), SyncMode.FULL_REFRESH);
        Reads query = Reads.read(new MySqlSource(), config, "all_of_it", SyncMode.FULL_REFRESH);
        assertThat(new HashSet<>(query.rows())).isEqualTo(new HashSet<>(table.rows()));
    }

    @Test
    void positionsOfEveryKeyableTypeSurviveJsonAndResume() {
        db.execute("""
                CREATE TABLE keyed (dt datetime(6), ts timestamp(6) NOT NULL DEFAULT '2000-01-01', amount decimal(20,9), name varchar(20),
                  ubig bigint unsigned, f float, bin varbinary(4), day date, flag tinyint(1),
                  PRIMARY KEY (dt, ts, amount, name, ubig, f, bin, day, flag))""",
                "SET time_zone = '+00:00'",
                """
                INSERT INTO keyed SELECT TIMESTAMP'2024-05-01 10:00:00.000001' + INTERVAL (seq DIV 6) MICROSECOND,
                  TIMESTAMP'2024-05-01 10:00:00.999999', 1.000000001 * (seq DIV 4), concat('Name ', seq DIV 3),
                  18446744073709551615 - (seq % 2), 0.1 * (seq % 2), unhex(lpad(hex(seq), 2, '0')), '2024-01-01', seq % 2
                FROM seq_1_to_12""");
        var config = db.config("{'batch_size': 5}");
        var source = new MySqlSource();
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
