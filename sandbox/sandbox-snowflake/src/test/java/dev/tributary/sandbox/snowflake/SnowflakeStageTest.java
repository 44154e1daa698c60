package dev.tributary.sandbox.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.drivers.SnowflakeDriver;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real driver's PUT / GET / LIST / REMOVE and COPY INTO against the sandbox's stages (LOCAL_FS locations). */
class SnowflakeStageTest {
    static SnowflakeSandbox sandbox;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        SnowflakeDriver.load(); // as tributary gets it: fetched into the build's driver cache, loaded apart
        sandbox = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(sandbox.jdbcUrl(), sandbox.connectionProperties());
    }

    private Path csv(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private static List<List<String>> rows(Statement s, String sql) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) row.add(rs.getString(i));
                out.add(row);
            }
        }
        return out;
    }

    @Test
    void putCompressesListsAndCopyLoadsOnceUnlessForced() throws Exception {
        Path f = csv("people.csv", "1,\"Ada\",2024-01-02 03:04:05+00:00,{\"a\":1}\n2,\"Grace, H.\",\\N,\\N\n3,\"\",2024-01-03 00:00:00+00:00,[1]\n");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create or replace table people (id number, name varchar, seen timestamp_tz, doc variant)");
            s.execute("create or replace stage load_st file_format = (type = csv field_optionally_enclosed_by = '\"')");
            List<List<String>> put = rows(s, "put file://" + f + " @load_st/in auto_compress=true");
            assertThat(put).hasSize(1);
            assertThat(put.get(0)).contains("people.csv", "people.csv.gz", "UPLOADED");
            List<List<String>> listed = rows(s, "list @load_st");
            assertThat(listed).extracting(r -> r.get(0)).containsExactly("load_st/in/people.csv.gz");

            List<List<String>> copy = rows(s, "copy into people from @load_st/in");
            assertThat(copy).hasSize(1);
            assertThat(copy.get(0).subList(0, 6)).containsExactly("load_st/in/people.csv.gz", "LOADED", "3", "3", "1", "0");
            assertThat(rows(s, "select id, name, seen is null, doc from people order by id"))
                    .containsExactly(List.of("1", "Ada", "FALSE", "{\"a\":1}"), Arrays.asList("2", "Grace, H.", "TRUE", null), List.of("3", "", "FALSE", "[1]"));

            assertThat(rows(s, "copy into people from @load_st/in")).containsExactly(List.of("Copy executed with 0 files processed."));
            assertThat(s.executeUpdate("copy into people from @load_st/in force = true")).isEqualTo(3);
            assertThat(rows(s, "select count(*) from people")).containsExactly(List.of("6"));
        }
    }

    @Test
    void tableStageUserStageExplicitColumnsPatternAndPurge() throws Exception {
        Path a = csv("a_1.csv", "x,10\ny,20\n");
        Path b = csv("b_1.csv", "z,30\n");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create or replace table pairs (n number, label varchar, extra varchar)");
            rows(s, "put file://" + dir + "/*_1.csv @%pairs auto_compress = false");
            assertThat(rows(s, "list @%pairs")).extracting(r -> r.get(0)).containsExactly("a_1.csv", "b_1.csv");
            List<List<String>> copy = rows(s, "copy into pairs (label, n) from @%pairs pattern = 'a_.*[.]csv' purge = true");
            assertThat(copy).extracting(r -> r.get(1)).containsExactly("LOADED");
            assertThat(rows(s, "list @%pairs")).extracting(r -> r.get(0)).containsExactly("b_1.csv");
            assertThat(rows(s, "select label, n, extra from pairs order by n")).containsExactly(Arrays.asList("x", "10", null), Arrays.asList("y", "20", null));
            assertThatThrownBy(() -> s.execute("copy into pairs from @%pairs files = ('b_1.csv')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("Number of columns in file (2) does not match that of the corresponding table (3)");
            assertThatThrownBy(() -> s.execute("list @%no_such_table")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(2003));

            rows(s, "put file://" + b + " @~/staged overwrite = true");
            assertThat(rows(s, "list @~/staged")).extracting(r -> r.get(0)).containsExactly("staged/b_1.csv.gz");
            Path out = Files.createDirectories(dir.resolve("out"));
            List<List<String>> got = rows(s, "get @~/staged file://" + out + "/");
            assertThat(got).hasSize(1);
            assertThat(new String(new java.util.zip.GZIPInputStream(Files.newInputStream(out.resolve("b_1.csv.gz"))).readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("z,30\n");
            assertThat(rows(s, "remove @~/staged")).containsExactly(List.of("staged/b_1.csv.gz", "removed"));
            assertThat(rows(s, "list @~/staged")).isEmpty();
            assertThat(a).exists();
        }
    }

    @Test
    void onErrorAbortContinueAndSkipFile() throws Exception {
        Path gz = dir.resolve("mixed.csv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write("1,one\nnot-a-number,two\n3,three\n".getBytes(StandardCharsets.UTF_8));
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create or replace table nums (n number, word varchar)");
            s.execute("create or replace stage err_st");
            rows(s, "put file://" + gz + " @err_st source_compression = gzip");
            assertThatThrownBy(() -> s.execute("copy into nums from @err_st"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("'not-a-number'").hasMessageContaining("line 2").hasMessageContaining("ON_ERROR");
            assertThat(rows(s, "select count(*) from nums")).containsExactly(List.of("0"));
            List<List<String>> skip = rows(s, "copy into nums from @err_st on_error = skip_file");
            assertThat(skip.get(0).subList(1, 6)).containsExactly("LOAD_FAILED", "3", "0", "1", "1");
            List<List<String>> cont = rows(s, "copy into nums from @err_st on_error = continue");
            assertThat(cont.get(0).subList(1, 6)).containsExactly("PARTIALLY_LOADED", "3", "2", "3", "1");
            assertThat(cont.get(0).get(9)).isEqualTo("\"NUMS\"[\"N\"]");
            assertThat(rows(s, "select n, word from nums order by n")).containsExactly(List.of("1", "one"), List.of("3", "three"));
        }
    }

    @Test
    void parquetByColumnNameAndLoadHistoryFollowsTheTransaction() throws Exception {
        Path parquet = dir.resolve("rows.parquet");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement d = duck.createStatement()) {
            d.execute("copy (select 7::bigint as Id, 'seven' as Label, 1.5::double as Ignored union all select 8, null, 2.5) to '" + parquet + "' (format parquet)");
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create or replace table pq (label varchar, id number(10,0), missing varchar)");
            rows(s, "put file://" + parquet + " @%pq");
            assertThatThrownBy(() -> s.execute("copy into pq from @%pq file_format = (type = parquet)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("MATCH_BY_COLUMN_NAME");
            c.setAutoCommit(false);
            assertThat(s.executeUpdate("copy into pq from @%pq file_format = (type = parquet) match_by_column_name = case_insensitive")).isEqualTo(2);
            c.rollback();
            assertThat(rows(s, "select count(*) from pq")).containsExactly(List.of("0"));
            assertThat(s.executeUpdate("copy into pq from @%pq file_format = (type = parquet) match_by_column_name = case_insensitive")).isEqualTo(2);
            c.commit();
            c.setAutoCommit(true);
            assertThat(rows(s, "select id, label, missing from pq order by id")).containsExactly(Arrays.asList("7", "seven", null), Arrays.asList("8", null, null));
            assertThat(rows(s, "copy into pq from @%pq file_format = (type = parquet) match_by_column_name = case_insensitive"))
                    .containsExactly(List.of("Copy executed with 0 files processed."));
        }
    }

    @Test
    void stagesAreCreatedDroppedAndTemporaryOnesEndWithTheSession() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("list @nowhere")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("Stage 'TRIBUTARY.PUBLIC.NOWHERE' does not exist");
            s.execute("create temporary stage tmp_st");
            s.execute("create stage if not exists tmp_st");
            assertThatThrownBy(() -> s.execute("create stage tmp_st")).isInstanceOf(SQLException.class).hasMessageContaining("already exists");
            s.execute("create stage kept_st");
            assertThat(rows(s, "list @tmp_st")).isEmpty();
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("list @tmp_st")).isInstanceOf(SQLException.class).hasMessageContaining("does not exist");
            assertThat(rows(s, "list @kept_st")).isEmpty();
            s.execute("drop stage kept_st");
            s.execute("drop stage if exists kept_st");
            assertThatThrownBy(() -> s.execute("drop stage kept_st")).isInstanceOf(SQLException.class).hasMessageContaining("does not exist");
            assertThatThrownBy(() -> s.execute("create stage ext_st url = 's3://bucket/'")).isInstanceOf(SQLException.class).hasMessageContaining("external stage");
        }
    }

    /** A session's temporary table named without its schema (as the warehouse kit names its staging) takes COPYs; another session's table of that name does not see them. */
    @Test
    void copyIntoATemporaryTableOfTheSession() throws Exception {
        Path f = csv("staged.csv", "1,\"Ada\"\n2,\\N\n");
        try (Connection a = connect(); Connection b = connect(); Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sa.execute("create or replace temporary table \"_STAGED\" (\"SEQ\" number(38,0), \"NAME\" varchar, \"EXTRA\" varchar)");
            sb.execute("create or replace temporary table \"_STAGED\" (\"SEQ\" number(38,0), \"NAME\" varchar, \"EXTRA\" varchar)");
            sa.execute("create temporary stage load_tmp");
            rows(sa, "put file://" + f + " @load_tmp/p/");
            List<List<String>> copy = rows(sa, "copy into \"_STAGED\" (\"SEQ\", \"NAME\") from @load_tmp/p/ files = ('staged.csv.gz') "
                    + "file_format = (type = csv field_optionally_enclosed_by = '\"' null_if = ('\\\\N')) on_error = abort_statement purge = true");
            assertThat(copy).singleElement().satisfies(r -> assertThat(r.subList(1, 4)).containsExactly("LOADED", "2", "2"));
            assertThat(rows(sa, "select \"SEQ\", \"NAME\", \"EXTRA\" from \"_STAGED\" order by 1"))
                    .containsExactly(Arrays.asList("1", "Ada", null), Arrays.asList("2", null, null));
            assertThat(rows(sb, "select count(*) from \"_STAGED\"")).containsExactly(List.of("0"));
            assertThat(rows(sa, "list @load_tmp")).isEmpty();
        }
    }

    @Test
    void twoSessionsHaveTemporaryStagesOfTheSameNameApart() throws Exception {
        Path one = csv("one.csv", "1\n");
        Path two = csv("two.csv", "2\n");
        try (Connection a = connect(); Connection b = connect(); Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sa.execute("create temporary stage mine");
            sb.execute("create temporary stage mine");
            rows(sa, "put file://" + one + " @mine");
            rows(sb, "put file://" + two + " @mine");
            assertThat(rows(sa, "list @mine")).extracting(r -> r.get(0)).containsExactly("mine/one.csv.gz");
            assertThat(rows(sb, "list @mine")).extracting(r -> r.get(0)).containsExactly("mine/two.csv.gz");
        }
    }
}
