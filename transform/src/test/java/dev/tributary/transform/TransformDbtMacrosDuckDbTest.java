package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** return(), adapter.dispatch and the dbt namespace, dbt's context objects and agate-like results, on DuckDB. */
class TransformDbtMacrosDuckDbTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
    }

    private RunSummary build() {
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        return r;
    }

    @Test
    void macrosReturnListsDictsAndBooleansAsValues() {
        DbtMacroProjects.returns(dir);
        build();
        assertThat(Fixtures.query(url(), "select n_status, second_status, threshold, label, big7, big3, count_plus_one, e1, e2, plain, s_1, s_2 from main.uses_values").toString())
                .isEqualTo("[[2, churned, 10, big, true, false, 3, early, late, text, active, churned]]");
    }

    @Test
    void whatFollowsAReturnHasNoSideEffects() {
        Fixtures.project(dir,
                "macros/early.sql", """
                        {% macro fails() %}{{ exceptions.raise_compiler_error('a macro called after return ran') }}{% endmacro %}
                        {% macro stop_early() %}
                          {{ return('stopped') }}
                          {% do exceptions.raise_compiler_error('after return') %}
                          {{ fails() }}
                        {% endmacro %}
                        {% macro insert_unless_executing() %}
                          {% if execute %}{{ return(1) }}{% endif %}
                          {% do run_query('insert into ' ~ target.schema ~ '.side_effects values (1)') %}
                          {% call statement('after', fetch_result=False) %}insert into {{ target.schema }}.side_effects values (2){% endcall %}
                        {% endmacro %}
                        """,
                "models/m.sql", "select '{{ stop_early() }}' as s, {{ insert_unless_executing() }} as n");
        Fixtures.write(dir.resolve("dbt_project.yml"), "name: t\nprofile: t\non-run-start: \"create table if not exists {{ target.schema }}.side_effects (x integer)\"\n");
        build();
        assertThat(Fixtures.query(url(), "select s, n from main.m").toString()).isEqualTo("[[stopped, 1]]");
        assertThat(Fixtures.scalar(url(), "select count(*) from main.side_effects")).isEqualTo(0L);
    }

    @Test
    void returnOutsideAMacroIsAnErrorNamingTheFile() {
        Fixtures.project(dir, "models/m.sql", "select 1 as x {{ return(1) }}");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models/m.sql").hasMessageContaining("return() is only valid inside a macro");
    }

    @Test
    void dispatchPicksTheAdapterMacroSearchingTheRootProjectFirst() {
        DbtMacroProjects.dispatch(dir);
        build();
        assertThat(Fixtures.query(url(), "select wh, shouted, greeting, greeting2 from main.dispatched").toString())
                .isEqualTo("[[duck, mixed, hello duck bo?, hello duck al!]]");
    }

    @Test
    void dispatchConfigSearchOrderLetsThePackageWin() {
        DbtMacroProjects.dispatch(dir);
        Fixtures.write(dir.resolve("dbt_project.yml"), "name: t\nprofile: t\ndispatch:\n  - macro_namespace: tools\n    search_order: ['tools', 't']\n");
        build();
        assertThat(Fixtures.scalar(url(), "select shouted from main.dispatched")).isEqualTo("MIXED");
    }

    @Test
    void dispatchOfAMacroNoPackageDefinesIsAnErrorNamingWhatWasSearched() {
        Fixtures.project(dir, "models/m.sql", "select {{ adapter.dispatch('nothing_here', 'dbt')() }} as x");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models/m.sql")
                .hasMessageContaining("No macro named 'nothing_here'").hasMessageContaining("t.duckdb__nothing_here").hasMessageContaining("dbt.default__nothing_here");
    }

    @Test
    void dbtCrossDatabaseMacrosComputeTheExpectedValues() {
        DbtMacroProjects.dispatch(dir);
        build();
        assertThat(Fixtures.query(url(), """
                select cast(plus3 as varchar), cast(minus_month as varchar), diff_days, diff_months, diff_years, casted, abc, hashed, part2,
                  cast(month_start as varchar), escaped, lit, bool_text, cast(last_of_feb as varchar), cast(last_of_q1 as varchar), pos, replaced,
                  right2, len, today_ok, s, f, b, num, cast(ts as varchar), bo, second_element
                from main.cross_db""").get(0))
                .containsExactly("2024-02-02", "2024-02-29", 74L, 2L, 2L, 42, "abc", "9dd4e461268c8034f5c8564e155c67a6", "b",
                        "2024-02-01", "it's", "lit", "true", "2024-02-29", "2024-03-31", 3L, "a-a",
                        "ef", 4L, true, "x", 1.5, 2L, new java.math.BigDecimal("1.250000"), "2024-01-01 10:00:00", true, 2);
        assertThat(Fixtures.query(url(), "select names, names_default, first_two, has_any, any_flag, except_count, intersect_count from main.cross_db_agg").toString())
                .isEqualTo("[[a,b,c, c,a,b, b|a, true, true, 2, 1]]");
        // the types dbt's type_* macros name, as the warehouse reports them
        assertThat(Fixtures.query(url(), "select column_name, data_type from information_schema.columns where table_name = 'cross_db' and column_name in ('s', 'f', 'b', 'num', 'ts', 'bo') order by column_name").toString())
                .isEqualTo("[[b, BIGINT], [bo, BOOLEAN], [f, DOUBLE], [num, DECIMAL(28,6)], [s, VARCHAR], [ts, TIMESTAMP]]");
    }

    @Test
    void contextObjectsAndAgateLikeResults() {
        DbtMacroProjects.contextObjects(dir);
        build();
        List<Object> row = Fixtures.query(url(), """
                select cols, rel_identifier, missing_is_none, loaded_exists, year_ok, target_type, schema_ok, column_names, n_rows, n_rows2,
                  first_team, first_n, second_n, second_n_attr, teams, second_column, zipped, from_json, to_json, quoted_ref
                from main.context""").get(0);
        assertThat(row).containsExactly("id:bigint,name:varchar,team:varchar", "people", true, true, true, "duckdb", true, "team,n", 2, 2,
                "blue", 1, 2, 2, "blue|red", "n", "a1b2", 2, "{\"a\": 1}", 1);
        // the values the macros read agree with the seed itself
        assertThat(Fixtures.query(url(), "select team, count(*) from main.people group by team order by team").toString()).isEqualTo("[[blue, 1], [red, 2]]");
    }

    @Test
    void raiseCompilerErrorFailsTheModelWithTheMessage() {
        Fixtures.project(dir, "macros/check.sql", "{% macro must_be_positive(n) %}{% if n <= 0 %}{{ exceptions.raise_compiler_error('n must be positive, got ' ~ n) }}{% endif %}{{ return(n) }}{% endmacro %}",
                "models/m.sql", "select {{ must_be_positive(-2) }} as n");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models/m.sql").hasMessageContaining("n must be positive, got -2");
    }
}
