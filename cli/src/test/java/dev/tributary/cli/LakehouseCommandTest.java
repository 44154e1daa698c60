package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.project.Connectors;
import dev.tributary.project.Project;
import dev.tributary.scheduler.PipelinesConfig;
import dev.tributary.scheduler.StepDef;
import dev.tributary.scheduler.StepOutcome;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.WriterLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project on the Iceberg lakehouse end to end through the CLI: the default warehouse folder in the project, syncs
 * (merge) resumed from their state, then {@code lakehouse compact}, {@code expire-snapshots} and {@code remove-orphans}.
 */
class LakehouseCommandTest {
    @TempDir
    Path dir;

    @Test
    void syncsIntoTheLakehouseAndMaintainsIt() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/a.csv"), "id,name,amount\n1,Ada,10.5\n2,Grace,20\n");
        Files.writeString(dir.resolve("tributary.yml"), """
                destination:
                  type: iceberg
                  tables:
                    leads.people: {partition_by: ["bucket(4, id)"]}
                connections:
                  leads:
                    type: files
                    config:
                      streams:
                        - {name: people, path: "data/*.csv", format: csv, primary_key: [id], types: {id: integer, amount: decimal}}
                """);
        CliRunner cli = new CliRunner(dir, Map.of());
        CliRunner.Result first = cli.run("sync");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(dir.resolve("lakehouse/catalog.sqlite")).exists();
        assertThat(dir.resolve("lakehouse/leads/people/metadata")).isDirectory();
        Files.writeString(dir.resolve("data/b.csv"), "id,name,amount\n2,Grace Hopper,21\n3,Edsger,30\n");
        CliRunner.Result second = cli.run("sync");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        CliRunner.Result state = cli.run("state", "show");
        assertThat(state.out()).contains("leads").contains("people");

        CliRunner.Result compact = cli.run("lakehouse", "compact", "--table", "leads.people");
        assertThat(compact.exitCode()).as(compact.toString()).isZero();
        assertThat(compact.out()).contains("leads.people: ").contains("delete files");
        CliRunner.Result again = cli.run("lakehouse", "compact");
        assertThat(again.out()).contains("leads.people: nothing to compact");

        CliRunner.Result expire = cli.run("lakehouse", "expire-snapshots", "--older-than", "0s");
        assertThat(expire.exitCode()).as(expire.toString()).isZero();
        assertThat(expire.out()).containsPattern("leads.people: \\d+ snapshots -> 1");
        Path stray = dir.resolve("lakehouse/leads/people/data/00000-stray.parquet");
        Files.writeString(stray, "left by a killed sync");
        assertThat(cli.run("lakehouse", "remove-orphans", "--dry-run").out())
                .as("a fresh file may be a commit in the making: 3 days by default").contains("leads.people: 0 orphan files");
        CliRunner.Result dry = cli.run("lakehouse", "remove-orphans", "--dry-run", "--older-than", "0s");
        // the stray file, and files the compaction replaced that expiry has not deleted yet
        assertThat(dry.out()).contains("leads.people: ").contains(stray.toString()).contains("not removed (dry run)");
        assertThat(stray).exists();
        CliRunner.Result removed = cli.run("lakehouse", "remove-orphans", "--older-than", "0s");
        assertThat(removed.exitCode()).as(removed.toString()).isZero();
        assertThat(stray).doesNotExist();
        assertThat(cli.run("lakehouse", "remove-orphans", "--dry-run").out()).contains("leads.people: 0 orphan files");
        try (var session = (dev.tributary.spi.DestinationSession) new dev.tributary.destination.iceberg.IcebergDestination().open(
                dev.tributary.spi.Config.of(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                        .put("warehouse", dir.resolve("lakehouse").toString())));
                var rows = org.apache.iceberg.data.IcebergGenerics.read(((dev.tributary.destination.iceberg.IcebergSession) session).lakehouse()
                        .catalog().loadTable(org.apache.iceberg.catalog.TableIdentifier.of("leads", "people"))).build()) {
            java.util.List<String> names = new java.util.ArrayList<>();
            rows.forEach(r -> names.add(r.getField("id") + "=" + r.getField("name")));
            assertThat(names).as("compaction, expiry and orphan removal kept exactly the merged rows")
                    .containsExactlyInAnyOrder("1=Ada", "2=Grace Hopper", "3=Edsger");
        }
        // the state survived compaction and expiry: a third sync reads only what is new
        CliRunner.Result third = cli.run("sync");
        assertThat(third.exitCode()).as(third.toString()).isZero();

        CliRunner.Result unknown = cli.run("lakehouse", "compact", "--table", "leads.peple");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(unknown.err()).contains("no table leads.peple").contains("did you mean 'leads.people'");
    }

    @Test
    void maintenanceWaitsForNoSyncAndSaysWhoWrites() throws Exception {
        Files.writeString(dir.resolve("tributary.yml"), """
                destination: {type: iceberg, warehouse: lake}
                connections:
                  leads:
                    type: files
                    config:
                      streams:
                        - {name: people, path: "data/*.csv", format: csv}
                """);
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/a.csv"), "id,name\n1,Ada\n");
        CliRunner cli = new CliRunner(dir, Map.of());
        assertThat(cli.run("sync").exitCode()).isZero();
        assertThat(dir.resolve("lake/catalog.sqlite")).exists();
        try (var session = new dev.tributary.destination.iceberg.IcebergDestination().open(dev.tributary.spi.Config.of(
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("warehouse", dir.resolve("lake").toString())));
                WriterLock lock = session.lockWriter("leads", LockHolder.thisProcess("tributary sync leads"))) {
            CliRunner.Result busy = cli.run("lakehouse", "compact");
            assertThat(busy.exitCode()).as(busy.toString()).isEqualTo(ExitCode.FAILED);
            assertThat(busy.err()).contains("tributary sync leads");
        }
    }

    @Test
    void aPipelineStepMaintainsTheLakehouseOnItsScheduleAndABusyTableIsRetried() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/a.csv"), "id,name\n1,Ada\n2,Grace\n");
        Files.writeString(dir.resolve("tributary.yml"), """
                destination: {type: iceberg}
                connections:
                  leads:
                    type: files
                    config:
                      streams:
                        - {name: people, path: "data/*.csv", format: csv, primary_key: [id], types: {id: integer}}
                pipelines:
                  nightly:
                    schedule: "15 3 * * *"
                    steps:
                      - sync: [leads]
                      - lakehouse: [compact, expire-snapshots, remove-orphans]
                        older_than: 0s
                """);
        CliRunner cli = new CliRunner(dir, Map.of());
        assertThat(cli.run("sync").exitCode()).isZero();
        Files.writeString(dir.resolve("data/b.csv"), "id,name\n2,Grace Hopper\n");
        assertThat(cli.run("sync").exitCode()).isZero();
        CliRunner.Result check = cli.run("check");
        assertThat(check.out()).as(check.toString()).contains("ok      pipelines: nightly");
        Path stray = dir.resolve("lakehouse/leads/people/data/00000-stray.parquet");
        Files.writeString(stray, "left by a killed sync");
        // remove-orphans spares files younger than 3 days (a sync may be writing them); this one is older
        Files.setLastModifiedTime(stray, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(4))));

        List<String> log = new CopyOnWriteArrayList<>();
        StepOutcome done = runStep("nightly", 1, log);
        assertThat(done.ok()).as(log.toString()).isTrue();
        assertThat(done.summary()).isEqualTo("compact, expire-snapshots, remove-orphans on 1 table");
        assertThat(log).anyMatch(l -> l.startsWith("[lakehouse] compact leads.people: ") && l.contains("delete files"))
                .anyMatch(l -> l.matches("\\[lakehouse] expire-snapshots leads.people: \\d+ snapshots -> 1.*"))
                .anyMatch(l -> l.startsWith("[lakehouse] remove-orphans leads.people: "));
        assertThat(stray).doesNotExist();
        assertThat(cli.run("show", "leads.people").out()).contains("Grace Hopper").contains("2 rows");

        try (var session = new dev.tributary.destination.iceberg.IcebergDestination().open(dev.tributary.spi.Config.of(
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("warehouse", dir.resolve("lakehouse").toString())));
                WriterLock lock = session.lockWriter("leads", LockHolder.thisProcess("tributary sync leads"))) {
            log.clear();
            StepOutcome busy = runStep("nightly", 1, log);
            assertThat(busy.ok()).isFalse();
            assertThat(busy.retryable()).as("a sync writing the table: the scheduler retries later").isTrue();
            assertThat(busy.error()).hasValueSatisfying(e -> assertThat(e).contains("compact leads.people").contains("tributary sync leads"));
        }

        Files.writeString(dir.resolve("tributary.yml"), Files.readString(dir.resolve("tributary.yml")).replace("{type: iceberg}", "{type: duckdb}"));
        CliRunner.Result wrong = cli.run("check");
        assertThat(wrong.exitCode()).as(wrong.toString()).isNotZero();
        assertThat(wrong.out() + wrong.err()).contains("tributary.yml:13").contains("pipelines.nightly.steps[1].lakehouse: a lakehouse step maintains an iceberg destination");
    }

    /** Step {@code index} of {@code pipeline} as serve's scheduler runs it. */
    private StepOutcome runStep(String pipeline, int index, List<String> log) throws Exception {
        TributaryCommand root = new TributaryCommand(Map.of(), Connectors.discover());
        root.projectDir = dir;
        Project project = Project.load(dir, Map.of(), root.connectors);
        StepDef step = PipelinesConfig.parse(project.section("pipelines"), project.connections().keySet()).get(pipeline).steps().get(index);
        return new ProjectStepExecutor(root).execute(new LoggingStepContext(pipeline, step, log));
    }

    @Test
    void otherDestinationsAreTold() throws Exception {
        Files.writeString(dir.resolve("tributary.yml"), "destination: {type: duckdb}\nconnections: {}\n");
        CliRunner.Result r = new CliRunner(dir, Map.of()).run("lakehouse", "compact");
        assertThat(r.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err()).contains("iceberg destination").contains("duckdb");
    }

    @Test
    void checkNeverPrintsTheCatalogPasswordOfAJdbcUrl() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/a.csv"), "id\n1\n");
        // port 1 refuses the connection: Iceberg's pool says "Failed to connect: <url>"
        Files.writeString(dir.resolve("tributary.yml"), """
                destination:
                  type: iceberg
                  catalog:
                    type: jdbc
                    url: "jdbc:postgresql://127.0.0.1:1/test?user=u&password=hunter2-in-url&connectTimeout=2"
                connections:
                  leads:
                    type: files
                    config:
                      streams:
                        - {name: people, path: "data/*.csv", format: csv, primary_key: [id]}
                """);
        CliRunner.Result check = new CliRunner(dir, Map.of()).run("check");
        assertThat(check.exitCode()).as(check.toString()).isEqualTo(1);
        assertThat(check.out() + check.err()).contains("FAILED  destination iceberg").contains("password=***")
                .doesNotContain("hunter2-in-url");
    }
}
