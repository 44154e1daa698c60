package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A macro call whose argument calls the same macro, as Jinja evaluates it: the argument first, then the call.
 * Jinjava put the macro's name on its call stack before evaluating the arguments and, recursion being off, took
 * the inner call for a cycle: a warning, and the inner call evaluated to '', so {@code wrap(wrap("'c'"))} compiled
 * to {@code upper()} where dbt gives {@code upper(upper('c'))}. Every expected string is what dbt renders.
 */
class NestedMacroCallsTest {
    @TempDir
    Path dir;

    private static final String MACROS = """
            {% macro wrap(x) %}{{ return(adapter.dispatch('wrap')(x)) }}{% endmacro %}
            {% macro default__wrap(x) %}upper({{ x }}){% endmacro %}
            {% macro plain(x) %}lower({{ x }}){% endmacro %}
            {% macro ret(x) %}{{ return('r(' ~ x ~ ')') }}{% endmacro %}
            {% macro appended(xs, x) %}{{ return(xs + [x]) }}{% endmacro %}
            {% macro with_key(d, k) %}{% set e = {} %}{% do e.update(d) %}{% do e.update({k: e | length}) %}{{ return(e) }}{% endmacro %}
            {% macro is_long(xs) %}{{ return(xs | length > 2) }}{% endmacro %}
            {% macro down(n) %}{% if n > 0 %}{% for i in [n] %}{{ i }},{{ down(n - 1) }}{% endfor %}{% endif %}{% endmacro %}
            {% macro forever(n) %}{{ forever(n + 1) }}{% endmacro %}
            """;

    /** The compiled SQL of model v (its text given), with the macros above in macros/m.sql. */
    private String compiled(String model) {
        return Fixtures.compiledModel(dir, MACROS, model);
    }

    @Test
    void aMacroCalledWithItsOwnResultKeepsTheInnerValue() {
        assertThat(compiled("select {{ wrap(wrap(\"'c'\")) }}")).isEqualTo("select upper(upper('c'))");
        assertThat(compiled("select {{ plain(plain(\"'c'\")) }}")).isEqualTo("select lower(lower('c'))");
        assertThat(compiled("select {{ plain(plain(plain(\"'c'\"))) }}")).isEqualTo("select lower(lower(lower('c')))");
        assertThat(compiled("select {{ ret(ret('c')) }}")).isEqualTo("select r(r(c))");
        assertThat(compiled("select {{ adapter.dispatch('wrap')(adapter.dispatch('wrap')(\"'c'\")) }}")).isEqualTo("select upper(upper('c'))");
        // the inner call inside an expression of the outer call's arguments, and inside a keyword argument
        assertThat(compiled("select {{ wrap('x' ~ wrap(\"'c'\")) }}, {{ plain(x=plain(\"'c'\")) }}")).isEqualTo("select upper(xupper('c')), lower(lower('c'))");
    }

    @Test
    void nestedCallsOfTwoMacrosAndAResultPassedToAFilter() {
        assertThat(compiled("select {{ wrap(plain(\"'c'\")) }}, {{ plain(wrap(wrap(\"'c'\"))) }}")).isEqualTo("select upper(lower('c')), lower(upper(upper('c')))");
        assertThat(compiled("select '{{ plain(plain(\"c\")) | upper }}', {{ ret(ret('c')) | length }}")).isEqualTo("select 'LOWER(LOWER(C))', 7");
    }

    @Test
    void listsDictsAndBooleansReturnedPassNested() {
        assertThat(compiled("select '{{ appended(appended(['a'], 'b'), 'c') | join(',') }}'")).isEqualTo("select 'a,b,c'");
        assertThat(compiled("{% set d = with_key(with_key({'x': 0}, 'a'), 'b') %}select {{ d.x }}, {{ d.a }}, {{ d.b }}")).isEqualTo("select 0, 1, 2");
        assertThat(compiled("select {{ is_long(appended(appended(appended([], 1), 2), 3)) }}, {{ is_long(appended([], 1)) }}")).isEqualTo("select True, False");
    }

    @Test
    void dbtUtilsStyleDispatchedMacrosTakeEachOthersResults() {
        assertThat(compiled("select {{ dbt.concat([dbt.safe_cast(dbt.safe_cast(\"'1'\", 'integer'), dbt.type_string()), \"'-'\"]) }}"))
                .isEqualTo("select concat(try_cast(try_cast('1' as integer) as VARCHAR), '-')");
        assertThat(compiled("select {{ hash(hash(\"'a'\")) }}, {{ safe_cast(safe_cast('x', 'integer'), 'bigint') }}"))
                .isEqualTo("select md5(cast(md5(cast('a' as VARCHAR)) as VARCHAR)), try_cast(try_cast(x as integer) as bigint)");
    }

    @Test
    void aMacroMayCallItselfAndARunawayRecursionIsAnError() throws Exception {
        assertThat(compiled("select '{{ down(3) }}'")).isEqualTo("select '3,2,1,'");
        assertThat(compiled("select '{{ down(60) }}'")).startsWith("select '60,59,58,").endsWith(",2,1,'");
        // on a thread with room for the whole limit (the default 1 MB stack ran out first once on a loaded machine: see below)
        assertThat(thrownOnAThreadWithStack(16 << 20, "select {{ forever(0) }}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models/v.sql").hasMessageNotContaining("v.sql:5").hasMessageContaining("forever")
                .hasMessageContaining("Max recursion limit of 200").hasMessageContaining("a macro calling itself without end?");
    }

    /** What compiling model v threw on a thread of its own with a stack of {@code bytes} (null when nothing was thrown). */
    private Throwable thrownOnAThreadWithStack(long bytes, String model) throws InterruptedException {
        Throwable[] thrown = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                compiled(model);
            } catch (Throwable e) {
                thrown[0] = e;
            }
        }, "stack-" + bytes, bytes);
        t.start();
        t.join();
        return thrown[0];
    }

    /**
     * On a thread with a small stack the stack runs out before the depth limit: that is the same compilation error
     * naming the file, not a StackOverflowError escaping as an internal error (seen once on a loaded machine at a depth
     * limit of 200 on the test's own thread).
     */
    @Test
    void aRecursionThatRunsOutOfStackIsTheSameError() throws Exception {
        assertThat(thrownOnAThreadWithStack(192 * 1024, "select {{ forever(0) }}")).isInstanceOf(ConfigException.class).hasMessageContaining("models/v.sql")
                .hasMessageContaining("macros nested too deeply: the thread's stack ran out before 200 nested macro calls")
                .hasMessageContaining("(a macro calling itself without end?)");
    }
}
