package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.project.Connectors;
import dev.tributary.scheduler.StepDef;
import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.StepOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What serve's step executor tells the scheduler: a SQL error or a failing test is not worth a retry. */
class ProjectStepExecutorTest {
    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();

    private final java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
    private final List<Runnable> cancelActions = new CopyOnWriteArrayList<>();

    private StepOutcome run(StepKind kind) throws Exception {
        return run(kind, Map.of());
    }

    private StepOutcome run(StepKind kind, Map<String, String> options) throws Exception {
        return run(kind, options, () -> true);
    }

    /** {@code mayCommit} is the context's commit gate (the scheduler's: false once this worker may no longer write for the run). */
    private StepOutcome run(StepKind kind, Map<String, String> options, java.util.function.BooleanSupplier mayCommit) throws Exception {
        TributaryCommand root = new TributaryCommand(Map.of(), Connectors.discover());
        root.projectDir = dir;
        StepDef step = new StepDef(kind.name().toLowerCase() + "-1", kind, List.of(), false, options, List.of(), Optional.empty());
        return new ProjectStepExecutor(root).execute(new LoggingStepContext("p", step, log, cancelled, cancelActions, mayCommit));
    }

    /**
     * Issue 19: a worker whose heartbeat lapsed (its run abandoned here, maybe resumed by another worker) could still
     * finish a build or an export step and replace models and files, as it already could not for a sync's commits.
     * With the commit gate closed, a build replaces no model (seed, table, view, incremental) and an export moves no
     * file into place and commits no partition: what was there before stays, and the steps fail saying why.
     */
    @Test
    void aWorkerThatMayNoLongerCommitReplacesNoModelAndNoExport() throws Exception {
        Files.writeString(dir.resolve("tributary.yml"), "name: shop\ndestination: {type: duckdb, path: warehouse.duckdb}\n");
        Files.createDirectories(dir.resolve("models"));
        Files.createDirectories(dir.resolve("seeds"));
        Files.writeString(dir.resolve("seeds/regions.csv"), "id,name\n1,north\n");
        Files.writeString(dir.resolve("models/orders.sql"), "{{ config(materialized='table') }}\nselect 'hub' || (i % 2) as tenant, i as id from range(7) t(i)\n");
        Files.writeString(dir.resolve("models/order_ids.sql"), "select id from {{ ref('orders') }}\n");
        Files.writeString(dir.resolve("models/events.sql"), "{{ config(materialized='incremental', unique_key='id') }}\nselect i as id from range(3) t(i)\n");
        assertThat(run(StepKind.BUILD).ok()).as(log.toString()).isTrue();
        Map<String, String> file = Map.of("model", "orders", "path", "exports/orders.parquet", "format", "parquet");
        Map<String, String> partitioned = Map.of("model", "orders", "path", "exports/by_tenant", "format", "parquet", "partition_by", "tenant");
        assertThat(run(StepKind.EXPORT, file).ok()).as(log.toString()).isTrue();
        assertThat(run(StepKind.EXPORT, partitioned).ok()).as(log.toString()).isTrue();
        Path warehouse = dir.resolve("warehouse.duckdb");
        String exported = "select count(*) from read_parquet('" + dir.resolve("exports/orders.parquet") + "')";
        String byTenant = "select count(*) from read_parquet('" + dir.resolve("exports/by_tenant") + "/*/*.parquet')";
        assertThat(Warehouse.number(warehouse, exported)).isEqualTo(7);

        // the next version of everything, built and exported by a worker whose gate is closed
        Files.writeString(dir.resolve("seeds/regions.csv"), "id,name\n1,north\n2,south\n");
        Files.writeString(dir.resolve("models/orders.sql"), "{{ config(materialized='table') }}\nselect 'hub' || (i % 3) as tenant, i as id from range(9) t(i)\n");
        Files.writeString(dir.resolve("models/events.sql"), "{{ config(materialized='incremental', unique_key='id') }}\nselect i as id from range(5) t(i)\n");
        StepOutcome refused = run(StepKind.BUILD, Map.of(), () -> false);
        assertThat(refused.ok()).isFalse();
        assertThat(refused.error()).hasValueSatisfying(e -> assertThat(e).contains("the commit gate refused"));
        assertThat(Warehouse.number(warehouse, "select count(*) from main.orders")).as("the table model as it was").isEqualTo(7);
        assertThat(Warehouse.number(warehouse, "select count(*) from main.events")).as("the incremental model as it was").isEqualTo(3);
        assertThat(Warehouse.number(warehouse, "select count(*) from main.regions")).as("the seed as it was").isEqualTo(1);

        assertThat(run(StepKind.BUILD).ok()).as(log.toString()).isTrue(); // the worker that holds the run builds them
        assertThat(Warehouse.number(warehouse, "select count(*) from main.orders")).isEqualTo(9);
        assertThatThrownBy(() -> run(StepKind.EXPORT, file, () -> false)).hasMessageContaining("the commit gate refused");
        assertThat(Warehouse.number(warehouse, exported)).as("the exported file as it was").isEqualTo(7);
        assertThat(dir.resolve("exports/orders.parquet.tmp")).doesNotExist();
        assertThatThrownBy(() -> run(StepKind.EXPORT, partitioned, () -> false)).hasMessageContaining("the commit gate refused");
        assertThat(dir.resolve("exports/by_tenant/tenant=hub2")).as("no new partition committed").doesNotExist();
        assertThat(Warehouse.number(warehouse, byTenant)).as("the partitions as they were").isEqualTo(7);

        // the gate closing while the model is built (after the node started): its swap is rolled back
        Files.delete(dir.resolve("models/order_ids.sql"));
        Files.delete(dir.resolve("models/events.sql"));
        Files.delete(dir.resolve("seeds/regions.csv"));
        Files.writeString(dir.resolve("models/orders.sql"), "{{ config(materialized='table') }}\nselect 'hub' as tenant, i as id from range(11) t(i)\n");
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        StepOutcome late = run(StepKind.BUILD, Map.of(), () -> asked.incrementAndGet() == 1); // open when the node starts only
        assertThat(late.error()).as(log.toString()).hasValueSatisfying(e -> assertThat(e).contains("the commit gate refused"));
        assertThat(asked).as("asked when the node started and at its swap").hasValue(2);
        assertThat(Warehouse.number(warehouse, "select count(*) from main.orders")).as("the table model as it was").isEqualTo(9);
    }

    @Test
    void aSqlErrorInAModelAndAFailingTestAreDeterministicFailures() throws Exception {
        Files.writeString(dir.resolve("tributary.yml"), "name: shop\ndestination: {type: duckdb, path: warehouse.duckdb}\n");
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/broken.sql"), "select no_such_column from (select 1 as id) t\n");
        StepOutcome broken = run(StepKind.BUILD);
        assertThat(broken.ok()).as(log.toString()).isFalse();
        assertThat(broken.error()).hasValueSatisfying(e -> assertThat(e).contains("Database Error in model broken (models/broken.sql): "));
        assertThat(broken.retryable()).as("a SQL error fails the same way again").isFalse();

        Files.delete(dir.resolve("models/broken.sql"));
        Files.writeString(dir.resolve("models/ids.sql"), "select 1 as id union all select 1 as id\n");
        Files.writeString(dir.resolve("models/schema.yml"), "models:\n  - name: ids\n    columns:\n      - name: id\n        tests: [unique]\n");
        StepOutcome failing = run(StepKind.BUILD);
        assertThat(failing.ok()).as(log.toString()).isFalse();
        assertThat(failing.retryable()).as("a failing test fails the same way again").isFalse();
    }

    @Test
    void aStepWithATargetBuildsOnThatProfilesYmlTarget() throws Exception {
        Files.writeString(dir.resolve("tributary.yml"), "name: shop\ndestination: {type: duckdb, path: warehouse.duckdb}\n");
        Files.writeString(dir.resolve("dbt_project.yml"), "name: shop\nprofile: shop\n");
        Files.writeString(dir.resolve("profiles.yml"), """
                shop:
                  target: dev
                  outputs:
                    dev: {type: duckdb, path: dev.duckdb}
                    other: {type: duckdb, path: other.duckdb}
                """);
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/orders.sql"), "{{ config(materialized='table') }}\nselect i as id from range(7) t(i)\n");

        StepOutcome onOther = run(StepKind.BUILD, Map.of("target", "other"));

        assertThat(onOther.ok()).as(onOther.error() + "\n" + log).isTrue();
        assertThat(Warehouse.number(dir.resolve("other.duckdb"), "select count(*) from main.orders")).isEqualTo(7);
        assertThat(dir.resolve("dev.duckdb")).as("the profile's default target is not touched").doesNotExist();
        assertThat(dir.resolve("warehouse.duckdb")).as("nor the tributary.yml destination").doesNotExist();

        // without target: the project's destination, as before
        assertThat(run(StepKind.BUILD).ok()).as(log.toString()).isTrue();
        assertThat(Warehouse.number(dir.resolve("warehouse.duckdb"), "select count(*) from main.orders")).isEqualTo(7);
        assertThat(dir.resolve("dev.duckdb")).doesNotExist();

        // a target profiles.yml does not have fails the step, naming it and the ones there are
        assertThatThrownBy(() -> run(StepKind.TEST, Map.of("target", "othr"))).isInstanceOf(dev.tributary.spi.ConfigException.class)
                .hasMessageContaining("target 'othr' not found");
        // spark is the lakehouse's Spark only on an iceberg destination; here it is a profiles.yml name like any other
        assertThatThrownBy(() -> run(StepKind.BUILD, Map.of("target", "spark"))).isInstanceOf(dev.tributary.spi.ConfigException.class)
                .hasMessageContaining("target 'spark' not found");
    }

    @Test
    void aPartitionedExportStepWritesOneFolderPerValueWithItsManifest() throws Exception {
        Files.writeString(dir.resolve("tributary.yml"), "name: shop\ndestination: {type: duckdb, path: warehouse.duckdb}\n");
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/orders.sql"), "select 'hub' || (i % 3) as tenant, 'orders' as stream, i as id from range(30) t(i)\n");
        assertThat(run(StepKind.BUILD).ok()).as(log.toString()).isTrue();

        StepOutcome export = run(StepKind.EXPORT, Map.of("model", "orders", "path", "exports/orders", "format", "parquet", "partition_by", "tenant,stream"));

        assertThat(export.ok()).as(log.toString()).isTrue();
        assertThat(export.summary()).startsWith("30 rows in 3 partitions");
        assertThat(dir.resolve("exports/orders/tenant=hub2/stream=orders/_SUCCESS")).exists();
        assertThat(log).anyMatch(l -> l.startsWith("[export] tenant=hub0/stream=orders: 10 rows in 1 file"));
        assertThat(Warehouse.number(dir.resolve("warehouse.duckdb"), "select count(*) from read_parquet('" + dir.resolve("exports/orders")
                + "/*/*/*.parquet', hive_partitioning=true) where tenant = 'hub1'")).isEqualTo(10);
    }

    @Test
    void cancellingABuildStopsTheRunningQueryAndSkipsTheRest() throws Exception {
        String url = dev.tributary.testkit.TestDatabases.postgresUrl();
        String prefix = "workers_cancel_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
        Files.writeString(dir.resolve("tributary.yml"), "name: shop\ndestination: {type: postgres, url: \"" + url + "\", schema_prefix: " + prefix + "}\n");
        Files.createDirectories(dir.resolve("models"));
        // a model that would take two minutes, and one after it
        Files.writeString(dir.resolve("models/slow.sql"), "{{ config(materialized='table') }}\nselect 1 as id from (select pg_sleep(120)) s\n");
        Files.writeString(dir.resolve("models/after.sql"), "select id from {{ ref('slow') }}\n");
        try (var pool = java.util.concurrent.Executors.newSingleThreadExecutor()) {
            var step = pool.submit(() -> run(StepKind.BUILD));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (log.stream().noneMatch(l -> l.contains("slow"))) {
                assertThat(System.nanoTime()).as("the build starts the slow model: %s", log).isLessThan(deadline);
                java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(300)); // the query reaches the server
            cancelled.set(true);
            cancelActions.forEach(Runnable::run);
            // before the fix the step waited for pg_sleep(120)
            StepOutcome outcome = step.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.error()).contains("cancelled");
            assertThat(String.join("\n", log)).contains("(cancelled)");
        } finally {
            dev.tributary.testkit.TestDatabases.dropPostgresSchema(url, prefix + "public");
        }
    }

    @Test
    void aWarehouseThatRefusesConnectionsIsATransientSyncFailure() throws Exception {
        // nothing listens on port 1: the connection is refused, which may not be so on the next attempt
        Files.writeString(dir.resolve("tributary.yml"), """
                name: shop
                destination: {type: postgres, url: "jdbc:postgresql://127.0.0.1:1/test?user=postgres&connectTimeout=5"}
                settings: {max_attempts: 1}
                connections:
                  files:
                    type: files
                    config:
                      streams:
                        - {name: orders, path: "data/orders.csv", format: csv, primary_key: [id]}
                """);
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/orders.csv"), "id,amount\n1,10\n");
        StepOutcome refused = run(StepKind.SYNC);
        assertThat(refused.ok()).as(log.toString()).isFalse();
        assertThat(refused.retryable()).as(refused.error() + "\n" + log).isTrue();
    }

    @Test
    void aMissingSourceFileIsADeterministicSyncFailure() throws Exception {
        Files.writeString(dir.resolve("tributary.yml"), """
                name: shop
                destination: {type: duckdb, path: warehouse.duckdb}
                connections:
                  files:
                    type: files
                    config:
                      streams:
                        - {name: orders, path: "data/orders.csv", format: csv, primary_key: [id]}
                """);
        StepOutcome missing = run(StepKind.SYNC);
        assertThat(missing.ok()).as(log.toString()).isFalse();
        assertThat(missing.retryable()).as(missing.error() + "\n" + log).isFalse();
    }

    @Test
    void aSingerTapsStderrLandsInTheRunLogUnderTheTapsName() throws Exception {
        Path tap = dir.resolve("tap-tiny");
        Files.writeString(tap, """
                #!/bin/sh
                echo "tiny tap: reading page 1" >&2
                echo '{"type":"SCHEMA","stream":"things","key_properties":["id"],"schema":{"type":"object","properties":{"id":{"type":"integer"}}}}'
                echo '{"type":"RECORD","stream":"things","record":{"id":1}}'
                echo '{"type":"STATE","value":{"at":1}}'
                """);
        tap.toFile().setExecutable(true);
        Files.writeString(dir.resolve("catalog.json"), """
                {"streams":[{"tap_stream_id":"things","stream":"things","key_properties":["id"],
                  "schema":{"type":"object","properties":{"id":{"type":"integer"}}}}]}
                """);
        Files.writeString(dir.resolve("tributary.yml"), """
                destination: {type: duckdb, path: warehouse.duckdb}
                connections:
                  tiny:
                    type: singer
                    config: {command: [./tap-tiny], catalog_path: catalog.json}
                """);
        StepOutcome synced = run(StepKind.SYNC);
        assertThat(synced.ok()).as(log.toString()).isTrue();
        assertThat(log).contains("[tap-tiny] tiny tap: reading page 1");
    }

    @Test
    void aSyncServedFromItsFallbackSucceedsAndSaysSoInItsSummaryAndLog() throws Exception {
        try (var sheets = dev.tributary.sandbox.sheets.SheetsSandbox.start(dev.tributary.sandbox.sheets.SheetsSandboxOptions.builder().leads(0).build())) {
            Path key = sheets.writeServiceAccountKey(dir.resolve("key.json"));
            Files.writeString(dir.resolve("leads.csv"), "Company,First Name,Last Name,Country\nAcme GmbH,Ann,Lee,Germany\n");
            Files.writeString(dir.resolve("tributary.yml"), """
                    name: shop
                    destination: {type: duckdb, path: warehouse.duckdb}
                    connections:
                      sheet:
                        type: sheets
                        config:
                          base_url: %s
                          spreadsheet_id: %s
                          credentials_file: key.json
                          max_attempts: 2
                          streams:
                            leads: {range: 'Leads 2026', key: [company, first_name, last_name, country], fallback: {path: leads.csv}}
                    """.formatted(sheets.baseUrl(), sheets.leadsSpreadsheetId()));
            sheets.control().revokeServiceAccountKey(true);
            StepOutcome outcome = run(StepKind.SYNC);
            assertThat(outcome.ok()).as(log.toString()).isTrue();
            assertThat(dev.tributary.scheduler.StepOutcome.mentionsFallback(outcome.summary())).as(outcome.summary()).isTrue();
            assertThat(outcome.summary()).contains("FALLBACK: sheet.leads (").contains("Invalid JWT Signature.");
            assertThat(log).anySatisfy(l -> assertThat(l).contains("leads: succeeded, 1 records").contains("WARNING served from its FALLBACK"));
        }
    }
}
