package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve refuses a project whose pipelines, scheduler, alerts or server sections are wrong, naming file, line and key. */
class ServeConfigTest {
    @TempDir
    Path dir;

    private CliRunner.Result serve(String sections) throws Exception {
        Files.writeString(dir.resolve("tributary.yml"), """
                destination: {type: duckdb}
                connections:
                  events:
                    type: files
                    config:
                      streams:
                        - {name: events, path: "data/*.jsonl", format: jsonl}
                """ + sections);
        return new CliRunner(dir, Map.of("TRIBUTARY_ADMIN_PASSWORD", "not-used")).run("serve", "--port", "0");
    }

    @Test
    void workerOptionsOnTheEmbeddedStoreAreAnErrorNamingThem() throws Exception {
        Files.writeString(dir.resolve("tributary.yml"), "destination: {type: duckdb}\n");
        CliRunner.Result r = new CliRunner(dir, Map.of("TRIBUTARY_ADMIN_PASSWORD", "not-used")).run("serve", "--port", "0", "--worker-id", "a");
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.err()).contains("--worker-id").contains("PostgreSQL metadata store").contains("embedded");
        CliRunner.Result bad = new CliRunner(dir, Map.of("TRIBUTARY_ADMIN_PASSWORD", "not-used")).run("serve", "--port", "0", "--clock-offset", "soon");
        assertThat(bad.exitCode()).as(bad.toString()).isNotZero();
        assertThat(bad.err()).contains("--clock-offset");
    }

    @Test
    void aTypoInTheSchedulerSectionIsAnErrorWithItsLine() throws Exception {
        CliRunner.Result r = serve("""
                scheduler:
                  retension: 7d
                """);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err()).contains("tributary.yml:9").contains("scheduler.retension").contains("did you mean 'retention'");
    }

    @Test
    void aServeThatStopsOnItsConfigurationHandsOutNoPassword() throws Exception {
        // before: the one-time admin password was printed, then the typo stopped the server it was for
        Files.writeString(dir.resolve("tributary.yml"), "destination: {type: duckdb}\nscheduler:\n  retension: 7d\n");
        CliRunner.Result r = new CliRunner(dir, Map.of()).run("serve", "--port", "0");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.out() + r.err()).doesNotContain("password");
        Files.writeString(dir.resolve("tributary.yml"), "destination: {type: duckdb}\n");
        CliRunner.Result bad = new CliRunner(dir, Map.of()).run("serve", "--port", "0", "--worker-id", "a");
        assertThat(bad.exitCode()).as(bad.toString()).isNotZero();
        assertThat(bad.out() + bad.err()).doesNotContain("password");
    }

    @Test
    void aSyncStepNamingAnUnknownConnectionIsAnError() throws Exception {
        CliRunner.Result r = serve("""
                pipelines:
                  load:
                    every: 1h
                    steps:
                      - sync: [evnets]
                """);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err()).contains("evnets").contains("events");
    }

    @Test
    void aBadCronExpressionIsAnError() throws Exception {
        CliRunner.Result r = serve("""
                pipelines:
                  load:
                    schedule: "0 25 * * *"
                    steps:
                      - sync: [events]
                """);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err()).contains("pipelines.load.schedule");
    }
}
