package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbt's leniency and its limits: an undefined name renders empty (in models and macros), while an unknown function or
 * macro stays an error naming file and line; {@code return()} ends the macro at once, so nothing after it runs.
 */
class JinjaLenientUndefinedDuckDbTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
    }

    private RunSummary build() {
        return new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
    }

    @Test
    void undefinedNamesRenderEmpty() {
        Fixtures.project(dir,
                "macros/m.sql", "{% macro label(x) %}[{{ x }}{{ not_passed_anywhere }}]{% endmacro %}",
                "models/u.sql", "select '{{ never_set }}' as a, '{{ label('k') }}' as b, '{{ 'yes' if never_set else 'no' }}' as c");
        RunSummary r = build();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Fixtures.query(url(), "select a, b, c from main.u").toString()).isEqualTo("[[, [k], no]]");
    }

    @Test
    void unknownFunctionsAndMacrosStayErrorsWithFileAndLine() {
        Fixtures.project(dir, "models/f.sql", "select 1 as x\n{{ no_such_function(1) }}");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/f.sql:2").hasMessageContaining("no_such_function");
        Fixtures.write(dir.resolve("models/f.sql"), "select 1 as x,\n\n '{{ dbt.no_such_macro() }}' as y");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/f.sql:3").hasMessageContaining("no_such_macro");
    }

    @Test
    void returnEndsTheMacroAtOnce() {
        Fixtures.project(dir,
                "macros/r.sql", """
                        {% macro early(flag) %}
                          {% if flag %}{{ return('early') }}{% endif %}
                          {% if not execute %}{{ return('parsing') }}{% endif %}
                          {% set boom = no_such_function_after_return() %}
                          {{ exceptions.raise_compiler_error('ran past return') }}
                        {% endmacro %}
                        {% macro in_loop() %}
                          {% for i in range(5) %}{% if i == 2 %}{{ return(i * 10) }}{% endif %}{% endfor %}{% do no_such_function() %}
                        {% endmacro %}
                        """,
                "models/r.sql", "select '{{ early(true) }}' as a, {{ in_loop() }} as b");
        RunSummary r = build();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Fixtures.query(url(), "select a, b from main.r").toString()).isEqualTo("[[early, 20]]");
    }
}
