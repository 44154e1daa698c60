package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vendored dbt_utils subset (src/test/resources/dbt_utils_subset), installed as a local package by the utils_demo
 * project, built on DuckDB and on PostgreSQL; every value is checked against an independent query of the seed.
 */
class DbtUtilsSubsetTest {
    @TempDir
    Path dir;

    private Path copyProject() {
        Fixtures.copy("dbt_utils_subset", dir.resolve("dbt_utils_subset"));
        return Fixtures.copy("utils_demo", dir.resolve("utils_demo"));
    }

    @Test
    void buildsOnDuckDb() {
        Path project = copyProject();
        String url = "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
        TransformOptions options = TransformOptions.defaults().withWarehouse(WarehouseTarget.duckdb(dir.resolve("w.duckdb"), "main", 2));
        RunSummary r = new TransformRunner(TransformProject.load(project, options), null).build();
        verify(r, url, "main", "varchar");
    }

    @Test
    void buildsOnPostgres() {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "tr_dbt_utils");
        try {
            Path project = copyProject();
            TransformOptions options = TransformOptions.defaults().withWarehouse(WarehouseTarget.of("postgres", url, schema, null, null).withThreads(2));
            RunSummary r = new TransformRunner(TransformProject.load(project, options), null).build();
            verify(r, url, schema, "text");
        } finally {
            TestDatabases.dropPostgresSchema(url, schema);
            TestDatabases.dropPostgresSchema(url, schema + "_dbt_test__audit");
        }
    }

    private static NodeResult result(RunSummary r, String namePrefix) {
        List<NodeResult> matching = r.results().stream().filter(n -> n.name().startsWith(namePrefix)).toList();
        assertThat(matching).as(namePrefix).hasSize(1);
        return matching.get(0);
    }

    private static void verify(RunSummary r, String url, String schema, String text) {
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        assertThat(r.results()).extracting(NodeResult::uniqueId).contains("seed.utils_demo.orders", "model.utils_demo.order_days");

        // star: the seed's columns minus except, in order; with an alias and a prefix
        assertThat(Fixtures.query(url, "select column_name from information_schema.columns where table_schema = '" + schema
                + "' and table_name = 'stg_orders' order by ordinal_position").toString()).isEqualTo("[[id], [customer_id], [status], [amount]]");
        assertThat(Fixtures.query(url, "select column_name from information_schema.columns where table_schema = '" + schema
                + "' and table_name = 'orders_renamed' order by ordinal_position").toString())
                .isEqualTo("[[order_id], [order_customer_id], [order_status], [order_order_date]]");

        // get_column_values (default order: most frequent first) + pivot: one column per distinct status, equal to a
        // hand-written pivot of the seed
        assertThat(Fixtures.query(url, "select column_name from information_schema.columns where table_schema = '" + schema
                + "' and table_name = 'amount_by_status' order by ordinal_position").toString())
                .isEqualTo("[[customer_id], [shipped_amount], [placed_amount], [returned_amount]]");
        String pivot = "select customer_id, cast(placed_amount as decimal(10,2)), cast(returned_amount as decimal(10,2)), cast(shipped_amount as decimal(10,2)) from "
                + schema + ".amount_by_status order by customer_id";
        String byHand = "select customer_id, cast(sum(case when status = 'placed' then amount else 0 end) as decimal(10,2)),"
                + " cast(sum(case when status = 'returned' then amount else 0 end) as decimal(10,2)),"
                + " cast(sum(case when status = 'shipped' then amount else 0 end) as decimal(10,2)) from " + schema + ".orders group by customer_id order by customer_id";
        assertThat(Fixtures.query(url, pivot)).isEqualTo(Fixtures.query(url, byHand));
        assertThat(Fixtures.query(url, pivot).toString()).isEqualTo("[[10, 20.50, 0.00, 76.00], [11, 12.00, 0.00, 8.50], [12, 0.00, 60.00, 0.00]]");

        // generate_surrogate_key: md5 of the fields as text joined by '-', null as dbt_utils' marker
        assertThat(Fixtures.scalar(url, "select count(*) from " + schema + ".order_keys k join " + schema + ".orders o on o.id = k.id"
                + " where k.order_key = md5(cast(o.id as " + text + ") || '-' || o.status || '-' || '_dbt_utils_surrogate_key_null_')").toString()).isEqualTo("6");

        // date_spine: every day from the start (included) to the end (excluded)
        assertThat(Fixtures.query(url, "select count(*), cast(min(date_day) as " + text + "), cast(max(date_day) as " + text + ") from " + schema + ".order_days").toString())
                .isEqualTo("[[10, 2024-01-03, 2024-01-12]]");

        // generic tests: customer 10 has two shipped orders (one duplicate group); two amounts are 40 or more
        assertThat(Fixtures.scalar(url, "select count(*) from (select customer_id, status from " + schema + ".orders group by 1, 2 having count(*) > 1) d").toString()).isEqualTo("1");
        NodeResult combination = result(r, "unique_combination_of_columns_stg_orders");
        assertThat(combination.status()).isEqualTo(NodeStatus.WARN);
        assertThat(combination.failures()).isEqualTo(1L);
        assertThat(r.status("orders_id_status_unique")).isEqualTo(NodeStatus.PASS);
        assertThat(result(r, "expression_is_true_stg_orders").status()).isEqualTo(NodeStatus.PASS);
        assertThat(result(r, "accepted_range_stg_orders_amount").status()).isEqualTo(NodeStatus.PASS);
        assertThat(Fixtures.scalar(url, "select count(*) from " + schema + ".orders where amount >= 40").toString()).isEqualTo("2");
        assertThat(r.status("amount_below_40")).isEqualTo(NodeStatus.WARN);
        assertThat(result(r, "amount_below_40").failures()).isEqualTo(2L);
        assertThat(r.status("unique_order_days_date_day")).isEqualTo(NodeStatus.PASS);
        assertThat(r.status("unique_order_keys_order_key")).isEqualTo(NodeStatus.PASS);
    }
}
