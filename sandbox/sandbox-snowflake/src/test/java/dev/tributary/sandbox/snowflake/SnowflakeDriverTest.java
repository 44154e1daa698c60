package dev.tributary.sandbox.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.drivers.SnowflakeDriver;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real Snowflake JDBC driver against the sandbox on a random port: login, queries, types, errors, sessions. */
class SnowflakeDriverTest {
    static SnowflakeSandbox sandbox;

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

    @Test
    void logsInAndAnswersTheSessionsContext() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select current_database(), current_schema(), current_warehouse(), current_role(), current_user()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("TRIBUTARY");
            assertThat(rs.getString(2)).isEqualTo("PUBLIC");
            assertThat(rs.getString(3)).isEqualTo("SANDBOX_WH");
            assertThat(rs.getString(4)).isEqualTo("SYSADMIN");
            assertThat(rs.getString(5)).isEqualTo("TRIBUTARY");
            assertThat(c.getCatalog()).isEqualTo("TRIBUTARY");
            assertThat(c.getSchema()).isEqualTo("PUBLIC");
        }
    }

    @Test
    void typesRoundTripThroughTheDriver() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create or replace transient table types_rt (id number(38,0), amount number(12,2), ratio float, name varchar, flag boolean,"
                    + " day date, seen_at timestamp_ntz, payload variant)");
            s.execute("insert into types_rt select 1, 12.50, 0.25, 'it''s', true, '2024-02-29', '2024-02-29 13:14:15.123456', parse_json('{\"a\": [1, 2]}')");
            try (PreparedStatement ps = c.prepareStatement("insert into types_rt (id, amount, ratio, name, flag, day, seen_at) values (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, 2);
                ps.setBigDecimal(2, new BigDecimal("-3.75"));
                ps.setDouble(3, 1e10);
                ps.setString(4, "Zoë \"quoted\"");
                ps.setBoolean(5, false);
                ps.setDate(6, java.sql.Date.valueOf(LocalDate.of(1999, 12, 31)));
                ps.setNull(7, Types.TIMESTAMP);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            try (ResultSet rs = s.executeQuery("select id, amount, ratio, name, flag, day, seen_at, payload from types_rt order by id")) {
                ResultSetMetaData md = rs.getMetaData();
                assertThat(md.getColumnName(1)).isEqualTo("ID");
                assertThat(md.getColumnTypeName(2)).isEqualTo("NUMBER");
                assertThat(md.getScale(2)).isEqualTo(2);
                assertThat(md.getColumnTypeName(7)).isEqualTo("TIMESTAMPNTZ");
                assertThat(md.getColumnTypeName(8)).isEqualTo("VARIANT");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1);
                assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("12.50");
                assertThat(rs.getDouble(3)).isEqualTo(0.25);
                assertThat(rs.getString(4)).isEqualTo("it's");
                assertThat(rs.getBoolean(5)).isTrue();
                assertThat(rs.getDate(6).toLocalDate()).isEqualTo(LocalDate.of(2024, 2, 29));
                assertThat(rs.getTimestamp(7).toLocalDateTime()).isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_000));
                assertThat(rs.getString(8).replace(" ", "").replace("\n", "")).isEqualTo("{\"a\":[1,2]}");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("-3.75");
                assertThat(rs.getDouble(3)).isEqualTo(1e10);
                assertThat(rs.getString(4)).isEqualTo("Zoë \"quoted\"");
                assertThat(rs.getBoolean(5)).isFalse();
                assertThat(rs.getDate(6).toLocalDate()).isEqualTo(LocalDate.of(1999, 12, 31));
                assertThat(rs.getObject(7)).isNull();
                assertThat(rs.getString(8)).isNull();
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void dmlCountsAndSnowflakeFunctions() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create or replace table people (id int, name string, team text, joined timestamp_ntz)");
            assertThat(s.executeUpdate("insert into people values (1, 'ann', 'red', '2024-01-01'), (2, 'bob', null, '2024-01-05'), (3, 'cy', 'red', '2024-02-01')")).isEqualTo(3);
            assertThat(s.executeUpdate("update people set team = 'blue' where team is null")).isEqualTo(1);
            s.execute("create or replace table people_changes as select 3 as id, 'cyd' as name, 'red' as team, '2024-03-01'::timestamp_ntz as joined"
                    + " union all select 4, 'dee', 'blue', '2024-03-02'::timestamp_ntz");
            assertThat(s.executeUpdate("merge into people t using people_changes s on t.id = s.id when matched then update set name = s.name"
                    + " when not matched then insert (id, name, team, joined) values (s.id, s.name, s.team, s.joined)")).isEqualTo(2);
            try (ResultSet rs = s.executeQuery("select team, listagg(name, ',') within group (order by name) as names, count(*) as n,"
                    + " iff(count(*) > 1, 'many', 'one') as size, nvl(max(joined)::date::varchar, 'none') as last, datediff(day, min(joined), max(joined)) as span"
                    + " from people group by team qualify row_number() over (order by team) <= 2 order by team")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) rows.add(rs.getString("TEAM") + "|" + rs.getString("NAMES") + "|" + rs.getLong("N") + "|" + rs.getString("SIZE") + "|" + rs.getString("LAST") + "|" + rs.getLong("SPAN"));
                assertThat(rows).containsExactly("blue|bob,dee|2|many|2024-03-02|57", "red|ann,cyd|2|many|2024-02-01|31");
            }
            try (ResultSet rs = s.executeQuery("select dateadd(month, 1, '2024-01-31'::date)::date as d")) {
                rs.next();
                assertThat(rs.getDate(1).toLocalDate()).isEqualTo(LocalDate.of(2024, 2, 29));
            }
            assertThat(s.executeUpdate("delete from people where id > 2")).isEqualTo(2);
        }
    }

    @Test
    void errorsComeBackInSnowflakesShape() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("select * from no_such_table"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> {
                        SQLException x = (SQLException) e;
                        assertThat(x.getErrorCode()).isEqualTo(2003);
                        assertThat(x.getSQLState()).isEqualTo("42S02");
                        assertThat(x.getMessage()).contains("NO_SUCH_TABLE").contains("does not exist or not authorized");
                    });
            assertThatThrownBy(() -> s.execute("selec 1")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1003));
            assertThatThrownBy(() -> s.execute("use database nowhere")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("Database 'NOWHERE' does not exist");
            try (ResultSet rs = s.executeQuery("select 1")) {
                assertThat(rs.next()).isTrue(); // the session survives its errors
            }
        }
    }

    @Test
    void wrongPasswordIsRefusedWithSnowflakesCode() {
        Properties p = sandbox.connectionProperties();
        p.setProperty("password", "wrong");
        assertThatThrownBy(() -> DriverManager.getConnection(sandbox.jdbcUrl(), p)).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(390100))
                .hasMessageContaining("Incorrect username or password");
    }

    @Test
    void sessionCommandsShowAndDescribe() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create database if not exists other_db");
            s.execute("create schema if not exists other_db.staging");
            s.execute("use schema other_db.staging");
            s.execute("create or replace view v_one as select 1 as one, 'x' as \"lower\"");
            s.execute("use warehouse compute_wh");
            s.execute("alter session set timezone = 'UTC', query_tag = 'test'");
            try (ResultSet rs = s.executeQuery("select current_database(), current_schema(), current_warehouse()")) {
                rs.next();
                assertThat(rs.getString(1) + "." + rs.getString(2) + "@" + rs.getString(3)).isEqualTo("OTHER_DB.STAGING@COMPUTE_WH");
            }
            try (ResultSet rs = s.executeQuery("show terse objects in schema other_db.staging")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("name") + " " + rs.getString("kind")).isEqualTo("V_ONE VIEW");
            }
            List<String> cols = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("describe view v_one")) {
                while (rs.next()) cols.add(rs.getString("name") + " " + rs.getString("type"));
            }
            assertThat(cols).containsExactly("ONE NUMBER(38,0)", "lower VARCHAR(16777216)");
            try (ResultSet rs = s.executeQuery("select table_name, table_type from information_schema.tables where table_schema = 'STAGING'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1) + " " + rs.getString(2)).isEqualTo("V_ONE VIEW");
                assertThat(rs.next()).isFalse();
            }
            try (ResultSet rs = s.executeQuery("show schemas like 'STAG%' in database other_db")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("name")).isEqualTo("STAGING");
            }
            try (ResultSet rs = c.getMetaData().getTables("OTHER_DB", "STAGING", "%", null)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("TABLE_NAME")).isEqualTo("V_ONE");
            }
        }
    }

    @Test
    void transactionsCommitAndRollBack() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create or replace table tx (id int)");
            c.setAutoCommit(false);
            s.executeUpdate("insert into tx values (1)");
            c.rollback();
            s.executeUpdate("insert into tx values (2)");
            c.commit();
            c.setAutoCommit(true);
            s.execute("begin");
            s.executeUpdate("insert into tx values (3)");
            s.execute("rollback");
            try (ResultSet rs = s.executeQuery("select listagg(id, ',') within group (order by id) from tx")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("2");
            }
        }
    }

    @Test
    void expiredSessionTokensAreRenewedByTheDriver() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            sandbox.expireSessionTokens();
            try (ResultSet rs = s.executeQuery("select 42")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void closingTheConnectionEndsTheSession() throws SQLException {
        int before = sandbox.openSessions();
        Connection c = connect();
        assertThat(sandbox.openSessions()).isEqualTo(before + 1);
        c.close();
        assertThat(sandbox.openSessions()).isEqualTo(before);
    }

    // dbt-snowflake's DDL as the sandbox records it, the query history, UNSET, INSERT OVERWRITE, temporary views

    private static List<String> rows(Statement s, String sql, String... columns) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (String c : columns) row.add(rs.getString(c));
                out.add(String.join(" ", row));
            }
        }
        return out;
    }

    @Test
    void showTablesAndViewsAnswerWhatTheDdlSaid() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create schema props");
            s.execute("create or replace transient table props.t copy grants as (select 1 as a, 'x' as b)");
            s.execute("create table props.p (a int)");
            s.execute("create or replace secure view props.v copy grants as (select * from props.t)");
            s.execute("alter table props.t cluster by (a, lower(b))");
            assertThat(rows(s, "show tables in schema props", "name", "kind", "cluster_by", "automatic_clustering"))
                    .containsExactly("P TABLE  OFF", "T TRANSIENT LINEAR(a, lower(b)) ON");
            s.execute("alter table props.t suspend recluster");
            assertThat(rows(s, "show tables like 't' in schema props", "cluster_by", "automatic_clustering")).containsExactly("LINEAR(a, lower(b)) OFF");
            s.execute("alter table props.t resume recluster");
            assertThat(rows(s, "show tables like 't' in schema props", "automatic_clustering")).containsExactly("ON");
            assertThat(rows(s, "show views in schema props", "name", "is_secure")).containsExactly("V true");
            // replacing the table drops its clustering key, as in Snowflake
            s.execute("create or replace table props.t as (select 2 as a)");
            assertThat(rows(s, "show tables like 't' in schema props", "kind", "cluster_by", "automatic_clustering")).containsExactly("TABLE  OFF");
            assertThatThrownBy(() -> s.execute("alter table props.t resume recluster")).isInstanceOf(SQLException.class).hasMessageContaining("no clustering key");
            assertThatThrownBy(() -> s.execute("alter table props.missing cluster by (a)")).isInstanceOf(SQLException.class).hasMessageContaining("does not exist");
            assertThat(rows(s, "select a from props.v", "A")).containsExactly("2");
        }
    }

    @Test
    void theQueryHistoryKeepsEachStatementsTagAndWarehouse() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("alter session set query_tag = 'nightly'");
            s.execute("use warehouse big_wh");
            s.executeQuery("select 'tagged statement'").close();
            s.execute("alter session unset query_tag");
            assertThat(rows(s, "show parameters like 'query_tag' in session", "key", "value")).containsExactly("QUERY_TAG "); // unset: back to empty, still listed
            s.executeQuery("select 'untagged statement'").close();
        }
        List<String> seen = new ArrayList<>();
        for (SnowflakeSandbox.Query q : sandbox.queryHistory()) {
            if (q.text().contains("tagged statement")) seen.add(q.text() + " | " + q.queryTag() + " | " + q.warehouse());
        }
        assertThat(seen).containsExactly("select 'tagged statement' | nightly | BIG_WH", "select 'untagged statement' |  | BIG_WH");
    }

    @Test
    void insertOverwriteReplacesEveryRowInOneTransaction() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create schema if not exists ow");
            s.execute("create or replace table ow.t (a int not null)");
            s.execute("insert into ow.t values (1), (2), (3)");
            assertThat(s.executeUpdate("insert overwrite into ow.t (a) select 7 union all select 8")).isEqualTo(2);
            assertThat(rows(s, "select a from ow.t order by a", "A")).containsExactly("7", "8");
            // a failing insert leaves the old rows
            assertThatThrownBy(() -> s.execute("insert overwrite into ow.t (a) select null")).isInstanceOf(SQLException.class);
            assertThat(rows(s, "select a from ow.t order by a", "A")).containsExactly("7", "8");
        }
    }

    @Test
    void aQualifiedTemporaryViewLivesAsLongAsItsSession() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create schema if not exists tmpv");
            s.execute("create or replace temporary view tributary.tmpv.v__dbt_tmp as (select 1 as a)");
            assertThat(rows(s, "select a from tributary.tmpv.v__dbt_tmp", "A")).containsExactly("1");
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThat(rows(s, "show views in schema tributary.tmpv", "name")).isEmpty();
        }
    }
}
