package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Features the first tests left thin: selection by resource type, adapter calls, seeds, progress lines, checks, errors. */
class TransformCoverageDuckDbTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
    }

    private TransformRunner runner(TransformOptions o) {
        return new TransformRunner(TransformProject.load(dir, o), null);
    }

    private TransformRunner runner() {
        return runner(Fixtures.duck(dir));
    }

    private static String rows(String url, String sql) {
        return Fixtures.query(url, sql).toString();
    }

    @Test
    void resourceTypeSelection() {
        Fixtures.project(dir,
                "seeds/s.csv", "id\n1\n",
                "models/m.sql", "select * from {{ ref('s') }}",
                "models/schema.yml", "models:\n  - name: m\n    columns:\n      - name: id\n        tests: [not_null]\n    checks:\n      - row_count: {min: 1}\n",
                "snapshots/snap.sql", "{% snapshot snap %}{{ config(target_schema='main', unique_key='id', strategy='check', check_cols='all') }}select * from {{ ref('s') }}{% endsnapshot %}",
                "tests/singular.sql", "select * from {{ ref('m') }} where id < 0");
        assertThat(runner(Fixtures.duck(dir).withSelect("resource_type:seed")).ls()).containsExactly("t.s");
        assertThat(runner(Fixtures.duck(dir).withSelect("resource_type:model")).ls()).contains("t.m").doesNotContain("t.s", "t.snap");
        assertThat(runner(Fixtures.duck(dir).withSelect("resource_type:snapshot")).ls()).containsExactly("t.snap");
        assertThat(runner(Fixtures.duck(dir).withSelect("resource_type:test")).ls()).containsExactlyInAnyOrder("t.not_null_m_id", "t.singular");
        assertThat(runner(Fixtures.duck(dir).withSelect("resource_type:check")).ls()).containsExactly("t.row_count_m");
        assertThat(runner(Fixtures.duck(dir).withSelect("resource_type:model").withExclude("resource_type:test", "resource_type:check")).ls()).containsExactly("t.m");
        assertThat(runner(Fixtures.duck(dir).withSelect("test_type:singular")).ls()).containsExactly("t.singular");
        RunSummary seedsOnly = runner(Fixtures.duck(dir).withSelect("resource_type:seed")).build();
        assertThat(seedsOnly.results()).extracting(NodeResult::name).containsExactly("s");
        RunSummary rest = runner(Fixtures.duck(dir).withSelect("resource_type:model resource_type:snapshot")).build();
        assertThat(rest.results()).extracting(NodeResult::name).containsExactlyInAnyOrder("m", "snap", "not_null_m_id", "row_count_m", "singular");
        assertThat(rest.exitCode()).isZero();
    }

    @Test
    void adapterColumnsAndRelations() {
        Fixtures.project(dir,
                "models/base.sql", "select 1 as id, 'x' as name, 2.5 as score",
                "models/copy.sql", """
                        {%- set cols = adapter.get_columns_in_relation(ref('base')) -%}
                        select {% for c in cols %}{{ adapter.quote(c.name) }}{% if not loop.last %}, {% endif %}{% endfor %},
                          '{{ cols | map(attribute='name') | join('|') }}' as names, {{ cols | length }} as n
                        from {{ ref('base') }}
                        """,
                "models/probe.sql", """
                        {%- set there = adapter.get_relation(this.database, this.schema, 'base') -%}
                        {%- set missing = adapter.get_relation(database=this.database, schema=this.schema, identifier='nope') -%}
                        {%- set named = adapter.get_relation(database=this.database, schema=this.schema, identifier='base') -%}
                        select {{ 1 if there else 0 }} as there, {{ 1 if missing else 0 }} as missing, {{ 1 if named else 0 }} as named,
                          '{{ there }}' as rel
                        from {{ ref('base') }}
                        """);
        RunSummary r = runner().run();
        assertThat(r.results()).allSatisfy(x -> assertThat(x.status()).as(x.message()).isEqualTo(NodeStatus.SUCCESS));
        assertThat(rows(url(), "select * from main.copy")).isEqualTo("[[1, x, 2.5, id|name|score, 3]]");
        assertThat(rows(url(), "select there, missing, named, rel from main.probe")).isEqualTo("[[1, 0, 1, \"w\".\"main\".\"base\"]]");
    }

    @Test
    void seedsReloadAndFullRefreshRecreates() {
        Fixtures.project(dir, "seeds/codes.csv", "id,code\n1,10\n2,20\n", "models/v.sql", "select * from {{ ref('codes') }}");
        assertThat(runner().seed().exitCode()).isZero();
        TestDatabasesDuck.exec(url(), "insert into main.codes values (99, 99)");
        assertThat(runner().seed().exitCode()).isZero();
        assertThat(rows(url(), "select id from main.codes order by id")).as("a re-run deletes and reloads").isEqualTo("[[1], [2]]");

        Fixtures.write(dir.resolve("seeds/codes.csv"), "id,code\n1,A1\n2,20\n");
        RunSummary incompatible = runner().seed();
        assertThat(incompatible.status("codes")).as("text into the BIGINT column of the existing table").isEqualTo(NodeStatus.ERROR);
        assertThat(incompatible.result("codes").orElseThrow().message()).contains("seeds/codes.csv");
        assertThat(rows(url(), "select id from main.codes order by id")).as("the failed reload rolled back").isEqualTo("[[1], [2]]");

        RunSummary full = runner(Fixtures.duck(dir).withFullRefresh(true)).seed();
        assertThat(full.status("codes")).isEqualTo(NodeStatus.SUCCESS);
        assertThat(rows(url(), "select data_type from information_schema.columns where table_name = 'codes' and column_name = 'code'")).isEqualTo("[[VARCHAR]]");
        assertThat(rows(url(), "select code from main.codes order by id")).isEqualTo("[[A1], [20]]");

        Fixtures.write(dir.resolve("seeds/codes.csv"), "id,label\n1,x\n");
        assertThat(runner().seed().exitCode()).as("a changed header re-creates the table").isZero();
        assertThat(rows(url(), "select * from main.codes")).isEqualTo("[[1, x]]");
    }

    @Test
    void progressLinesHaveDbtsShape() {
        Fixtures.project(dir, "seeds/s.csv", "id\n1\n2\n", "models/a.sql", "select * from {{ ref('s') }}",
                "models/b.sql", "{{ config(materialized='table') }}select * from {{ ref('a') }}",
                "models/schema.yml", "models:\n  - name: b\n    columns:\n      - name: id\n        tests:\n          - accepted_values: {values: [1], config: {severity: warn}}\n");
        List<String> lines = new ArrayList<>();
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir).withThreads(1)), ProgressLines.lines(lines::add)).build();
        assertThat(r.exitCode()).isZero();
        List<String> masked = lines.stream().map(l -> l.replaceAll(" \\.{3,} ", " ... ").replaceAll("\\d+\\.\\d\\ds]", "T]")).toList();
        assertThat(masked).containsExactly(
                "1 of 4 START seed file main.s ... [RUN]",
                "1 of 4 OK loaded seed file main.s ... [INSERT 2 in T]",
                "2 of 4 START sql view model main.a ... [RUN]",
                "2 of 4 OK created sql view model main.a ... [CREATE VIEW in T]",
                "3 of 4 START sql table model main.b ... [RUN]",
                "3 of 4 OK created sql table model main.b ... [SELECT 2 in T]",
                "4 of 4 START test accepted_values_b_id__1 ... [RUN]",
                "4 of 4 WARN 1 accepted_values_b_id__1 ... [WARN 1 in T]");
        assertThat(lines).as("dots fill each line to 80 characters").allSatisfy(l -> assertThat(l).hasSize(80));
        assertThat(r.summaryLine()).isEqualTo("Done. PASS=3 WARN=1 ERROR=0 SKIP=0 TOTAL=4");
    }

    @Test
    void compileRendersSelectedNodesWithEphemeralChainsAsCtes() throws Exception {
        Fixtures.project(dir,
                "models/e1.sql", "{{ config(materialized='ephemeral') }}select 1 as id, 'a' as k",
                "models/e2.sql", "{{ config(materialized='ephemeral') }}\nwith inner_q as (select * from {{ ref('e1') }})\nselect id * 10 as id, k from inner_q",
                "models/final.sql", "{{ config(materialized='table') }}\nselect e2.id, e1.k from {{ ref('e2') }} e2 join {{ ref('e1') }} e1 on e2.k = e1.k",
                "models/other.sql", "select 2 as x");
        List<CompiledNode> compiled = runner(Fixtures.duck(dir).withSelect("final")).compile();
        assertThat(compiled).extracting(CompiledNode::name).containsExactly("final");
        String sql = compiled.get(0).compiledSql();
        assertThat(sql).startsWith("with __dbt__cte__e1 as (\nselect 1 as id, 'a' as k\n),\n__dbt__cte__e2 as (\nwith inner_q as (select * from __dbt__cte__e1)");
        assertThat(sql).endsWith("select e2.id, e1.k from __dbt__cte__e2 e2 join __dbt__cte__e1 e1 on e2.k = e1.k");
        assertThat(java.nio.file.Files.readString(dir.resolve("target/compiled/t/models/final.sql"))).isEqualTo(sql);
        RunSummary r = runner().run();
        assertThat(r.results()).extracting(NodeResult::name).containsExactlyInAnyOrder("final", "other");
        assertThat(rows(url(), "select * from main.final")).isEqualTo("[[10, a]]");
        assertThat(rows(url(), "select count(*) from information_schema.tables where table_name in ('e1', 'e2')")).isEqualTo("[[0]]");
    }

    @Test
    void everyCheckKindPassesWarnsAndFailsAndKeepsHistory() {
        Fixtures.project(dir, "models/data.sql", """
                select * from (values
                  (1, 'a@example.com', '123e4567-e89b-12d3-a456-426614174000', '2024-01-31', '+1 555 123 4567', 'red',   10, current_timestamp - interval 2 hour),
                  (2, 'b@example.com', 'not-a-uuid',                           '2024-13',    'call me',         'blue', -5, current_timestamp - interval 3 hour),
                  (2, null,            null,                                   null,         null,              'pink', 20, current_timestamp - interval 4 hour),
                  (4, 'bad-email',     '123e4567-e89b-12d3-a456-426614174001', '2024-02-01', '555-0100',        'red',  30, current_timestamp - interval 5 hour)
                ) t(id, email, uid, day, phone, colour, amount, updated_at)
                """, "models/schema.yml", """
                models:
                  - name: data
                    checks:
                      - row_count: {warn: '< 3', fail: '< 2', name: rows_pass}
                      - row_count: {warn: '< 5', fail: '< 2', name: rows_warn}
                      - row_count: {min: 5, name: rows_fail}
                      - missing_count: {column: email, warn: '> 1', fail: '> 2', name: missing_pass}
                      - missing_count: {column: email, warn: '>= 1', fail: '> 2', name: missing_warn}
                      - missing_count: {column: email, name: missing_fail}
                      - missing_percent: {column: email, warn: '> 30', fail: '> 50', name: missing_pct_pass}
                      - missing_percent: {column: email, warn: '>= 25', fail: '> 50', name: missing_pct_warn}
                      - missing_percent: {column: email, fail: 'between 20 and 30', name: missing_pct_fail}
                      - duplicate_count: {columns: [id], warn: '> 1', name: dup_pass}
                      - duplicate_count: {columns: [id], warn: '> 0', fail: '> 1', name: dup_warn}
                      - duplicate_count: {columns: [id], name: dup_fail}
                      - invalid_count: {column: email, format: email, warn: '> 1', name: email_pass}
                      - invalid_count: {column: uid, format: uuid, warn: '> 0', fail: '> 1', name: uuid_warn}
                      - invalid_count: {column: day, format: date, name: date_fail}
                      - invalid_count: {column: phone, format: phone, name: phone_fail}
                      - invalid_percent: {column: colour, values: [red, blue, pink], name: values_pass}
                      - invalid_percent: {column: colour, values: [red, blue], warn: '> 0', fail: '> 50', name: values_warn}
                      - invalid_count: {column: colour, regex: '[a-z]{3}', name: regex_fail}
                      - min: {column: amount, fail: '< -10', name: min_pass}
                      - min: {column: amount, warn: '< 0', name: min_warn}
                      - min: {column: amount, fail: '< 0', name: min_fail}
                      - max: {column: amount, fail: '> 30', name: max_pass}
                      - max: {column: amount, warn: '>= 30', name: max_warn}
                      - max: {column: amount, fail: '!= 10', name: max_fail}
                      - negative_count: {column: amount, fail: '> 1', name: neg_pass}
                      - negative_count: {column: amount, warn: '= 1', name: neg_warn}
                      - negative_count: {column: amount, name: neg_fail}
                      - freshness: {column: updated_at, warn: '> 1d', fail: '> 2d', name: fresh_pass}
                      - freshness: {column: updated_at, warn: '> 1h', fail: '> 1d', name: fresh_warn}
                      - freshness: {column: updated_at, fail: '> 30m', name: fresh_fail}
                      - missing_count: {column: email, where: 'id = 2', warn: '> 0', fail: '> 1', name: where_warn}
                """);
        assertThat(runner().run().exitCode()).isZero();
        RunSummary r = runner().checks();
        Map<String, Double> expected = new java.util.LinkedHashMap<>();
        expected.put("rows", 4.0);
        expected.put("missing", 1.0);
        expected.put("missing_pct", 25.0);
        expected.put("dup", 1.0);
        expected.put("min", -5.0);
        expected.put("max", 30.0);
        expected.put("neg", 1.0);
        for (NodeResult x : r.results()) {
            String name = x.name();
            NodeStatus want = name.endsWith("_pass") ? NodeStatus.PASS : name.endsWith("_warn") ? NodeStatus.WARN : NodeStatus.FAIL;
            assertThat(x.status()).as(name + ": " + x.message()).isEqualTo(want);
            String prefix = name.substring(0, name.lastIndexOf('_'));
            if (expected.containsKey(prefix)) assertThat(x.check().value()).as(name).isEqualTo(expected.get(prefix));
            if (want != NodeStatus.PASS && !name.startsWith("rows") && !name.startsWith("fresh")) assertThat(x.check().samples()).as(name).isNotEmpty();
            if (want == NodeStatus.PASS) assertThat(x.check().samples()).as(name).isEmpty();
        }
        assertThat(r.results()).hasSize(32);
        assertThat(r.result("uuid_warn").orElseThrow().check().value()).isEqualTo(1.0);
        assertThat(r.result("date_fail").orElseThrow().check().value()).isEqualTo(1.0);
        assertThat(r.result("phone_fail").orElseThrow().check().value()).isEqualTo(1.0);
        assertThat(r.result("values_warn").orElseThrow().check().value()).isEqualTo(25.0);
        assertThat(r.result("regex_fail").orElseThrow().check().value()).isEqualTo(2.0);
        assertThat(r.result("where_warn").orElseThrow().check().value()).isEqualTo(1.0);
        assertThat(r.result("dup_fail").orElseThrow().check().samples().get(0)).containsEntry("id", 2).containsEntry("duplicate_rows", 2L);
        assertThat(r.result("phone_fail").orElseThrow().check().samples().get(0)).containsEntry("phone", "call me");
        assertThat(r.checkExitCode()).isEqualTo(2);

        assertThat(rows(url(), "select count(*), count(distinct run_id) from main_tributary.check_results")).isEqualTo("[[32, 1]]");
        assertThat(rows(url(), "select status, count(*) from main_tributary.check_results group by status order by status"))
                .isEqualTo("[[fail, 11], [pass, 10], [warn, 11]]");
        assertThat(rows(url(), "select check_type, table_name, column_name, measured_value, warn_threshold, fail_threshold from main_tributary.check_results where check_name = 'missing_warn'"))
                .isEqualTo("[[missing_count, data, email, 1.0, >= 1, > 2]]");
        assertThat(rows(url(), "select fail_threshold from main_tributary.check_results where check_name = 'rows_fail'")).isEqualTo("[[not between 5 and inf]]");
        assertThat((String) Fixtures.scalar(url(), "select samples from main_tributary.check_results where check_name = 'neg_fail'")).contains("-5");
        assertThat((String) Fixtures.scalar(url(), "select message from main_tributary.check_results where check_name = 'max_fail'")).isEqualTo("value 30, fails when != 10");

        RunSummary again = runner(Fixtures.duck(dir).withSelect("row_count_data rows_pass")).checks();
        assertThat(again.results()).extracting(NodeResult::name).containsExactly("rows_pass");
        assertThat(again.checkExitCode()).isZero();
        assertThat(rows(url(), "select count(*), count(distinct run_id) from main_tributary.check_results")).isEqualTo("[[33, 2]]");
    }

    @Test
    void aCheckThatCannotRunIsAnErrorWithExitCodeThree() {
        Fixtures.project(dir, "models/data.sql", "select 1 as id", "models/schema.yml",
                "models:\n  - name: data\n    checks:\n      - max: {column: no_such_col, fail: '> 1'}\n      - row_count: {warn: '< 5'}\n");
        runner().run();
        RunSummary r = runner().checks();
        assertThat(r.status("max_data_no_such_col")).isEqualTo(NodeStatus.ERROR);
        assertThat(r.result("max_data_no_such_col").orElseThrow().message()).contains("Database Error in check max_data_no_such_col (models/schema.yml)");
        assertThat(r.checkExitCode()).isEqualTo(3);
        assertThat(rows(url(), "select status from main_tributary.check_results order by check_name")).isEqualTo("[[error], [warn]]");
    }

    @Test
    void everyJinjaErrorNamesFileAndLine() {
        Fixtures.project(dir, "models/ok.sql", "select 1 as x");
        String[][] cases = {
                {"select 1\nfrom t\nwhere {{ 1 + }}\n", "models/bad.sql:3"},
                {"select 1\n{% for x in [1, 2] %}\n{{ x }}\n", "models/bad.sql:2"},
                {"select 1,\n\n  {{ no_such_macro(1) }}\n", "models/bad.sql:3"},
                {"select 1\n{% endif %}\n", "models/bad.sql:2"},
                {"select\n  {{ ref('a', 'b', 'c') }}\n", "models/bad.sql:2"},
                {"select 1\n\n\n{{ config(materialized='sideways') }}\n", "models/bad.sql"},
        };
        List<String> wrong = new ArrayList<>();
        for (String[] c : cases) {
            Fixtures.write(dir.resolve("models/bad.sql"), c[0]);
            try {
                TransformProject.load(dir, Fixtures.duck(dir));
                wrong.add("no error for: " + c[0]);
            } catch (ConfigException e) {
                if (!e.getMessage().contains(c[1])) wrong.add(c[0] + " -> " + e.getMessage());
            }
        }
        assertThat(wrong).isEmpty();
        Fixtures.write(dir.resolve("models/bad.sql"), "select 1");
        Fixtures.write(dir.resolve("macros/broken.sql"), "{% macro m(x) %}\n{{ x }\n{% endmacro %}\n");
        // Jinjava reports an unclosed {{ where its scan ended (line 3), not where it opened
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).hasMessageMatching("(?s)macros/broken\\.sql:[23]: .*");
    }

    @Test
    void undefinedObjectsAreErrorsNamingFileAndLine() {
        Fixtures.project(dir, "models/typo.sql", "select 1 as x,\n  '{{ targte.name }}' as t\n");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/typo.sql:2").hasMessageContaining("'targte' is undefined");
        Fixtures.write(dir.resolve("models/typo.sql"), "{% if true %}\nselect 1 as x\n{% else %}\nselect {{ never_rendered.x }}\n{% endif %}\n{% set n = 1 %}\nwhere {{ nn['k'] }} = 1");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).hasMessageContaining("models/typo.sql:7").hasMessageContaining("'nn' is undefined");
        Fixtures.write(dir.resolve("macros/m.sql"), "{% macro uses_unknown() %}\n{{ no_such_name.column }}\n{% endmacro %}");
        Fixtures.write(dir.resolve("models/typo.sql"), "select 1 as x\n-- {{ uses_unknown() }}");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).hasMessageContaining("no_such_name").hasMessageContaining("models/typo.sql");
    }

    @Test
    void setLoopsDefinedChecksNoneValuesAndMacroDefaultsRender() {
        Fixtures.project(dir, "models/typo.sql", "select 1");
        // defined checks, loops, set variables and macro arguments are still fine
        Fixtures.write(dir.resolve("macros/m.sql"), "{% macro add(a, b=2) %}{{ a + b }}{% endmacro %}");
        Fixtures.write(dir.resolve("models/typo.sql"), """
                {% set n = 3 %}
                {% set nothing = none %}
                select {{ add(n) }} as five, {{ 1 if nothing_here is defined else 0 }} as d, {{ 1 if nothing is none else 0 }} as n,
                  '{{ maybe | default('dflt') }}' as dd, {{ 1 if adapter.get_relation(this.database, this.schema, 'no_such_table') else 0 }} as r,
                  {% for i in range(2) %}{{ i }} as c{{ loop.index }}{% if not loop.last %}, {% endif %}{% endfor %},
                  {{ 1 if execute else 0 }} as ex, {{ 1 if flags.FULL_REFRESH else 0 }} as fr, {{ (run_started_at | string | length) > 0 }} as started,
                  '{{ model.name }}' as m, '{{ this.identifier }}' as i, '{{ var('v', 'none') }}' as v
                """);
        RunSummary r = runner().run();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(rows(url(), "select * from main.typo")).isEqualTo("[[5, 0, 1, dflt, 0, 0, 1, 1, 0, true, typo, typo, none]]");
    }

    @Test
    void sqlErrorsInModelsNameTheFileAndCompiledPath() {
        Fixtures.project(dir, "models/sub/broken.sql", "select 1 as x\nfrom (select 1) t\nwhere nope = 1");
        RunSummary r = runner().run();
        NodeResult broken = r.result("broken").orElseThrow();
        assertThat(broken.status()).isEqualTo(NodeStatus.ERROR);
        assertThat(broken.message()).startsWith("Database Error in model broken (models/sub/broken.sql)").contains("nope")
                .contains("compiled code at target/compiled/t/models/sub/broken.sql");
    }

    @Test
    void warnIfAndErrorIfBoundaries() {
        StringBuilder yml = new StringBuilder("models:\n  - name: three\n    columns:\n      - name: id\n        tests:\n");
        String[][] cases = {
                {"b_warn", "{warn_if: '>=3', error_if: '>3'}"},
                {"b_fail", "{warn_if: '>=3', error_if: '>=3'}"},
                {"b_pass", "{warn_if: '>3', error_if: '>3'}"},
                {"c_warn", "{severity: warn, error_if: '!=0'}"},
                {"d_warn", "{severity: warn, warn_if: '=3'}"},
                {"d_pass", "{severity: warn, warn_if: '<3'}"},
                {"e_fail", "{error_if: 'between 1 and 3'}"},
        };
        for (String[] c : cases) yml.append("          - not_null:\n              name: ").append(c[0]).append("\n              config: ").append(c[1]).append("\n");
        Fixtures.project(dir, "models/three.sql", "select cast(null as int) as id from range(3)", "models/schema.yml", yml.toString());
        RunSummary r = runner().build();
        assertThat(r.results()).as("a test's name: sets its name, so tests differing only in config all run").hasSize(cases.length + 1);
        for (String[] c : cases) {
            NodeStatus want = c[0].endsWith("warn") ? NodeStatus.WARN : c[0].endsWith("fail") ? NodeStatus.FAIL : NodeStatus.PASS;
            assertThat(r.status(c[0])).as(c[0] + " " + c[1]).isEqualTo(want);
            assertThat(r.result(c[0]).orElseThrow().failures()).isEqualTo(3L);
        }
    }

    @Test
    void incrementalDeleteInsertWithACompositeKey() {
        Fixtures.project(dir, "seeds/src.csv", "region,day,v\neu,1,a\neu,2,b\nus,1,c\n",
                "models/inc.sql", "{{ config(materialized='incremental', unique_key=['region', 'day'], incremental_strategy='delete+insert') }}\n"
                        + "select region, day, v from {{ ref('src') }}{% if is_incremental() %} where v >= 'b'{% endif %}");
        assertThat(runner().build().exitCode()).isZero();
        Fixtures.write(dir.resolve("seeds/src.csv"), "region,day,v\neu,1,z\neu,2,y\nus,2,x\nus,1,a\n");
        RunSummary second = runner().build();
        assertThat(second.exitCode()).isZero();
        assertThat(second.result("inc").orElseThrow().message()).isEqualTo("INSERT 3");
        // (eu,1) and (eu,2) replaced, (us,2) added, (us,1) kept (filtered out of the increment): a key matching on region alone would drop it
        assertThat(rows(url(), "select region, day, v from main.inc order by region, day")).isEqualTo("[[eu, 1, z], [eu, 2, y], [us, 1, c], [us, 2, x]]");
    }

    @Test
    void ephemeralModelsAreNeverBuiltAndErrorsInsideThemNameTheirFile() {
        Fixtures.project(dir,
                "models/e1.sql", "{{ config(materialized='ephemeral') }}\nselect 1 as id",
                "models/e2.sql", "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('e1') }} where {{ var('cond') }}",
                "models/m.sql", "select * from {{ ref('e2') }}");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).hasMessageContaining("models/e2.sql:2").hasMessageContaining("cond");
        RunSummary r = runner(Fixtures.duck(dir).withVars(Map.of("cond", "id = 1"))).build();
        assertThat(r.results()).extracting(NodeResult::name).containsExactly("m");
        assertThat(rows(url(), "select * from main.m")).isEqualTo("[[1]]");
    }

    @Test
    void progressLineForASkippedAndAFailedNode() {
        Node n = new Node("model.t.x", ResourceType.MODEL, "x", "models/x.sql", "", 0);
        n.schema = "main";
        n.identifier = "x";
        Instant t = Instant.EPOCH;
        NodeResult skip = new NodeResult(n.uniqueId, "x", ResourceType.MODEL, "view", NodeStatus.SKIP, "", null, 0, t, t, null, "main.x", "main", null);
        NodeResult error = new NodeResult(n.uniqueId, "x", ResourceType.MODEL, "view", NodeStatus.ERROR, "", null, 0.5, t, t, null, "main.x", "main", null);
        assertThat(ProgressLines.finish(n, skip, 2, 10)).isEqualTo("2 of 10 SKIP sql view model main.x ...................................... [SKIP]");
        assertThat(ProgressLines.finish(n, error, 2, 10)).isEqualTo("2 of 10 ERROR creating sql view model main.x .................. [ERROR in 0.50s]");
    }

    /** A listener that is also a JdbcTimer hears of every JDBC call of the nodes (for the transform benchmark). */
    static final class CountingListener implements ProgressListener, JdbcTimer {
        final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
        final List<String> finished = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void jdbcCall(long nanos) {
            calls.incrementAndGet();
        }

        @Override
        public void nodeStarted(Node node, int index, int total) {}

        @Override
        public void nodeFinished(Node node, NodeResult result, int index, int total) {
            finished.add(node.name() + " " + result.status());
        }
    }

    @Test
    void aJdbcTimerListenerHearsOfTheCallsAndTheBuildIsUnchanged() {
        Fixtures.project(dir, "models/a.sql", "{{ config(materialized='table') }}\nselect 1 as id", "models/b.sql", "select * from {{ ref('a') }}",
                "models/schema.yml", "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        tests: [unique]\n");
        CountingListener listener = new CountingListener();
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), listener).build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(listener.finished).containsExactlyInAnyOrder("a SUCCESS", "b SUCCESS", "unique_a_id PASS");
        assertThat(listener.calls.get()).as("statements, result sets, metadata, connect and close").isGreaterThan(10);
        assertThat(Fixtures.scalar(url(), "select count(*) from main.b")).isEqualTo(1L);
    }
}
