package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.sandbox.sheets.SheetsSandbox;
import dev.tributary.sandbox.sheets.SheetsSandboxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Google Sheets sync killed with SIGKILL at random points of its read and run again ends with exactly the rows of
 * an uninterrupted sync of the same sheet (merge on the key: incremental + append is refused, since a changed sheet is
 * read whole), no sheet row missing or loaded twice. The sandbox runs in this JVM; each sync is a process. Kills land on
 * events, not after a wall-clock wait: once the sandbox has served a random number of values pages to that run, and
 * after each kill the committed state says whether it came mid-read (after the first commit, before the last).
 */
class SheetsKillAndResumeTest {
    @TempDir
    Path dir;

    private SheetsSandbox sheets;

    @BeforeEach
    void startSandbox() {
        sheets = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(8_000).quotasEnabled(false).build());
        sheets.control().setLatency(Duration.ofMillis(25));
    }

    @AfterEach
    void stopSandbox() {
        if (sheets != null) sheets.close();
    }

    @Test
    void killedSheetsSyncsEndWithExactlyTheRowsOfAnUninterruptedOne() throws Exception {
        Path reference = project("reference");
        Path killedProject = project("killed");
        Process whole = startSync(reference);
        assertThat(whole.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(whole.exitValue()).as(output(reference)).isZero();

        Random random = new Random(2026);
        List<Long> killedAfterPages = new ArrayList<>();
        int killedMidRead = 0;
        for (int attempt = 0; attempt < 5; attempt++) {
            long served = sheets.counters().count("/values");
            long pages = 3 + random.nextInt(25); // 80 pages of 100 rows: kills spread over the first part of what is left
            Process p = startSync(killedProject);
            while (p.isAlive() && sheets.counters().count("/values") - served < pages) Thread.sleep(2); // waiting on the sandbox's page count (the kill point), not timing anything
            if (!p.isAlive()) {
                assertThat(p.exitValue()).as(output(killedProject)).isZero();
                break;
            }
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            killedAfterPages.add(pages);
            if (committedMidRead(killedProject)) killedMidRead++;
        }
        Process last = startSync(killedProject);
        assertThat(last.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(output(killedProject)).isZero();
        assertThat(killedMidRead).as("a kill landed between the first commit and the end, after " + killedAfterPages + " pages").isPositive();

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("ATTACH '" + reference.resolve("warehouse.duckdb") + "' AS whole (READ_ONLY)");
            s.execute("ATTACH '" + killedProject.resolve("warehouse.duckdb") + "' AS resumed (READ_ONLY)");
            long expected = scalar(s, "select count(*) from whole.sheet.leads");
            assertThat(expected).isGreaterThan(7_000);
            String why = "after kills at " + killedAfterPages + " values pages";
            assertThat(scalar(s, "select count(*) from resumed.sheet.leads")).as(why).isEqualTo(expected);
            assertThat(scalar(s, "select count(distinct sheet_row) from resumed.sheet.leads")).as("no duplicate " + why).isEqualTo(expected);
            assertThat(scalar(s, "select count(*) from (select sheet_row, company, email, created from whole.sheet.leads"
                    + " except select sheet_row, company, email, created from resumed.sheet.leads)")).as("no gap " + why).isZero();
        }
    }

    private Path project(String name) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p);
        Path key = sheets.writeServiceAccountKey(p.resolve("key.json"));
        Files.writeString(p.resolve("tributary.yml"), """
                destination: {type: duckdb}
                connections:
                  sheet:
                    type: sheets
                    config:
                      base_url: %s
                      spreadsheet_id: %s
                      credentials_file: %s
                      page_rows: 100
                      reads_per_minute: 10000
                      streams:
                        leads:
                          range: Leads
                          key: [company, first_name, last_name, country]
                          types: {created: date}
                          date_formats: [yyyy-MM-dd, dd/MM/yyyy]
                    streams:
                      leads: {write_mode: merge}
                settings:
                  checkpoint_every_records: 100
                """.formatted(sheets.baseUrl(), sheets.leadsSpreadsheetId(), key));
        return p;
    }

    /** The killed run's committed state is a checkpoint part-way through the sheet: it died mid-read, not before or after. */
    private static boolean committedMidRead(Path project) throws Exception {
        Path warehouse = project.resolve("warehouse.duckdb");
        if (!Files.exists(warehouse)) return false;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + warehouse); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select value from main._tributary_state where stream = 'leads'")) {
            if (!rs.next()) return false;
            var state = new com.fasterxml.jackson.databind.ObjectMapper().readTree(rs.getString(1));
            return !state.path("complete").asBoolean(true) && state.path("next_row").asInt(0) > 2;
        } catch (java.sql.SQLException noStateYet) {
            return false;
        }
    }

    private Process startSync(Path project) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "-p", project.toString(), "sync")
                .redirectErrorStream(true)
                .redirectOutput(project.resolve("sync-" + System.nanoTime() + ".log").toFile())
                .start();
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
