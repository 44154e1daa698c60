package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.project.Connectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tributary sandbox snowflake}: starts, prints a profiles.yml target, and {@code build -t snowflake} with it builds the models. */
class SnowflakeSandboxCommandTest {
    @TempDir
    Path project;

    @Test
    void theSnowflakeSandboxPrintsATargetThatBuilds() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TributaryCommand.commandLine(Map.of(), Connectors.discover(), new PrintWriter(out, true), new PrintWriter(err, true));
        SandboxCommand.Snowflake snowflake = (SandboxCommand.Snowflake) cli.getSubcommands().get("sandbox").getSubcommands().get("snowflake").getCommand();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        Future<Integer> exit = runner.submit(() -> cli.execute("sandbox", "snowflake", "--port", "0", "--password", "pw-from-env"));
        runner.shutdown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !exit.isDone() && !out.toString().contains("Ctrl-C stops")) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(exit.isDone()).as(err.toString()).isFalse();
        Matcher target = Pattern.compile("(?m)^    snowflake:\n(?:      .*\n)+").matcher(out.toString());
        assertThat(target.find()).as(out.toString()).isTrue();
        assertThat(out.toString()).contains("SNOWFLAKE_PASSWORD=pw-from-env").contains("jdbc:snowflake://127.0.0.1:");
        Files.writeString(project.resolve("dbt_project.yml"), "name: p\nprofile: p\n");
        // env_var() in profiles.yml reads the process environment, which a test cannot set: the value goes in as written
        Files.writeString(project.resolve("profiles.yml"), "p:\n  target: snowflake\n  outputs:\n" + target.group().replace("{{ env_var('SNOWFLAKE_PASSWORD') }}", "pw-from-env"));
        Files.createDirectories(project.resolve("models"));
        Files.writeString(project.resolve("models/deals.sql"), "select 1 as deal_id, 120.5 as amount union all select 2, 30");
        Files.writeString(project.resolve("models/deal_totals.sql"), "{{ config(materialized='table') }}\nselect count(*) as deals, sum(amount) as total from {{ ref('deals') }}");
        CliRunner.Result build = new CliRunner(project, Map.of()).run("build", "-t", "snowflake");
        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(build.out()).contains("OK created sql table model analytics.deal_totals");
        snowflake.stop();
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).contains("sandbox stopped");
    }

    @Test
    void badSnowflakeOptionsAreAConfigurationError() {
        StringWriter err = new StringWriter();
        int code = TributaryCommand.commandLine(Map.of(), Connectors.discover(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
                .execute("sandbox", "snowflake", "--port", "many");
        assertThat(code).isEqualTo(ExitCode.CONFIG);
        assertThat(err.toString()).contains("tributary sandbox snowflake:").contains("--port needs a number");
    }
}
