package dev.tributary.sandbox.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.drivers.SnowflakeDriver;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the sandbox records of dbt-snowflake's DDL (TRANSIENT, SECURE, clustering keys) and shows in SHOW TABLES /
 * VIEWS, the query tag and warehouse of each statement in the query history, ALTER SESSION UNSET, INSERT OVERWRITE
 * and schema-qualified temporary views, through the real driver.
 */
class SnowflakeObjectPropertiesTest {
    static SnowflakeSandbox sandbox;

    @BeforeAll
    static void start() {
        SnowflakeDriver.load();
        sandbox = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(sandbox.jdbcUrl(), sandbox.connectionProperties());
    }

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
