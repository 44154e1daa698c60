package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jinja expressions written without spaces render as in Jinja2, and a runaway render is a compilation error naming the model. */
class JinjaExpressionsDuckDbTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
    }

    private RunSummary build() {
        return new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
    }

    @Test
    void arithmeticWithoutSpacesRendersAsInJinja() {
        Fixtures.project(dir,
                "macros/g.sql", "{% macro g(n) %}{{ n*10 }}{% endmacro %}",
                "models/m.sql", """
                        {% set x = 41 %}{% set s = 'ab' %}
                        select {{ x+1 }} as a, {{ x + 1 }} as b, {{ g(1+1) }} as c, {{x-1}} as d, {{ x*2-1 }} as e,
                          {{ (x+1)//2 }} as f, {{ [1,2,3]|length+x }} as g, '{{ s~s }}' as h, {{ x+-1 }} as i, {{ 7%4+1 }} as j
                        """);
        RunSummary r = build();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Fixtures.query(url(), "select a, b, c, d, e, f, g, h, i, j from main.m").toString())
                .isEqualTo("[[42, 42, 20, 40, 81, 21, 44, abab, 40, 4]]");
    }

    @Test
    void aRunawayStringIsACompilationErrorNamingTheModel() {
        Fixtures.project(dir,
                "models/ok.sql", "select 1 as x",
                "models/runaway.sql", """
                        {% set s = 'x' %}
                        {% for i in range(64) %}{% set s = s ~ s %}{% endfor %}
                        select '{{ s }}' as y
                        """);
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/runaway.sql").hasMessageContaining("the rendered text grew past 33554432 characters");
    }

    @Test
    void longRangesAreNotCutShortAndTooLongOnesAreErrors() {
        Fixtures.project(dir, "models/r.sql", "select {{ range(5000)|length }} as n, {{ range(5000)|sum }} as s");
        RunSummary r = build();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Fixtures.query(url(), "select n, s from main.r").toString()).isEqualTo("[[5000, 12497500]]");
        Fixtures.write(dir.resolve("models/r.sql"), "select 1 as x\n{% for i in range(0, 3000000, 2) %}{% endfor %}");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/r.sql:2").hasMessageContaining("range() of 1500000 items: more than the 1000000 allowed");
    }

    @Test
    void expressionsInCommentsRawBlocksAndStringsStayAsWritten() {
        Fixtures.project(dir, "models/q.sql", "{# {{ x+1 }} #}select '{% raw %}{{ x+1 }}{% endraw %}' as a, '{{ \"1+1\" }}' as b, {{ 1e+2 }} as c");
        RunSummary r = build();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Fixtures.query(url(), "select a, b, c from main.q").toString()).isEqualTo("[[{{ x+1 }}, 1+1, 100.0]]");
    }

    @Test
    void aRunawayOutputIsACompilationErrorNamingTheModel() {
        Fixtures.project(dir,
                "models/loop.sql", "select 1 as x\n{% for i in range(1000000) %}-- " + "x".repeat(1000) + "\n{% endfor %}");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/loop.sql").hasMessageContaining("the rendered text grew past 33554432 characters");
    }
}
