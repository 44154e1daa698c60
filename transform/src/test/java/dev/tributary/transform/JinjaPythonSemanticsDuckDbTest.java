package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python's semantics for what dbt packages write in Jinja: str methods, {@code %} formatting, indexing, list and dict
 * methods, tests, {@code dict()}/{@code set()}, dict literals with expression keys. Each model renders values that
 * Jinjava alone got wrong (no such method, Java's regex split or format, an empty string for {@code 'abc'[0]}).
 */
class JinjaPythonSemanticsDuckDbTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
    }

    private String rendered(String model, String body) {
        Fixtures.project(dir, "models/" + model + ".sql", "select '" + body + "' as v");
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return String.valueOf(Fixtures.scalar(url(), "select v from main." + model));
    }

    @Test
    void stringMethodsBehaveAsInPython() {
        assertThat(rendered("s1", """
                {{ "AbC".lower() }}|{{ "abc".upper() }}|{{ "  a ".strip() }}|{{ "xxaxx".strip("x") }}|{{ " a".lstrip() }}|{{ "a ".rstrip() }}\
                |{{ "abc".startswith("a") }}|{{ "abc".endswith(("x", "c")) }}|{{ "a.b.c".replace(".", "_") }}|{{ "a.b.c".replace(".", "", 1) }}\
                """)).isEqualTo("abc|ABC|a|a|a|a|True|True|a_b_c|ab.c");
        assertThat(rendered("s2", """
                {{ "a.b.c".split(".")|length }}|{{ "a  b c".split()|join("+") }}|{{ "a,b,c".split(",", 1)[1] }}|{{ "-".join(["x", "y"]) }}\
                |{{ "hello big world".title() }}|{{ "hELLO".capitalize() }}|{{ "banana".count("an") }}|{{ "banana".find("n") }}|{{ "banana".find("z") }}\
                """)).isEqualTo("3|a+b+c|b,c|x-y|Hello Big World|Hello|2|2|-1");
        assertThat(rendered("s3", """
                {{ "{} and {}".format(1, "x") }}|{{ "{1}{0}".format("a", "b") }}|{{ "{n}!".format(n=3) }}|{{ "{:>4}".format("ab") }}|{{ "{:.2f}".format(3.14159) }}\
                """)).isEqualTo("1 and x|ba|3!|  ab|3.14");
    }

    @Test
    void percentFormattingIndexingAndSlicing() {
        assertThat(rendered("p1", """
                {{ "%s-%s" % ("a", "b") }}|{{ "%s" % "x" }}|{{ "%05d" % 42 }}|{{ "%.1f" % 2.75 }}|{{ "%(k)s=%(v)s" % {"k": "a", "v": 1} }}|{{ "100%%" % () }}\
                {% set t = "tbl" %}|{{ "select * from %s" % t.upper() }}\
                """)).isEqualTo("a-b|x|00042|2.8|a=1|100%|select * from TBL");
        assertThat(rendered("p2", """
                {{ "abc"[0] }}|{{ "abc"[-1] }}|{{ "abc"[1:] }}|{{ "abc"[:-1] }}|{{ [1, 2, 3][1:]|join(",") }}|{% set s = "word" %}{{ s[0].upper() ~ s[1:] }}\
                """)).isEqualTo("a|c|bc|ab|2,3|Word");
    }

    @Test
    void listAndDictMethodsMembershipAndTests() {
        assertThat(rendered("l1", """
                {% set l = [1] %}{% do l.append(2) %}{% do l.extend([3, 4]) %}{% do l.insert(0, 0) %}{{ l|join(",") }}|{{ l.pop() }}|{{ l.index(2) }}\
                |{% set d = {"a": 1} %}{% do d.update({"b": 2}) %}{{ d.setdefault("c", 3) }}{{ d.setdefault("a", 9) }}|{{ d.keys()|join(",") }}\
                |{{ d.values()|sum }}|{% for k, v in d.items() %}{{ k }}{{ v }}{% endfor %}|{{ d.get("z", "dflt") }}|{{ d.pop("c") }}{{ d|length }}\
                |{% for k in d %}{{ k }}{% endfor %}|{{ "a" in d }}{{ 2 in l }}{{ "b" in "abc" }}{{ "q" not in d }}\
                """)).isEqualTo("0,1,2,3,4|4|2|31|a,b,c|6|a1b2c3|dflt|32|ab|TrueTrueTrueTrue");
        assertThat(rendered("l2", """
                {{ {} is mapping }}{{ [] is mapping }}|{{ "x" is string }}{{ 1 is string }}|{{ 3 is number }}|{{ none is none }}|{{ nope is defined }}\
                |{{ dict(a=1, b=2)|length }}{{ dict(a=1).a }}|{{ set([1, 1, 2, 2, 3])|length }}|{% for a, b in zip([1, 2], ["x", "y"]) %}{{ a }}{{ b }}{% endfor %}\
                |{{ range(2, 5)|join(",") }}|{{ tojson({"a": [1, "b"]}) }}|{{ fromjson("{\\"k\\": 7}").k }}\
                """)).isEqualTo("TrueFalse|TrueFalse|True|True|False|21|3|1x2y|2,3,4|{\"a\": [1, \"b\"]}|7");
    }

    @Test
    void dictLiteralKeysAreExpressionsAndVariables() {
        assertThat(rendered("d1", """
                {% set col = {"column": "id", "dtype": "int"} %}{% set byname = {col.column: col} %}{{ byname.id.dtype }}\
                |{% set key = "MixedCase" %}{{ {key.lower(): 1}.keys()|join }}\
                |{% set rel = "orders" %}{% set m = {rel: []} %}{% do m[rel].append(1) %}{{ m.keys()|join }}{{ m.orders|length }}\
                |{{ {"lit": 1, 2: "two"}.keys()|join(",") }}\
                """)).isEqualTo("int|mixedcase|orders1|lit,2");
    }

    @Test
    void aWrongFormatIsACompilationErrorNamingTheModel() {
        Fixtures.project(dir, "models/bad.sql", "select 1 as x\n{{ '%s %s' % ('only one',) }}");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/bad.sql:2").hasMessageContaining("not enough arguments for format string");
    }

    /** {@code *args} / {@code **kwargs} passed to Python methods and functions, not only to macros. */
    @Test
    void starArgumentsToMethodsAndFunctions() {
        assertThat(rendered("sa1", """
                {%- set parts = ['a', 'b'] -%}{%- set named = {'n': 3, 'w': 'x'} -%}
                {{ "{}-{}".format(*parts) }}|{{ '{n}{w}'.format(**named) }}|{{ "{}:{n}".format(*['z'], **named) }}\
                |{{ zip(*[[1, 2], [3, 4]]) | list | length }}|{{ modules.datetime.date(*[2024, 2, 29]).isoformat() }}\
                |{{ ','.join(*[parts]) }}|{{ "ab".replace(*['a', 'c']).upper() }}\
                """)).isEqualTo("a-b|3x|z:3|2|2024-02-29|a,b|CB");
        Fixtures.project(dir, "models/bad.sql", "select 1 as x\n{% set n = 5 %}{{ 'x'.format(*n) }}");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/bad.sql:2").hasMessageContaining("*args of format() must be a list");
    }

    /**
     * A name before a colon is a name, not the namespace of a function: {@code a if name else f(x)}, a dict literal
     * {@code {key: f(x)}} with a variable key, a slice {@code xs[i:f(n)]}.
     */
    @Test
    void aNameBeforeElseFollowedByACallIsTheCondition() {
        Fixtures.project(dir, "macros/tz.sql", """
                {% macro pick_tz(tz=None) %}{% set tz = tz if tz else var('qa_tz', 'UTC') %}{{ return(tz) }}{% endmacro %}
                """);
        assertThat(rendered("t1", """
                {%- set tz = none -%}{%- set other = 'Europe/Paris' -%}
                {{ tz if tz else var('qa_tz', 'UTC') }}|{{ other if other else var('qa_tz', 'UTC') }}|{{ pick_tz() }}|{{ pick_tz('Asia/Tokyo') }}\
                |{{ 'a' if tz else 'b' if other else range(3) | length }}|{{ tz if other else none if tz else modules.datetime.date(2024, 1, 2) }}\
                """)).isEqualTo("UTC|Europe/Paris|UTC|Asia/Tokyo|b|None");
        assertThat(rendered("t2", """
                {%- set key = 'zone' -%}{%- set i = 1 -%}
                {{ {key: var('qa_tz', 'UTC')}.zone }}|{{ [1, 2, 3, 4][i:range(3) | length] | join(',') }}\
                """)).isEqualTo("UTC|2,3");
    }
}
