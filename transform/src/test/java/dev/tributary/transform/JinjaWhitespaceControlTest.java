package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whitespace control as Jinja2 applies it (dbt's environment leaves {@code trim_blocks} and {@code lstrip_blocks}
 * off): a {@code -} strips the whitespace on its own side of its own tag, expression or comment, up to the next
 * tag, and nothing else. So a macro body's {@code {%- ... %}} trims inside the body, never the caller's text around
 * {@code {{ m() }}}; {@code {{- m() }}} / {@code {{ m() -}}} at the call site strip around the call; and a comment's
 * {@code {#-} / {@code -#}} strip only beside that comment (Jinjava carried a comment's trim onto the text after it,
 * so {@code then {{ datediff(..) }}} after a {@code {#- ... -#}} doc comment compiled to {@code thendate_diff(..)}).
 * Every expected string below is the text Jinja2 renders by those rules.
 */
class JinjaWhitespaceControlTest {
    @TempDir
    Path dir;

    private static final String MACROS = """
            {#- Macros for the test: a doc comment with whitespace control, as packages write them. -#}
            {% macro set_first(x) %}
              {%- set y = x ~ "!" %}{{ y }}
            {%- endmacro %}
            {% macro set_first_inline(x) %}{%- set y = x ~ "?" -%}{{ y }}{% endmacro %}
            {% macro plain(x) -%}
              {#- a comment inside the body -#}
              <{{ x }}>
            {%- endmacro %}
            {% macro returns(x) -%}{{ return(x ~ "=") }}{%- endmacro %}
            """;

    /** The compiled SQL of model v (its text given), with the macros above in macros/m.sql. */
    private String compiled(String model) {
        return Fixtures.compiledModel(dir, MACROS, model);
    }

    @Test
    void aDispatchedCallAfterADocCommentKeepsTheSpaceBeforeIt() {
        assertThat(compiled("""
                {{ config(materialized='view') }}
                {#- Days between a and b, as the lakehouse example's gold models write it. -#}
                select case when a > b then {{ datediff('a', 'b', 'day') }} else 0 end as d
                """)).isEqualTo("select case when a > b then date_diff('day', a::timestamp, b::timestamp) else 0 end as d");
        assertThat(compiled("select case when a > b then {{ datediff('a', 'b', 'day') }} else 0 end as d"))
                .isEqualTo("select case when a > b then date_diff('day', a::timestamp, b::timestamp) else 0 end as d");
    }

    @Test
    void aMacroBodyStartingWithTrimmedSetLeavesTheCallersSpaceAlone() {
        assertThat(compiled("""
                select 1 as x, {#- on the next line #}
                  'a {{ set_first('b') }} c|a {{ set_first_inline('b') }} c' as v
                """)).isEqualTo("select 1 as x,\n  'a b! c|a b? c' as v");
        assertThat(compiled("select 'a {{ set_first('b') }} c|a {{ set_first_inline('b') }} c' as v"))
                .isEqualTo("select 'a b! c|a b? c' as v");
    }

    @Test
    void trimmingInsideAMacroStaysInsideIt() {
        assertThat(compiled("select 'a {{ plain('b') }} c|a\n  {{ returns('r') }}\n  c' as v"))
                .isEqualTo("select 'a <b> c|a\n  r=\n  c' as v");
    }

    @Test
    void aMinusAtTheCallSiteStripsAroundTheCall() {
        assertThat(compiled("select 'a  {{- set_first('b') }}  c|a  {{ set_first('b') -}}  c|a \n {{- plain('b') -}} \n c"
                + "|a {{- datediff('x', 'y', 'day') }} c|a {# note #} {{- plain('b') }} c' as v"))
                .isEqualTo("select 'ab!  c|a  b!c|a<b>c|adate_diff('day', x::timestamp, y::timestamp) c|a <b> c' as v");
    }

    @Test
    void aCommentsMinusStripsOnlyBesideThatComment() {
        assertThat(compiled("""
                select 'Z {#- both -#}
                  A {{ 'x' }} B|Z {#- before #}
                  A {{ 'x' }} B|Z {# after -#}
                  A {{ 'x' }} B|Z {# none #}
                  A {{ 'x' }} B|{% if true -%}  {# c #}  A{% endif %}' as v
                """)).isEqualTo("select 'ZA x B|Z\n  A x B|Z A x B|Z \n  A x B|  A' as v");
        assertThat(compiled("{#- leading -#}\n  select 'a {{ 'x' }} b' as v {#- trailing -#}\n"))
                .isEqualTo("select 'a x b' as v");
    }

    @Test
    void linesAfterATrimmedCommentStillNameTheirLine() {
        assertThatThrownBy(() -> compiled("select 1 as a,\n{#- over\n   two lines -#}\n\n  {{ nope.attr }} as b"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/v.sql:5");
    }
}
