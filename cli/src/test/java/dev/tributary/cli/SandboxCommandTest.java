package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.project.Connectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

/** {@code tributary sandbox hubspot}: starts, prints what a client and a project need, answers HubSpot's API, stops. */
class SandboxCommandTest {
    @TempDir
    Path project;

    @Test
    void theHubSpotSandboxPrintsItsUrlAndTokenAndServesContacts() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TributaryCommand.commandLine(Map.of(), Connectors.discover(), new PrintWriter(out, true), new PrintWriter(err, true));
        SandboxCommand.HubSpot hubspot = (SandboxCommand.HubSpot) cli.getSubcommands().get("sandbox").getSubcommands().get("hubspot").getCommand();
        // A thread of its own: the common pool may have a single thread on a small machine.
        ExecutorService runner = Executors.newSingleThreadExecutor();
        Future<Integer> exit = runner.submit(() -> cli.execute("sandbox", "hubspot", "--port", "0", "--seed", "7", "--scale", "contacts=40"));
        runner.shutdown();
        Pattern url = Pattern.compile("base URL: (http://127\\.0\\.0\\.1:\\d+)");
        Pattern token = Pattern.compile("private-app token (\\S+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Matcher u = url.matcher("");
        Matcher t = token.matcher("");
        while (System.nanoTime() < deadline && !exit.isDone()) {
            u = url.matcher(out.toString());
            t = token.matcher(out.toString());
            if (u.find() && t.find()) break;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        assertThat(exit.isDone()).as(err.toString()).isFalse();
        assertThat(u.hasMatch() && t.hasMatch()).as(out.toString()).isTrue();

        HttpResponse<String> contacts = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(u.group(1) + "/crm/v3/objects/contacts?limit=5"))
                .header("Authorization", "Bearer " + t.group(1)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(contacts.statusCode()).as(contacts.body()).isEqualTo(200);
        assertThat(contacts.body()).contains("\"results\"").contains("\"paging\"");

        // The banner says how to point a project at the sandbox; a project set up exactly so checks out against it.
        String banner = out.toString();
        Matcher env = Pattern.compile("(?m)^  HUBSPOT_BASE_URL=(\\S+)\n  HUBSPOT_TOKEN=(\\S+)$").matcher(banner);
        assertThat(env.find()).as(banner).isTrue();
        assertThat(env.group(1)).isEqualTo(u.group(1));
        assertThat(env.group(2)).isEqualTo(t.group(1));
        Matcher yaml = Pattern.compile("(?m)^  connections:\n(?:    .*\n)+").matcher(banner);
        assertThat(yaml.find()).as(banner).isTrue();
        Files.writeString(project.resolve("tributary.yml"), "destination: {type: duckdb}\n" + yaml.group().replaceAll("(?m)^  ", ""));
        CliRunner.Result check = new CliRunner(project, Map.of("HUBSPOT_BASE_URL", env.group(1), "HUBSPOT_TOKEN", env.group(2))).run("check", "hubspot");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).contains("ok      connection hubspot: connected to HubSpot at " + u.group(1)).contains("portal (hub id) ");
        assertThat(banner).as("the demo data's flaws are announced as intended").contains("demo data: imperfect on purpose");

        hubspot.stop();
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).contains("OAuth app: client_id").contains("sandbox stopped");
    }

    @Test
    void badSandboxOptionsAreAConfigurationError() {
        StringWriter err = new StringWriter();
        int code = TributaryCommand.commandLine(Map.of(), Connectors.discover(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
                .execute("sandbox", "hubspot", "--scale", "contacts=many");
        assertThat(code).isEqualTo(ExitCode.CONFIG);
        assertThat(err.toString()).contains("tributary sandbox hubspot:").contains("--scale");
    }

    @Test
    void theSheetsSandboxWritesItsKeyFileAndAProjectSetUpFromItsBannerChecksOut() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TributaryCommand.commandLine(Map.of(), Connectors.discover(), new PrintWriter(out, true), new PrintWriter(err, true));
        SandboxCommand.Sheets sheets = (SandboxCommand.Sheets) cli.getSubcommands().get("sandbox").getSubcommands().get("sheets").getCommand();
        Path key = project.resolve("sheets-key.json");
        ExecutorService runner = Executors.newSingleThreadExecutor();
        Future<Integer> exit = runner.submit(() -> cli.execute("sandbox", "sheets", "--port", "0", "--leads", "30", "--key-file", key.toString()));
        runner.shutdown();
        Pattern env = Pattern.compile("(?m)^  SHEETS_BASE_URL=(\\S+)\n  SHEETS_SPREADSHEET_ID=(\\S+)\n  SHEETS_KEY_FILE=(\\S+)$");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Matcher e = env.matcher("");
        while (System.nanoTime() < deadline && !exit.isDone()) {
            e = env.matcher(out.toString());
            if (e.find() && out.toString().contains("Ctrl-C stops")) break;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        assertThat(exit.isDone()).as(err.toString()).isFalse();
        assertThat(e.hasMatch()).as(out.toString()).isTrue();
        assertThat(Files.readString(key)).contains("\"type\" : \"service_account\"").contains("\"token_uri\" : \"" + e.group(1) + "/token\"");
        assertThat(e.group(3)).isEqualTo(key.toAbsolutePath().toString());

        String banner = out.toString();
        Matcher yaml = Pattern.compile("(?m)^  connections:\n(?:    .*\n)+").matcher(banner);
        assertThat(yaml.find()).as(banner).isTrue();
        Files.writeString(project.resolve("tributary.yml"), "destination: {type: duckdb}\n" + yaml.group().replaceAll("(?m)^  ", ""));
        CliRunner.Result check = new CliRunner(project, Map.of("SHEETS_BASE_URL", e.group(1), "SHEETS_SPREADSHEET_ID", e.group(2),
                "SHEETS_KEY_FILE", e.group(3))).run("check", "leads_sheet");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).contains("read spreadsheet " + e.group(2)).contains("Bob's Import");
        assertThat(banner).contains("/_sandbox/revoke");

        sheets.stop();
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).contains("sandbox stopped");
    }
}
