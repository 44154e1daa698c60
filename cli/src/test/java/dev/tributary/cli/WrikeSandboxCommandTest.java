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

/** {@code tributary sandbox wrike}: starts, prints the settings a project needs, and a project set up so checks out. */
class WrikeSandboxCommandTest {
    @TempDir
    Path project;

    @Test
    void theWrikeSandboxPrintsProjectSettingsThatCheckOut() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TributaryCommand.commandLine(Map.of(), Connectors.discover(), new PrintWriter(out, true), new PrintWriter(err, true));
        SandboxCommand.Wrike wrike = (SandboxCommand.Wrike) cli.getSubcommands().get("sandbox").getSubcommands().get("wrike").getCommand();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        Future<Integer> exit = runner.submit(() -> cli.execute("sandbox", "wrike", "--tasks", "50", "--seed", "4"));
        runner.shutdown();
        Pattern env = Pattern.compile("(?m)^  WRIKE_BASE_URL=(\\S+)\n  WRIKE_TOKEN=(\\S+)$");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Matcher m = env.matcher("");
        while (System.nanoTime() < deadline && !exit.isDone()) {
            m = env.matcher(out.toString());
            if (m.find() && out.toString().contains("Ctrl-C stops")) break;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        assertThat(exit.isDone()).as(err.toString()).isFalse();
        assertThat(m.hasMatch()).as(out.toString()).isTrue();
        Matcher yaml = Pattern.compile("(?m)^  connections:\n(?:    .*\n)+").matcher(out.toString());
        assertThat(yaml.find()).as(out.toString()).isTrue();
        Files.writeString(project.resolve("tributary.yml"), "destination: {type: duckdb}\n" + yaml.group().replaceAll("(?m)^  ", ""));
        CliRunner.Result check = new CliRunner(project, Map.of("WRIKE_BASE_URL", m.group(1), "WRIKE_TOKEN", m.group(2))).run("check", "wrike");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).contains("connected to Wrike account");
        wrike.stop();
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).contains("permanent token").contains("sandbox stopped");
    }

    @Test
    void badWrikeOptionsAreAConfigurationError() {
        StringWriter err = new StringWriter();
        int code = TributaryCommand.commandLine(Map.of(), Connectors.discover(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
                .execute("sandbox", "wrike", "--region", "mars");
        assertThat(code).isEqualTo(ExitCode.CONFIG);
        assertThat(err.toString()).contains("tributary sandbox wrike:").contains("us or eu");
    }
}
