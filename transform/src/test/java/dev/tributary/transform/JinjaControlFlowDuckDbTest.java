package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jinja control flow as dbt packages write it: loop filters with {@code loop.*}, {@code *args} / {@code **kwargs} at
 * call sites, defaults referring to earlier parameters, {@code caller()}, whitespace control on expressions,
 * {@code do} and namespaces.
 */
class JinjaControlFlowDuckDbTest {
    @TempDir
    Path dir;

    private String rendered(String... macroAndModel) {
        Fixtures.project(dir, "macros/m.sql", macroAndModel[0], "models/v.sql", "select '" + macroAndModel[1] + "' as v");
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return String.valueOf(Fixtures.scalar("jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath(), "select v from main.v"));
    }

    @Test
    void loopFiltersCountOnlyTheItemsKept() {
        assertThat(rendered("", """
                {% for x in [1, 2, 3, 4] if x > 1 %}{{ loop.index }}:{{ x }}{{ "," if not loop.last }}{% endfor %}\
                |{% for k, v in {"a": 1, "b": 2, "c": 3}.items() if v != 2 %}{{ k }}{{ loop.length }}{% endfor %}\
                |{% for c in ["id", "_ts", "name"] if not c.startswith("_") %}{{ c }}{% if not loop.last %}+{% endif %}{% endfor %}\
                |{% for x in [1, 2] %}{{ loop.first }}{{ loop.revindex }}{{ loop.index0 }}{% endfor %}\
                """)).isEqualTo("1:2,2:3,3:4|a2c2|id+name|True20False11");
    }

    @Test
    void starArgumentsAndLateDefaults() {
        String macros = """
                {% macro cols(prefix, sep=", ", quote=false) -%}
                  {{ prefix }}{{ sep }}{{ quote }}{{ varargs|join("/") }}{{ kwargs|length }}
                {%- endmacro %}
                {% macro named(a, b=a ~ "_b", c=b|upper) -%}{{ a }},{{ b }},{{ c }}{%- endmacro %}
                """;
        assertThat(rendered(macros, """
                {% set kw = {"sep": ";", "quote": true} %}{% set more = ["p", "x", "y"] %}\
                {{ cols("a", **kw) }}|{{ cols(*more) }}|{{ cols("z", *["-"], **{"extra": 1}) }}\
                |{{ named("n") }}|{{ named("n", "m") }}|{{ named("n", c="C") }}\
                """)).isEqualTo("a;True0|pxy0|z-False1|n,n_b,N_B|n,m,M|n,n_b,C");
    }

    @Test
    void callerWhitespaceDoNamespacesAndPrecedence() {
        String macros = "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}";
        assertThat(rendered(macros, """
                {% call wrap("b") %}in{% endcall %}|a  {{- "x" -}}  b\
                |{% set ns = namespace(total=0, seen=[]) %}{% for i in range(4) %}{% set ns.total = ns.total + i %}{% do ns.seen.append(i) %}{% endfor %}{{ ns.total }}{{ ns.seen|length }}\
                |{{ not (1 == 2) }}|{{ 1 + 2 * 3 }}\
                """)).isEqualTo("<b>in</b>|axb|64|True|7");
    }
}
