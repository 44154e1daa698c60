package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
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

    /**
     * As in Jinja (so dbt), a macro whose body does not read {@code kwargs} / {@code varargs} refuses arguments it does
     * not declare: a misspelt keyword, one positional too many, or an argument a generic test does not take (a package
     * test used with an option its version lacks) is an error naming the macro and the file, not silently dropped.
     */
    @Test
    void argumentsAMacroDoesNotDeclareAreErrors() {
        String macros = """
                {% macro pair(a, b=1) %}{{ a }}-{{ b }}{% endmacro %}
                {% macro takes_any(a) %}{{ a }}{{ kwargs|length }}{{ varargs|length }}{% endmacro %}
                {% test has_prefix(model, column_name, prefix) %}select * from {{ model }} where {{ column_name }} not like '{{ prefix }}%'{% endtest %}
                """;
        assertThat(rendered(macros, "{{ pair(1, b=2) }}|{{ takes_any(1, 2, c=3) }}")).isEqualTo("1-2|111");
        Fixtures.project(dir, "models/v.sql", "select 1 as x\n{{ pair(1, c=3) }}");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/v.sql:2").hasMessageContaining("macro 'pair' takes no keyword argument 'c'");
        Fixtures.project(dir, "models/v.sql", "select 1 as x\n{{ pair(1, 2, 3) }}");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/v.sql:2").hasMessageContaining("macro 'pair' takes not more than 2 argument(s)");
        Fixtures.project(dir, "models/v.sql", "select 'ab' as x", "models/v.yml", """
                version: 2
                models:
                  - name: v
                    columns:
                      - name: x
                        tests:
                          - has_prefix:
                              prefix: a
                              flags: i
                """);
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/v.yml").hasMessageContaining("takes no keyword argument 'flags'");
    }
}
