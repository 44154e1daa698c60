package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dbt features common in real projects: custom generic tests, run_query / statement, config.get, on_schema_change. */
class TransformCompatDuckDbTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
    }

    private RunSummary build() {
        return new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
    }

    private static final String AMOUNTS = "select * from (values (1, 5), (2, -3), (3, 7)) t(id, amount)";

    @Test
    void customGenericTestsFromMacrosAndTestsGenericWithArgumentsAndConfig() {
        Fixtures.project(dir,
                "models/m.sql", AMOUNTS,
                "macros/tests.sql", """
                        {% test is_positive(model, column_name) %}
                        select * from {{ model }} where {{ column_name }} <= 0
                        {% endtest %}
                        """,
                "tests/generic/ranges.sql", """
                        {%- test in_range(model, column_name, min_value, max_value=100) -%}
                        select * from {{ model }} where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}
                        {%- endtest %}
                        {% test has_rows(model, at_least) %}
                        {{ config(severity='warn') }}
                        select 1 as short from (select count(*) as n from {{ model }}) c where n < {{ at_least }}
                        {% endtest %}
                        """,
                "models/schema.yml", """
                        version: 2
                        models:
                          - name: m
                            data_tests:
                              - has_rows: {at_least: 10}
                              - has_rows:
                                  at_least: 20
                                  config: {severity: error}
                            columns:
                              - name: amount
                                data_tests:
                                  - is_positive
                                  - is_positive:
                                      name: positive_outside_2
                                      config: {where: "id <> 2"}
                                  - in_range:
                                      arguments: {min_value: -5}
                                  - in_range:
                                      min_value: 0
                                      max_value: 6
                                      config: {warn_if: '>= 1', error_if: '> 5'}
                        """);
        RunSummary r = build();
        assertThat(r.status("is_positive_m_amount")).isEqualTo(NodeStatus.FAIL);
        assertThat(r.result("is_positive_m_amount").orElseThrow().failures()).isEqualTo(1L);
        assertThat(r.status("positive_outside_2")).isEqualTo(NodeStatus.PASS);
        assertThat(r.status("in_range_m_amount___5")).isEqualTo(NodeStatus.PASS);
        assertThat(r.status("in_range_m_amount__0__6")).isEqualTo(NodeStatus.WARN);
        assertThat(r.result("in_range_m_amount__0__6").orElseThrow().failures()).isEqualTo(2L);
        // config() inside the test's definition sets its default; the schema.yml config wins
        assertThat(r.status("has_rows_m__10")).isEqualTo(NodeStatus.WARN);
        assertThat(r.status("has_rows_m__20")).isEqualTo(NodeStatus.FAIL);
        // the test file under tests/generic is not a singular test
        assertThat(r.results()).extracting(NodeResult::name).doesNotContain("ranges");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void aProjectTestOverridesTheBuiltInOfTheSameName() {
        Fixtures.project(dir,
                "models/m.sql", "select * from (values (1), (1), (null)) t(id)",
                "macros/unique.sql", """
                        {% test unique(model, column_name) %}
                        select {{ column_name }} from {{ model }} where {{ column_name }} is not null group by 1 having count(*) > 2
                        {% endtest %}
                        """,
                "models/schema.yml", """
                        models:
                          - name: m
                            columns:
                              - name: id
                                tests: [unique, not_null]
                        """);
        RunSummary r = build();
        assertThat(r.status("unique_m_id")).isEqualTo(NodeStatus.PASS); // the built-in would fail on the duplicate 1
        assertThat(r.status("not_null_m_id")).isEqualTo(NodeStatus.FAIL);
    }

    @Test
    void aModelDescribedInTwoYamlFilesIsAConfigErrorNamingBothRatherThanDroppingTheFirstOnesTests() {
        Fixtures.project(dir, "models/m.sql", "select 1 as id",
                "models/schema.yml", "models:\n  - name: m\n    columns:\n      - name: id\n        tests: [unique]\n",
                "models/more.yml", "models:\n  - name: m\n    checks:\n      - row_count: {min: 1}\n");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'m' is already described at")
                .hasMessageContaining("schema.yml").hasMessageContaining("more.yml");
    }

    @Test
    void anUnknownGenericTestIsAConfigErrorNamingTheFile() {
        Fixtures.project(dir, "models/m.sql", "select 1 as id",
                "models/schema.yml", "models:\n  - name: m\n    columns:\n      - name: id\n        tests: [is_even]\n");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models/schema.yml").hasMessageContaining("is_even");
    }

    @Test
    void runQueryAndStatementPivotOnDistinctValuesOnlyWhenExecuting() {
        Fixtures.project(dir,
                "seeds/payments.csv", "order_id,method,amount\n1,card,10\n1,cash,5\n2,card,7\n3,gift,2\n",
                "models/pivoted.sql", """
                        {%- set results = run_query("select distinct method from " ~ ref('payments') ~ " order by 1") -%}
                        {%- set methods = results.columns[0].values() if execute else [] -%}
                        {%- call statement('totals', fetch_result=True) -%}
                          select count(*) as n, sum(amount) as total from {{ ref('payments') }}
                        {%- endcall -%}
                        {%- set totals = load_result('totals') -%}
                        select order_id,
                        {%- for m in methods %}
                          sum(case when method = '{{ m }}' then amount else 0 end) as {{ m }}_amount,
                        {%- endfor %}
                          {{ totals['data'][0][1] if execute else 0 }} as grand_total,
                          {{ results.rows | length }} as n_methods,
                          '{{ results.column_names | join(",") }}' as cols
                        from {{ ref('payments') }}
                        group by order_id
                        """);
        RunSummary r = build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(Fixtures.query(url(), "select order_id, card_amount, cash_amount, gift_amount, grand_total, n_methods, cols from main.pivoted order by 1").toString())
                .isEqualTo("[[1, 10, 5, 0, 24, 3, method], [2, 7, 0, 0, 24, 3, method], [3, 0, 0, 2, 24, 3, method]]");
        List<CompiledNode> compiled = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).compile();
        assertThat(compiled.stream().filter(c -> c.name().equals("pivoted")).findFirst().orElseThrow().compiledSql()).contains("as gift_amount");
    }

    @Test
    void unguardedRunQueryParsesToAnEmptyResultAndRunsForReal() {
        Fixtures.project(dir, "models/u.sql", """
                {%- set vals = run_query("select * from (values ('x'), ('y')) t(v) order by 1").columns[0].values() -%}
                select {% for v in vals %}'{{ v }}' as c_{{ v }}, {% endfor %}{{ vals | length }} as n
                """);
        RunSummary r = build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(Fixtures.query(url(), "select c_x, c_y, n from main.u").toString()).isEqualTo("[[x, y, 2]]");
    }

    @Test
    void runQueryFailureNamesTheModel() {
        Fixtures.project(dir, "models/bad.sql", "{% set r = run_query('select * from nowhere_table') %}select 1 as x");
        RunSummary r = build();
        assertThat(r.status("bad")).isEqualTo(NodeStatus.ERROR);
        assertThat(r.result("bad").orElseThrow().message()).contains("models/bad.sql").contains("nowhere_table");
    }

    @Test
    void configGetAndRequireAndModelConfig() {
        Fixtures.project(dir,
                "macros/m.sql", """
                        {% macro label() %}{{ config.get('label_prefix', 'none') }}_{{ model.config.materialized }}{% endmacro %}
                        """,
                "models/a.sql", """
                        {{ config(materialized='table', label_prefix='lbl') }}
                        select '{{ label() }}' as label, '{{ config.get("missing_key", "dflt") }}' as d,
                               '{{ config.require("materialized") }}' as mat, '{{ config.get("tags") | join(",") }}' as tags
                        """,
                "models/b.sql", "select '{{ config.require('no_such_key') }}' as x",
                "dbt_project.yml", "name: t\nprofile: t\nmodels:\n  t:\n    +tags: [nightly]\n");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models/b.sql").hasMessageContaining("no_such_key");
        Fixtures.write(dir.resolve("models/b.sql"), "select 1 as x");
        RunSummary r = build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(Fixtures.query(url(), "select label, d, mat, tags from main.a").toString()).isEqualTo("[[lbl_table, dflt, table, nightly]]");
    }

    private void incremental(String mode, String select) {
        Fixtures.write(dir.resolve("models/inc.sql"), "{{ config(materialized='incremental', on_schema_change='" + mode + "') }}\n" + select);
    }

    @Test
    void onSchemaChangeIgnoreFailAppendAndSync() {
        Fixtures.project(dir);
        incremental("ignore", "select 1 as id, 'a' as v");
        assertThat(build().exitCode()).isZero();
        incremental("ignore", "select 2 as id, 'b' as v, 10 as extra");
        assertThat(build().exitCode()).isZero();
        assertThat(Fixtures.query(url(), "select * from main.inc order by id").toString()).isEqualTo("[[1, a], [2, b]]");

        incremental("fail", "select 3 as id, 'c' as v, 10 as extra");
        RunSummary failed = build();
        assertThat(failed.status("inc")).isEqualTo(NodeStatus.ERROR);
        assertThat(failed.result("inc").orElseThrow().message()).contains("out of sync").contains("extra");
        assertThat(Fixtures.scalar(url(), "select count(*) from main.inc")).isEqualTo(2L);
        assertThat(Fixtures.scalar(url(), "select count(*) from information_schema.tables where table_name = 'inc__dbt_tmp'")).isEqualTo(0L);

        incremental("append_new_columns", "select 3 as id, 10 as extra");
        assertThat(build().exitCode()).isZero();
        assertThat(Fixtures.query(url(), "select id, v, extra from main.inc order by id").toString()).isEqualTo("[[1, a, null], [2, b, null], [3, null, 10]]");

        incremental("sync_all_columns", "select 4 as id, cast(11 as bigint) as extra, true as flag");
        assertThat(build().exitCode()).isZero();
        assertThat(Fixtures.query(url(), "select column_name, data_type from information_schema.columns where table_name = 'inc' order by ordinal_position").toString())
                .isEqualTo("[[id, INTEGER], [extra, BIGINT], [flag, BOOLEAN]]");
        assertThat(Fixtures.query(url(), "select id, extra, flag from main.inc order by id").toString())
                .isEqualTo("[[1, null, null], [2, null, null], [3, 10, null], [4, 11, true]]");
    }

    @Test
    void localPackagesProvideModelsSeedsMacrosAndGenericTests() {
        Fixtures.project(dir,
                "packages.yml", "packages:\n  - local: vendor/util\n",
                "vendor/util/dbt_project.yml", "name: util\nversion: '1.0'\nmodels:\n  util:\n    +materialized: view\n",
                "vendor/util/macros/money.sql", """
                        {% macro cents_to_dollars(col) %}({{ col }} / 100.0){% endmacro %}
                        {% test non_negative(model, column_name) %}select * from {{ model }} where {{ column_name }} < 0{% endtest %}
                        """,
                "vendor/util/models/util_model.sql", "select 1 as id, 250 as cents",
                "vendor/util/models/schema.yml", "models:\n  - name: util_model\n    columns:\n      - name: id\n        tests: [not_null]\n",
                "vendor/util/seeds/util_seed.csv", "k\n1\n2\n",
                "models/a.sql", """
                        select {{ util.cents_to_dollars('cents') }} as d1, {{ cents_to_dollars('cents') }} as d2, n
                        from {{ ref('util', 'util_model') }} cross join (select count(*) as n from {{ ref('util_seed') }}) s
                        """,
                "models/schema.yml", "models:\n  - name: a\n    columns:\n      - name: d1\n        tests: [util.non_negative]\n");
        Fixtures.write(dir.resolve("dbt_project.yml"), "name: t\nprofile: t\nmodels:\n  util:\n    +materialized: table\n");
        RunSummary r = build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(r.results()).extracting(NodeResult::uniqueId).contains("model.util.util_model", "seed.util.util_seed", "model.t.a");
        assertThat(r.status("non_negative_a_d1")).isEqualTo(NodeStatus.PASS);
        assertThat(r.status("not_null_util_model_id")).isEqualTo(NodeStatus.PASS);
        assertThat(Fixtures.query(url(), "select d1, d2, n from main.a").toString()).isEqualTo("[[2.5, 2.5, 2]]");
        // the root project's config for the package wins over the package's own
        assertThat(Fixtures.scalar(url(), "select table_type from information_schema.tables where table_name = 'util_model'")).isEqualTo("BASE TABLE");
    }

    @Test
    void hubAndGitPackagesAreAClearErrorNamingTheLine() {
        Fixtures.project(dir, "models/m.sql", "select 1 as id",
                "packages.yml", "packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.1.1\n");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("packages.yml:2").hasMessageContaining("dbt-labs/dbt_utils")
                .hasMessageContaining("local:");
        Fixtures.write(dir.resolve("packages.yml"), "");
        Fixtures.write(dir.resolve("dependencies.yml"), "packages:\n  - local: vendor/ok\n  - git: https://github.com/x/y.git\n    revision: main\n");
        Fixtures.write(dir.resolve("vendor/ok/dbt_project.yml"), "name: ok\n");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dependencies.yml:3").hasMessageContaining("git package");
    }

    @Test
    void refToAPackageThatIsNotInstalledIsAnError() {
        Fixtures.project(dir, "models/m.sql", "select * from {{ ref('dbt_utils', 'x') }}");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dbt_utils").hasMessageContaining("not installed");
    }
}
