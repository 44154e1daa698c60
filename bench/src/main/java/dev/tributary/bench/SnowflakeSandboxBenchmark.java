package dev.tributary.bench;

import dev.tributary.sandbox.snowflake.SnowflakeSandbox;
import dev.tributary.sandbox.snowflake.SnowflakeSandboxOptions;
import dev.tributary.transform.NodeStatus;
import dev.tributary.transform.ProgressListener;
import dev.tributary.transform.RunSummary;
import dev.tributary.transform.TransformOptions;
import dev.tributary.transform.TransformProject;
import dev.tributary.transform.TransformRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * A small dbt project over N generated orders (a staging view; customers and status tables; an incremental model
 * merged on order_id; unique / not_null / accepted_values tests), built twice on DuckDB directly and twice with the
 * {@code snowflake} target through the real Snowflake JDBC driver on the local Snowflake sandbox, which runs the same
 * statements on DuckDB after translating them. The difference is the sandbox's overhead (HTTP, JSON, translation,
 * the driver), not Snowflake's speed. Usage: {@code SnowflakeSandboxBenchmark [rows] [work-dir]} (default 1,000,000).
 */
public final class SnowflakeSandboxBenchmark {
    private static final String RAW = "select range as id, range %% 1000 as customer_id, cast(range %% 997 as decimal(12, 2)) / 10 as amount,"
            + " case range %% 3 when 0 then 'placed' when 1 then 'shipped' else 'completed' end as status,"
            + " timestamp '2024-01-01' + to_seconds(range) as ordered_at from range(%d)";

    private SnowflakeSandboxBenchmark() {}

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000L;
        Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("tributary-snowflake-bench");
        System.out.printf("Java %s, %d cores, %,d orders, in %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), rows, work);
        try (SnowflakeSandbox sandbox = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults())) {
            writeProject(work, sandbox.port());
            TransformProject duck = TransformProject.load(work, TransformOptions.defaults().withProfilesDir(work).withTarget("duck"));
            TransformProject sf = TransformProject.load(work, TransformOptions.defaults().withProfilesDir(work).withTarget("sf"));
            for (TransformProject p : new TransformProject[] {duck, sf}) {
                try (Connection c = p.target().connect(); Statement s = c.createStatement()) {
                    s.execute("create schema if not exists raw");
                    s.execute("create or replace table raw.orders as " + RAW.formatted(rows));
                }
            }
            for (TransformProject p : new TransformProject[] {duck, sf}) {
                String name = p == duck ? "DuckDB direct        " : "Snowflake sandbox    ";
                System.out.printf("%s first build  %6.2f s%n", name, build(p));
                System.out.printf("%s second build %6.2f s (incremental: no new rows)%n", name, build(p));
            }
        }
    }

    private static double build(TransformProject p) {
        long t0 = System.nanoTime();
        RunSummary r = new TransformRunner(p, ProgressListener.NONE).build();
        double seconds = (System.nanoTime() - t0) / 1e9;
        r.results().forEach(x -> {
            if (x.status() != NodeStatus.SUCCESS && x.status() != NodeStatus.PASS) throw new IllegalStateException(x.name() + ": " + x.message());
        });
        return seconds;
    }

    private static void writeProject(Path dir, int port) throws Exception {
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("dbt_project.yml"), "name: orders\nprofile: orders\n");
        Files.writeString(dir.resolve("profiles.yml"), """
                orders:
                  target: duck
                  outputs:
                    duck: {type: duckdb, path: bench.duckdb, schema: analytics, threads: 1}
                    sf: {type: snowflake, account: sandbox, user: tributary, password: tributary, database: tributary, schema: analytics,
                         warehouse: bench, host: 127.0.0.1, port: %d, protocol: http, threads: 1}
                """.formatted(port));
        Files.writeString(dir.resolve("models/sources.yml"), """
                version: 2
                sources:
                  - name: raw
                    tables: [{name: orders}]
                models:
                  - name: customers
                    columns: [{name: customer_id, tests: [unique, not_null]}]
                  - name: stg_orders
                    columns: [{name: status, tests: [{accepted_values: {values: [placed, shipped, completed]}}]}]
                """);
        Files.writeString(dir.resolve("models/stg_orders.sql"), "select id as order_id, customer_id, amount, status, ordered_at from {{ source('raw', 'orders') }}");
        Files.writeString(dir.resolve("models/customers.sql"), "{{ config(materialized='table') }}\n"
                + "select customer_id, count(*) as orders, sum(amount) as total, max(ordered_at) as last_order from {{ ref('stg_orders') }} group by customer_id");
        Files.writeString(dir.resolve("models/status_summary.sql"), "{{ config(materialized='table') }}\n"
                + "select status, count(*) as n, avg(amount) as avg_amount from {{ ref('stg_orders') }} group by status");
        Files.writeString(dir.resolve("models/orders_incremental.sql"), "{{ config(materialized='incremental', unique_key='order_id', incremental_strategy='merge') }}\n"
                + "select * from {{ ref('stg_orders') }}\n{% if is_incremental() %} where order_id > (select max(order_id) from {{ this }}) {% endif %}");
    }
}
