package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/leads end to end: its generator's files synced by its tributary.yml, twice. */
class LeadsExampleTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "leads").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private long query(String sql) throws SQLException {
        return Warehouse.number(dir.resolve("warehouse.duckdb"), sql);
    }

    @Test
    void generatedLeadsSyncWithoutDuplicatesAndWithRejectsKept() throws Exception {
        Files.copy(EXAMPLE.resolve("tributary.yml"), dir.resolve("tributary.yml"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, EXAMPLE.resolve("GenerateLeads.java").toString(), dir.resolve("data").toString(), "--weeks", "30")
                .redirectErrorStream(true).start();
        String generated = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(generated).isZero();

        CliRunner cli = new CliRunner(dir, Map.of());
        CliRunner.Result sync = cli.run("sync");
        assertThat(sync.exitCode()).as(sync.toString()).isZero();
        assertThat(sync.out()).contains("Done: 2 of 2 streams synced");

        long leads = query("select count(*) from lead_export.leads");
        assertThat(leads).isPositive();
        assertThat(query("select count(distinct (company, first_name, last_name, country)) from lead_export.leads"))
                .as("unique on the natural key").isEqualTo(leads);
        assertThat(query("select count(*) from lead_export.companies")).isEqualTo(25);
        assertThat(query("select count(*) from lead_export._tributary_rejects where stream = 'leads'")).isPositive();
        assertThat(query("select count(*) from lead_export._tributary_rejects where reason like '%added_at%'"))
                .as("an unparseable timestamp is rejected with the column named").isPositive();
        assertThat(query("select count(*) from lead_export.leads where added_at is null")).isZero();

        CliRunner.Result again = cli.run("sync", "--json");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("\"records\" : 0");
        assertThat(query("select count(*) from lead_export.leads")).isEqualTo(leads);
    }
}
