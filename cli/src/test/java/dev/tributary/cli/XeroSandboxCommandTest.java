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

/** {@code tributary sandbox xero}: starts, prints what a project needs, and a project set up so checks out against it. */
class XeroSandboxCommandTest {
    @TempDir
    Path project;

    @Test
    void theXeroSandboxPrintsAProjectsSettingsAndAProjectChecksOutAgainstIt() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TributaryCommand.commandLine(Map.of(), Connectors.discover(), new PrintWriter(out, true), new PrintWriter(err, true));
        SandboxCommand.Xero xero = (SandboxCommand.Xero) cli.getSubcommands().get("sandbox").getSubcommands().get("xero").getCommand();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        Future<Integer> exit = runner.submit(() -> cli.execute("sandbox", "xero", "--port", "0", "--tenants", "2", "--invoices", "40"));
        runner.shutdown();
        Pattern envPattern = Pattern.compile("(?m)^  XERO_BASE_URL=(\\S+)\n  XERO_CLIENT_ID=(\\S+)\n  XERO_CLIENT_SECRET=(\\S+)\n  XERO_REFRESH_TOKEN=(\\S+)$");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Matcher env = envPattern.matcher("");
        while (System.nanoTime() < deadline && !exit.isDone()) {
            env = envPattern.matcher(out.toString());
            if (env.find() && out.toString().contains("Then:")) break;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        assertThat(exit.isDone()).as(err.toString()).isFalse();
        String banner = out.toString();
        assertThat(env.hasMatch()).as(banner).isTrue();
        Matcher yaml = Pattern.compile("(?m)^  connections:\n(?:    .*\n)+").matcher(banner);
        assertThat(yaml.find()).as(banner).isTrue();
        Files.writeString(project.resolve("tributary.yml"), "destination: {type: duckdb}\n" + yaml.group().replaceAll("(?m)^  ", ""));
        CliRunner.Result check = new CliRunner(project, Map.of("XERO_BASE_URL", env.group(1), "XERO_CLIENT_ID", env.group(2),
                "XERO_CLIENT_SECRET", env.group(3), "XERO_REFRESH_TOKEN", env.group(4))).run("check", "xero");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).contains("connection xero: connected to Xero at " + env.group(1)).contains("syncing 2");
        xero.stop();
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).contains("custom connection (client_credentials").contains("sandbox stopped");
    }
}
