package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbt context idioms real projects and packages use that Tributary lacked (each failed to compile, or was silently
 * ignored, before): {@code api.Relation.add_ephemeral_prefix} and an ephemeral ref's {@code is_cte} (dbt_utils'
 * {@code _is_ephemeral}), {@code incorporate(path=..)} and {@code replace_path(..)}, the {@code as_bool} /
 * {@code as_number} / {@code as_native} / {@code as_text} filters (in dbt_project.yml too), {@code fromyaml} /
 * {@code toyaml}, {@code print}, {@code adapter.quote_as_configured} / {@code check_schema_exists}, the {@code model}
 * node's alias, schema, database and tags, and a column's string form.
 */
class DbtContextIdiomsTest {
    @TempDir
    Path dir;

    private static final String IDIOMS = """
            {{ config(materialized='table', tags=['nightly']) }}
            {% set e = ref('eph') %}
            select $${{ e.is_cte }}|{{ e.name.startswith(api.Relation.add_ephemeral_prefix('')) }}|{{ api.Relation.add_ephemeral_prefix('x') }}$$ as eph,
              $${{ this.incorporate(path={"identifier": this.identifier ~ '__tmp'}) }}|{{ ref('base').replace_path(schema='s2') }}\
            |{{ ref('base').incorporate(type='view').is_view }}$$ as paths,
              $${{ 'true' | as_bool }}|{{ '5' | as_number + 1 }}|{{ "['a', True, None]" | as_native }}|{{ 5 | as_text }}$$ as natives,
              $${{ fromyaml('a: 1\\nb: [x]') }}|{{ toyaml({'a': 1, 'b': ['x']}) | replace('\\n', ';') }}|{{ fromyaml(': bad: [') }}{{ print('printed') }}$$ as yaml,
              $${{ adapter.quote_as_configured('x', 'identifier') }}|{{ adapter.check_schema_exists(target.database, target.schema) if execute else '' }}\
            |{{ adapter.check_schema_exists(target.database, 'no_such_schema') if execute else '' }}$$ as adapter_calls,
              $${{ model.alias }}|{{ model.schema }}|{{ model.database }}|{{ model.tags }}|{{ adapter.get_columns_in_relation(ref('base'))[0] }}$$ as node,
              (select count(*) from {{ e }}) as eph_rows
            """;

    @Test
    void idiomsOfRealProjectsWork() {
        Fixtures.project(dir, "models/base.sql", "select 1 as id, 'x' as name",
                "models/eph.sql", "{{ config(materialized='ephemeral') }} select * from {{ ref('base') }}",
                "models/idioms.sql", IDIOMS,
                "models/flagged/flagged_model.sql", "select 1 as x");
        Fixtures.write(dir.resolve("dbt_project.yml"), "name: t\nprofile: t\nmodels:\n  t:\n    flagged:\n      +enabled: \"{{ 'False' | as_bool }}\"\n");
        TransformProject project = TransformProject.load(dir, Fixtures.duck(dir));
        assertThat(new TransformRunner(project, null).ls()).hasSize(3).noneMatch(name -> name.contains("flagged"));
        RunSummary r = new TransformRunner(project, null).build();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<Object> row = Fixtures.query("jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath(),
                "select eph, paths, natives, yaml, adapter_calls, node, eph_rows from main.idioms").get(0);
        assertThat(row).containsExactly(
                "True|True|__dbt__cte__x",
                "\"w\".\"main\".\"idioms__tmp\"|\"w\".\"s2\".\"base\"|True",
                "True|6|['a', True, None]|5",
                "{'a': 1, 'b': ['x']}|a: 1;b:;- x;|None",
                "\"x\"|True|False",
                "idioms|main|w|['nightly']|<Column id (INTEGER)>",
                1L);
    }
}
