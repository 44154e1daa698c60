package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbt-shaped objects: a Relation that is a mapping whose {@code metadata.type} ends in {@code Relation} (the check
 * packages use), with its attributes and methods and dbt's string form; Columns from
 * {@code adapter.get_columns_in_relation} with their type predicates; agate-like {@code run_query} results.
 */
class JinjaDbtObjectsTest {
    @TempDir
    Path dir;

    private static final String MACROS = """
            {% macro is_relation(obj) %}{{ return(obj is mapping and obj.get('metadata', {}).get('type', '').endswith('Relation')) }}{% endmacro %}
            """;

    private static final String MODEL = """
            {% set r = ref('src') %}
            {% set cols = adapter.get_columns_in_relation(r) %}
            {% set by_rel = {r: []} %}{% do by_rel[r].append(1) %}
            {% set q = run_query("select 1 as a, 'x' as b union all select 2, 'y' order by a") %}
            select {{ is_relation(r) }} as is_rel, {{ is_relation('x') }} as str_rel, '{{ r.metadata.type }}' as mtype,
              '{{ r.schema == this.schema }}' as same_schema, '{{ r.identifier }}|{{ r.name }}' as ident,
              '{{ r.include(schema=false) }}' as no_schema, '{{ r.incorporate(type="view").is_view }}' as is_view,
              {{ (r.render() == r ~ "") }} as renders, {{ by_rel[r]|length }} as keyed,
              '{% for c in cols %}{{ c.name }}:{{ c.is_string() }}{{ c.is_integer() }}{{ c.is_number() }}{{ c.is_numeric() }}{{ c.is_float() }}{% if not loop.last %},{% endif %}{% endfor %}' as col_kinds,
              '{{ cols[0].quoted }}|{{ cols[0].column }}|{{ cols[1].char_size }}|{{ cols[1].string_size() if execute else 0 }}|{{ cols[2].numeric_precision }}' as col_attrs,
              '{% if execute %}{{ q.column_names|join(",") }}|{{ q.columns|length }}|{% for name, col in q.columns.items() %}{{ name }}={{ col.values()|join("+") }};{% endfor %}|{{ q.columns["b"].values()|join }}|{{ q.rows[1]["b"] }}{{ q.print_table() }}{% endif %}' as agate
            """;

    private static final String SRC = "select 1::integer as id, cast('a' as varchar(20)) as label, cast(1.5 as numeric(10,2)) as amount, cast(2.5 as double precision) as ratio";

    private static final String EXPECTED_KINDS = "\"src\", True, true, 1, id:FalseTrueTrueFalseFalse,label:TrueFalseFalseFalseFalse,amount:FalseFalseTrueTrueFalse,ratio:FalseFalseTrueFalseTrue,";

    /** col_attrs: DuckDB drops varchar lengths (so an unsized string's 256), PostgreSQL keeps them; both keep numeric(10,2). */
    private static String expectedTail(String database, String colAttrs) {
        return "\"" + database + "\"." + EXPECTED_KINDS + " " + colAttrs + ", a,b|2|a=1+2;b=x+y;|xy|y]";
    }

    private static final String CHECK = "select is_rel, str_rel, mtype, same_schema, ident, no_schema, is_view, renders, keyed, col_kinds, col_attrs, agate from ";

    @Test
    void relationsColumnsAndResultsOnDuckDb() {
        Fixtures.project(dir, "macros/m.sql", MACROS, "models/src.sql", SRC, "models/objs.sql", MODEL);
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Fixtures.query("jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath(), CHECK + "main.objs").get(0).toString())
                .isEqualTo("[true, false, DuckDBRelation, True, src|src, " + expectedTail("w", "\"id\"|id|None|256|10"));
    }

    @Test
    void relationsColumnsAndResultsOnPostgres() {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "tr_jinjaobjs");
        try {
            Fixtures.project(dir, "macros/m.sql", MACROS, "models/src.sql", SRC, "models/objs.sql", MODEL);
            TransformOptions options = TransformOptions.defaults().withWarehouse(WarehouseTarget.of("postgres", url, schema, null, null).withThreads(2));
            RunSummary r = new TransformRunner(TransformProject.load(dir, options), null).build();
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(Fixtures.query(url, CHECK + schema + ".objs").get(0).toString())
                    .isEqualTo("[true, false, PostgresRelation, True, src|src, " + expectedTail("test", "\"id\"|id|20|20|10"));
        } finally {
            TestDatabases.dropPostgresSchema(url, schema);
        }
    }

    /**
     * {@code relation.information_schema('columns')} (dbt-audit-helper's PostgreSQL column listing), and without a view:
     * {@code "test".information_schema.columns} on PostgreSQL, unqualified on DuckDB (whose catalogs share one).
     */
    private static final String INFO = """
            select count(*) as n, '{{ ref('src').information_schema() }}' as schema_rel
            from {{ ref('src').information_schema('columns') }}
            where table_name = '{{ ref('src').identifier }}' and table_schema = '{{ ref('src').schema }}'
            """;

    @Test
    void informationSchemaOfARelationOnDuckDbAndPostgres() {
        Fixtures.project(dir, "models/src.sql", SRC, "models/info.sql", INFO);
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Fixtures.query("jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath(), "select n, schema_rel from main.info").get(0).toString())
                .isEqualTo("[4, information_schema]");
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "tr_infoschema");
        try {
            TransformOptions options = TransformOptions.defaults().withWarehouse(WarehouseTarget.of("postgres", url, schema, null, null).withThreads(2));
            RunSummary pg = new TransformRunner(TransformProject.load(dir, options), null).build();
            assertThat(pg.exitCode()).as(pg.toString()).isZero();
            assertThat(Fixtures.query(url, "select n, schema_rel from " + schema + ".info").get(0).toString()).isEqualTo("[4, \"test\".information_schema]");
        } finally {
            TestDatabases.dropPostgresSchema(url, schema);
        }
    }
}
