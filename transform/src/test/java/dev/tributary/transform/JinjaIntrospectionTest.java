package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.testkit.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the introspection-utilities package (IntrospectUtilsPackageTest) needed of Tributary, each alone: Python's
 * precedence of {@code not}, {@code dict.update} with relation keys, {@code list_relations_without_caching} (macro and
 * adapter method) with schema-only and typed {@code api.Relation.create}, PostgreSQL column sizes in
 * {@code data_type} / {@code char_size} / {@code numeric_precision}, and {@code raise_compiler_error} stopping the render.
 */
class JinjaIntrospectionTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
    }

    private RunSummary build(String... files) {
        Fixtures.project(dir, files);
        return new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
    }

    @Test
    void notBindsLooserThanComparisonsAsInPython() {
        RunSummary r = build("models/m.sql", """
                {%- set l = ['a', 'b'] -%}
                select '{{ not 'c' in l }}|{{ not 'a' in l }}|{{ not 1 == 2 }}|{{ not 'a' == 'a' }}|{{ not none is none }}|{{ not 1 > 2 }}\
                |{{ not false and false }}|{{ not not true }}|{{ 'c' not in l }}|{{ 1 is not none }}\
                |{% if not 'q' in l %}y{% else %}n{% endif %}|{{ 'x' if not 2 < 1 else 'z' }}' as v""");
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(Fixtures.scalar(url(), "select v from main.m")).isEqualTo("True|False|True|False|False|True|False|True|True|True|y|x");
    }

    @Test
    void dictUpdateTakesRelationKeys() {
        RunSummary r = build("models/a.sql", "select 1 as x", "models/b.sql", "select 2 as x", "models/m.sql", """
                {%- set d = {} -%}
                {%- do d.update({ref('a'): ['x', 'y']}) -%}
                {%- do d.setdefault(ref('b'), []).append('z') -%}
                {%- do d.update({'plain': 1}) -%}
                select '{{ d[ref('a')] | join(',') }}|{{ d[ref('b')] | join(',') }}|{{ d | length }}|{{ d['plain'] }}' as v""");
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(Fixtures.scalar(url(), "select v from main.m")).isEqualTo("x,y|z|3|1");
    }

    @Test
    void listRelationsWithoutCachingAsMacroAndAdapterMethod() {
        RunSummary r = build("seeds/x_seed.csv", "id\n1\n", "models/x_view.sql", "{{ config(materialized='view') }} select * from {{ ref('x_seed') }}",
                "models/lister.sql", """
                {%- set schema_relation = api.Relation.create(database=target.database, schema=target.schema) -%}
                {%- set table = list_relations_without_caching(schema_relation) -%}
                {%- set from_macro = [] -%}
                {%- for row in table if row['name'].startswith('x_') -%}
                    {%- do from_macro.append(row['name'] ~ ':' ~ row['type'] ~ ':' ~ row['schema'] ~ ':' ~ row['database']) -%}
                {%- endfor -%}
                {%- set from_adapter = [] -%}
                {%- for rel in adapter.list_relations_without_caching(schema_relation) if rel.identifier.startswith('x_') -%}
                    {%- do from_adapter.append(rel ~ ':' ~ rel.type ~ ':' ~ rel.is_view) -%}
                {%- endfor -%}
                select '{{ from_macro | join(',') }}' as m, '{{ from_adapter | join(',') | replace("'", "''") }}' as a,
                  '{{ table.column_names | join(',') }}' as cols, '{{ schema_relation }}' as schema_only,
                  '{{ api.Relation.create(schema='s', identifier='t', type='view').is_view }}' as typed
                -- depends_on: {{ ref('x_view') }}
                """);
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(Fixtures.query(url(), "select m, a, cols, schema_only, typed from main.lister").toString())
                .isEqualTo("[[x_seed:table:main:w,x_view:view:main:w, \"w\".\"main\".\"x_seed\":table:False,\"w\".\"main\".\"x_view\":view:True,"
                        + " database,name,schema,type, \"w\".\"main\", True]]");
    }

    @Test
    void listRelationsNeedsASchemaRelation() {
        assertThatThrownBy(() -> build("models/m.sql", "{% do adapter.list_relations_without_caching('main') %} select 1 as x"))
                .hasMessageContaining("models/m.sql:1").hasMessageContaining("list_relations_without_caching() takes a relation with a schema");
    }

    /** dbt stops at raise_compiler_error: nothing after it runs, in the raising macro or in the macros that called it. */
    @Test
    void raiseCompilerErrorStopsTheRender() {
        RunSummary r = build("macros/m.sql", """
                {% macro inner() %}{{ exceptions.raise_compiler_error('boom in inner') }}{% do run_query('create table main.after_inner as select 1 as x') %}{% endmacro %}
                {% macro outer() %}{% do inner() %}{% do run_query('create table main.after_outer as select 1 as x') %}{% endmacro %}
                """, "models/m.sql", "{% if execute %}{{ outer() }}{% endif %} select 1 as x");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.results().get(0).message()).contains("boom in inner");
        assertThat(Fixtures.scalar(url(), "select count(*) from information_schema.tables where table_name like 'after_%'")).isEqualTo(0L);
    }

    /**
     * dbt ends the whole render at raise_compiler_error: the model's own text after the call (a query, a log, a later
     * raise in a loop) does not render or run.
     */
    @Test
    void raiseCompilerErrorEndsTheModelsOwnRender() {
        RunSummary r = build("models/m.sql", """
                select 1 as x
                {% if execute %}{{ exceptions.raise_compiler_error('stop here') }}{% endif %}
                {% do run_query('create table main.after_raise as select 1 as x') %}
                {% for i in range(3) %}{% if execute %}{% do run_query('create table main.in_loop_' ~ i ~ ' as select 1 as x') %}{% endif %}{% endfor %}
                """);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.results().get(0).message()).contains("stop here").contains("models/m.sql:2");
        assertThat(Fixtures.scalar(url(), "select count(*) from information_schema.tables where table_name like 'after_raise' or table_name like 'in_loop_%'")).isEqualTo(0L);
    }

    /** PostgreSQL reports varchar lengths and numeric precision apart from data_type; columns carry them as dbt-postgres's do. */
    @Test
    void postgresColumnsCarryTheirSizes() {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "tr_jinja_introspect");
        try {
            Fixtures.project(dir, "models/c.sql", "select cast('ab' as varchar(7)) as s, cast(1.5 as numeric(9,3)) as n, cast('x' as text) as t, cast('y' as char(2)) as f",
                    "models/d.sql", """
                    select '{% for col in adapter.get_columns_in_relation(ref('c')) -%}
                    {{ col.name }}:{{ col.data_type }}:{{ col.char_size }}:{{ col.numeric_precision }}:{{ col.numeric_scale }}:{{ col.string_size() if col.is_string() else '-' }};
                    {%- endfor %}' as v""");
            TransformOptions options = TransformOptions.defaults().withWarehouse(WarehouseTarget.of("postgres", url, schema, null, null).withThreads(1));
            RunSummary r = new TransformRunner(TransformProject.load(dir, options), null).build();
            assertThat(r.exitCode()).as(r.results().toString()).isZero();
            assertThat(Fixtures.scalar(url, "select v from " + schema + ".d"))
                    .isEqualTo("s:character varying(7):7:None:None:7;n:numeric(9,3):None:9:3:-;t:text:None:None:None:256;f:character(2):2:None:None:2;");
        } finally {
            TestDatabases.dropPostgresSchema(url, schema);
        }
    }
}
