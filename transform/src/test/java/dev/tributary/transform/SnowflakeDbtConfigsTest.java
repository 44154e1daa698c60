package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.sandbox.snowflake.SnowflakeSandbox;
import dev.tributary.sandbox.snowflake.SnowflakeSandboxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbt-snowflake's model configs built through the real Snowflake driver on the local sandbox: the statements the
 * sandbox received (its query history, with each statement's query tag and warehouse) are dbt-snowflake's, and what
 * the sandbox records of them (SHOW TABLES' kind / cluster_by / automatic_clustering, SHOW VIEWS' is_secure, the
 * stored case of quoted names) is what Snowflake would show.
 */
class SnowflakeDbtConfigsTest {
    @TempDir
    Path dir;

    private void project(int port, String projectQuoting) throws Exception {
        Files.writeString(dir.resolve("dbt_project.yml"), """
                name: sfconf
                profile: sfconf
                %s
                models:
                  sfconf:
                    +materialized: view
                """.formatted(projectQuoting));
        Files.writeString(dir.resolve("profiles.yml"), """
                sfconf:
                  target: sf
                  outputs:
                    sf:
                      type: snowflake
                      account: sandbox
                      user: TRIBUTARY
                      password: tributary
                      warehouse: transforming
                      database: tributary
                      schema: dbtsnow_conf
                      host: 127.0.0.1
                      port: %d
                      protocol: http
                      threads: 1
                """.formatted(port));
        Files.createDirectories(dir.resolve("models"));
    }

    private void model(String name, String text) throws Exception {
        Files.writeString(dir.resolve("models").resolve(name + ".sql"), text);
    }

    private RunSummary build() {
        TransformProject p = TransformProject.load(dir, TransformOptions.defaults().withProfilesDir(dir));
        return new TransformRunner(p, ProgressListener.NONE).build();
    }

    private static void assertBuilt(RunSummary r) {
        assertThat(r.results()).allSatisfy(x -> assertThat(x.status()).as(x.name() + ": " + x.message()).isIn(NodeStatus.SUCCESS, NodeStatus.PASS));
    }

    /** The statements the sandbox received that start with one of the prefixes, with their query tag and warehouse. */
    private static List<String> statements(SnowflakeSandbox sf, String... prefixes) {
        List<String> out = new ArrayList<>();
        for (SnowflakeSandbox.Query q : sf.queryHistory()) {
            String text = q.text().strip().replaceAll("\\s+", " ");
            for (String p : prefixes) {
                if (text.toLowerCase(Locale.ROOT).startsWith(p.toLowerCase(Locale.ROOT))) out.add(text + " | tag=" + q.queryTag() + " | wh=" + q.warehouse());
            }
        }
        return out;
    }

    @Test
    void tablesAndViewsAreBuiltWithDbtSnowflakesSql() throws Exception {
        try (SnowflakeSandbox sf = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults().withDatabases(List.of("TRIBUTARY")))) {
            project(sf.port(), "");
            model("clustered", "{{ config(materialized='table', cluster_by=['id', 'kind'], automatic_clustering=true, copy_grants=true) }}\nselect 2 as id, 'b' as kind union all select 1, 'a'");
            model("permanent", "{{ config(materialized='table', transient=false) }}\nselect 1 as id");
            model("plain", "{{ config(materialized='table') }}\nselect 1 as id");
            model("secret", "{{ config(secure=true, copy_grants=true) }}\nselect * from {{ ref('plain') }}");
            model("tagged", "{{ config(materialized='table', query_tag='nightly_revops', snowflake_warehouse='big_wh') }}\nselect 1 as id");
            assertBuilt(build());

            assertThat(statements(sf, "create or replace", "alter table", "use warehouse", "alter session")).containsExactlyInAnyOrder(
                    "create or replace transient table \"DBTSNOW_CONF\".\"CLUSTERED\" copy grants as ( select * from ( select 2 as id, 'b' as kind union all select 1, 'a' ) order by (id, kind) ) | tag= | wh=TRANSFORMING",
                    "alter table \"DBTSNOW_CONF\".\"CLUSTERED\" cluster by (id, kind) | tag= | wh=TRANSFORMING",
                    "alter table \"DBTSNOW_CONF\".\"CLUSTERED\" resume recluster | tag= | wh=TRANSFORMING",
                    "create or replace table \"DBTSNOW_CONF\".\"PERMANENT\" as ( select 1 as id ) | tag= | wh=TRANSFORMING",
                    "create or replace transient table \"DBTSNOW_CONF\".\"PLAIN\" as ( select 1 as id ) | tag= | wh=TRANSFORMING",
                    "create or replace secure view \"DBTSNOW_CONF\".\"SECRET\" copy grants as ( select * from \"TRIBUTARY\".\"DBTSNOW_CONF\".\"PLAIN\" ) | tag= | wh=TRANSFORMING",
                    "use warehouse big_wh | tag= | wh=TRANSFORMING",
                    "alter session set query_tag = 'nightly_revops' | tag= | wh=BIG_WH",
                    "create or replace transient table \"DBTSNOW_CONF\".\"TAGGED\" as ( select 1 as id ) | tag=nightly_revops | wh=BIG_WH",
                    "alter session unset query_tag | tag=nightly_revops | wh=BIG_WH",
                    "use warehouse TRANSFORMING | tag= | wh=BIG_WH");

            try (Connection c = java.sql.DriverManager.getConnection(sf.jdbcUrl(), sf.connectionProperties()); Statement s = c.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("show tables in schema tributary.dbtsnow_conf")) {
                    while (rs.next()) tables.add(rs.getString("name") + " " + rs.getString("kind") + " " + rs.getString("cluster_by") + " " + rs.getString("automatic_clustering"));
                }
                assertThat(tables).containsExactly("CLUSTERED TRANSIENT LINEAR(id, kind) ON", "PERMANENT TABLE  OFF", "PLAIN TRANSIENT  OFF", "TAGGED TRANSIENT  OFF");
                List<String> views = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("show views in schema tributary.dbtsnow_conf")) {
                    while (rs.next()) views.add(rs.getString("name") + " " + rs.getString("is_secure"));
                }
                assertThat(views).containsExactly("SECRET true");
                try (ResultSet rs = s.executeQuery("select id, kind from tributary.dbtsnow_conf.clustered")) {
                    List<String> rows = new ArrayList<>();
                    while (rs.next()) rows.add(rs.getInt(1) + rs.getString(2));
                    assertThat(rows).containsExactlyInAnyOrder("1a", "2b");
                }
            }
        }
    }

    @Test
    void aFailingModelStillPutsTheQueryTagAndWarehouseBack() throws Exception {
        try (SnowflakeSandbox sf = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults().withDatabases(List.of("TRIBUTARY")))) {
            project(sf.port(), "");
            model("broken", "{{ config(materialized='table', query_tag='broken_tag', snowflake_warehouse='big_wh') }}\nselect * from no_such_table");
            model("later", "{{ config(materialized='table') }}\nselect 1 as id");
            RunSummary r = build();
            assertThat(message(r, "broken")).contains("NO_SUCH_TABLE");
            // threads: 1, so "later" runs after "broken" (by name), on the connection it used
            assertThat(statements(sf, "alter session", "use warehouse", "create or replace transient table \"DBTSNOW_CONF\".\"LATER\"")).containsExactly(
                    "use warehouse big_wh | tag= | wh=TRANSFORMING",
                    "alter session set query_tag = 'broken_tag' | tag= | wh=BIG_WH",
                    "alter session unset query_tag | tag=broken_tag | wh=BIG_WH",
                    "use warehouse TRANSFORMING | tag= | wh=BIG_WH",
                    "create or replace transient table \"DBTSNOW_CONF\".\"LATER\" as ( select 1 as id ) | tag= | wh=TRANSFORMING");
        }
    }

    @Test
    void incrementalModelsUseTemporaryRelationsAndEveryStrategy() throws Exception {
        try (SnowflakeSandbox sf = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults().withDatabases(List.of("TRIBUTARY")))) {
            project(sf.port(), "");
            String rows = "select 1 as id, 'x' as v{% if is_incremental() %} union all select 2, 'y'{% endif %}";
            model("merged", "{{ config(materialized='incremental', unique_key='id') }}\n" + rows);
            model("deleted", "{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert') }}\n" + rows);
            model("overwritten", "{{ config(materialized='incremental', incremental_strategy='insert_overwrite') }}\n" + rows);
            model("appended", "{{ config(materialized='incremental') }}\n" + rows);
            assertBuilt(build());
            assertBuilt(build());
            assertThat(statements(sf, "create or replace temporary")).containsExactlyInAnyOrder(
                    "create or replace temporary table \"DBTSNOW_CONF\".\"DELETED__DBT_TMP\" as ( select 1 as id, 'x' as v union all select 2, 'y' ) | tag= | wh=TRANSFORMING",
                    "create or replace temporary view \"DBTSNOW_CONF\".\"APPENDED__DBT_TMP\" as ( select 1 as id, 'x' as v union all select 2, 'y' ) | tag= | wh=TRANSFORMING",
                    "create or replace temporary view \"DBTSNOW_CONF\".\"MERGED__DBT_TMP\" as ( select 1 as id, 'x' as v union all select 2, 'y' ) | tag= | wh=TRANSFORMING",
                    "create or replace temporary view \"DBTSNOW_CONF\".\"OVERWRITTEN__DBT_TMP\" as ( select 1 as id, 'x' as v union all select 2, 'y' ) | tag= | wh=TRANSFORMING");
            assertThat(statements(sf, "insert overwrite")).hasSize(1);
            try (Connection c = java.sql.DriverManager.getConnection(sf.jdbcUrl(), sf.connectionProperties()); Statement s = c.createStatement()) {
                for (String table : List.of("merged", "deleted", "overwritten")) {
                    try (ResultSet rs = s.executeQuery("select count(*), count(distinct id) from tributary.dbtsnow_conf." + table)) {
                        rs.next();
                        assertThat(rs.getInt(1) + "/" + rs.getInt(2)).as(table).isEqualTo("2/2");
                    }
                }
                try (ResultSet rs = s.executeQuery("select count(*), count(distinct id) from tributary.dbtsnow_conf.appended")) {
                    rs.next();
                    assertThat(rs.getInt(1) + "/" + rs.getInt(2)).isEqualTo("3/2"); // without a unique_key every new row is inserted
                }
            }
        }
    }

    @Test
    void quotingKeepsTheNamesCaseAtProjectAndModelLevel() throws Exception {
        try (SnowflakeSandbox sf = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults().withDatabases(List.of("TRIBUTARY")))) {
            project(sf.port(), "quoting:\n  identifier: true");
            model("quoted_table", "{{ config(materialized='table') }}\nselect 1 as id");
            model("resolved_view", "{{ config(quoting={'identifier': false}) }}\nselect * from {{ ref('quoted_table') }}");
            assertBuilt(build());
            assertThat(statements(sf, "create or replace")).containsExactlyInAnyOrder(
                    "create or replace transient table \"DBTSNOW_CONF\".\"quoted_table\" as ( select 1 as id ) | tag= | wh=TRANSFORMING",
                    "create or replace view \"DBTSNOW_CONF\".\"RESOLVED_VIEW\" as ( select * from \"TRIBUTARY\".\"DBTSNOW_CONF\".\"quoted_table\" ) | tag= | wh=TRANSFORMING");
            try (Connection c = java.sql.DriverManager.getConnection(sf.jdbcUrl(), sf.connectionProperties()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("show objects in schema tributary.dbtsnow_conf")) {
                List<String> names = new ArrayList<>();
                while (rs.next()) names.add(rs.getString("name"));
                assertThat(names).containsExactlyInAnyOrder("quoted_table", "RESOLVED_VIEW");
            }
        }
    }

    @Test
    void configsTheTargetDoesNotSupportAreErrorsNamingModelAndConfig() throws Exception {
        try (SnowflakeSandbox sf = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults().withDatabases(List.of("TRIBUTARY")))) {
            project(sf.port(), "");
            model("iceberg", "{{ config(materialized='table', table_type='iceberg') }}\nselect 1 as id");
            model("bad_quoting", "{{ config(quoting={'column': true}) }}\nselect 1 as id");
            assertThatThrownBy(() -> TransformProject.load(dir, TransformOptions.defaults().withProfilesDir(dir)))
                    .hasMessageContaining("models/bad_quoting.sql").hasMessageContaining("quoting.column");
            Files.delete(dir.resolve("models/bad_quoting.sql"));
            model("bad_tmp", "{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert', tmp_relation_type='view') }}\nselect 1 as id");
            RunSummary first = build();
            RunSummary r = build(); // bad_tmp is checked once the table exists
            assertThat(message(first, "iceberg")).contains("iceberg", "table_type", "does not support");
            assertThat(message(r, "bad_tmp")).contains("bad_tmp", "tmp_relation_type");
            assertThat(r.exitCode()).isEqualTo(1);
        }
    }

    private static String message(RunSummary r, String model) {
        return r.results().stream().filter(x -> x.name().equals(model)).findFirst().orElseThrow().message();
    }
}
