package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written by schema version 1 (its DDL from git history, in {@code metadata-schema-v1.sql}), with runs, steps,
 * logs and schedules, including two live runs of one pipeline, opened by today's code on H2 and on PostgreSQL: every
 * row is kept, the older of the two live runs is closed with the reason, and opening again changes nothing.
 */
class MetadataUpgradeTest {
    @TempDir
    Path dir;

    @Test
    void aVersion1StoreOnH2IsUpgradedKeepingEveryRow() throws Exception {
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("metadata") + ";DB_CLOSE_ON_EXIT=FALSE;FILE_LOCK=FILE";
        upgrade(() -> connect(url, "sa", ""), "", () -> JdbcMetadataStore.h2(dir));
    }

    @Test
    void aVersion1StoreOnPostgresIsUpgradedKeepingEveryRow() throws Exception {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "wrk_upgrade");
        try {
            upgrade(() -> connect(url, null, null), schema + ".", () -> JdbcMetadataStore.postgres(url, null, null, schema));
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_indexes WHERE schemaname = '" + schema + "' AND indexname = 'runs_one_live_per_pipeline'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("version 2's one-live-run index").isEqualTo(1);
            }
        } finally {
            TestDatabases.dropPostgresSchema(url, schema);
        }
    }

    private static Connection connect(String url, String user, String password) {
        try {
            return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void upgrade(Supplier<Connection> db, String p, Supplier<JdbcMetadataStore> open) throws Exception {
        try (Connection c = db.get(); Statement s = c.createStatement()) {
            for (String sql : v1Ddl(p)) s.execute(sql);
            String t = "TIMESTAMP WITH TIME ZONE '2026-12-01 10:00:00+00'";
            String[][] runs = {
                    {"1", "load", "SUCCEEDED"}, {"2", "load", "FAILED"}, {"3", "load", "QUEUED"}, {"4", "load", "RUNNING"},
                    {"5", "other", "RUNNING"}, {"6", "cli", "RUNNING"}, {"7", "cli", "RUNNING"}};
            for (String[] r : runs) {
                boolean over = r[2].equals("SUCCEEDED") || r[2].equals("FAILED");
                s.execute("INSERT INTO " + p + "runs (id, pipeline, status, trigger_kind, due_at, started_at, ended_at, error, records) VALUES (" + r[0] + ", '"
                        + r[1] + "', '" + r[2] + "', 'schedule', " + t + ", " + (r[2].equals("QUEUED") ? "NULL" : t) + ", " + (over ? t : "NULL") + ", "
                        + (r[2].equals("FAILED") ? "'boom'" : "NULL") + ", " + r[0] + ")");
                String step = r[2].equals("QUEUED") ? "PENDING" : r[2].equals("RUNNING") ? "RUNNING" : r[2];
                s.execute("INSERT INTO " + p + "run_steps (run_id, step, kind, status, attempt, records, summary) VALUES (" + r[0] + ", 'sync-1', 'SYNC', '" + step + "', 1, 0, '')");
                for (int seq = 1; seq <= 3; seq++) {
                    s.execute("INSERT INTO " + p + "run_log (run_id, seq, logged_at, log_level, pipeline, system_name, message) VALUES (" + r[0] + ", " + seq + ", " + t
                            + ", 'INFO', '" + r[1] + "', 'scheduler', 'line " + seq + "')");
                }
            }
            s.execute("INSERT INTO " + p + "pipeline_schedule (pipeline, last_scheduled) VALUES ('load', " + t + ")");
        }
        List<String> before = rows(db, p, "run_log");
        try (JdbcMetadataStore store = open.get()) {
            assertThat(store.runs(RunQuery.latest(100))).hasSize(7);
            RunRecord closed = store.run(3).orElseThrow();
            assertThat(closed.status()).isEqualTo(RunStatus.FAILED);
            assertThat(closed.error()).hasValueSatisfying(e -> assertThat(e).contains("schema version 2").contains("newer live run (4)"));
            assertThat(store.steps(3)).singleElement().satisfies(st -> assertThat(st.status()).isEqualTo(StepStatus.CANCELLED));
            assertThat(store.log(3, 0, 100)).hasSize(4).last().satisfies(l -> assertThat(l.message()).contains("newer live run (4)"));
            for (long kept : new long[] {4, 5, 6, 7}) assertThat(store.run(kept).orElseThrow().status()).as("run %d", kept).isEqualTo(RunStatus.RUNNING);
            assertThat(store.run(1).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(store.run(2).orElseThrow().error()).contains("boom");
            assertThat(store.lastScheduled("load")).isPresent();
        }
        List<String> log = rows(db, p, "run_log");
        assertThat(log).hasSize(before.size() + 1).containsAll(before);
        assertThat(rows(db, p, "run_steps")).hasSize(7);
        assertThat(rows(db, p, "schema_version")).containsExactly("2");
        List<List<String>> upgraded = List.of(rows(db, p, "runs"), rows(db, p, "run_steps"), log, rows(db, p, "pipeline_schedule"), rows(db, p, "schema_version"));
        try (JdbcMetadataStore again = open.get()) {
            assertThat(again.runs(RunQuery.latest(100))).hasSize(7);
        }
        assertThat(List.of(rows(db, p, "runs"), rows(db, p, "run_steps"), rows(db, p, "run_log"), rows(db, p, "pipeline_schedule"), rows(db, p, "schema_version")))
                .as("opening the upgraded store again changes nothing").isEqualTo(upgraded);
    }

    private static List<String> v1Ddl(String prefix) throws Exception {
        try (InputStream in = MetadataUpgradeTest.class.getResourceAsStream("/metadata-schema-v1.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank() && !l.startsWith("--"))
                    .map(l -> l.replace("${p}", prefix)).toList();
        }
    }

    private static List<String> rows(Supplier<Connection> db, String p, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.get(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + p + table)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) row.append(i > 1 ? "|" : "").append(rs.getString(i));
                out.add(row.toString());
            }
        }
        out.sort(null);
        return out;
    }
}
