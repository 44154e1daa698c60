package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.sandbox.xero.XeroSandbox;
import dev.tributary.sandbox.xero.XeroSandboxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tributary sync} of a Xero connection killed with SIGKILL, during a token refresh and part-way through a sync
 * (on the sandbox's request count, not a timer), then run again: the connection is never lost (the single-use refresh token survives in the project's secret
 * store or in Xero's grace period) and the warehouse ends with exactly the records of an uninterrupted sync (append
 * mode, so a replayed page would show as a duplicate and a skipped one as a gap). The sandbox runs in this JVM; each
 * sync is a separate process, as a user's would be.
 */
class XeroKillAndResumeTest {
    @TempDir
    Path dir;

    private XeroSandbox xero;

    @BeforeEach
    void startSandbox() {
        xero = XeroSandbox.start(XeroSandboxOptions.builder().tenants(2).invoicesPerTenant(1_500).rateLimitsEnabled(false)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build());
    }

    @AfterEach
    void stopSandbox() {
        if (xero != null) xero.close();
    }

    @Test
    void aSyncKilledDuringATokenRefreshKeepsItsConnection() throws Exception {
        Path project = project("refresh", xero.consent(xero.tenantIds()));
        xero.control().setTokenLatency(60_000);
        Process p = startSync(project);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (xero.control().count("POST /connect/token (received)", 0) == 0 && System.nanoTime() < deadline && p.isAlive()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        assertThat(xero.control().count("POST /connect/token (received)", 0)).as(output(project)).isEqualTo(1);
        // Xero rotated the token; the process dies before it hears the answer, so nothing was stored
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        xero.control().setTokenLatency(0);
        Process again = startSync(project);
        assertThat(again.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).as(output(project)).isZero();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + project.resolve("warehouse.duckdb").toAbsolutePath());
                Statement s = c.createStatement()) {
            assertThat(scalar(s, "select count(*) from books.invoices")).isEqualTo(3_000);
        }
        // and the stored successor carries on after the old token's grace period
        xero.control().advanceClock(java.time.Duration.ofHours(1));
        xero.control().expireAccessTokens();
        Process later = startSync(project);
        assertThat(later.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(later.exitValue()).as(output(project)).isZero();
    }

    @Test
    void killedXeroSyncsEndWithExactlyTheRecordsOfAnUninterruptedOne() throws Exception {
        Path reference = project("reference", xero.consent(xero.tenantIds()));
        Path killedProject = project("killed", xero.consent(xero.tenantIds()));
        xero.control().setLatency(15); // a sync takes a few seconds, room to be killed in
        xero.control().resetCounters();
        // the uninterrupted reference runs in this JVM (one process start less); the killed ones are processes
        var whole = new CliRunner(reference, java.util.Map.of("XERO_CLIENT_SECRET", xero.clientSecret())).run("sync");
        assertThat(whole.exitCode()).as(whole.toString()).isZero();

        long wholeRequests = xero.control().requests();
        long invoices = Warehouse.committedRows(reference, "books", "invoices");
        // kill on an event, not after a wall-clock wait: once the sync has made a quarter of a whole sync's requests
        // (a loaded machine makes it slower, not earlier or later in the sync); two kills, then a run to the end
        long killAfterRequests = Math.max(10, wholeRequests / 3);
        List<String> kills = new ArrayList<>();
        boolean killedMidway = false;
        for (int attempt = 0; attempt < 2; attempt++) {
            xero.control().resetCounters();
            Process p = startSync(killedProject);
            while (p.isAlive() && xero.control().requests() < killAfterRequests) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
            if (!p.isAlive()) {
                assertThat(p.exitValue()).as(output(killedProject)).isZero();
                break;
            }
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long stored = Warehouse.committedRows(killedProject, "books", "invoices");
            kills.add("after " + xero.control().requests() + " requests with " + stored + " invoices stored");
            // committed progress, and the sync was not over: a resume that replays or skips shows below
            if (stored > 0 && stored < invoices) killedMidway = true;
        }
        assertThat(killedMidway).as("a kill landed between the first commit and the end of a sync: " + kills).isTrue();
        Process last = startSync(killedProject);
        assertThat(last.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(output(killedProject)).isZero();

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("ATTACH '" + reference.resolve("warehouse.duckdb") + "' AS whole (READ_ONLY)");
            s.execute("ATTACH '" + killedProject.resolve("warehouse.duckdb") + "' AS resumed (READ_ONLY)");
            String why = "after kills " + kills;
            for (String table : List.of("invoices", "invoices_line_items")) {
                String key = table.equals("invoices") ? "InvoiceID" : "LineItemID";
                long expected = scalar(s, "select count(*) from whole.books." + table);
                assertThat(expected).isGreaterThan(2_500);
                assertThat(scalar(s, "select count(*) from resumed.books." + table)).as(table + " " + why).isEqualTo(expected);
                assertThat(scalar(s, "select count(distinct (tenant_id, " + key + ")) from resumed.books." + table)).as("no duplicate " + why)
                        .isEqualTo(expected);
                assertThat(scalar(s, "select count(*) from (select tenant_id, " + key + " from whole.books." + table
                        + " except select tenant_id, " + key + " from resumed.books." + table + ")")).as("no gap " + why).isZero();
            }
        }
    }

    private Path project(String name, String refreshToken) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p);
        Files.writeString(p.resolve(".env"), "XERO_REFRESH_TOKEN=" + refreshToken + "\n");
        Files.writeString(p.resolve("tributary.yml"), """
                destination: {type: duckdb}
                connections:
                  books:
                    type: xero
                    config:
                      base_url: %s
                      client_id: %s
                      client_secret: ${XERO_CLIENT_SECRET}
                      refresh_token: ${XERO_REFRESH_TOKEN}
                      streams: [invoices, invoices_line_items]
                      page_size: 100
                      overlap_seconds: 0
                      minute_limit: 10000   # the sandbox runs without limits here; Xero's own are tested elsewhere
                    streams:
                      invoices: {write_mode: append}
                      invoices_line_items: {write_mode: append}
                settings:
                  checkpoint_every_records: 200
                """.formatted(xero.baseUrl(), xero.clientId()));
        return p;
    }

    private Process startSync(Path project) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder b = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "-p", project.toString(), "sync")
                .redirectErrorStream(true)
                .redirectOutput(project.resolve("sync-" + System.nanoTime() + ".log").toFile());
        b.environment().put("XERO_CLIENT_SECRET", xero.clientSecret());
        return b.start();
    }

    private static long scalar(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String output(Path project) {
        try (var files = Files.list(project)) {
            StringBuilder sb = new StringBuilder();
            for (Path f : files.filter(x -> x.getFileName().toString().endsWith(".log")).sorted().toList()) sb.append(Files.readString(f));
            return sb.toString();
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
