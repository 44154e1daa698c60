package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.sandbox.wrike.WrikeSandbox;
import dev.tributary.sandbox.wrike.WrikeSandboxOptions;
import dev.tributary.sandbox.wrike.data.Task;
import dev.tributary.testkit.TestDatabases;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/delivery end to end: the Wrike sandbox synced into the real PostgreSQL (schemas of the test's own), then
 * {@code build} runs task_duration and project_hours, whose answers are checked against values computed here from the
 * sandbox's own data.
 */
class DeliveryExampleTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "delivery").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private String url;
    private String schema;
    private WrikeSandbox wrike;

    @BeforeEach
    void start() {
        url = TestDatabases.postgresUrl();
        schema = TestDatabases.createPostgresSchema(url, "delivery");
        wrike = WrikeSandbox.start(WrikeSandboxOptions.fromArgs("--tasks", "1500", "--seed", "21", "--rate-limit", "off"));
    }

    @AfterEach
    void stop() {
        if (wrike != null) wrike.close();
        if (url == null) return;
        for (String s : new String[] {schema + "_wrike", schema + "_public", schema}) TestDatabases.dropPostgresSchema(url, s);
    }

    @Test
    void tasksAndTimeLogsBecomeDurationsAndHoursPerProject() throws Exception {
        Files.copy(EXAMPLE.resolve("tributary.yml"), dir.resolve("tributary.yml"));
        Files.createDirectories(dir.resolve("models"));
        try (var files = Files.list(EXAMPLE.resolve("models"))) {
            for (Path f : files.toList()) Files.copy(f, dir.resolve("models").resolve(f.getFileName()));
        }
        Map<String, String> env = new HashMap<>();
        env.put("WRIKE_BASE_URL", wrike.apiBaseUrl());
        env.put("WRIKE_TOKEN", wrike.permanentToken());
        env.put("WAREHOUSE_PG_SCHEMA_PREFIX", schema + "_");
        CliRunner cli = new CliRunner(dir, env);
        CliRunner.Result sync = cli.run("sync");
        assertThat(sync.exitCode()).as(sync.toString()).isZero();
        CliRunner.Result build = cli.run("build");
        assertThat(build.exitCode()).as(build.toString()).isZero();

        // expected, from the sandbox itself
        int completed = 0;
        BigDecimal hoursToComplete = BigDecimal.ZERO;
        Map<String, BigDecimal> trackedByProject = new HashMap<>();
        synchronized (wrike.workspace()) {
            Map<String, String> projectOf = new HashMap<>();
            for (Task t : wrike.workspace().tasks.values()) {
                projectOf.put(t.id, t.parentIds.get(0));
                if (t.status.equals("Completed") && t.completed != null) {
                    completed++;
                    hoursToComplete = hoursToComplete.add(BigDecimal.valueOf(t.completed - t.created).divide(BigDecimal.valueOf(3_600_000), 2, RoundingMode.HALF_UP));
                }
            }
            for (Map<String, Object> l : wrike.workspace().timelogs) {
                trackedByProject.merge(projectOf.get((String) l.get("taskId")), BigDecimal.valueOf((Double) l.get("hours")), BigDecimal::add);
            }
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            assertThat(scalar(s, "select count(*) from " + schema + "_public.task_duration")).isEqualTo(BigDecimal.valueOf(completed));
            assertThat(scalar(s, "select sum(hours_to_complete) from " + schema + "_public.task_duration").compareTo(hoursToComplete)).isZero();
            assertThat(scalar(s, "select count(*) from " + schema + "_public.task_duration where project_id is null")).isEqualTo(BigDecimal.ZERO);
            int checked = 0;
            try (ResultSet rs = s.executeQuery("select project_id, tracked_hours from " + schema + "_public.project_hours")) {
                while (rs.next()) {
                    BigDecimal expected = trackedByProject.getOrDefault(rs.getString(1), BigDecimal.ZERO);
                    assertThat(rs.getBigDecimal(2).compareTo(expected)).as("tracked hours of project " + rs.getString(1)).isZero();
                    checked++;
                }
            }
            assertThat(checked).isEqualTo(wrike.workspace().projectIds().size());
        }
    }

    private static BigDecimal scalar(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBigDecimal(1);
        }
    }
}
