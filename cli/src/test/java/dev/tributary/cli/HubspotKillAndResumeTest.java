package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A HubSpot sync killed with SIGKILL mid-way (after a quarter of a whole sync's requests, three times over) and run
 * again ends with exactly the records of an uninterrupted sync of the same portal: append mode, so a replayed page
 * would show as a duplicate and a skipped one as a gap. The sandbox and the reference sync run in this JVM; each
 * killed sync is a separate process, as a user's would be.
 */
class HubspotKillAndResumeTest {
    @TempDir
    Path dir;

    private HubSpotSandbox hubspot;

    @BeforeEach
    void startSandbox() {
        hubspot = HubSpotSandbox.start(SandboxOptions.fromArgs("--port", "0", "--seed", "11", "--scale", "contacts=6000", "--rate-limit", "off"));
    }

    @AfterEach
    void stopSandbox() {
        if (hubspot != null) hubspot.close();
    }

    @Test
    void killedHubspotSyncsEndWithExactlyTheRecordsOfAnUninterruptedOne() throws Exception {
        Path reference = project("reference");
        Path killedProject = project("killed");
        // the uninterrupted reference runs in this JVM (one process start less); the killed ones are processes
        hubspot.control().counters().reset();
        CliRunner.Result whole = new CliRunner(reference, Map.of("HUBSPOT_TOKEN", hubspot.privateAppToken())).run("sync");
        assertThat(whole.exitCode()).as(whole.toString()).isZero();
        long wholeRequests = hubspot.control().counters().requests();
        long contacts = Warehouse.committedRows(reference, "crm", "contacts");

        // three kills, each once the sync has made a quarter of a whole sync's requests, then a run to the end
        MidwayKills kills = MidwayKills.run(3, Math.max(8, wholeRequests / 4), hubspot.control().counters()::reset, hubspot.control().counters()::requests,
                () -> startSync(killedProject), () -> Warehouse.committedRows(killedProject, "crm", "contacts"), contacts, () -> output(killedProject));
        assertThat(kills.midway()).as("kills landed between the first commit and the end of a sync: " + kills.described()).isGreaterThanOrEqualTo(2);
        Process last = startSync(killedProject);
        assertThat(last.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(output(killedProject)).isZero();

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("ATTACH '" + reference.resolve("warehouse.duckdb") + "' AS whole (READ_ONLY)");
            s.execute("ATTACH '" + killedProject.resolve("warehouse.duckdb") + "' AS resumed (READ_ONLY)");
            long expected = scalar(s, "select count(*) from whole.crm.contacts");
            assertThat(expected).isGreaterThan(4_000);
            String why = "after kills " + kills.described();
            assertThat(scalar(s, "select count(*) from resumed.crm.contacts")).as(why).isEqualTo(expected);
            assertThat(scalar(s, "select count(distinct id) from resumed.crm.contacts")).as("no duplicate " + why).isEqualTo(expected);
            assertThat(scalar(s, "select count(*) from (select id, \"updatedAt\", email from whole.crm.contacts"
                    + " except select id, \"updatedAt\", email from resumed.crm.contacts)")).as("no gap " + why).isZero();
        }
    }

    private Path project(String name) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p);
        Files.writeString(p.resolve("tributary.yml"), """
                destination: {type: duckdb}
                connections:
                  crm:
                    type: hubspot
                    config:
                      base_url: %s
                      access_token: ${HUBSPOT_TOKEN}
                      streams: [contacts]
                      properties:
                        contacts: [email, firstname, lastname, lifecyclestage]
                    streams:
                      contacts: {write_mode: append}
                settings:
                  checkpoint_every_records: 200
                """.formatted(hubspot.baseUrl()));
        return p;
    }

    private Process startSync(Path project) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder b = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "-p", project.toString(), "sync")
                .redirectErrorStream(true)
                .redirectOutput(project.resolve("sync-" + System.nanoTime() + ".log").toFile());
        b.environment().put("HUBSPOT_TOKEN", hubspot.privateAppToken());
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
