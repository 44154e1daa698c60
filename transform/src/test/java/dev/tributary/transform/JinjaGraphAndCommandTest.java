package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flags.WHICH} naming the command that runs, {@code graph} (nodes and sources with their configs) and {@code selected_resources}. */
class JinjaGraphAndCommandTest {
    @TempDir
    Path dir;

    static final String MODEL = """
            {{ config(materialized='table', tags=['nightly']) }}
            select '{{ flags.WHICH }}' as which,
              {{ selected_resources | length }} as n_selected,
              {{ 'model.t.m' in selected_resources }} as self_selected,
              {{ 'seed.t.s' in selected_resources }} as seed_selected
            {%- if execute %}
              {%- set me = graph.nodes['model.t.m'] %}
              {%- set src = graph.sources['source.t.raw.events'] %}
              , '{{ me.resource_type }}|{{ me.name }}|{{ me.package_name }}|{{ me.config.materialized }}|{{ me.config.tags | join(",") }}|{{ me.depends_on.nodes | join(",") }}' as me
              , '{{ src.resource_type }}|{{ src.source_name }}|{{ src.name }}|{{ src.identifier }}|{{ src.package_name }}|{{ src.config.enabled }}' as src
              , {{ graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') | list | length }} as n_models
              , '{{ graph.nodes['seed.t.s'].config.get('materialized') }}' as seed_mat
            {%- endif %}
            from {{ ref('s') }} cross join {{ source('raw', 'events') }} limit 1
            """;

    static final String SOURCES = """
            version: 2
            sources:
              - name: raw
                schema: main
                tables:
                  - name: events
                    identifier: s
            """;

    @Test
    void whichGraphAndSelectedResourcesOnDuckDb() throws Exception {
        Fixtures.project(dir, "seeds/s.csv", "a\n1\n2\n", "models/m.sql", MODEL, "models/sources.yml", SOURCES,
                "models/other.sql", "select '{{ flags.WHICH }}' as which from {{ ref('m') }}");
        String url = "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
        String row = "select which, n_selected, self_selected, seed_selected, me, src, n_models, seed_mat from main.m";

        TransformProject project = TransformProject.load(dir, Fixtures.duck(dir));
        RunSummary seed = new TransformRunner(project, null).seed();
        assertThat(seed.exitCode()).as(seed.toString()).isZero();
        RunSummary build = new TransformRunner(project, null).build();
        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(Fixtures.query(url, row).get(0).toString())
                .isEqualTo("[build, 3, true, true, model|m|t|table|nightly|seed.t.s,source.t.raw.events, source|raw|events|s|t|True, 2, seed]");

        RunSummary run = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir).withSelect("m")), null).run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Fixtures.query(url, row).get(0).toString()).startsWith("[run, 1, true, false,");

        List<CompiledNode> compiled = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).compile();
        CompiledNode other = compiled.stream().filter(c -> c.name().equals("other")).findFirst().orElseThrow();
        assertThat(other.compiledSql()).contains("'compile' as which");
        assertThat(Files.readString(dir.resolve("target/compiled/t/models/m.sql"))).contains("'compile' as which").contains("2 as n_selected");
    }

    @Test
    void theLoadSeesTheCommandTheOptionsName() {
        Fixtures.project(dir, "models/m.sql", "{{ config(tags=[flags.WHICH]) }} select 1 as x");
        TransformProject p = TransformProject.load(dir, Fixtures.duck(dir).withCommand("test"));
        assertThat(p.nodes().get("model.t.m").tags()).containsExactly("test");
        TransformProject q = TransformProject.load(dir, Fixtures.duck(dir));
        assertThat(q.nodes().get("model.t.m").tags()).containsExactly("run");
    }
}
