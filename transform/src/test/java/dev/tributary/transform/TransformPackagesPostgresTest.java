package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packages (vars, hooks, snapshots, sources, same-named models), config precedence and hooks outside the transaction, on PostgreSQL. */
class TransformPackagesPostgresTest {
    @TempDir
    Path dir;

    private String url;
    private String schema;

    @BeforeEach
    void createSchema() {
        url = TestDatabases.postgresUrl();
        schema = TestDatabases.createPostgresSchema(url, "tr_packages");
    }

    @AfterEach
    void dropSchemas() {
        if (schema == null) return;
        for (String suffix : new String[] {"", "_shop", "_dbt_test__audit"}) TestDatabases.dropPostgresSchema(url, schema + suffix);
    }

    private RunSummary build() {
        TransformOptions options = TransformOptions.defaults().withWarehouse(WarehouseTarget.of("postgres", url, schema, null, null).withThreads(2));
        RunSummary r = new TransformRunner(TransformProject.load(dir, options), null).build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        return r;
    }

    @Test
    void packageSnapshotsSourcesVarsHooksAndSameNamedModels() {
        TransformPackagesDuckDbTest.shopPackageProject(dir);
        RunSummary r = build();
        assertThat(r.status("unique_source_pkg_src_raw_things_id")).isEqualTo(NodeStatus.PASS);
        assertThat(Fixtures.query(url, "select currency, pkg_only, shared, n_customers_unqualified, n_pkg_customers, n_source_rows from " + schema + ".pkg_totals").toString())
                .isEqualTo("[[GBP, p, root, 3, 2, 2]]");
        assertThat(Fixtures.query(url, "select root_n, pkg_n, root_currency, pkg_doc from " + schema + ".report").toString()).isEqualTo("[[3, 2, none, Documented in the package]]");
        assertThat(r.status("pkg_warns")).isEqualTo(NodeStatus.WARN);
        assertThat(Fixtures.scalar(url, "select count(*) from " + schema + "_shop.customers")).isEqualTo(2L);
        assertThat(Fixtures.query(url, "select sku, price, dbt_valid_to is null from " + schema + ".pkg_snap order by sku").toString()).isEqualTo("[[a, 1.5, true], [b, 2, true]]");
        assertThat(Fixtures.query(url, "select msg from " + schema + ".hook_log order by seq").toString())
                .isEqualTo("[[shop_pkg start], [root start], [shop_pkg end GBP], [root end]]");
    }

    @Test
    void configPrecedenceAndHooksOutsideTheTransaction() {
        TransformConfigPrecedenceDuckDbTest.precedenceProject(dir);
        // PostgreSQL refuses VACUUM inside a transaction block: this after_commit hook proves it runs outside one
        Fixtures.write(dir.resolve("models/vacuumed.sql"), "{{ config(materialized='table', post_hook=after_commit('vacuum analyze {{ this }}')) }}\nselect 1 as id");
        build();
        assertThat(Fixtures.query(url, "select table_name, table_type from information_schema.tables where table_schema = '" + schema
                + "' and table_name <> 'hook_log' order by table_name").toString())
                .isEqualTo("[[from_config_call, VIEW], [from_yaml, BASE TABLE], [hooked, BASE TABLE], [set_alias, BASE TABLE], [vacuumed, BASE TABLE]]");
        assertThat(Fixtures.query(url, "select alias_seen, materialized_seen from " + schema + ".set_alias").toString()).isEqualTo("[[set_alias, table]]");
        assertThat(Fixtures.query(url, "select msg from " + schema + ".hook_log order by seq").toString())
                .isEqualTo("[[before_begin], [pre], [project post], [post], [project after_commit], [after_commit]]");
        // the vacuum analyze ran: the table has statistics
        assertThat(Fixtures.scalar(url, "select count(*) from pg_stat_user_tables where schemaname = '" + schema + "' and relname = 'vacuumed' and last_vacuum is not null"))
                .isEqualTo(1L);
    }
}
