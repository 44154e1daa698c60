package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jinja's filters and loops where Jinjava's differed (each value checked against Python's Jinja 3): {@code sort} with
 * {@code attribute=} / {@code case_sensitive=} / {@code reverse=}, {@code min} / {@code max}, {@code trim(chars)} (as
 * fivetran_utils.union_data trims {@code '['}), {@code select} / {@code reject} without a test, {@code tojson} as
 * Python's json.dumps, {@code {% for %}...{% else %}}, {@code and} giving an operand and {@code *} repeating strings and
 * lists; an unknown filter is an error naming the file and line.
 */
class JinjaFiltersTest {
    @TempDir
    Path dir;

    private static final String MODEL = """
            {% set people = [{"n": "bo", "age": 30}, {"n": "Al", "age": 25}, {"n": "cy", "age": 41}] %}
            select $${{ people | sort(attribute="age") | map(attribute="n") | join(",") }}|{{ ["b", "A", "c"] | sort }}\
            |{{ ["b", "A", "c"] | sort(case_sensitive=true) }}|{{ [1, 3, 2] | sort(reverse=true) }}$$ as sorted,
              $${{ [3, 1, 2] | min }}|{{ [3, 1, 2] | max }}|{{ (people | max(attribute="age")).n }}|{{ ["b", "A"] | min }}$$ as extremes,
              $${{ "['s1', 's2']" | trim('[') | trim(']') }}|{{ "  x " | trim }}|{{ "xxaxx" | trim("x") }}$$ as trimmed,
              $${{ [none, 1, "", "a"] | select | list }}|{{ [0, 1, 2] | reject | list }}|{{ [1, 2, 3] | select("odd") | list }}$$ as selected,
              $${{ {"b": [1, "b"], "a": "é<"} | tojson }}|{{ tojson({"b": 1, "a": none}) }}$$ as json,
              $${% for x in [] %}x{% else %}empty{% endfor %}|{% for x in [1, 2] %}{% if x == 1 %}a{% else %}b{% endif %}{% else %}empty{% endfor %}\
            |{% for x in [1, 2, 3] if x > 5 %}{{ x }}{% else %}none kept{% endfor %}$$ as loops,
              $${{ {"a": 1}.items() | list }}|{{ "ab" | list }}$$ as items
            """;

    @Test
    void filtersAndForElseAsInJinja() {
        Fixtures.project(dir, "models/f.sql", MODEL);
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<Object> row = Fixtures.query("jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath(),
                "select sorted, extremes, trimmed, selected, json, loops, items from main.f").get(0);
        assertThat(row).containsExactly(
                "Al,bo,cy|['A', 'b', 'c']|['A', 'b', 'c']|[3, 2, 1]",
                "1|3|cy|A",
                "'s1', 's2'|x|a",
                "[1, 'a']|[0]|[1, 3]",
                "{\"a\": \"\\u00e9\\u003c\", \"b\": [1, \"b\"]}|{\"b\": 1, \"a\": null}",
                "empty|ab|none kept",
                "[('a', 1)]|['a', 'b']");
    }

    /** Python's {@code and} gives an operand (Jinjava gave a boolean); {@code *} repeats strings and lists. */
    @Test
    void andAndRepetitionAsInPython() {
        Fixtures.project(dir, "models/o.sql", """
                select $${{ true and "x" }}|{{ false and "x" }}|{{ "" and 1 }}|{{ 1 and [] }}|{{ none and 1 }}|{{ (1 and 2) + 1 }}\
                |{% if [] and "a" %}y{% else %}n{% endif %}$$ as ands,
                  $${{ "ab" * 3 }}|{{ 3 * "-" }}|{{ [1, 2] * 2 }}|{{ 2 * 3 }}|{{ 2.5 * 2 }}$$ as products
                """);
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Fixtures.query("jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath(), "select ands, products from main.o").get(0))
                .containsExactly("x|False||[]|None|3|n", "ababab|---|[1, 2, 1, 2]|6|5.0");
    }

    @Test
    void anUnknownFilterIsAnErrorAtItsLine() {
        Fixtures.project(dir, "models/u.sql", "select 1 as x,\n '{{ ['a'] | no_such_filter }}' as y");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/u.sql:2").hasMessageContaining("no filter named 'no_such_filter'");
    }
}
