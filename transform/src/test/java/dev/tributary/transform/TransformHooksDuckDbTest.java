package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pre-hook / post-hook (model config, schema.yml, folder configs) and on-run-start / on-run-end, on DuckDB. */
class TransformHooksDuckDbTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
    }

    private RunSummary build() {
        return new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
    }

    private List<String> log() {
        List<String> out = new ArrayList<>();
        for (List<Object> row : Fixtures.query(url(), "select msg from main.hook_log order by n")) out.add(String.valueOf(row.get(0)));
        return out;
    }

    private static final String LOG_SETUP = """
            on-run-start:
              - "create sequence if not exists main.hook_seq"
              - "create table if not exists main.hook_log (n bigint default nextval('main.hook_seq'), msg varchar)"
            on-run-end: "insert into main.hook_log (msg) values ('end {{ schemas | join(',') }}')"
            """;

    @Test
    void hooksFromEveryLevelRunAroundTheModelInDbtOrderWithThisBound() {
        Fixtures.project(dir,
                "models/marts/m.sql", """
                        {{ config(materialized='table',
                                  pre_hook="insert into main.hook_log (msg) values ('config pre')",
                                  post_hook=["insert into main.hook_log (msg) values ('config post')",
                                             "insert into main.hook_log (msg) select 'rows in {{ this.identifier }}: ' || count(*) from {{ this }}"]) }}
                        select * from (values (1), (2), (3)) t(id)
                        """,
                "models/schema.yml", """
                        version: 2
                        models:
                          - name: m
                            config:
                              pre-hook: "insert into main.hook_log (msg) values ('yaml pre')"
                              post_hook: "insert into main.hook_log (msg) values ('yaml post')"
                        """);
        Fixtures.write(dir.resolve("dbt_project.yml"), """
                name: t
                profile: t
                """ + LOG_SETUP + """
                models:
                  t:
                    +pre-hook: "insert into main.hook_log (msg) select 'project pre, {{ this.name }} exists: ' || count(*) from information_schema.tables where table_name = '{{ this.identifier }}'"
                    marts:
                      +post-hook:
                        - "insert into main.hook_log (msg) values ('marts post {{ this }}')"
                """);
        RunSummary r = build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(r.results()).hasSize(1);
        assertThat(log()).containsExactly(
                "project pre, m exists: 0",
                "yaml pre",
                "config pre",
                "marts post \"w\".\"main\".\"m\"",
                "yaml post",
                "config post",
                "rows in m: 3",
                "end main");
        assertThat(build().exitCode()).isZero();
        assertThat(log()).hasSize(16).contains("project pre, m exists: 1");
    }

    @Test
    void aFailingHookFailsTheModelNamingFileAndHookAndSkipsChildren() {
        Fixtures.project(dir,
                "models/bad.sql", "{{ config(materialized='table', post_hook=['select 1', 'select * from no_such_table']) }}\nselect 1 as id",
                "models/child.sql", "select * from {{ ref('bad') }}",
                "models/pre_bad.sql", "{{ config(materialized='table', pre_hook='select * from also_missing') }}\nselect 1 as id");
        RunSummary r = build();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.status("bad")).isEqualTo(NodeStatus.ERROR);
        assertThat(r.result("bad").orElseThrow().message()).contains("models/bad.sql").contains("post-hook 2").contains("no_such_table");
        assertThat(r.status("child")).isEqualTo(NodeStatus.SKIP);
        assertThat(r.result("pre_bad").orElseThrow().message()).contains("models/pre_bad.sql").contains("pre-hook 1").contains("also_missing");
        assertThat(Fixtures.scalar(url(), "select count(*) from information_schema.tables where table_name = 'pre_bad'"))
                .as("a failing pre-hook stops the model before it is built").isEqualTo(0L);
    }

    @Test
    void aJinjaErrorInAHookNamesTheModelAndTheHook() {
        Fixtures.project(dir, "models/m.sql", "{{ config(post_hook='select {{ nope() }}') }}\nselect 1 as id");
        RunSummary r = build();
        assertThat(r.status("m")).isEqualTo(NodeStatus.ERROR);
        assertThat(r.result("m").orElseThrow().message()).contains("models/m.sql (post-hook 1)").contains("nope");
    }

    @Test
    void aFailingOnRunStartStopsTheCommandAndOnRunEndErrorsAreReported() {
        Fixtures.project(dir, "models/m.sql", "select 1 as id");
        Fixtures.write(dir.resolve("dbt_project.yml"), "name: t\nprofile: t\non-run-start: \"select * from missing_table\"\n");
        RunSummary r = build();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.results()).hasSize(1);
        assertThat(r.results().get(0).resourceType()).isEqualTo(ResourceType.OPERATION);
        assertThat(r.results().get(0).message()).contains("on-run-start hook 1").contains("missing_table");
        assertThat(Fixtures.scalar(url(), "select count(*) from information_schema.tables where table_name = 'm'")).isEqualTo(0L);

        Fixtures.write(dir.resolve("dbt_project.yml"), "name: t\nprofile: t\non-run-end:\n  - \"select * from {{ ref('m') }}\"\n  - \"select * from missing_table\"\n");
        r = build();
        assertThat(r.status("m")).isEqualTo(NodeStatus.SUCCESS);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.result("t-on-run-end-1").orElseThrow().message()).contains("missing_table");
    }

    @Test
    void aPostHookExportsParquetUnderTheProjectFolderCreatingTheFolder() throws Exception {
        Fixtures.project(dir,
                "models/answers/a.sql", "{{ config(materialized='table') }}\nselect * from range(7) t(id)",
                "models/answers/b.sql", "{{ config(materialized='view') }}\nselect * from range(3) t(id)",
                "models/other.sql", "select 1 as id");
        Fixtures.write(dir.resolve("dbt_project.yml"), """
                name: t
                profile: t
                models:
                  t:
                    answers:
                      +post-hook: >-
                        COPY (SELECT * FROM {{ this }})
                        TO '{{ project_root }}/{{ var("export_dir", "exports/nested") }}/{{ this.identifier }}.parquet' (FORMAT parquet)
                """);
        RunSummary r = build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        Path exports = dir.resolve("exports/nested");
        assertThat(exports.resolve("a.parquet")).exists();
        assertThat(exports.resolve("b.parquet")).exists();
        assertThat(exports.resolve("other.parquet")).doesNotExist();
        assertThat(Fixtures.scalar(url(), "select count(*) from read_parquet('" + exports.resolve("a.parquet") + "')")).isEqualTo(7L);
        assertThat(Fixtures.scalar(url(), "select count(*) from read_parquet('" + exports.resolve("b.parquet") + "')")).isEqualTo(3L);
        assertThat(Files.list(exports).count()).isEqualTo(2);
    }

    @Test
    void hookJinjaInDbtProjectYmlIsLeftForRunTimeWhileTheRestIsRendered() {
        String text = """
                name: "{{ 'proj' }}"
                on-run-start: "select '{{ this }}'"
                models:
                  +post-hook:
                    - "a {{ x }}"
                  +materialized: "{{ 'table' }}"
                """;
        String masked = ProjectLoader.protectHooks(text);
        assertThat(masked).contains("name: \"{{ 'proj' }}\"").contains("+materialized: \"{{ 'table' }}\"").doesNotContain("'{{ this }}'").doesNotContain("a {{ x }}");
        assertThat(ProjectLoader.unprotectHooks(masked)).isEqualTo(text);
    }
}
