package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values printed as dbt prints them, with Python's {@code str()}: {@code {{ true }}} is {@code True}, {@code {{ none }}}
 * is {@code None}, lists and dicts as Python writes them, in output and in strings built with {@code ~}; an undefined
 * name or a missing key still prints nothing; booleans handed to SQL by macros keep working.
 */
class JinjaPythonStrTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
    }

    private static final String MODEL = """
            {% set d = {'a': 1, 'b': none} %}{% set nothing = none %}{% set built = [true, "it's", none] ~ "" %}
            select $${{ true }}|{{ false }}|{{ none }}|{{ nothing }}$$ as scalars,
              $${{ "x" ~ true ~ "," ~ false ~ "," ~ none ~ "," ~ nothing ~ "," ~ never_set ~ "," ~ d.b ~ "," ~ d.zz ~ "," ~ d["zz"] }}$$ as concat,
              $${{ [true, 1, none, 2.5, "a"] }}|{{ {"k": false} }}|{{ d }}|{{ [] }}|{{ {} }}|{{ built }}$$ as containers,
              $${{ d.b }}|{{ d.zz }}|{{ d["zz"] }}|{{ never_set }}|{{ never_set | upper }}|{{ "y" if false }}|{{ target.nmae }}$$ as undefined,
              $${{ 1 == 1 }}|{{ 1 > 2 }}|{{ 1e20 }}|{{ 0.00001 }}|{{ 1.5 }}|{{ 10 / 4 }}$$ as computed,
              $${{ true | string }}|{{ [1, true, none] | join(",") }}|{{ "%s-%s" % (true, none) }}|{{ "{}".format(false) }}$$ as filters,
              {{ my_flag(true) }} as sql_bool, {{ not_flag(false) }} as sql_not
            """;

    @Test
    void valuesPrintAsPythonDoesWhileUndefinedStaysEmpty() {
        Fixtures.project(dir,
                "macros/m.sql", """
                        {% macro my_flag(b) %}{{ b }}{% endmacro %}
                        {% macro not_flag(b) %}{% if b %}false{% else %}true{% endif %}{% endmacro %}
                        """,
                "models/p.sql", MODEL);
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<Object> row = Fixtures.query(url(), "select scalars, concat, containers, undefined, computed, filters, sql_bool, sql_not from main.p").get(0);
        assertThat(row.get(0)).isEqualTo("True|False|None|None");
        assertThat(row.get(1)).isEqualTo("xTrue,False,None,None,,None,,");
        assertThat(row.get(2)).isEqualTo("[True, 1, None, 2.5, 'a']|{'k': False}|{'a': 1, 'b': None}|[]|{}|[True, \"it's\", None]");
        assertThat(row.get(3)).isEqualTo("None||||||");
        assertThat(row.get(4)).isEqualTo("True|False|1e+20|1e-05|1.5|2.5");
        assertThat(row.get(5)).isEqualTo("True|1,True,None|True-None|False");
        assertThat(row.get(6)).isEqualTo(true);
        assertThat(row.get(7)).isEqualTo(true);
    }
}
