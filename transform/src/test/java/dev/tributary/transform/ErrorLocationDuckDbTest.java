package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ref and source typos, and database errors, are reported at the model file's line. */
class ErrorLocationDuckDbTest {
    @TempDir
    Path dir;

    @Test
    void everyUnresolvedRefAndSourceIsNamedAtItsLineWithTheNameMeant() {
        Fixtures.project(dir,
                "models/sources.yml", "version: 2\nsources:\n  - name: crm\n    tables:\n      - name: contacts\n",
                "models/stg_contacts.sql", "select 1 as id",
                "models/a.sql", "{{ config(materialized='view') }}\n\nselect *\nfrom {{ ref( \"stg_contact\" ) }}",
                "models/b.sql", "select *\nfrom {{ source('crm', 'contact') }}");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("2 refs or sources are not found")
                .hasMessageContaining("models/a.sql:4: model 'a' uses ref('stg_contact'), which names no model, seed or snapshot (did you mean 'stg_contacts'?)")
                .hasMessageContaining("models/b.sql:2: model 'b' uses source('crm', 'contact'), which no sources .yml file declares (did you mean source('crm', 'contacts')?)");
    }

    @Test
    void aDatabaseErrorNamesTheModelLineAndTheCompiledLine() {
        Fixtures.project(dir,
                "models/base.sql", "select 1 as id",
                "models/x.sql", """
                        {{ config(materialized='table') }}
                        {#- a comment
                           over lines -#}
                        with a as (
                            select id from {{ ref('base') }}
                        ),
                        b as (
                            select id,
                                   id + 1 as next
                            from a
                        )
                        select id, nxt_id_typo_col
                        from b
                        """);
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        String message = r.result("x").orElseThrow().message();
        assertThat(message).contains("at models/x.sql line 12 (compiled line 9 in target/compiled/t/models/x.sql)")
                .contains("nxt_id_typo_col")
                // DuckDB's JDBC wrapper line says nothing; the database's own reason comes first
                .contains("\n  Binder Error: ")
                .doesNotContain("unsuccessful or closed pending query result");
    }

    @Test
    void compiledLinesAreTracedBackThroughJinjaExpressions() {
        String raw = "{{ config(materialized='table') }}\nselect {{ col }} as a,\n  b\nfrom {{ ref('x') }}\nwhere c = 1";
        String[] compiled = "\nselect foo as a,\n  b\nfrom \"main\".\"x\"\nwhere c = 1".split("\n", -1);
        assertThat(SqlErrorLine.modelLine(raw, compiled, 5)).isEqualTo(5);
        assertThat(SqlErrorLine.modelLine(raw, compiled, 4)).isEqualTo(4);
        assertThat(SqlErrorLine.compiledLine("Binder Error: x\nLINE 6: where c = 1\n        ^", compiled)).isEqualTo(5);
        assertThat(SqlErrorLine.compiledLine("ERROR: column \"cc\" does not exist", new String[] {"select a", "where CC = 1"})).isEqualTo(2);
    }
}
