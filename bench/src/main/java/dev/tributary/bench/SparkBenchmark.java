package dev.tributary.bench;

import dev.tributary.transform.RunSummary;
import dev.tributary.transform.SparkTargets;
import dev.tributary.transform.TransformOptions;
import dev.tributary.transform.TransformProject;
import dev.tributary.transform.TransformRunner;
import dev.tributary.transform.WarehouseTarget;
import dev.tributary.transform.spark.SparkRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * A gold build over generated events on one engine, in this process: {@code spark} (local[N] over an embedded
 * Iceberg catalog, Spark loaded as tributary's jar loads it) or {@code duckdb}. Prints the engine's start-up (the first
 * connection), the time to write the events, the gold build (four models: daily activity, campaign funnel, contact
 * activity as tables, a view on top; every row read) and the process's peak RSS. bench/run-spark runs both engines
 * at several sizes, each in its own JVM.
 *
 * <p>Usage: {@code SparkBenchmark spark|duckdb [rows] [work-dir] [master]} (default 10,000,000 rows, a temporary folder, local[2]).
 */
public final class SparkBenchmark {
    private SparkBenchmark() {}

    public static void main(String[] args) throws Exception {
        String engine = args.length > 0 ? args[0] : "spark";
        long rows = args.length > 1 ? Long.parseLong(args[1].replace("_", "")) : 10_000_000L;
        Path work = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("tributary-spark-bench");
        String master = args.length > 3 ? args[3] : "local[2]";
        Path project = work.resolve(engine + "-project");
        writeProject(project);
        WarehouseTarget target = engine.equals("spark")
                ? WarehouseTarget.spark(master, "gold", 2, SparkTargets.icebergCatalog("tributary", "embedded", work.resolve(engine + "-lakehouse"), null, null), null)
                : WarehouseTarget.duckdb(work.resolve("bench.duckdb"), "gold", 2);
        long t0 = System.nanoTime();
        try (Connection c = target.connect(); Statement s = c.createStatement()) {
            double startup = seconds(t0);
            long t1 = System.nanoTime();
            s.execute("create schema if not exists bronze");
            s.execute("drop table if exists bronze.events");
            s.execute(engine.equals("spark") ? sparkEvents(rows) : duckEvents(rows));
            double load = seconds(t1);
            long t2 = System.nanoTime();
            RunSummary r = new TransformRunner(TransformProject.load(project, TransformOptions.defaults().withWarehouse(target).withProjectName("bench")), null).build();
            double build = seconds(t2);
            if (r.exitCode() != 0) throw new IllegalStateException("the build failed: " + r.summaryLine() + " " + r.results());
            System.out.printf("%-6s %,12d rows  start-up %6.1f s  write events %6.1f s  gold build %6.1f s  peak RSS %,6d MB  (%s)%n",
                    engine, rows, startup, load, build, HeapProbe.peakRssMb(), r.summaryLine());
        } finally {
            SparkRuntime.shutdown();
        }
    }

    private static String sparkEvents(long rows) {
        return "create table bronze.events as select id as event_id, id % 100000 as contact_id,"
                + " case id % 4 when 0 then 'visit' when 1 then 'signup' when 2 then 'visit' else 'purchase' end as kind,"
                + " concat('c', cast(id % 50 as string)) as campaign,"
                + " timestampadd(SECOND, cast(id % 31536000 as int), timestamp_ntz'2024-01-01 00:00:00') as occurred_at,"
                + " cast(id % 1000 as double) / 10 as amount from range(" + rows + ")";
    }

    private static String duckEvents(long rows) {
        return "create table bronze.events as select range as event_id, range % 100000 as contact_id,"
                + " case range % 4 when 0 then 'visit' when 1 then 'signup' when 2 then 'visit' else 'purchase' end as kind,"
                + " 'c' || cast(range % 50 as varchar) as campaign,"
                + " timestamp '2024-01-01 00:00:00' + to_seconds(range % 31536000) as occurred_at,"
                + " cast(range % 1000 as double) / 10 as amount from range(" + rows + ")";
    }

    private static void writeProject(Path p) throws Exception {
        Files.createDirectories(p.resolve("models"));
        Files.writeString(p.resolve("models/sources.yml"), "version: 2\nsources:\n  - name: bronze\n    schema: bronze\n    tables: [{name: events}]\n");
        Files.writeString(p.resolve("models/daily_activity.sql"), "{{ config(materialized='table') }}\n"
                + "select cast(occurred_at as date) as day, kind, count(*) as events, count(distinct contact_id) as contacts, sum(amount) as amount\n"
                + "from {{ source('bronze', 'events') }} group by cast(occurred_at as date), kind\n");
        Files.writeString(p.resolve("models/campaign_funnel.sql"), "{{ config(materialized='table') }}\n"
                + "select campaign, count(distinct case when kind = 'visit' then contact_id end) as visitors,\n"
                + "  count(distinct case when kind = 'signup' then contact_id end) as signups,\n"
                + "  count(distinct case when kind = 'purchase' then contact_id end) as buyers, sum(case when kind = 'purchase' then amount end) as revenue\n"
                + "from {{ source('bronze', 'events') }} group by campaign\n");
        Files.writeString(p.resolve("models/contact_activity.sql"), "{{ config(materialized='table') }}\n"
                + "select contact_id, count(*) as events, max(occurred_at) as last_seen, sum(amount) as amount\n"
                + "from {{ source('bronze', 'events') }} group by contact_id\n");
        Files.writeString(p.resolve("models/top_campaigns.sql"), "{{ config(materialized='view') }}\n"
                + "select campaign, buyers, revenue, revenue / nullif(visitors, 0) as revenue_per_visitor from {{ ref('campaign_funnel') }}\n");
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
