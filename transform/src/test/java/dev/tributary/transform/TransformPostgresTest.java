package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformPostgresTest {
    @TempDir
    Path dir;

    private String url;
    private String schema;

    @BeforeEach
    void createSchema() {
        url = TestDatabases.postgresUrl();
        schema = TestDatabases.createPostgresSchema(url, "tr_transform");
    }

    @AfterEach
    void dropSchemas() {
        if (schema == null) return;
        for (String suffix : new String[] {"", "_dbt_test__audit", "_tributary", "_marts"}) TestDatabases.dropPostgresSchema(url, schema + suffix);
    }

    private TransformOptions options() {
        return TransformOptions.defaults().withWarehouse(WarehouseTarget.of("postgres", url, schema, null, null).withThreads(3));
    }

    private RunSummary build() {
        return new TransformRunner(TransformProject.load(dir, options()), ProgressListener.NONE).build();
    }

    @Test
    void viewsTablesIncrementalSeedsTestsSnapshotsAndChecks() {
        Fixtures.project(dir,
                "seeds/orders.csv", "id,customer,amount,updated_at\n1,ann,10.5,2024-01-01 00:00:00\n2,bob,20,2024-01-01 00:00:00\n",
                "models/stg_orders.sql", "select id, lower(customer) as customer, amount from {{ ref('orders') }}",
                "models/marts/totals.sql", "{{ config(materialized='table', schema='marts') }}\nselect customer, sum(amount) as total from {{ ref('stg_orders') }} group by customer",
                "models/orders_inc.sql", "{{ config(materialized='incremental', unique_key='id', incremental_strategy='merge') }}\nselect id, customer, amount from {{ ref('stg_orders') }}",
                "models/schema.yml", """
                        models:
                          - name: stg_orders
                            columns:
                              - name: id
                                tests: [unique, not_null]
                              - name: customer
                                tests:
                                  - accepted_values: {values: [ann, bob, cy]}
                          - name: totals
                            checks:
                              - row_count: {min: 1}
                              - negative_count: {column: total}
                          - name: orders_inc
                            columns:
                              - name: id
                                tests:
                                  - relationships: {to: ref('stg_orders'), field: id}
                        """,
                "snapshots/orders_snap.sql", """
                        {% snapshot orders_snap %}
                        {{ config(target_schema=target.schema, unique_key='id', strategy='timestamp', updated_at='updated_at') }}
                        select * from {{ ref('orders') }}
                        {% endsnapshot %}
                        """);
        RunSummary first = build();
        assertThat(first.results()).allSatisfy(r -> assertThat(r.status()).as(r.name() + ": " + r.message()).isIn(NodeStatus.SUCCESS, NodeStatus.PASS));
        assertThat(Fixtures.scalar(url, "select table_type from information_schema.tables where table_schema = '" + schema + "' and table_name = 'stg_orders'")).isEqualTo("VIEW");
        assertThat(Fixtures.query(url, "select customer, total from " + schema + "_marts.totals order by customer").toString()).isEqualTo("[[ann, 10.5], [bob, 20]]");

        Fixtures.write(dir.resolve("seeds/orders.csv"), "id,customer,amount,updated_at\n1,ann,11,2024-01-02 00:00:00\n2,bob,20,2024-01-01 00:00:00\n3,cy,5,2024-01-02 00:00:00\n");
        RunSummary second = build();
        assertThat(second.exitCode()).isZero();
        assertThat(Fixtures.query(url, "select id, amount from " + schema + ".orders_inc order by id").toString()).isEqualTo("[[1, 11], [2, 20], [3, 5]]");
        assertThat(Fixtures.query(url, "select id, amount, dbt_valid_to is null from " + schema + ".orders_snap order by id, dbt_valid_from").toString())
                .isEqualTo("[[1, 10.5, false], [1, 11, true], [2, 20, true], [3, 5, true]]");
        assertThat(Fixtures.scalar(url, "select count(*) from " + schema + "_tributary.check_results")).isEqualTo(4L);

        Fixtures.write(dir.resolve("seeds/orders.csv"), "id,customer,amount,updated_at\n1,ann,11,2024-01-02 00:00:00\n1,zed,-3,2024-01-02 00:00:00\n");
        RunSummary third = build();
        assertThat(third.status("unique_stg_orders_id")).isEqualTo(NodeStatus.FAIL);
        assertThat(third.results()).filteredOn(r -> r.resourceType() == ResourceType.TEST && r.name().startsWith("accepted_values")).extracting(NodeResult::status)
                .containsExactly(NodeStatus.FAIL);
        assertThat(third.status("totals")).isEqualTo(NodeStatus.SKIP);
        assertThat(third.exitCode()).isEqualTo(1);
    }

    @Test
    void snapshotCheckStrategyVersionsOnlyWhenACheckedColumnChanges() {
        Fixtures.project(dir,
                "seeds/accounts.csv", "id,region,status,note\n1,eu,trial,a\n2,us,paid,b\n",
                "snapshots/accounts_snap.sql", """
                        {% snapshot accounts_snap %}
                        {{ config(target_schema=target.schema, unique_key=['id', 'region'], strategy='check', check_cols=['status']) }}
                        select * from {{ ref('accounts') }}
                        {% endsnapshot %}
                        """);
        assertThat(build().exitCode()).isZero();
        // note changes (not checked): no new version; status of 1 changes: closed and re-opened; 3 is new
        Fixtures.write(dir.resolve("seeds/accounts.csv"), "id,region,status,note\n1,eu,paid,a\n2,us,paid,changed\n3,eu,trial,c\n");
        RunSummary second = build();
        assertThat(second.exitCode()).isZero();
        assertThat(second.result("accounts_snap").orElseThrow().message()).isEqualTo("INSERT 2");
        assertThat(Fixtures.query(url, "select id, status, note, dbt_valid_to is null from " + schema + ".accounts_snap order by id, dbt_valid_from").toString())
                .isEqualTo("[[1, trial, a, false], [1, paid, a, true], [2, paid, b, true], [3, trial, c, true]]");
        assertThat(Fixtures.scalar(url, "select count(*) from " + schema + ".accounts_snap where dbt_valid_to is not null and dbt_valid_to < dbt_valid_from")).isEqualTo(0L);
        assertThat(Fixtures.scalar(url, "select count(distinct dbt_scd_id) from " + schema + ".accounts_snap")).isEqualTo(4L);
        RunSummary third = build();
        assertThat(third.result("accounts_snap").orElseThrow().message()).as("nothing changed").isEqualTo("INSERT 0");
    }

    @Test
    void sourcesFindTheirSchemaThroughThePrefixOrARenderedSchema() {
        // As a Tributary project on PostgreSQL: connection "crm" loaded schema <prefix>crm.
        String prefix = schema + "_";
        TestDatabases.execute(url, "create schema " + prefix + "crm");
        TestDatabases.execute(url, "create table " + prefix + "crm.people (id bigint, name text)");
        TestDatabases.execute(url, "insert into " + prefix + "crm.people values (1, 'Ann'), (2, 'Bo')");
        try {
            Fixtures.project(dir,
                    "models/sources.yml", """
                            version: 2
                            sources:
                              - name: crm
                                tables: [{name: people}]
                              - name: crm_again
                                schema: "{{ var('tributary_schema_prefix') }}crm"
                                tables: [{name: people}]
                            """,
                    "models/people_count.sql", "select (select count(*) from {{ source('crm', 'people') }}) as a,"
                            + " (select count(*) from {{ source('crm_again', 'people') }}) as b");
            TransformOptions options = options().withVars(java.util.Map.of(TransformOptions.SCHEMA_PREFIX_VAR, prefix));
            RunSummary run = new TransformRunner(TransformProject.load(dir, options), ProgressListener.NONE).build();
            assertThat(run.exitCode()).as(run.summaryLine()).isZero();
            assertThat(Fixtures.query(url, "select a, b from " + schema + ".people_count").toString()).isEqualTo("[[2, 2]]");
        } finally {
            TestDatabases.dropPostgresSchema(url, prefix + "crm");
        }
    }

    @Test
    void hooksRunOnTheModelsConnectionAroundItsMaterialization() {
        Fixtures.project(dir, "models/m.sql", """
                {{ config(materialized='table', pre_hook="create table if not exists {{ target.schema }}.hook_log (msg text)",
                          post_hook=["insert into {{ target.schema }}.hook_log select 'rows ' || count(*) from {{ this }}", "comment on table {{ this }} is 'built'"]) }}
                select * from (values (1), (2)) t(id)
                """);
        Fixtures.write(dir.resolve("dbt_project.yml"), "name: t\nprofile: t\non-run-end: \"insert into {{ target.schema }}.hook_log values ('end')\"\n");
        RunSummary r = build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(Fixtures.query(url, "select msg from " + schema + ".hook_log").toString()).isEqualTo("[[rows 2], [end]]");
        assertThat(Fixtures.scalar(url, "select obj_description('" + schema + ".m'::regclass)")).isEqualTo("built");
    }
}
