package dev.tributary.bench;

import dev.tributary.transform.CompiledNode;
import dev.tributary.transform.JdbcTimer;
import dev.tributary.transform.Node;
import dev.tributary.transform.NodeResult;
import dev.tributary.transform.NodeStatus;
import dev.tributary.transform.ProgressListener;
import dev.tributary.transform.RunSummary;
import dev.tributary.transform.TransformOptions;
import dev.tributary.transform.TransformProject;
import dev.tributary.transform.TransformRunner;
import dev.tributary.transform.WarehouseTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * The transform layer on a generated dbt project of 200 models over a 10M-row DuckDB table: 5 staging views,
 * 60 intermediate tables (joins and aggregations; 10 over all rows, 50 over a slice each), 20 incremental models
 * (unique_key, delete+insert) and 115 marts (tables and views over the intermediates), written with Jinja loops and
 * macros. Prints the load (parse) time, the compile time, the build time of a fresh build and of a second build
 * (incremental models then read only new rows: none), and for each build the share of its wall time spent outside
 * JDBC calls: Tributary's own overhead (rendering, DAG, bookkeeping, artifacts). JDBC calls are timed through
 * {@link JdbcTimer}. With one thread (the default) wall time = time in JDBC + overhead.
 *
 * <p>Then a second, macro-heavy project over 50 source tables with differing columns (the rows split between them):
 * the introspection-utilities package of transform's tests ({@code introspect_utils}, installed as a {@code local:}
 * package) builds 50 staging models with {@code star}, unions them with {@code union_relations} (by ref and by
 * {@code get_relations_by_pattern}), pivots each of them and their union over {@code get_column_values}, and tests
 * the row counts. Its compile time (after the build, when the introspected relations exist) and the same shares are
 * printed.
 *
 * <p>Usage: {@code TransformBenchmark [rows] [work-dir] [threads] [all|models|macros]} (default 10,000,000, a
 * temporary folder, 1, all).
 */
public final class TransformBenchmark {
    private static final int STAGING = 5;
    private static final int INTERMEDIATE = 60;
    private static final int HEAVY = 10;
    private static final int INCREMENTAL = 20;
    private static final int MARTS = 115;

    private TransformBenchmark() {}

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 10_000_000L;
        Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("tributary-transform-bench");
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        String which = args.length > 3 ? args[3] : "all";
        if (!List.of("all", "models", "macros").contains(which)) throw new IllegalArgumentException("which project: all, models or macros, not " + which);
        System.out.printf("Java %s, %d cores, %d thread(s)%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), threads);
        if (!which.equals("macros")) modelsProject(rows, work, threads);
        if (!which.equals("models")) macrosProject(rows, work, threads);
    }

    /** The 200-model project. */
    private static void modelsProject(long rows, Path work, int threads) throws Exception {
        Path project = work.resolve("project");
        Path db = work.resolve("warehouse.duckdb");
        deleteTree(project);
        Files.deleteIfExists(db);
        Files.deleteIfExists(work.resolve("warehouse.duckdb.wal"));
        writeProject(project);

        long t = System.nanoTime();
        createSources(db, rows);
        System.out.printf("source tables: %,d events, 100,000 customers, 1,000 products in %.1fs%n", rows, (System.nanoTime() - t) / 1e9);
        System.out.printf("project %s%n", project);

        TransformOptions options = TransformOptions.defaults().withWarehouse(WarehouseTarget.duckdb(db, "main", threads));
        t = System.nanoTime();
        TransformProject p = TransformProject.load(project, options);
        double load = (System.nanoTime() - t) / 1e9;
        long models = p.nodes().values().stream().filter(n -> n.resourceType().label().equals("model")).count();

        t = System.nanoTime();
        List<CompiledNode> compiled = new TransformRunner(p, null).compile();
        double compile = (System.nanoTime() - t) / 1e9;

        Build first = build(TransformProject.load(project, options));
        Build second = build(TransformProject.load(project, options));

        System.out.println();
        System.out.printf("models                    : %d (%d compiled)%n", models, compiled.size());
        System.out.printf("load (parse)              : %7.2f s%n", load);
        System.out.printf("compile                   : %7.2f s%n", compile);
        first.print("build (fresh)");
        second.print("build (again, incremental)");
    }

    private record Build(double wall, double jdbc, long calls, double inNodes, long ok, long total) {
        void print(String what) {
            double outside = wall - jdbc;
            System.out.printf("%-26s: %7.2f s, %d of %d OK; in JDBC %.2f s (%,d calls), outside %.2f s = %.1f%% (aim < 5%%;"
                    + " %.2f s within nodes, %.2f s around them)%n", what, wall, ok, total, jdbc, calls, outside, 100 * outside / wall, inNodes, outside - inNodes);
        }
    }

    private static Build build(TransformProject p) {
        TimingListener listener = new TimingListener();
        long t = System.nanoTime();
        RunSummary r = new TransformRunner(p, listener).build();
        double wall = (System.nanoTime() - t) / 1e9;
        if (r.exitCode() != 0) {
            r.results().stream().filter(x -> x.status() == NodeStatus.ERROR).limit(3).forEach(x -> System.err.println(x.message()));
            throw new IllegalStateException("build failed: " + r.summaryLine());
        }
        return new Build(wall, listener.nanos.sum() / 1e9, listener.calls.sum(), listener.nodeOverhead.sum() / 1e9, r.count(NodeStatus.SUCCESS), r.results().size());
    }

    /** Sums the time spent in JDBC calls; prints nothing per node. */
    static final class TimingListener implements ProgressListener, JdbcTimer {
        final LongAdder nanos = new LongAdder();
        final LongAdder calls = new LongAdder();

        /** Per node: its execution time less its JDBC time (Tributary's work inside the node: rendering, files...). */
        final LongAdder nodeOverhead = new LongAdder();
        private final ThreadLocal<long[]> inNode = ThreadLocal.withInitial(() -> new long[2]); // {started at, JDBC nanos}

        @Override
        public void jdbcCall(long n) {
            nanos.add(n);
            calls.increment();
            inNode.get()[1] += n;
        }

        @Override
        public void nodeStarted(Node node, int index, int total) {
            long[] s = inNode.get();
            s[0] = System.nanoTime();
            s[1] = 0;
        }

        @Override
        public void nodeFinished(Node node, NodeResult result, int index, int total) {
            long[] s = inNode.get();
            if (s[0] != 0) nodeOverhead.add(System.nanoTime() - s[0] - s[1]);
            s[0] = 0;
        }
    }

    private static void createSources(Path db, long rows) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath()); Statement s = c.createStatement()) {
            s.execute("create schema raw");
            s.execute("create table raw.events as select i as event_id, i % 100000 as customer_id, (i * 7) % 1000 as product_id,"
                    + " timestamp '2025-01-01' + to_seconds((i * 7919) % 31536000) as occurred_at,"
                    + " cast(((i * 31) % 100000) / 100.0 as decimal(12, 2)) as amount, 1 + i % 5 as quantity,"
                    + " ['view', 'click', 'cart', 'purchase'][1 + i % 4] as event_type,"
                    + " ['US', 'DE', 'FR', 'IN', 'BR', 'JP', 'GB', 'ES'][1 + (i // 7) % 8] as country"
                    + " from range(" + rows + ") t(i)");
            s.execute("create table raw.customers as select i as customer_id, 'customer ' || i as name, ['smb', 'mid', 'ent'][1 + i % 3] as segment,"
                    + " ['US', 'DE', 'FR', 'IN', 'BR', 'JP', 'GB', 'ES'][1 + i % 8] as country, date '2020-01-01' + cast(i % 1800 as integer) as signed_up_on"
                    + " from range(100000) t(i)");
            s.execute("create table raw.products as select i as product_id, 'cat_' || (i % 20) as category, cast(1 + i % 500 as decimal(10, 2)) as price"
                    + " from range(1000) t(i)");
            s.execute("checkpoint");
        }
    }

    private static void writeProject(Path dir) throws IOException {
        write(dir.resolve("dbt_project.yml"), """
                name: bench
                profile: bench
                vars:
                  metrics: [amount, quantity]
                models:
                  bench:
                    staging: {+materialized: view}
                    intermediate: {+materialized: table}
                    incremental: {+materialized: incremental, +unique_key: event_id, +incremental_strategy: delete+insert}
                """);
        write(dir.resolve("models/sources.yml"), """
                version: 2
                sources:
                  - name: raw
                    tables: [{name: events}, {name: customers}, {name: products}]
                """);
        write(dir.resolve("macros/bench.sql"), """
                {% macro metric_columns(metrics, prefix='') -%}
                {%- for m in metrics %}
                    sum({{ prefix }}{{ m }}) as total_{{ m }}, avg({{ prefix }}{{ m }}) as avg_{{ m }}{{ "," if not loop.last }}
                {%- endfor %}
                {%- endmacro %}

                {% macro slice(column, n, k) -%}
                {{ column }} % {{ n }} = {{ k }}
                {%- endmacro %}
                """);
        write(dir.resolve("models/staging/stg_events.sql"), """
                select event_id, customer_id, product_id, occurred_at, cast(occurred_at as date) as event_date,
                       amount, quantity, event_type, country
                from {{ source('raw', 'events') }}
                """);
        write(dir.resolve("models/staging/stg_customers.sql"), "select customer_id, name, segment, country as customer_country, signed_up_on from {{ source('raw', 'customers') }}");
        write(dir.resolve("models/staging/stg_products.sql"), "select product_id, category, price from {{ source('raw', 'products') }}");
        write(dir.resolve("models/staging/stg_purchases.sql"), "select * from {{ ref('stg_events') }} where event_type = 'purchase'");
        write(dir.resolve("models/staging/stg_events_enriched.sql"), """
                select e.*, c.segment, c.customer_country, p.category
                from {{ ref('stg_events') }} e
                join {{ ref('stg_customers') }} c using (customer_id)
                join {{ ref('stg_products') }} p using (product_id)
                """);
        String[] groupings = {"event_date, segment", "category, country", "segment, category", "event_date, country", "customer_country, event_type"};
        for (int k = 0; k < INTERMEDIATE; k++) {
            String by = groupings[k % groupings.length];
            String from = k < HEAVY ? (k % 2 == 0 ? "stg_events_enriched" : "stg_purchases") : "stg_events_enriched";
            String sql = k < HEAVY && from.equals("stg_purchases")
                    ? """
                      -- heavy: every purchase, joined to customers
                      select c.segment, e.country, e.event_date, count(*) as events, {{ metric_columns(var('metrics'), 'e.') }}
                      from {{ ref('stg_purchases') }} e join {{ ref('stg_customers') }} c using (customer_id)
                      group by all
                      """
                    : "-- " + (k < HEAVY ? "heavy: all rows" : "a slice of the rows") + "\n"
                      + "select " + by + ", count(*) as events, {{ metric_columns(var('metrics')) }}\n"
                      + "from {{ ref('" + from + "') }}\n"
                      + (k < HEAVY ? "" : "where {{ slice('event_id', " + (INTERMEDIATE - HEAVY) + ", " + (k - HEAVY) + ") }}\n")
                      + "group by all\n";
            write(dir.resolve("models/intermediate/int_" + k + ".sql"), sql);
        }
        for (int k = 0; k < INCREMENTAL; k++) {
            write(dir.resolve("models/incremental/inc_" + k + ".sql"), """
                    select event_id, customer_id, occurred_at, amount, quantity
                    from {{ ref('stg_events') }}
                    where {{ slice('event_id', %d, %d) }}
                    {%% if is_incremental() %%}
                      and occurred_at > (select max(occurred_at) from {{ this }})
                    {%% endif %%}
                    """.formatted(INCREMENTAL * 10, k));
        }
        for (int j = 0; j < MARTS; j++) {
            // each mart unions 1 to 3 slice intermediates of the same grouping and rolls them up
            int g = j % groupings.length;
            List<Integer> deps = new ArrayList<>();
            for (int k = HEAVY + g + groupings.length * (j % 7); deps.size() < 1 + j % 3 && k < INTERMEDIATE; k += groupings.length * 3) deps.add(k);
            if (deps.isEmpty()) deps.add(HEAVY + g);
            String keys = groupings[g];
            String refs = deps.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElseThrow();
            String sql = """
                    {{ config(materialized=%s) }}
                    {%% set parts = [%s] %%}
                    select %s, sum(events) as events{%% for m in var('metrics') %%}, sum(total_{{ m }}) as total_{{ m }}{%% endfor %%}
                    from (
                    {%% for p in parts %%}
                        select * from {{ ref('int_' ~ p) }}{%% if not loop.last %%} union all{%% endif %%}
                    {%% endfor %%}
                    ) t
                    group by all
                    """.formatted(j % 4 == 0 ? "'view'" : "'table'", refs, keys);
            if (j % 10 == 9) sql += "union all\nselect " + keys.replaceAll("[a-z_]+", "null") + ", count(*), {% for m in var('metrics') %}sum({{ m }}){{ ',' if not loop.last }}{% endfor %} from {{ ref('inc_" + (j % INCREMENTAL) + "') }}\n";
            write(dir.resolve("models/marts/mart_" + j + ".sql"), sql);
        }
    }

    static final int PARTS = 50;

    /**
     * The macro-heavy project: 50 source tables, star over each, union_relations over all of them (by ref and by
     * pattern), a pivot per table and one over the union, row-count tests.
     */
    private static void macrosProject(long rows, Path work, int threads) throws Exception {
        Path root = work.resolve("macros");
        Path project = root.resolve("project");
        Path db = work.resolve("macros.duckdb");
        deleteTree(root);
        Files.deleteIfExists(db);
        Files.deleteIfExists(work.resolve("macros.duckdb.wal"));
        copyTree(introspectUtils(), root.resolve("introspect_utils"));
        writeMacroProject(project);

        long perPart = Math.max(1, rows / PARTS);
        long t = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath()); Statement s = c.createStatement()) {
            s.execute("create schema raw");
            for (int k = 0; k < PARTS; k++) {
                // the columns differ between tables: every one has id, part, grp, kind, amount; some note, extra_int, extra_ts, label
                StringBuilder cols = new StringBuilder("i as id, '" + part(k) + "' as part, 'g' || (i % 20) as grp, ['a', 'b', 'c', 'd'][1 + i % 4] as kind,"
                        + " cast((i % 10000) / 100.0 as decimal(12, 2)) as amount");
                if (k % 2 == 0) cols.append(", 'note ' || i as note");
                if (k % 3 == 0) cols.append(", cast(i % 1000 as integer) as extra_int");
                if (k % 5 == 0) cols.append(", timestamp '2025-01-01' + to_seconds(i % 31536000) as extra_ts");
                if (k % 7 == 0) cols.append(", 'label_' || (i % 3) as label");
                s.execute("create table raw." + part(k) + " as select " + cols + " from range(" + perPart + ") t(i)");
            }
            s.execute("checkpoint");
        }
        System.out.println();
        System.out.printf("macro project: %d source tables of %,d rows in %.1fs; project %s%n", PARTS, perPart, (System.nanoTime() - t) / 1e9, project);

        TransformOptions options = TransformOptions.defaults().withWarehouse(WarehouseTarget.duckdb(db, "main", threads));
        t = System.nanoTime();
        TransformProject p = TransformProject.load(project, options);
        double load = (System.nanoTime() - t) / 1e9;
        long models = p.nodes().values().stream().filter(n -> n.resourceType().label().equals("model")).count();

        Build first = build(TransformProject.load(project, options));
        TransformProject forCompile = TransformProject.load(project, options);
        TimingListener compileTimer = new TimingListener();
        t = System.nanoTime();
        List<CompiledNode> compiled = new TransformRunner(forCompile, compileTimer).compile();
        double compile = (System.nanoTime() - t) / 1e9;
        Build second = build(TransformProject.load(project, options));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath()); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("select count(*), count(distinct _dbt_source_relation), count(note), count(extra_ts) from main.all_parts")) {
            rs.next();
            long expectedNotes = perPart * ((PARTS + 1) / 2);
            if (rs.getLong(1) != perPart * PARTS || rs.getLong(2) != PARTS || rs.getLong(3) != expectedNotes) {
                throw new IllegalStateException("all_parts: " + rs.getLong(1) + " rows from " + rs.getLong(2) + " relations, " + rs.getLong(3) + " notes; expected "
                        + perPart * PARTS + " from " + PARTS + ", " + expectedNotes);
            }
        }

        System.out.println();
        System.out.printf("models                    : %d (%d compiled, star/union_relations/pivot over %d relations)%n", models, compiled.size(), PARTS);
        System.out.printf("load (parse)              : %7.2f s%n", load);
        double compileJdbc = compileTimer.nanos.sum() / 1e9;
        System.out.printf("compile (after a build)   : %7.2f s; in JDBC %.2f s (%,d calls: the macros' introspection queries), outside %.2f s%n",
                compile, compileJdbc, compileTimer.calls.sum(), compile - compileJdbc);
        first.print("build (fresh)");
        second.print("build (again)");
    }

    private static String part(int k) {
        return "part_%02d".formatted(k);
    }

    /** The introspect_utils package of transform's tests, found from this class's location (bench/target/classes). */
    private static Path introspectUtils() throws Exception {
        Path classes = Path.of(TransformBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        for (Path dir = classes; dir != null; dir = dir.getParent()) {
            Path pkg = dir.resolve("transform/src/test/resources/introspect_utils");
            if (Files.isDirectory(pkg.resolve("macros"))) return pkg;
        }
        throw new IllegalStateException("transform/src/test/resources/introspect_utils not found above " + classes + " (run from a Tributary checkout)");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path rel = from.relativize(p);
                if (rel.startsWith("integration_tests")) continue;
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(p)) Files.createDirectories(dest);
                else Files.copy(p, dest);
            }
        }
    }

    private static void writeMacroProject(Path dir) throws IOException {
        write(dir.resolve("dbt_project.yml"), """
                name: macro_bench
                profile: macro_bench
                models:
                  macro_bench:
                    +materialized: table
                """);
        write(dir.resolve("packages.yml"), "packages:\n  - local: ../introspect_utils\n");
        StringBuilder sources = new StringBuilder("version: 2\nsources:\n  - name: raw\n    tables:\n");
        StringBuilder deps = new StringBuilder();
        for (int k = 0; k < PARTS; k++) {
            sources.append("      - name: ").append(part(k)).append('\n');
            write(dir.resolve("models/staging/stg_" + part(k) + ".sql"),
                    "select {{ introspect_utils.star(source('raw', '" + part(k) + "'), except=['label']) }}\nfrom {{ source('raw', '" + part(k) + "') }}\n");
            write(dir.resolve("models/pivots/pvt_" + part(k) + ".sql"), """
                    select grp, {{ introspect_utils.pivot('kind', introspect_utils.get_column_values(ref('stg_%1$s'), 'kind', order_by='kind'), then_value='amount', prefix='amt_') }}
                    from {{ ref('stg_%1$s') }}
                    group by grp
                    """.formatted(part(k)));
            deps.append("-- depends_on: {{ source('raw', '").append(part(k)).append("') }}\n");
        }
        write(dir.resolve("models/sources.yml"), sources.toString());
        StringBuilder refs = new StringBuilder();
        for (int k = 0; k < PARTS; k++) refs.append(k == 0 ? "" : ", ").append("ref('stg_").append(part(k)).append("')");
        write(dir.resolve("models/all_parts.sql"), "{{ introspect_utils.union_relations([" + refs + "]) }}\n");
        write(dir.resolve("models/parts_by_pattern.sql"), "{{ config(materialized='view') }}\n" + deps
                + "{{ introspect_utils.union_relations(introspect_utils.get_relations_by_pattern('raw', 'part_%'), exclude=['label']) }}\n");
        write(dir.resolve("models/pivot_all.sql"), """
                select grp, {{ introspect_utils.pivot('part', introspect_utils.get_column_values(ref('all_parts'), 'part', order_by='part'), then_value='amount') }}
                from {{ ref('all_parts') }}
                group by grp
                """);
        write(dir.resolve("models/schema.yml"), """
                version: 2
                models:
                  - name: all_parts
                    data_tests:
                      - introspect_utils.equal_rowcount:
                          compare_model: ref('parts_by_pattern')
                  - name: pivot_all
                    data_tests:
                      - introspect_utils.fewer_rows_than:
                          compare_model: ref('all_parts')
                """);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
