package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformFeaturesDuckDbTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
    }

    private RunSummary build(TransformOptions o) {
        return new TransformRunner(TransformProject.load(dir, o), null).build();
    }

    @Test
    void incrementalMergeDeleteInsertAppendAndFullRefresh() {
        Fixtures.project(dir,
                "seeds/src.csv", "id,v\n1,a\n2,b\n",
                "models/m_merge.sql", "{{ config(materialized='incremental', unique_key='id', incremental_strategy='merge') }}\nselect id, v from {{ ref('src') }}",
                "models/m_di.sql", "{{ config(materialized='incremental', unique_key=['id'], incremental_strategy='delete+insert') }}\nselect id, v from {{ ref('src') }}",
                "models/m_append.sql", "{{ config(materialized='incremental') }}\nselect id, v from {{ ref('src') }}{% if is_incremental() %} where id > (select max(id) from {{ this }}){% endif %}");
        assertThat(build(Fixtures.duck(dir)).exitCode()).isZero();
        Fixtures.write(dir.resolve("seeds/src.csv"), "id,v\n1,z\n2,b\n3,c\n");
        assertThat(build(Fixtures.duck(dir)).exitCode()).isZero();
        assertThat(Fixtures.query(url(), "select id, v from main.m_merge order by id").toString()).isEqualTo("[[1, z], [2, b], [3, c]]");
        assertThat(Fixtures.query(url(), "select id, v from main.m_di order by id").toString()).isEqualTo("[[1, z], [2, b], [3, c]]");
        assertThat(Fixtures.query(url(), "select id, v from main.m_append order by id").toString()).isEqualTo("[[1, a], [2, b], [3, c]]");
        new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir).withFullRefresh(true).withSelect("m_append")), null).run();
        assertThat(Fixtures.query(url(), "select id, v from main.m_append order by id").toString()).isEqualTo("[[1, z], [2, b], [3, c]]");
    }

    @Test
    void seedsInferTypesAndHonourColumnTypes() {
        Fixtures.project(dir, "seeds/s.csv", "i,d,b,dt,ts,t,forced\n1,1.5,true,2024-01-02,2024-01-02 03:04:05,x,7\n2,,false,2024-02-03,2024-02-03T01:02:03,\"a, \"\"q\"\"\",8\n",
                "seeds/schema.yml", "seeds:\n  - name: s\n    config:\n      column_types: {forced: varchar}\n");
        assertThat(new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).seed().exitCode()).isZero();
        assertThat(Fixtures.query(url(), "select column_name, data_type from information_schema.columns where table_name = 's' order by ordinal_position").toString())
                .isEqualTo("[[i, BIGINT], [d, DOUBLE], [b, BOOLEAN], [dt, DATE], [ts, TIMESTAMP], [t, VARCHAR], [forced, VARCHAR]]");
        assertThat(Fixtures.scalar(url(), "select t from main.s where i = 2")).isEqualTo("a, \"q\"");
        assertThat(Fixtures.scalar(url(), "select count(*) from main.s where d is null")).isEqualTo(1L);
    }

    @Test
    void failingTestSkipsChildrenAndWarnDoesNot() {
        Fixtures.project(dir,
                "models/a.sql", "select 1 as id union all select 1",
                "models/b.sql", "select * from {{ ref('a') }}",
                "models/c.sql", "select 1 as id union all select 1",
                "models/d.sql", "select * from {{ ref('c') }}",
                "models/schema.yml", """
                        models:
                          - name: a
                            columns:
                              - name: id
                                tests: [unique]
                          - name: c
                            columns:
                              - name: id
                                tests:
                                  - unique:
                                      config: {severity: warn}
                                  - not_null:
                                      config: {store_failures: true}
                        """);
        RunSummary r = build(Fixtures.duck(dir));
        assertThat(r.status("a")).isEqualTo(NodeStatus.SUCCESS);
        assertThat(r.status("unique_a_id")).isEqualTo(NodeStatus.FAIL);
        assertThat(r.result("unique_a_id").orElseThrow().failures()).isEqualTo(1L);
        assertThat(r.status("b")).isEqualTo(NodeStatus.SKIP);
        assertThat(r.status("unique_c_id")).isEqualTo(NodeStatus.WARN);
        assertThat(r.status("d")).isEqualTo(NodeStatus.SUCCESS);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.summaryLine()).isEqualTo("Done. PASS=4 WARN=1 ERROR=1 SKIP=1 TOTAL=7");
        assertThat(Fixtures.scalar(url(), "select count(*) from main_dbt_test__audit.not_null_c_id")).isEqualTo(0L);
    }

    @Test
    void errorIfThresholdsAndWhere() {
        Fixtures.project(dir, "models/a.sql", "select * from (values (1, 'x'), (1, 'y'), (2, 'y')) t(id, k)",
                "models/schema.yml", """
                        models:
                          - name: a
                            columns:
                              - name: id
                                tests:
                                  - unique:
                                      config: {error_if: '>10', warn_if: '>0'}
                                  - unique:
                                      name: unique_where
                                      config: {where: "k = 'y'"}
                        """);
        RunSummary r = build(Fixtures.duck(dir));
        assertThat(r.results()).filteredOn(x -> x.resourceType() == ResourceType.TEST).extracting(NodeResult::status)
                .containsExactlyInAnyOrder(NodeStatus.WARN, NodeStatus.PASS);
    }

    @Test
    void jinjaErrorsNameFileAndLine() {
        Fixtures.project(dir, "models/ok.sql", "select 1 as x", "models/bad.sql", "select 1\n\n{{ ref('nope') }}\n");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/bad.sql").hasMessageContaining("nope");
        Fixtures.write(dir.resolve("models/bad.sql"), "select 1\n{% if true %}\nselect 2\n");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).hasMessageContaining("models/bad.sql:2");
        Fixtures.write(dir.resolve("models/bad.sql"), "select 1\n\n{{ var('missing_var') }}\n");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).hasMessageContaining("models/bad.sql:3").hasMessageContaining("missing_var");
    }

    @Test
    void databaseErrorsNameTheModelAndShowTheMessage() {
        Fixtures.project(dir, "models/broken.sql", "select no_such_column from (select 1 as x) t", "models/child.sql", "select * from {{ ref('broken') }}");
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).run();
        assertThat(r.status("broken")).isEqualTo(NodeStatus.ERROR);
        assertThat(r.result("broken").orElseThrow().message()).contains("Database Error in model broken (models/broken.sql)").contains("no_such_column");
        assertThat(r.status("child")).isEqualTo(NodeStatus.SKIP);
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void cyclesAreNamed() {
        Fixtures.project(dir, "models/a.sql", "select * from {{ ref('b') }}", "models/b.sql", "select * from {{ ref('a') }}");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).hasMessageContaining("cycle").hasMessageContaining("model.t.a").hasMessageContaining("model.t.b");
    }

    @Test
    void folderConfigsVarsMacrosSchemasAndDocs() {
        Fixtures.write(dir.resolve("dbt_project.yml"), """
                name: t
                unknown_key: tolerated
                vars:
                  n: 3
                models:
                  t:
                    +materialized: table
                    +tags: [all]
                    sub:
                      materialized: view
                      +schema: extra
                      +tags: sub
                """);
        Fixtures.write(dir.resolve("macros/m.sql"), "{% macro times(x, k) %}{{ x }} * {{ k }}{% endmacro %}\n{% macro generate_schema_name(custom, node) %}{% if custom %}{{ custom }}{% else %}{{ target.schema }}{% endif %}{% endmacro %}");
        Fixtures.write(dir.resolve("models/top.sql"), "{# comment #}\n{%- set xs = [1, 2] -%}\nselect {{ times(var('n'), 2) }} as v, '{{ target.name }}' as t, {{ xs | length }} as c, '{{ var('other', 'dflt') }}' as d, '{{ env_var('TRIBUTARY_NOT_SET_X', 'e') }}' as e");
        Fixtures.write(dir.resolve("models/sub/inner.sql"), "{{ config(alias='inner_alias') }}select * from {{ ref('top') }}");
        Fixtures.write(dir.resolve("models/docs.md"), "{% docs d1 %}Doc one{% enddocs %}");
        Fixtures.write(dir.resolve("models/sub/s.yml"), "models:\n  - name: inner\n    description: '{{ doc(\"d1\") }}'\n");
        TransformProject p = TransformProject.load(dir, Fixtures.duck(dir).withVars(Map.of("n", 5)));
        Node top = p.nodes().get("model.t.top");
        Node inner = p.nodes().get("model.t.inner");
        assertThat(top.materialized()).isEqualTo("table");
        assertThat(inner.materialized()).isEqualTo("view");
        assertThat(inner.tags()).containsExactly("all", "sub");
        assertThat(inner.schema()).isEqualTo("extra");
        assertThat(inner.identifier()).isEqualTo("inner_alias");
        RunSummary r = new TransformRunner(p, null).run();
        assertThat(r.exitCode()).isZero();
        assertThat(Fixtures.query(url(), "select * from extra.inner_alias").toString()).isEqualTo("[[10, dev, 2, dflt, e]]");
        List<CompiledNode> compiled = new TransformRunner(p, null).compile();
        assertThat(compiled).filteredOn(c -> c.name().equals("top")).first().extracting(CompiledNode::compiledSql).asString().startsWith("select 5 * 2 as v");
    }

    @Test
    void selectorsAndLs() {
        Fixtures.copy("jaffle", dir);
        TransformOptions o = TransformOptions.defaults().withProfilesDir(dir);
        assertThat(new TransformRunner(TransformProject.load(dir, o.withSelect("+customers").withExclude("resource_type:test", "resource_type:check")), null).ls())
                .containsExactlyInAnyOrder("jaffle_shop.raw_customers", "jaffle_shop.raw_orders", "jaffle_shop.raw_payments", "jaffle_shop.staging.stg_customers",
                        "jaffle_shop.staging.stg_orders", "jaffle_shop.staging.stg_payments", "jaffle_shop.marts.order_payments", "jaffle_shop.marts.orders",
                        "jaffle_shop.marts.customers");
        assertThat(new TransformRunner(TransformProject.load(dir, o.withSelect("1+customers").withExclude("resource_type:test", "resource_type:check")), null).ls())
                .containsExactlyInAnyOrder("jaffle_shop.staging.stg_customers", "jaffle_shop.marts.orders", "jaffle_shop.marts.customers");
        assertThat(new TransformRunner(TransformProject.load(dir, o.withSelect("stg_orders+1").withExclude("resource_type:test")), null).ls())
                .containsExactlyInAnyOrder("jaffle_shop.staging.stg_orders", "jaffle_shop.marts.orders");
        assertThat(new TransformRunner(TransformProject.load(dir, o.withSelect("tag:staging,path:models/staging/stg_orders.sql tag:incremental").withExclude("resource_type:test")), null).ls())
                .containsExactlyInAnyOrder("jaffle_shop.staging.stg_orders", "jaffle_shop.marts.payments_incremental");
        assertThat(new TransformRunner(TransformProject.load(dir, o.withSelect("marts").withExclude("customers+", "resource_type:test", "resource_type:check")), null).ls())
                .containsExactlyInAnyOrder("jaffle_shop.marts.order_payments", "jaffle_shop.marts.orders", "jaffle_shop.marts.payments_incremental");
        assertThat(new TransformRunner(TransformProject.load(dir, o.withSelect("+custmers tag:staging", "orders,tag:nope").withExclude("nothing_here")), null)
                .unmatchedSelectors()).as("criteria of --select that match nothing; --exclude's are not asked").containsExactly("+custmers", "tag:nope");
    }

    @Test
    void checksMeasureWarnFailAndKeepHistory() {
        Fixtures.project(dir, "models/people.sql", """
                select * from (values
                  (1, 'a@example.com', 10, current_timestamp - interval 2 day, 'x'),
                  (2, 'not-an-email', -5, current_timestamp - interval 2 day, 'y'),
                  (2, null, 20, current_timestamp - interval 3 day, 'z')
                ) t(id, email, amount, updated_at, kind)
                """, "models/schema.yml", """
                models:
                  - name: people
                    checks:
                      - row_count: {min: 1, max: 2}
                      - duplicate_count: {column: id}
                      - missing_percent: {column: email, warn: '> 10', fail: '> 50'}
                      - invalid_count: {column: email, format: email, warn: '> 0', fail: '> 5'}
                      - invalid_count: {column: kind, values: [x, y]}
                      - min: {column: amount, fail: '< 0'}
                      - max: {column: amount, warn: '> 100'}
                      - negative_count: {column: amount, warn: '> 0', fail: '> 1'}
                      - freshness: {column: updated_at, warn: '> 1d', fail: '> 7d'}
                      - invalid_count: {column: email, regex: '[a-z@.-]+', name: email_chars}
                """);
        assertThat(new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).run().exitCode()).isZero();
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).checks();
        assertThat(r.status("row_count_people")).isEqualTo(NodeStatus.FAIL);
        assertThat(r.result("duplicate_count_people_id").orElseThrow().check().value()).isEqualTo(1.0);
        assertThat(r.result("duplicate_count_people_id").orElseThrow().check().samples()).hasSize(1);
        assertThat(r.status("missing_percent_people_email")).isEqualTo(NodeStatus.WARN);
        assertThat(r.status("invalid_count_people_email")).isEqualTo(NodeStatus.WARN);
        assertThat(r.result("invalid_count_people_email").orElseThrow().check().samples().get(0)).containsEntry("email", "not-an-email");
        assertThat(r.status("invalid_count_people_kind")).isEqualTo(NodeStatus.FAIL);
        assertThat(r.status("min_people_amount")).isEqualTo(NodeStatus.FAIL);
        assertThat(r.status("max_people_amount")).isEqualTo(NodeStatus.PASS);
        assertThat(r.status("negative_count_people_amount")).isEqualTo(NodeStatus.WARN);
        assertThat(r.status("freshness_people_updated_at")).isEqualTo(NodeStatus.WARN);
        assertThat(r.status("email_chars")).isEqualTo(NodeStatus.PASS);
        assertThat(r.checkExitCode()).isEqualTo(2);
        new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).checks();
        assertThat(Fixtures.scalar(url(), "select count(distinct run_id) from main_tributary.check_results")).isEqualTo(2L);
        assertThat((String) Fixtures.scalar(url(), "select samples from main_tributary.check_results where check_name = 'min_people_amount' limit 1")).contains("-5");
    }

    @Test
    void snapshotsTrackChangesAndHardDeletes() {
        Fixtures.project(dir, "seeds/src.csv", "id,status,updated_at\n1,new,2024-01-01 00:00:00\n2,new,2024-01-01 00:00:00\n",
                "snapshots/s.sql", """
                        {% snapshot src_ts %}
                        {{ config(target_schema='snap', unique_key='id', strategy='timestamp', updated_at='updated_at', invalidate_hard_deletes=True) }}
                        select * from {{ ref('src') }}
                        {% endsnapshot %}
                        {% snapshot src_check %}
                        {{ config(target_schema='snap', unique_key='id', strategy='check', check_cols='all') }}
                        select id, status from {{ ref('src') }}
                        {% endsnapshot %}
                        """);
        assertThat(build(Fixtures.duck(dir)).exitCode()).isZero();
        Fixtures.write(dir.resolve("seeds/src.csv"), "id,status,updated_at\n1,done,2024-01-02 00:00:00\n");
        assertThat(build(Fixtures.duck(dir)).exitCode()).isZero();
        assertThat(Fixtures.query(url(), "select id, status, dbt_valid_to is null from snap.src_ts order by id, dbt_valid_from").toString())
                .isEqualTo("[[1, new, false], [1, done, true], [2, new, false]]");
        assertThat(Fixtures.scalar(url(), "select cast(dbt_valid_to as varchar) from snap.src_ts where id = 1 and status = 'new'")).isEqualTo("2024-01-02 00:00:00");
        assertThat(Fixtures.query(url(), "select id, status, dbt_valid_to is null from snap.src_check order by id, dbt_valid_from").toString())
                .isEqualTo("[[1, new, false], [1, done, true], [2, new, true]]");
        assertThat(Fixtures.scalar(url(), "select count(distinct dbt_scd_id) from snap.src_ts")).isEqualTo(3L);
    }

    @Test
    void sourcesFreshnessAndSourceTests() {
        Fixtures.project(dir, "models/src.yml", """
                sources:
                  - name: raw
                    schema: landing
                    loaded_at_field: loaded_at
                    freshness:
                      warn_after: {count: 1, period: hour}
                      error_after: {count: 2, period: day}
                    tables:
                      - name: events
                        columns:
                          - name: id
                            tests: [not_null]
                      - name: old_events
                        identifier: events_archive
                """, "models/m.sql", "select count(*) as n from {{ source('raw', 'events') }}");
        TestDatabasesDuck.exec(url(), "create schema landing; create table landing.events as select 1 as id, current_timestamp - interval 3 hour as loaded_at;"
                + " create table landing.events_archive as select 1 as id, current_timestamp - interval 3 day as loaded_at");
        TransformProject p = TransformProject.load(dir, Fixtures.duck(dir));
        RunSummary fresh = new TransformRunner(p, null).sourceFreshness();
        assertThat(fresh.status("raw.events")).isEqualTo(NodeStatus.WARN);
        assertThat(fresh.status("raw.old_events")).isEqualTo(NodeStatus.ERROR);
        RunSummary b = new TransformRunner(p, null).build();
        assertThat(b.exitCode()).isZero();
        assertThat(b.results()).hasSize(2);
        assertThat(new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir).withSelect("source:raw+")), null).ls()).contains("t.m", "source:t.raw.events");
    }
}
