package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build, run, test, seed, compile, ls, checks and freshness end to end on a small dbt project and a Tributary project, on DuckDB. */
class TransformCommandsTest {
    @TempDir
    Path dir;

    private CliRunner cli;

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private long query(String sql) throws SQLException {
        return Warehouse.number(dir.resolve("warehouse.duckdb"), sql);
    }

    @BeforeEach
    void dbtProject() throws IOException {
        write(dir.resolve("dbt_project.yml"), "name: shop\nprofile: shop\nmodels:\n  shop:\n    marts:\n      +materialized: table\n");
        write(dir.resolve("profiles.yml"), """
                shop:
                  target: dev
                  outputs:
                    dev:
                      type: duckdb
                      path: warehouse.duckdb
                      threads: 2
                    other:
                      type: duckdb
                      path: other.duckdb
                      schema: analytics
                """);
        write(dir.resolve("seeds/raw_orders.csv"), "id,customer,amount\n1,Ann,10\n2,BOB,20\n3,ann,300\n");
        write(dir.resolve("models/staging/stg_orders.sql"), "select id, lower(customer) as customer, amount from {{ ref('raw_orders') }}\n");
        write(dir.resolve("models/marts/customers.sql"), "select customer, sum(amount) as total, count(*) as orders\nfrom {{ ref('stg_orders') }}\ngroup by customer\n");
        write(dir.resolve("models/marts/big_orders.sql"), "select * from {{ ref('stg_orders') }} where amount > {{ var('min_amount', 100) }}\n");
        write(dir.resolve("models/schema.yml"), """
                models:
                  - name: stg_orders
                    columns:
                      - name: id
                        tests: [unique, not_null]
                  - name: customers
                    checks:
                      - row_count: {min: 1}
                      - negative_count: {column: total}
                """);
        cli = new CliRunner(dir, Map.of());
    }

    @Test
    void buildPrintsProgressAndSummaryAndBuildsTheWarehouse() throws Exception {
        CliRunner.Result build = cli.run("build");
        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(build.out())
                .containsPattern("\\d+ of 8 START seed file main\\.raw_orders \\.+ \\[RUN]")
                .containsPattern("\\d+ of 8 OK loaded seed file main\\.raw_orders \\.+ \\[INSERT 3 in \\d+\\.\\d\\ds]")
                .containsPattern("\\d+ of 8 OK created sql view model main\\.stg_orders \\.+ \\[CREATE VIEW in ")
                .containsPattern("\\d+ of 8 OK created sql table model main\\.customers \\.+ \\[SELECT 2 in ")
                .containsPattern("\\d+ of 8 PASS unique_stg_orders_id \\.+ \\[PASS in ")
                .contains("Done. PASS=8 WARN=0 ERROR=0 SKIP=0 TOTAL=8");
        assertThat(query("select total from main.customers where customer = 'ann'")).isEqualTo(310);
        assertThat(query("select count(*) from main.big_orders")).isEqualTo(1);
        assertThat(query("select count(*) from main_tributary.check_results")).isEqualTo(2);
        assertThat(dir.resolve("target/run_results.json")).exists();
    }

    @Test
    void showPrintsTheFirstRowsAndTheCountOfBuiltModels() {
        CliRunner.Result early = cli.run("show", "customers");
        assertThat(early.exitCode()).as("not built yet").isEqualTo(1);
        assertThat(early.err()).contains("cannot read").contains("build it first");
        assertThat(cli.run("build").exitCode()).isZero();
        CliRunner.Result show = cli.run("show", "customers", "raw_orders", "--limit", "1");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out()).contains("customers (").contains("): 2 rows").contains("raw_orders (").contains("): 3 rows")
                .containsPattern("customer +total +orders");
        assertThat(show.out().lines().filter(l -> l.startsWith("  ") && !l.contains("customer") && !l.contains("amount")).count())
                .as("one row under each of the two headers").isEqualTo(2);
        CliRunner.Result top = cli.run("show", "customers", "--limit", "1", "--order-by", "total desc");
        assertThat(top.out()).containsPattern("ann +310");
        CliRunner.Result unknown = cli.run("show", "customer");

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("no model, seed, snapshot or table of that name").contains("did you mean 'customers'");
    }

    @Test
    void aFailingTestExitsWithOneAndSkipsWhatDependsOnIt() throws Exception {
        write(dir.resolve("seeds/raw_orders.csv"), "id,customer,amount\n1,Ann,10\n1,BOB,20\n");
        CliRunner.Result build = cli.run("build");
        assertThat(build.exitCode()).as(build.toString()).isEqualTo(1);
        assertThat(build.out())
                .containsPattern("FAIL 1 unique_stg_orders_id \\.+ \\[FAIL 1 in ")
                .containsPattern("SKIP sql table model main\\.customers \\.+ \\[SKIP]")
                .contains("Completed with 1 error and 0 warnings:")
                .contains("Failure in test unique_stg_orders_id")
                .contains("Got 1 result, configured to fail if != 0")
                .contains("Done. PASS=3 WARN=0 ERROR=1 SKIP=4 TOTAL=8");

        CliRunner.Result test = cli.run("test", "--select", "stg_orders");
        assertThat(test.exitCode()).as(test.toString()).isEqualTo(1);
        assertThat(test.out()).contains("Done. PASS=1 WARN=0 ERROR=1 SKIP=0 TOTAL=2");
    }

    @Test
    void aModelWithASqlErrorExitsWithOneNamingTheFile() throws Exception {
        write(dir.resolve("models/broken.sql"), "select no_such_column from {{ ref('stg_orders') }}\n");
        assertThat(cli.run("seed").exitCode()).isZero();
        CliRunner.Result run = cli.run("run");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).containsPattern("ERROR creating sql view model main\\.broken \\.+ \\[ERROR in ")
                .contains("Database Error in model broken (models/broken.sql)").contains("no_such_column");
    }

    @Test
    void projectErrorsExitWithTwoNamingFileAndLine() throws Exception {
        write(dir.resolve("models/bad.sql"), "select 1 as x\n{% if true %}\nselect 2\n");
        CliRunner.Result jinja = cli.run("build");
        assertThat(jinja.exitCode()).as(jinja.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(jinja.err()).contains("models/bad.sql:2");
        Files.delete(dir.resolve("models/bad.sql"));

        write(dir.resolve("models/schema.yml"), "models:\n  - name: stg_orders\n    checks:\n      - row_count: {min: 1}\n      - no_such_check: {column: id}\n");
        CliRunner.Result yaml = cli.run("run");
        assertThat(yaml.exitCode()).as(yaml.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(yaml.err()).contains("models/schema.yml:3").contains("no_such_check");

        CliRunner.Result vars = cli.run("run", "--vars", "[1, 2]");
        assertThat(vars.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(vars.err()).contains("--vars").contains("mapping");

        CliRunner.Result target = cli.run("run", "--target", "prod");
        assertThat(target.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(target.err()).contains("target 'prod' not found");

        CliRunner.Result nowhere = new CliRunner(dir.resolve("models"), Map.of()).run("build");
        assertThat(nowhere.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(nowhere.err()).contains("no dbt_project.yml or tributary.yml");
    }

    @Test
    void selectWithGraphOperatorsExcludeAndLs() throws Exception {
        assertThat(cli.run("seed").exitCode()).isZero();
        CliRunner.Result run = cli.run("run", "--select", "+customers");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("main.stg_orders").contains("main.customers").doesNotContain("big_orders")
                .contains("Done. PASS=2 WARN=0 ERROR=0 SKIP=0 TOTAL=2");
        assertThat(query("select count(*) from information_schema.tables where table_name = 'big_orders'")).isZero();

        CliRunner.Result ls = cli.run("ls", "-s", "stg_orders+", "raw_orders", "--exclude", "resource_type:test", "resource_type:check");
        assertThat(ls.exitCode()).as(ls.toString()).isZero();
        assertThat(ls.out().lines().toList())
                .containsExactlyInAnyOrder("shop.raw_orders", "shop.staging.stg_orders", "shop.marts.customers", "shop.marts.big_orders");
        CliRunner.Result intersect = cli.run("ls", "--select", "marts,+customers", "--exclude", "resource_type:check");
        assertThat(intersect.out().lines().toList()).containsExactly("shop.marts.customers");
        CliRunner.Result tests = cli.run("ls", "--select", "resource_type:test");
        assertThat(tests.out().lines().toList()).containsExactlyInAnyOrder("shop.unique_stg_orders_id", "shop.not_null_stg_orders_id");
        assertThat(tests.err()).isEmpty();

        // found by a stranger's pass: a misspelt name ran nothing and exited 0 without a word about it
        CliRunner.Result typo = cli.run("run", "--select", "customer", "stg_orders");
        assertThat(typo.exitCode()).as("dbt's exit code: a warning, not an error").isZero();
        assertThat(typo.err()).containsOnlyOnce("warning: the selection criterion 'customer' does not match any node").doesNotContain("'stg_orders'");
        assertThat(cli.run("ls", "-s", "customer").err()).contains("'customer' does not match any node");
        assertThat(cli.run("compile", "-s", "+customer+").err()).contains("'+customer+' does not match any node");
    }

    @Test
    void compilePrintsRenderedSqlWithVars() {
        CliRunner.Result compile = cli.run("compile", "--select", "big_orders", "--vars", "{min_amount: 15}");
        assertThat(compile.exitCode()).as(compile.toString()).isZero();
        assertThat(compile.out()).contains("-- model big_orders (models/marts/big_orders.sql)")
                .contains("select * from \"warehouse\".\"main\".\"stg_orders\" where amount > 15")
                .doesNotContain("-- model customers")
                .contains("Compiled 1 node");
        assertThat(dir.resolve("target/compiled/shop/models/marts/big_orders.sql")).content().contains("amount > 15");

        CliRunner.Result other = cli.run("compile", "-s", "stg_orders", "--exclude", "resource_type:test", "-t", "other");
        assertThat(other.exitCode()).as(other.toString()).isZero();
        assertThat(other.out()).contains("from \"other\".\"analytics\".\"raw_orders\"");
    }

    @Test
    void checksExitCodesMeanWhatBuildsDo() throws Exception {
        assertThat(cli.run("build").exitCode()).isZero();
        CliRunner.Result pass = cli.run("checks");
        assertThat(pass.exitCode()).as(pass.toString()).isZero();
        assertThat(pass.out()).containsPattern("PASS row_count_customers \\.+ \\[PASS in ").contains("Done. PASS=2 WARN=0 ERROR=0 SKIP=0 TOTAL=2");

        write(dir.resolve("models/schema.yml"), """
                models:
                  - name: customers
                    checks:
                      - row_count: {warn: '< 5'}
                """);
        CliRunner.Result warn = cli.run("checks");
        assertThat(warn.exitCode()).as("warnings alone pass, as in build: " + warn).isZero();
        assertThat(warn.out()).contains("Warning in check").contains("WARN=1");
        write(dir.resolve("models/schema.yml"), """
                models:
                  - name: customers
                    checks:
                      - row_count: {warn: '< 5'}
                      - max: {column: total, fail: '> 100'}
                """);
        CliRunner.Result fail = cli.run("checks");
        assertThat(fail.exitCode()).as(fail.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(fail.out()).contains("Failure in check max_customers_total").contains("value 310, fails when > 100");
        write(dir.resolve("models/schema.yml"), """
                models:
                  - name: customers
                    checks:
                      - max: {column: no_such_column, fail: '> 100'}
                """);
        CliRunner.Result error = cli.run("checks");
        assertThat(error.exitCode()).as("a check that cannot run failed its work; 3 is for bugs: " + error).isEqualTo(ExitCode.FAILED);
        assertThat(query("select count(distinct run_id) from main_tributary.check_results")).isEqualTo(5);
    }

    @Test
    void freshnessOfSources() throws Exception {
        write(dir.resolve("models/sources.yml"), """
                sources:
                  - name: raw
                    schema: main
                    loaded_at_field: loaded_at
                    freshness:
                      error_after: {count: 1, period: day}
                    tables:
                      - name: events
                """);
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
             var s = c.createStatement()) {
            s.execute("create table main.events as select cast(current_timestamp as timestamp) - interval 3 day as loaded_at");
        }
        CliRunner.Result stale = cli.run("freshness");
        assertThat(stale.exitCode()).as(stale.toString()).isEqualTo(1);
        assertThat(stale.out()).containsPattern("ERROR .*freshness of raw\\.events").contains("ERROR=1");
    }

    @Test
    void aTributaryProjectBuildsItsModelsOnItsOwnDestination() throws Exception {
        Path project = dir.resolve("tp");
        write(project.resolve("tributary.yml"), """
                name: tp
                destination:
                  type: duckdb
                  path: wh.duckdb
                connections:
                  files:
                    type: files
                    config:
                      streams:
                        - {name: orders, path: "data/orders.csv", format: csv, primary_key: [id]}
                """);
        write(project.resolve("data/orders.csv"), "id,customer,amount\n1,Ann,10\n2,Bob,20\n3,Ann,5\n");
        write(project.resolve("models/sources.yml"), "sources:\n  - name: files\n    tables:\n      - name: orders\n");
        write(project.resolve("models/customer_totals.sql"), "{{ config(materialized='table') }}\nselect customer, sum(amount) as total from {{ source('files', 'orders') }} group by customer\n");
        write(project.resolve("models/schema.yml"), "models:\n  - name: customer_totals\n    columns:\n      - name: customer\n        tests: [unique, not_null]\n");
        CliRunner tp = new CliRunner(project, Map.of());
        CliRunner.Result sync = tp.run("sync");
        assertThat(sync.exitCode()).as(sync.toString()).isZero();
        CliRunner.Result build = tp.run("build");
        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(build.out()).contains("on duckdb (schema main)").contains("OK created sql table model main.customer_totals")
                .contains("Done. PASS=3 WARN=0 ERROR=0 SKIP=0 TOTAL=3");
        assertThat(Warehouse.number(project.resolve("wh.duckdb"), "select total from main.customer_totals where customer = 'Ann'")).isEqualTo(15);

        CliRunner.Result viaProjectDir = new CliRunner(dir, Map.of()).run("ls", "--project-dir", project.toString(), "--select", "resource_type:model",
                "--exclude", "resource_type:test");
        assertThat(viaProjectDir.out().lines().toList()).containsExactly("tp.customer_totals");
        assertThat(tp.run("run", "--target", "prod").exitCode()).isEqualTo(ExitCode.CONFIG);
        Files.delete(project.resolve("models/customer_totals.sql"));
        Files.delete(project.resolve("models/schema.yml"));
        Files.delete(project.resolve("models/sources.yml"));
        Files.delete(project.resolve("models"));
        CliRunner.Result noModels = tp.run("build");
        assertThat(noModels.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(noModels.err()).contains("no models/ folder");
    }

    @Test
    void helpListsTheTransformCommands() {
        CliRunner.Result help = cli.run("--help");
        assertThat(help.out()).contains("build").contains("compile").contains("checks").contains("freshness").contains("snapshot");
        assertThat(List.of(cli.run("help", "build").out())).allSatisfy(o -> assertThat(o).contains("--select").contains("--full-refresh")
                .contains("--vars").contains("--profiles-dir").contains("--threads").contains("--project-dir").contains("--target"));
    }

    @Test
    void aTributaryProjectOnPostgresBuildsInItsPrefixedSchema() throws Exception {
        String url = dev.tributary.testkit.TestDatabases.postgresUrl();
        String prefix = "tr_cli_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
        Path project = dir.resolve("pg");
        write(project.resolve("tributary.yml"), """
                name: pg
                destination:
                  type: postgres
                  url: %s
                  schema_prefix: %s
                connections:
                  files:
                    type: files
                    config:
                      streams:
                        - {name: orders, path: "data/orders.csv", format: csv, primary_key: [id]}
                """.formatted(url, prefix));
        write(project.resolve("data/orders.csv"), "id,customer,amount\n1,Ann,10\n2,Bob,20\n3,Ann,5\n");
        write(project.resolve("models/sources.yml"), "sources:\n  - name: files\n    schema: " + prefix + "files\n    tables:\n      - name: orders\n");
        write(project.resolve("models/totals.sql"), "{{ config(materialized='table') }}\nselect customer, sum(amount) as total from {{ source('files', 'orders') }} group by customer\n");
        write(project.resolve("models/schema.yml"), "models:\n  - name: totals\n    checks:\n      - row_count: {min: 2, max: 2}\n");
        try {
            CliRunner tp = new CliRunner(project, Map.of());
            CliRunner.Result sync = tp.run("sync");
            assertThat(sync.exitCode()).as(sync.toString()).isZero();
            CliRunner.Result build = tp.run("build");
            assertThat(build.exitCode()).as(build.toString()).isZero();
            assertThat(build.out()).contains("on postgres (schema " + prefix + "public)").contains("OK created sql table model " + prefix + "public.totals")
                    .contains("Done. PASS=2 WARN=0 ERROR=0 SKIP=0 TOTAL=2");
            try (var c = java.sql.DriverManager.getConnection(url); var s = c.createStatement();
                 var rs = s.executeQuery("select total from " + prefix + "public.totals where customer = 'Ann'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(15);
            }
        } finally {
            for (String schema : List.of("public", "public_tributary", "files", "tributary")) {
                dev.tributary.testkit.TestDatabases.dropPostgresSchema(url, prefix + schema);
            }
        }
    }
}
