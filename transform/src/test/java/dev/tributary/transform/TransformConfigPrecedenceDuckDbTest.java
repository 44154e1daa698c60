package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config() / config.set precedence over schema.yml and dbt_project.yml, and hooks outside the transaction (before_begin, after_commit). */
class TransformConfigPrecedenceDuckDbTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
    }

    static void precedenceProject(Path dir) {
        Fixtures.project(dir,
                "models/folder/from_yaml.sql", "select 1 as id",
                "models/folder/from_config_call.sql", "{{ config(materialized='view') }}\nselect 1 as id",
                "models/folder/from_config_set.sql", """
                        {% do config.set('materialized', 'table') %}
                        {% do config.set('alias', 'set_alias') %}
                        select '{{ config.get('alias') }}' as alias_seen, '{{ config.get('materialized') }}' as materialized_seen
                        """,
                "models/folder/schema.yml", """
                        models:
                          - name: from_yaml
                            config: {materialized: table}
                          - name: from_config_call
                            config: {materialized: table}
                          - name: from_config_set
                            config: {materialized: view, alias: yaml_alias}
                        """,
                "models/hooked.sql", """
                        {{ config(materialized='table',
                                  pre_hook=[before_begin(log_row('before_begin')), log_row('pre')],
                                  post_hook=[after_commit(log_row('after_commit')), log_row('post')]) }}
                        select 1 as id
                        """,
                "macros/log_row.sql", """
                        {% macro log_row(msg) %}insert into {{ target.schema }}.hook_log select count(*) + 1, '{{ msg }}' from {{ target.schema }}.hook_log{% endmacro %}
                        """);
        Fixtures.write(dir.resolve("dbt_project.yml"), """
                name: t
                profile: t
                on-run-start: "create table if not exists {{ target.schema }}.hook_log (seq integer, msg varchar(40))"
                models:
                  t:
                    folder:
                      +materialized: view
                    hooked:
                      +post-hook:
                        - sql: "{{ log_row('project after_commit') }}"
                          transaction: false
                        - "{{ log_row('project post') }}"
                """);
    }

    @Test
    void configCallsWinOverSchemaYmlWhichWinsOverFolders() {
        precedenceProject(dir);
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(Fixtures.query(url(), "select table_name, table_type from information_schema.tables where table_schema = 'main' and table_name <> 'hook_log' order by table_name").toString())
                .isEqualTo("[[from_config_call, VIEW], [from_yaml, BASE TABLE], [hooked, BASE TABLE], [set_alias, BASE TABLE]]");
        assertThat(Fixtures.query(url(), "select alias_seen, materialized_seen from main.set_alias").toString()).isEqualTo("[[set_alias, table]]");
    }

    @Test
    void hooksOutsideTheTransactionRunFirstBeforeAndLastAfter() {
        precedenceProject(dir);
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        // dbt: transaction: false pre-hooks, then the others; post-hooks in the transaction, then the transaction: false ones
        assertThat(Fixtures.query(url(), "select msg from main.hook_log order by seq").toString())
                .isEqualTo("[[before_begin], [pre], [project post], [post], [project after_commit], [after_commit]]");
    }
}
