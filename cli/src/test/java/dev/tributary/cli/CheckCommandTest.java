package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} validates the whole project before touching anything; ref typos and SQL errors say where they are. */
class CheckCommandTest {
    @TempDir
    Path dir;

    private CliRunner cli() {
        return new CliRunner(dir, Map.of());
    }

    private void writeProject(String basePathKey, String stagingModel, String cron, String stepModel, String chartModel) throws IOException {
        writeProject(basePathKey, stagingModel, cron, stepModel, chartModel, "crm");
    }

    private void writeProject(String basePathKey, String stagingModel, String cron, String stepModel, String chartModel, String syncTarget) throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/contacts.csv"), "id,email\n1,a@example.com\n2,b@example.com\n");
        Files.writeString(dir.resolve("tributary.yml"), """
                name: checked_project
                destination: {type: duckdb}
                connections:
                  crm:
                    type: files
                    config:
                      %s: data
                      streams:
                        - {name: contacts, path: contacts.csv, format: csv, primary_key: [id]}
                pipelines:
                  nightly:
                    schedule: "%s"
                    steps:
                      - sync: [crm]
                      - build: [%s]
                  hourly:
                    every: 1h
                    steps:
                      - sync: [%s]
                server:
                  dashboards:
                    main:
                      charts:
                        - {model: %s, x: id, y: id}
                """.formatted(basePathKey, cron, stepModel, syncTarget, chartModel));
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/sources.yml"), """
                version: 2
                sources:
                  - name: crm
                    tables:
                      - name: contacts
                """);
        Files.writeString(dir.resolve("models/stg_contacts.sql"), "select id, email from {{ source('crm', 'contacts') }}\n");
        Files.writeString(dir.resolve("models/contact_count.sql"), """
                {{ config(materialized='table') }}
                -- how many contacts there are
                select count(*) as contacts
                from {{ ref('%s') }}
                """.formatted(stagingModel));
    }

    @Test
    void listsEveryConfigurationProblemWithFileAndLineBeforeTouchingAnySource() throws IOException {
        writeProject("basepath", "stg_contact", "0 7 * * * *", "stg_contatcs", "contact_cuont", "cmr");
        CliRunner.Result check = cli().run("check");
        assertThat(check.exitCode()).as(check.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(check.err())
                .contains("tributary.yml:7: connections.crm.config.basepath: unknown key (did you mean 'base_path'?)")
                .contains("pipelines.nightly.schedule")
                .contains("pipelines.hourly.steps[0].sync: unknown connection 'cmr' (did you mean 'crm'?)")
                .contains("models/contact_count.sql:4: model 'contact_count' uses ref('stg_contact'), which names no model, seed or snapshot (did you mean 'stg_contacts'?)")
                .contains("server.dashboards.main.charts[0].model: no model named 'contact_cuont' (did you mean 'contact_count'?)")
                .doesNotContain("no file matches");
        assertThat(check.out()).doesNotContain("connection crm");
        assertThat(dir.resolve("warehouse.duckdb")).as("nothing was opened").doesNotExist();
    }

    @Test
    void aStepNamingAnUnknownModelIsAProblem() throws IOException {
        writeProject("base_path", "stg_contacts", "0 7 * * *", "stg_contatcs", "contact_count");
        CliRunner.Result check = cli().run("check");
        assertThat(check.exitCode()).as(check.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(check.err()).contains("pipelines.nightly.steps[1].build: no model, seed or snapshot named 'stg_contatcs' (did you mean 'stg_contacts'?)");
    }

    @Test
    void aStepTargetMustBeOneOfProfilesYmlOrSparkOnALakehouse() throws IOException {
        Files.writeString(dir.resolve("dbt_project.yml"), "name: shop\nprofile: shop\n");
        Files.writeString(dir.resolve("profiles.yml"), """
                shop:
                  target: dev
                  outputs:
                    dev: {type: duckdb, path: dev.duckdb}
                    other: {type: duckdb, path: other.duckdb}
                """);
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/orders.sql"), "select 1 as id\n");
        String project = """
                name: shop
                destination: {type: duckdb, path: warehouse.duckdb}
                pipelines:
                  refine:
                    steps:
                      - build: []
                        target: %s
                """;
        Files.writeString(dir.resolve("tributary.yml"), project.formatted("othr"));
        CliRunner.Result typo = cli().run("check");
        assertThat(typo.exitCode()).as(typo.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(typo.err()).contains("tributary.yml:7: pipelines.refine.steps[0].target: ").contains("target 'othr' not found (did you mean 'other'?)");

        Files.writeString(dir.resolve("tributary.yml"), project.formatted("spark"));
        CliRunner.Result spark = cli().run("check");
        assertThat(spark.exitCode()).as("spark is the lakehouse's Spark only on an iceberg destination: %s", spark).isEqualTo(ExitCode.CONFIG);
        assertThat(spark.err()).contains("pipelines.refine.steps[0].target: ").contains("target 'spark' not found");

        Files.writeString(dir.resolve("tributary.yml"), project.formatted("other"));
        CliRunner.Result ok = cli().run("check");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("ok      pipelines: refine");
    }

    @Test
    void aValidProjectIsCheckedThenItsConnectionsTested() throws IOException {
        writeProject("base_path", "stg_contacts", "0 7 * * *", "+contact_count", "contact_count");
        CliRunner.Result check = cli().run("check");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).contains("ok      models: 2 models").contains("ok      pipelines: nightly").contains("ok      server: 1 dashboard")
                .contains("ok      compiled").contains("ok      connection crm: contacts: 1 file");
        assertThat(dir.resolve("target/compiled/checked_project/models/contact_count.sql")).as("compiled under the tributary.yml name").exists();
    }

    @Test
    void syncAndBuildRejectAnUnknownConnectorKeyToo() throws IOException {
        writeProject("basepath", "stg_contacts", "0 7 * * *", "contact_count", "contact_count");
        for (String command : new String[] {"sync", "build", "discover"}) {
            CliRunner.Result r = cli().run(command);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CONFIG);
            assertThat(r.err()).contains("tributary.yml:7: connections.crm.config.basepath: unknown key (did you mean 'base_path'?)");
        }
    }

    @Test
    void aMissingSecretOfOneConnectionStopsOnlyWhatUsesIt() throws IOException {
        writeProject("base_path", "stg_contacts", "0 7 * * *", "contact_count", "contact_count");
        String yml = Files.readString(dir.resolve("tributary.yml")).replace("pipelines:", """
                  hub:
                    type: hubspot
                    config:
                      base_url: http://127.0.0.1:9
                      access_token: ""
                pipelines:""");
        Files.writeString(dir.resolve("tributary.yml"), yml);
        CliRunner.Result syncCrm = cli().run("sync", "crm");
        assertThat(syncCrm.exitCode()).as(syncCrm.toString()).isZero();
        assertThat(cli().run("check", "crm").exitCode()).isZero();
        CliRunner.Result syncHub = cli().run("sync", "hub");
        assertThat(syncHub.exitCode()).as(syncHub.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(syncHub.err()).contains("connections.hub.config.access_token: is required");
        CliRunner.Result check = cli().run("check");
        assertThat(check.exitCode()).as(check.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(check.err()).contains("connections.hub.config.access_token: is required");
    }

    @Test
    void aRefTypoNamesFileLineAndTheModelMeantInEveryCommand() throws IOException {
        writeProject("base_path", "stg_contact", "0 7 * * *", "contact_count", "contact_count");
        for (String command : new String[] {"compile", "build", "run", "test"}) {
            CliRunner.Result r = cli().run(command);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CONFIG);
            assertThat(r.err()).as(command).contains("models/contact_count.sql:4:").contains("ref('stg_contact')").contains("did you mean 'stg_contacts'?");
        }
    }

    @Test
    void aSqlErrorNamesTheModelFilesLineNotTheStatementsLine() throws IOException {
        writeProject("base_path", "stg_contacts", "0 7 * * *", "contact_count", "contact_count");
        assertThat(cli().run("sync").exitCode()).isZero();
        Files.writeString(dir.resolve("models/contact_count.sql"), """
                {{ config(materialized='table') }}
                {#- counts contacts,
                    a comment over
                    three lines -#}
                with contacts as (
                    select id, email
                    from {{ ref('stg_contacts') }}
                ),
                counted as (
                    select count(*) as contacts from contacts
                )
                select contacts, no_such_column
                from counted
                """);
        CliRunner.Result build = cli().run("build");
        assertThat(build.exitCode()).as(build.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(build.out()).as("the tributary.yml name, not the folder's").contains("project checked_project");
        assertThat(build.out()).contains("at models/contact_count.sql line 12 (compiled line 8 in target/compiled/checked_project/models/contact_count.sql)");
    }
}
