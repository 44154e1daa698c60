package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.project.Connectors;
import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.testkit.TestDatabases;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Exit codes mean one thing everywhere: expected operational failures (the warehouse in use by another process,
 * credentials refused, a server not reachable) exit 1 with a plain message and, with {@code --json}, a JSON error;
 * configuration errors 2; 3 only for what nobody expected.
 */
class ExitCodesTest {
    @TempDir
    Path dir;

    @Test
    void aSecondServeOnTheEmbeddedStoreIsAnOperationalFailure() {
        // before: "unexpected error: ..." and exit 3, as if a bug
        var held = new dev.tributary.scheduler.MetadataStoreInUseException(dir, true, new java.sql.SQLException("Database may be already in use", "90020", 90020));
        ErrorHandler.Outcome outcome = ErrorHandler.classify(held, "serve");
        assertThat(outcome.code()).isEqualTo(ExitCode.FAILED);
        assertThat(outcome.kind()).isEqualTo("lock_held");
        assertThat(outcome.message()).startsWith("another tributary serve is running on this project").doesNotContain("unexpected");
    }

    private void filesProject(String destination) throws IOException {
        Files.writeString(dir.resolve("tributary.yml"), """
                destination: %s
                connections:
                  crm:
                    type: files
                    config:
                      streams:
                        - {name: contacts, path: "contacts.csv", format: csv, primary_key: [id]}
                """.formatted(destination));
        Files.writeString(dir.resolve("contacts.csv"), "id,name\n1,Ann\n2,Bob\n");
    }

    /** A main that holds a DuckDB file open read-write (so locked) until its stdin closes; run in its own process. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0]); Statement s = c.createStatement()) {
                s.execute("select 1");
                System.out.println("holding " + ProcessHandle.current().pid());
                System.out.flush();
                while (System.in.read() >= 0) {
                    // wait for the test to close our stdin
                }
            }
        }
    }

    @Test
    void aWarehouseInUseByAnotherProcessIsAPlainFailureNotABug() throws Exception {
        filesProject("{type: duckdb, path: wh.duckdb}");
        CliRunner cli = new CliRunner(dir, Map.of());
        assertThat(cli.run("sync").exitCode()).isZero();

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), dir.resolve("wh.duckdb").toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(line).startsWith("holding ");
            String pid = line.substring("holding ".length());

            CliRunner.Result sync = cli.run("sync", "--json");
            assertThat(sync.exitCode()).as(sync.toString()).isEqualTo(ExitCode.FAILED);
            assertThat(sync.err()).contains("tributary: the DuckDB warehouse").contains("is in use by process " + pid)
                    .doesNotContain("unexpected error").doesNotContain("--verbose");
            assertThat(sync.out()).contains("\"ok\" : false").contains("\"kind\" : \"warehouse_busy\"");

            CliRunner.Result state = cli.run("state", "show", "--json");
            assertThat(state.exitCode()).as(state.toString()).isEqualTo(ExitCode.FAILED);
            assertThat(state.out()).contains("\"kind\" : \"warehouse_busy\"");
            CliRunner.Result show = cli.run("show", "crm.contacts");
            assertThat(show.exitCode()).as(show.toString()).isEqualTo(ExitCode.FAILED);
            assertThat(show.err()).contains("is in use by process " + pid);
            assertThat(show.out()).as("no JSON without --json").isEmpty();
            Files.createDirectories(dir.resolve("models"));
            Files.writeString(dir.resolve("models/one.sql"), "select 1 as x\n");
            CliRunner.Result build = cli.run("build");
            assertThat(build.exitCode()).as(build.toString()).isEqualTo(ExitCode.FAILED);
            assertThat(build.err()).contains("is in use by process " + pid).doesNotContain("unexpected error");
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(cli.run("show", "crm.contacts").exitCode()).as("free again").isZero();
    }

    @Test
    void aDatabaseRefusingTheCredentialsOrTheConnectionIsAPlainFailure() throws Exception {
        Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+)").matcher(TestDatabases.postgresUrl());
        assertThat(m.find()).isTrue();
        String role = "no_such_role_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        filesProject("{type: postgres, host: " + m.group(1) + ", port: " + m.group(2) + ", database: " + m.group(3) + ", user: " + role
                + ", password: not-the-password}");
        CliRunner.Result refused = new CliRunner(dir, Map.of()).run("sync", "--json");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.err()).contains("the database refused the credentials").contains(role).doesNotContain("not-the-password");
        assertThat(refused.out()).contains("\"kind\" : \"credentials_refused\"").doesNotContain("not-the-password");

        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        filesProject("{type: postgres, host: 127.0.0.1, port: " + closedPort + ", database: test, user: postgres}");
        CliRunner.Result unreachable = new CliRunner(dir, Map.of()).run("state", "show");
        assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(unreachable.err()).contains("cannot connect").contains(String.valueOf(closedPort)).doesNotContain("unexpected error");
    }

    @Test
    void anApiRefusingTheTokenIsAPlainFailureWithJson() throws Exception {
        try (HubSpotSandbox hubspot = HubSpotSandbox.start(SandboxOptions.fromArgs("--port", "0", "--seed", "3", "--scale", "contacts=10"))) {
            // a well-formed private app token the portal does not know: one character changed
            String token = hubspot.privateAppToken();
            String wrongToken = token.substring(0, token.length() - 1) + (token.endsWith("0") ? "1" : "0");
            Files.writeString(dir.resolve("tributary.yml"), """
                    destination: {type: duckdb, path: wh.duckdb}
                    connections:
                      hubspot:
                        type: hubspot
                        config:
                          base_url: %s
                          access_token: %s
                          streams: [contacts]
                    """.formatted(hubspot.baseUrl(), wrongToken));
            CliRunner cli = new CliRunner(dir, Map.of());
            CliRunner.Result discover = cli.run("discover", "--json");
            assertThat(discover.exitCode()).as(discover.toString()).isEqualTo(ExitCode.FAILED);
            assertThat(discover.err()).contains("the API refused the credentials").contains("401").doesNotContain(wrongToken);
            assertThat(discover.out()).contains("\"kind\" : \"credentials_refused\"");
            CliRunner.Result sync = cli.run("sync", "hubspot");
            assertThat(sync.exitCode()).as(sync.toString()).isEqualTo(ExitCode.FAILED);
            assertThat(sync.err()).doesNotContain("unexpected error");
        }
    }

    /** Found by a stranger's pass: the warehouse file was created (and locked) before the source's settings were read. */
    @Test
    void aBadSourceSettingExitsTwoBeforeTheWarehouseIsCreated() throws Exception {
        filesProject("{type: duckdb, path: wh.duckdb}");
        Files.writeString(dir.resolve("tributary.yml"), Files.readString(dir.resolve("tributary.yml")).replace("    config:\n", "    config:\n      batch_size: lots\n"));
        CliRunner.Result r = new CliRunner(dir, Map.of()).run("sync");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err()).contains("tributary.yml:6: connections.crm.config.batch_size: expected a whole number, got 'lots'");
        assertThat(dir.resolve("wh.duckdb")).as("nothing done").doesNotExist();
    }

    @Test
    void configurationErrorsExitTwoWithJsonToo() throws Exception {
        filesProject("{type: duckdb, path: wh.duckdb, pathh: x}");
        CliRunner.Result r = new CliRunner(dir, Map.of()).run("sync", "--json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err()).contains("pathh");
        assertThat(r.out()).contains("\"kind\" : \"configuration\"");
    }

    /** Found by a stranger's pass: an unknown name exited 3 ("unexpected error") with DuckDB's catalog error from inside a COPY. */
    @Test
    void exportingAnUnknownModelOrTableIsAConfigurationError() throws Exception {
        filesProject("{type: duckdb, path: wh.duckdb}");
        CliRunner cli = new CliRunner(dir, Map.of());
        assertThat(cli.run("sync").exitCode()).isZero();

        CliRunner.Result model = cli.run("export", "customers", "out/customers.parquet");
        assertThat(model.exitCode()).as(model.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(model.err()).startsWith("tributary: export: no model or table customers in the warehouse").doesNotContain("unexpected");
        assertThat(dir.resolve("out/customers.parquet.tmp")).doesNotExist();
        CliRunner.Result table = cli.run("export", "crm.contact", "out/contacts", "--partition-by", "name");
        assertThat(table.exitCode()).as(table.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(table.err()).contains("no model or table crm.contact").contains("did you mean 'crm.contacts'?");
        CliRunner.Result column = cli.run("export", "crm.contacts", "out/contacts", "--partition-by", "nam");
        assertThat(column.exitCode()).as(column.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(column.err()).as("a command's argument is not in pipelines:").startsWith("tributary: export: partition_by column 'nam'");
        assertThat(cli.run("export", "crm.contacts", "out/contacts.csv").exitCode()).isZero();
    }

    @Test
    void onlyWhatNobodyExpectedExitsThree() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        TributaryCommand root = new TributaryCommand(Map.of(), Connectors.discover());
        CommandLine cli = TributaryCommand.commandLine(Map.of(), Connectors.discover(), new PrintWriter(out, true), new PrintWriter(err, true));
        CommandLine.ParseResult parsed = cli.parseArgs("discover", "--json");
        int code = new ErrorHandler(root).handleExecutionException(new NullPointerException("a bug"), cli, parsed);
        assertThat(code).isEqualTo(ExitCode.INTERNAL);
        assertThat(err.toString()).contains("unexpected error").contains("a bug").contains("--verbose");
        assertThat(out.toString()).contains("\"kind\" : \"internal\"");
    }
}
