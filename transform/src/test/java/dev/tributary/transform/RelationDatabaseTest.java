package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relations render with their database part as dbt renders them ({@code "db"."schema"."table"}: DuckDB's catalog,
 * PostgreSQL's dbname), so strings such as union_relations' {@code _dbt_source_relation} equal dbt's; {@code include()}
 * still drops parts; a DuckDB source in another (attached) catalog is read from that catalog.
 */
class RelationDatabaseTest {
    @TempDir
    Path dir;

    private static final String NAMES = """
            {{ config(materialized='table') }}
            select '{{ ref('a') }}' as ref_name, '{{ this }}' as this_name, '{{ source('raw', 'events') }}' as source_name,
              '{{ ref('a').include(database=false) }}' as no_db, '{{ ref('a').include(schema=false) }}' as no_schema,
              '{{ ref('a').include(database=false).include(database=true) }}' as db_again,
              '{{ api.Relation.create(database=target.database, schema=target.schema, identifier='a') }}' as created,
              '{{ api.Relation.create(schema=target.schema, identifier='a') }}' as created_no_db,
              '{{ adapter.get_relation(database=target.database, schema=target.schema, identifier='a') }}' as got,
              {{ (ref('a') == adapter.get_relation(target.database, target.schema, 'a')) }} as same,
              (select count(*) from {{ ref('a') }}) as rows_a
            """;

    private static final String SOURCES = """
            sources:
              - name: raw
                schema: "{{ target.schema }}"
                tables: [{name: events, identifier: a}]
            """;

    private static final String CHECK = "select ref_name, this_name, source_name, no_db, no_schema, db_again, created, created_no_db, got, same, rows_a from ";

    @Test
    void duckDbRelationsCarryTheCatalog() throws Exception {
        Path other = dir.resolve("other.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + other.toAbsolutePath()); Statement s = c.createStatement()) {
            s.execute("create schema raw; create table raw.t as select 1 as id union all select 2");
        }
        Fixtures.project(dir, "models/a.sql", "select 1 as id", "models/names.sql", NAMES, "models/sources.yml", SOURCES + """
                  - name: ext
                    database: other
                    schema: raw
                    tables: [{name: t}]
                """,
                "models/ext_copy.sql", "{{ config(materialized='table', pre_hook=\"attach if not exists '" + other.toAbsolutePath()
                        + "' as other (read_only)\") }}\nselect *, '{{ source('ext', 't') }}' as rel from {{ source('ext', 't') }}");
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String url = "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
        assertThat(Fixtures.query(url, CHECK + "main.names").get(0)).containsExactly("\"w\".\"main\".\"a\"", "\"w\".\"main\".\"names\"",
                "\"w\".\"main\".\"a\"", "\"main\".\"a\"", "\"w\".\"a\"", "\"w\".\"main\".\"a\"", "\"w\".\"main\".\"a\"", "\"main\".\"a\"",
                "\"w\".\"main\".\"a\"", true, 1L);
        assertThat(Fixtures.query(url, "select count(*), min(rel) from main.ext_copy").get(0)).containsExactly(2L, "\"other\".\"raw\".\"t\"");
    }

    /** DuckDB names a file's catalog after its name up to the first dot: wh.v2.duckdb is catalog "wh". */
    @Test
    void duckDbCatalogOfAFileNameWithDots() {
        Fixtures.project(dir, "models/a.sql", "select 1 as id", "models/v.sql", "select *, '{{ ref('a') }}' as rel from {{ ref('a') }}");
        Path file = dir.resolve("wh.v2.duckdb");
        RunSummary r = new TransformRunner(TransformProject.load(dir, TransformOptions.defaults().withWarehouse(WarehouseTarget.duckdb(file, "main", 2))), null).build();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Fixtures.query("jdbc:duckdb:" + file.toAbsolutePath(), "select id, rel from main.v").get(0)).containsExactly(1, "\"wh\".\"main\".\"a\"");
    }

    @Test
    void postgresRelationsCarryTheDbname() {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "tr_i13_reldb");
        try {
            Fixtures.project(dir, "models/a.sql", "select 1 as id", "models/names.sql", NAMES, "models/sources.yml", SOURCES);
            TransformOptions options = TransformOptions.defaults().withWarehouse(WarehouseTarget.of("postgres", url, schema, null, null).withThreads(2));
            RunSummary r = new TransformRunner(TransformProject.load(dir, options), null).build();
            assertThat(r.exitCode()).as(r.toString()).isZero();
            String db = "\"test\"";
            String s = "\"" + schema + "\"";
            List<Object> row = Fixtures.query(url, CHECK + schema + ".names").get(0);
            assertThat(row).containsExactly(db + "." + s + ".\"a\"", db + "." + s + ".\"names\"", db + "." + s + ".\"a\"", s + ".\"a\"",
                    db + ".\"a\"", db + "." + s + ".\"a\"", db + "." + s + ".\"a\"", s + ".\"a\"", db + "." + s + ".\"a\"", true, 1L);
        } finally {
            TestDatabases.dropPostgresSchema(url, schema);
        }
    }
}
