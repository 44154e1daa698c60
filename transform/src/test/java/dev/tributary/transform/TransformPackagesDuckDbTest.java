package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local packages: their snapshots, sources, vars, on-run hooks, and models named like the root project's. */
class TransformPackagesDuckDbTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
    }

    static void shopPackageProject(Path dir) {
        Fixtures.project(dir,
                "packages.yml", "packages:\n  - local: vendor/shop\n",
                "vendor/shop/dbt_project.yml", """
                        name: shop_pkg
                        vars:
                          currency: EUR
                          pkg_only: p
                          shared: pkg
                        models:
                          +schema: shop
                        on-run-start:
                          - "create table if not exists {{ target.schema }}.hook_log (seq integer, msg varchar(40))"
                          - "insert into {{ target.schema }}.hook_log select count(*) + 1, 'shop_pkg start' from {{ target.schema }}.hook_log"
                          - "create table if not exists {{ target.schema }}.raw_things as select 1 as id union all select 2 as id"
                        on-run-end: "insert into {{ target.schema }}.hook_log select count(*) + 1, 'shop_pkg end {{ var('currency') }}' from {{ target.schema }}.hook_log"
                        """,
                "vendor/shop/seeds/pkg_prices.csv", "sku,price\na,1.5\nb,2\n",
                "vendor/shop/models/customers.sql", "select 1 as id union all select 2 as id",
                "vendor/shop/models/pkg_totals.sql", """
                        {{ config(schema=none) }}
                        select '{{ var("currency") }}' as currency, '{{ var("pkg_only") }}' as pkg_only, '{{ var("shared") }}' as shared,
                          (select count(*) from {{ ref('customers') }}) as n_customers_unqualified,
                          (select count(*) from {{ ref('shop_pkg', 'customers') }}) as n_pkg_customers,
                          (select count(*) from {{ source('pkg_src', 'raw_things') }}) as n_source_rows
                        """,
                "vendor/shop/models/sources.yml", """
                        sources:
                          - name: pkg_src
                            schema: "{{ target.schema }}"
                            tables:
                              - name: raw_things
                                columns:
                                  - name: id
                                    tests: [unique]
                        models:
                          - name: customers
                            columns:
                              - name: id
                                tests: [not_null]
                        """,
                "vendor/shop/snapshots/pkg_snap.sql", """
                        {% snapshot pkg_snap %}
                        {{ config(unique_key='sku', strategy='check', check_cols=['price'], target_schema=target.schema) }}
                        select * from {{ ref('pkg_prices') }}
                        {% endsnapshot %}
                        """,
                "vendor/shop/tests/pkg_ids_positive.sql", "select * from {{ ref('shop_pkg', 'customers') }} where id <= 0",
                "vendor/shop/tests/pkg_warns.sql", "{{ config(severity='warn') }}\nselect * from {{ ref('shop_pkg', 'customers') }} where id = 2",
                "vendor/shop/tests/generic/pkg_generic.sql", "{% test is_small(model, column_name) %}select * from {{ model }} where {{ column_name }} > 100{% endtest %}",
                "vendor/shop/models/docs.md", "{% docs pkg_doc %}Documented in the package{% enddocs %}",
                "models/customers.sql", "select 1 as id union all select 2 union all select 3",
                "models/report.sql", """
                        select (select count(*) from {{ ref('customers') }}) as root_n, (select count(*) from {{ ref('shop_pkg', 'customers') }}) as pkg_n,
                          '{{ var("currency", "none") }}' as root_currency, '{{ doc("pkg_doc") }}' as pkg_doc
                        """,
                "models/schema.yml", "models:\n  - name: report\n    columns:\n      - name: root_n\n        data_tests: [is_small]\n");
        Fixtures.write(dir.resolve("dbt_project.yml"), """
                name: t
                profile: t
                vars:
                  shared: root
                  shop_pkg:
                    currency: GBP
                on-run-start: "insert into {{ target.schema }}.hook_log select count(*) + 1, 'root start' from {{ target.schema }}.hook_log"
                on-run-end: "insert into {{ target.schema }}.hook_log select count(*) + 1, 'root end' from {{ target.schema }}.hook_log"
                """);
    }

    @Test
    void packageSnapshotsSourcesVarsHooksAndSameNamedModels() {
        shopPackageProject(dir);
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(r.results()).extracting(NodeResult::uniqueId)
                .contains("model.t.customers", "model.shop_pkg.customers", "snapshot.shop_pkg.pkg_snap", "seed.shop_pkg.pkg_prices");
        assertThat(r.status("unique_source_pkg_src_raw_things_id")).isEqualTo(NodeStatus.PASS);
        // the root's vars: {shop_pkg: {...}} beats the package's own; root globals beat the package's; the package's others stay
        // an unqualified ref from a package finds the root project's model first, as in dbt
        assertThat(Fixtures.query(url(), "select currency, pkg_only, shared, n_customers_unqualified, n_pkg_customers, n_source_rows from main.pkg_totals").toString())
                .isEqualTo("[[GBP, p, root, 3, 2, 2]]");
        assertThat(Fixtures.query(url(), "select root_n, pkg_n, root_currency, pkg_doc from main.report").toString()).isEqualTo("[[3, 2, none, Documented in the package]]");
        // the package's singular tests run (its generic test file is not one); its generic test serves the root project
        assertThat(r.results()).extracting(NodeResult::uniqueId).contains("test.shop_pkg.pkg_ids_positive", "test.shop_pkg.pkg_warns")
                .noneMatch(id -> id.contains("pkg_generic"));
        assertThat(r.status("pkg_ids_positive")).isEqualTo(NodeStatus.PASS);
        assertThat(r.status("pkg_warns")).isEqualTo(NodeStatus.WARN);
        assertThat(r.status("is_small_report_root_n")).isEqualTo(NodeStatus.PASS);
        assertThat(Fixtures.scalar(url(), "select count(*) from main_shop.customers")).isEqualTo(2L);
        assertThat(Fixtures.query(url(), "select sku, price, dbt_valid_to is null from main.pkg_snap order by sku").toString()).isEqualTo("[[a, 1.5, true], [b, 2.0, true]]");
        // package hooks run before the root project's, at start and at end
        assertThat(Fixtures.query(url(), "select msg from main.hook_log order by seq").toString())
                .isEqualTo("[[shop_pkg start], [root start], [shop_pkg end GBP], [root end]]");
        // as dbt: a package's compiled SQL under target/compiled/<package>/, and its package_name in the manifest
        assertThat(dir.resolve("target/compiled/shop_pkg/models/pkg_totals.sql")).content().contains("'GBP' as currency");
        assertThat(dir.resolve("target/manifest.json")).content().containsPattern("\"model.shop_pkg.customers\"[^}]*\"package_name\"\\s*:\\s*\"shop_pkg\"");
    }

    @Test
    void twoPackagesBuildingTheSameRelationIsAnErrorNamingBoth() {
        Fixtures.project(dir, "packages.yml", "packages:\n  - local: vendor/a\n  - local: vendor/b\n",
                "vendor/a/dbt_project.yml", "name: a\n", "vendor/a/models/dup.sql", "select 1 as x",
                "vendor/b/dbt_project.yml", "name: b\n", "vendor/b/models/dup.sql", "select 2 as x");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.a.dup").hasMessageContaining("model.b.dup")
                .hasMessageContaining("main.dup");
    }

    @Test
    void anUnqualifiedRefToAModelOfTwoPackagesIsAnErrorUnlessTheRefNamesThePackage() {
        Fixtures.project(dir, "packages.yml", "packages:\n  - local: vendor/a\n  - local: vendor/b\n",
                "vendor/a/dbt_project.yml", "name: a\nmodels:\n  +schema: a\n", "vendor/a/models/stg.sql", "select 1 as x",
                "vendor/b/dbt_project.yml", "name: b\nmodels:\n  +schema: b\n", "vendor/b/models/stg.sql", "select 2 as x",
                "models/m.sql", "select * from {{ ref('stg') }}");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models/m.sql").hasMessageContaining("model.a.stg").hasMessageContaining("model.b.stg")
                .hasMessageContaining("ref('<package>', 'stg')");
        Fixtures.write(dir.resolve("models/m.sql"), "select * from {{ ref('b', 'stg') }}");
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(Fixtures.scalar(url(), "select x from main.m")).isEqualTo(2);
        assertThat(Fixtures.scalar(url(), "select x from main_a.stg")).isEqualTo(1);
    }
}
