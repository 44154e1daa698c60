package dev.tributary.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Tables kept beside the runs for what the UI shows and controls: the items inside steps ({@link StepItem}), paused
 * pipelines, and what a run was asked for ({@link RunRequest}). Added by this class when a store opens
 * ({@code CREATE TABLE IF NOT EXISTS}: additive, the run tables and their version are left alone), on H2 and
 * PostgreSQL alike, so every serve process on a shared store sees the same pauses. Thread-safe; each method is one
 * transaction.
 */
public final class RunDetails {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ITEM_COLUMNS = "run_id, step, kind, name, status, started_at, ended_at, rows_written, rejected, resumed, message";
    private final JdbcMetadataStore db;

    RunDetails(JdbcMetadataStore db) {
        this.db = Objects.requireNonNull(db, "db is null");
        createTables();
    }

    private void createTables() {
        String ts = "TIMESTAMP WITH TIME ZONE";
        List<String> ddl = List.of(
                "CREATE TABLE IF NOT EXISTS " + t("run_step_items") + " (run_id BIGINT NOT NULL, step VARCHAR(200) NOT NULL,"
                        + " kind VARCHAR(20) NOT NULL, name VARCHAR(500) NOT NULL, status VARCHAR(20) NOT NULL, started_at " + ts + ","
                        + " ended_at " + ts + ", rows_written BIGINT NOT NULL, rejected BIGINT NOT NULL, resumed BOOLEAN NOT NULL,"
                        + " message VARCHAR, PRIMARY KEY (run_id, step, kind, name))",
                "CREATE INDEX IF NOT EXISTS run_step_items_by_name ON " + t("run_step_items") + " (kind, name, run_id)",
                "CREATE TABLE IF NOT EXISTS " + t("pipeline_pauses") + " (pipeline VARCHAR(200) PRIMARY KEY, paused_at " + ts + " NOT NULL,"
                        + " paused_by VARCHAR(200) NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + t("run_requests") + " (run_id BIGINT PRIMARY KEY, steps VARCHAR NOT NULL, vars VARCHAR NOT NULL)");
        db.transaction(c -> {
            try (Statement s = c.createStatement()) {
                for (String sql : ddl) s.execute(sql);
            }
            return null;
        });
    }

    private String t(String table) {
        return db.table(table);
    }

    // ---- step items

    /** Inserts or replaces the item (its run, step, kind and name are its key). */
    public void saveItem(StepItem item) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("run_step_items") + " SET status = ?, started_at = ?, ended_at = ?,"
                    + " rows_written = ?, rejected = ?, resumed = ?, message = ? WHERE run_id = ? AND step = ? AND kind = ? AND name = ?")) {
                int i = bindValues(ps, item, 1);
                bindKey(ps, item, i);
                if (ps.executeUpdate() == 1) return null;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("run_step_items") + " (status, started_at, ended_at, rows_written,"
                    + " rejected, resumed, message, run_id, step, kind, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int i = bindValues(ps, item, 1);
                bindKey(ps, item, i);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static int bindValues(PreparedStatement ps, StepItem item, int i) throws SQLException {
        ps.setString(i++, item.status());
        ps.setObject(i++, item.startedAt().map(JdbcMetadataStore::time).orElse(null));
        ps.setObject(i++, item.endedAt().map(JdbcMetadataStore::time).orElse(null));
        ps.setLong(i++, item.rows());
        ps.setLong(i++, item.rejected());
        ps.setBoolean(i++, item.resumed());
        ps.setString(i++, item.message().orElse(null));
        return i;
    }

    private static void bindKey(PreparedStatement ps, StepItem item, int i) throws SQLException {
        ps.setLong(i++, item.runId());
        ps.setString(i++, item.step());
        ps.setString(i++, item.kind());
        ps.setString(i, item.name());
    }

    /** The items of a run in the order they started (not started ones last). */
    public List<StepItem> items(long runId) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ITEM_COLUMNS + " FROM " + t("run_step_items")
                    + " WHERE run_id = ? ORDER BY started_at NULLS LAST, step, kind, name")) {
                ps.setLong(1, runId);
                return readItems(ps);
            }
        });
    }

    /** The last {@code limit} runs' items of one kind and name ("stream", "hubspot.contacts"; "model", "team_spending"), newest run first. */
    public List<StepItem> history(String kind, String name, int limit) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ITEM_COLUMNS + " FROM " + t("run_step_items")
                    + " WHERE kind = ? AND name = ? ORDER BY run_id DESC, started_at DESC NULLS LAST LIMIT ?")) {
                ps.setString(1, kind);
                ps.setString(2, name);
                ps.setInt(3, Math.max(0, limit));
                return readItems(ps);
            }
        });
    }

    private static List<StepItem> readItems(PreparedStatement ps) throws SQLException {
        List<StepItem> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StepItem(rs.getLong("run_id"), rs.getString("step"), rs.getString("kind"), rs.getString("name"), rs.getString("status"),
                        JdbcMetadataStore.instant(rs, "started_at"), JdbcMetadataStore.instant(rs, "ended_at"), rs.getLong("rows_written"),
                        rs.getLong("rejected"), rs.getBoolean("resumed"), Optional.ofNullable(rs.getString("message"))));
            }
        }
        return out;
    }

    /** Deletes the items and requests of runs no longer in the store (after retention deleted them). */
    int deleteOrphans() {
        return db.transaction(c -> {
            int n = 0;
            for (String table : List.of("run_step_items", "run_requests")) {
                try (Statement s = c.createStatement()) {
                    n += s.executeUpdate("DELETE FROM " + t(table) + " WHERE NOT EXISTS (SELECT 1 FROM " + t("runs") + " r WHERE r.id = "
                            + t(table) + ".run_id)");
                }
            }
            return n;
        });
    }

    // ---- pauses

    /** Pauses a pipeline's schedule; false when it was paused already. */
    public boolean pause(String pipeline, String by, Instant at) {
        return db.transaction(c -> {
            if (pausedAt(c, pipeline).isPresent()) return false;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("pipeline_pauses") + " (pipeline, paused_at, paused_by) VALUES (?, ?, ?)")) {
                ps.setString(1, pipeline);
                ps.setObject(2, JdbcMetadataStore.time(at));
                ps.setString(3, by);
                ps.executeUpdate();
            } catch (SQLException e) {
                // another process paused it at the same moment (primary key): it is paused either way
                if (pausedAt(c, pipeline).isPresent()) return false;
                throw e;
            }
            return true;
        });
    }

    /** Resumes a paused pipeline; false when it was not paused. */
    public boolean resume(String pipeline) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t("pipeline_pauses") + " WHERE pipeline = ?")) {
                ps.setString(1, pipeline);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Paused pipelines with when and by whom. */
    public Map<String, Pause> paused() {
        return db.transaction(c -> {
            Map<String, Pause> out = new LinkedHashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pipeline, paused_at, paused_by FROM " + t("pipeline_pauses"))) {
                while (rs.next()) out.put(rs.getString(1), new Pause(JdbcMetadataStore.instant(rs, "paused_at").orElseThrow(), rs.getString(3)));
            }
            return out;
        });
    }

    /** When and by whom a pipeline was paused. */
    public record Pause(Instant at, String by) {}

    private Optional<Instant> pausedAt(Connection c, String pipeline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT paused_at FROM " + t("pipeline_pauses") + " WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? JdbcMetadataStore.instant(rs, "paused_at") : Optional.empty();
            }
        }
    }

    // ---- run requests

    public void saveRequest(long runId, RunRequest request) {
        if (request.isDefault()) return;
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("run_requests") + " (run_id, steps, vars) VALUES (?, ?, ?)")) {
                ps.setLong(1, runId);
                ps.setString(2, JSON.writeValueAsString(request.steps()));
                ps.setString(3, JSON.writeValueAsString(new java.util.TreeMap<>(request.vars())));
                ps.executeUpdate();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }

    /** What the run was asked for ({@link RunRequest#ALL} when nothing special). */
    public RunRequest request(long runId) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT steps, vars FROM " + t("run_requests") + " WHERE run_id = ?")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return RunRequest.ALL;
                    try {
                        return new RunRequest(JSON.readValue(rs.getString(1), new TypeReference<List<String>>() {}),
                                JSON.readValue(rs.getString(2), new TypeReference<Map<String, String>>() {}));
                    } catch (JsonProcessingException e) {
                        throw new SQLException("run " + runId + ": unreadable run request: " + e.getOriginalMessage(), e);
                    }
                }
            }
        });
    }
}
