package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading as dbt loads: dbt_project.yml's render, vars holding Jinja, enabled flags, rendered sources, transitive packages. */
class ProjectLoadingDuckDbTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
    }

    private void sourceProject() {
        Fixtures.project(dir,
                "seeds/raw_items.csv", "id,label\n1,a\n2,b\n3,c\n",
                "models/sources.yml", """
                        sources:
                          - name: raw
                            schema: "{{ target.schema }}"
                            tables:
                              - name: items
                                identifier: "{{ 'raw_' ~ var('items_suffix', 'items') }}"
                        """,
                "models/from_var.sql", "-- depends_on: {{ ref('raw_items') }}\nselect * from {{ var('items_relation') }}",
                "models/introspected.sql", """
                        -- depends_on: {{ ref('raw_items') }}
                        {% set src = source('raw', 'items') -%}
                        {%- set rel = adapter.get_relation(database=src.database, schema=src.schema, identifier=src.identifier) -%}
                        {%- if execute and rel is none %}{{ exceptions.raise_compiler_error('not found: ' ~ src.identifier) }}{% endif -%}
                        select '{{ src.identifier }}' as identifier, '{{ src.database }}' as db, count(*) as n from {{ rel if rel is not none else src }}
                        """);
    }

    @Test
    void aVarHoldingSourceIsRenderedWhereItIsReadAndSourceAttributesAreRendered() {
        sourceProject();
        Fixtures.write(dir.resolve("dbt_project.yml"), """
                name: t
                profile: t
                vars:
                  items_relation: "{{ source('raw', 'items') }}"
                """);
        TransformProject p = TransformProject.load(dir, Fixtures.duck(dir));
        // the var's source() is recorded while parsing: the model depends on the source
        assertThat(p.nodes.get("model.t.from_var").dependsOn).contains("source.t.raw.items");
        assertThat(p.sources.get("source.t.raw.items").identifier()).isEqualTo("raw_items");
        RunSummary r = new TransformRunner(p, null).build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(Fixtures.query(url(), "select count(*) from main.from_var").toString()).isEqualTo("[[3]]");
        assertThat(Fixtures.query(url(), "select identifier, db, n from main.introspected").toString()).isEqualTo("[[raw_items, w, 3]]");
    }

    @Test
    void dbtProjectYamlSeesCliVarsButNotItsOwnVars() {
        Fixtures.project(dir,
                "models/base.sql", "select 1 as id",
                "models/extra/extra_model.sql", "select * from {{ ref('base') }}",
                "models/schema.yml", "models:\n  - name: extra_model\n    columns:\n      - name: id\n        tests: [not_null]\n");
        Fixtures.write(dir.resolve("dbt_project.yml"), """
                name: t
                profile: t
                vars:
                  load_extra: true
                  greeting: "{{ target.name }}"
                models:
                  t:
                    extra:
                      +enabled: "{{ var('load_extra', false) }}"
                """);
        // the project's own vars are not visible while dbt_project.yml renders (as in dbt): extra stays disabled
        assertThat(new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).ls()).containsExactly("t.base");
        TransformOptions withVar = Fixtures.duck(dir).withVars(Map.of("load_extra", true));
        TransformProject p = TransformProject.load(dir, withVar);
        assertThat(new TransformRunner(p, null).ls()).contains("t.base", "t.extra.extra_model");
        // the vars block is kept as written and rendered when read
        assertThat(p.vars.get("greeting")).isEqualTo("{{ target.name }}");
    }

    @Test
    void disabledNodesAreNotBuiltAndTheirTestsDoNotRun() {
        Fixtures.project(dir,
                "models/kept.sql", "select 1 as id",
                "models/off_by_yaml.sql", "select * from missing_table_that_would_fail",
                "models/off_by_config.sql", "{{ config(enabled=var('a', true) and var('b', false)) }}select * from missing_table_too",
                "models/off_by_folder/off_by_folder_model.sql", "select * from missing_table_three",
                "models/schema.yml", """
                        models:
                          - name: off_by_yaml
                            config:
                              enabled: "{{ var('off_enabled', false) }}"
                            columns:
                              - name: id
                                tests: [not_null, unique]
                          - name: off_by_config
                            columns:
                              - name: id
                                tests: [not_null]
                          - name: kept
                            columns:
                              - name: id
                                tests:
                                  - not_null
                                  - relationships:
                                      to: ref('off_by_config')
                                      field: id
                        """);
        Fixtures.write(dir.resolve("dbt_project.yml"), "name: t\nprofile: t\nmodels:\n  t:\n    off_by_folder:\n      +enabled: false\n");
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(r.results()).extracting(NodeResult::name).containsExactlyInAnyOrder("kept", "not_null_kept_id");
        assertThat(Fixtures.query(url(), "select table_name from information_schema.tables where table_schema = 'main' order by 1").toString()).isEqualTo("[[kept]]");
    }

    @Test
    void disabledSourceTablesHaveTheirTestsDisabled() {
        Fixtures.project(dir,
                "models/sources.yml", """
                        sources:
                          - name: raw
                            tables:
                              - name: gone
                                config:
                                  enabled: "{{ var('gone_enabled', false) }}"
                                columns:
                                  - name: id
                                    tests: [not_null]
                        """,
                "models/m.sql", "select 1 as id");
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(r.results()).extracting(NodeResult::name).containsExactly("m");
    }

    @Test
    void packagesOfPackagesAreInstalledOnce() {
        Fixtures.project(dir,
                "packages.yml", "packages:\n  - local: packages/a\n",
                "packages/a/dbt_project.yml", "name: pkg_a\n",
                "packages/a/packages.yml", "packages:\n  - local: ../b\n",
                "packages/a/models/am.sql", "select count(*) as n from {{ ref('pkg_b', 'bm') }}",
                "packages/b/dbt_project.yml", "name: pkg_b\n",
                "packages/b/packages.yml", "packages:\n  - local: ../a\n",
                "packages/b/macros/twice.sql", "{% macro twice(x) %}({{ x }} * 2){% endmacro %}",
                "packages/b/models/bm.sql", "select {{ twice(21) }} as v",
                "models/root_model.sql", "select n, (select v from {{ ref('pkg_b', 'bm') }}) as v from {{ ref('pkg_a', 'am') }}");
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(Fixtures.query(url(), "select n, v from main.root_model").toString()).isEqualTo("[[1, 42]]");
    }

    @Test
    void aHubPackageOfAPackageIsAnErrorAtItsFileAndLine() {
        Fixtures.project(dir,
                "packages.yml", "packages:\n  - local: packages/a\n",
                "packages/a/dbt_project.yml", "name: pkg_a\n",
                "packages/a/packages.yml", "packages:\n  - local: ../../packages/a\n  - package: dbt-labs/dbt_utils\n    version: 1.0.0\n",
                "models/m.sql", "select 1 as id");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("packages/a/packages.yml:3")
                .hasMessageContaining("hub package 'dbt-labs/dbt_utils'");
    }
}
