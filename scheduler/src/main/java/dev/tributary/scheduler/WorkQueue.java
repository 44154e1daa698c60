package dev.tributary.scheduler;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What several serve processes on one PostgreSQL metadata store share, built on PostgreSQL's own guarantees rather
 * than a protocol of ours: runs wait QUEUED in {@code runs} and a worker claims them with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED} (one claimer per row, whatever the clocks say); each worker heartbeats in
 * {@code workers}; a worker whose heartbeat is older than its timeout is deleted by whoever notices first
 * ({@code DELETE ... RETURNING}: exactly one) and its RUNNING runs go back to the queue in the same transaction; the
 * scheduler's leader holds a lease row ({@code INSERT ... ON CONFLICT DO UPDATE ... WHERE expired}). Every time
 * compared is the database's {@code clock_timestamp()}, never a worker's clock. A slot fires once because firing moves
 * {@code pipeline_schedule.last_scheduled} forward only from an earlier value, in the transaction that queues the run.
 */
public final class WorkQueue {
    static final String LEADER_LEASE = "scheduler";
    /** The "dead worker" of a run found RUNNING with no claimer (an older serve's). */
    static final String NO_WORKER = "(none)";
    private static final String DB_NOW = "clock_timestamp()";

    /** One serve process: {@code instance} is unique per start; {@code workerId} is what the operator named it. */
    public record WorkerInfo(String instance, String workerId, String host, long pid, Duration timeout, int concurrency, boolean schedules) {
        public WorkerInfo {
            Objects.requireNonNull(instance, "instance is null");
            Objects.requireNonNull(workerId, "workerId is null");
        }
    }

    /** A run taken from the queue: {@code claims} counts this claim (above 1: it resumes after another worker). */
    public record Claimed(RunRecord run, int claims, List<String> notes, String instance) {}

    /** A run handed back to the queue because its worker stopped heartbeating. */
    public record Released(long runId, String pipeline, String deadWorker, boolean cancelled) {}

    /** A slot to fire: a run unless {@code startRun} is false (catch-up off), and the pipeline's last_scheduled moved to {@code dueAt}. */
    public record Slot(String pipeline, String trigger, Instant dueAt, boolean startRun, List<String> notes) {}

    /** What firing a slot did: the run queued, or why none was. */
    public record Fired(Slot slot, Optional<RunRecord> run, boolean alreadyFired, Optional<Long> stillLive) {}

    public enum CancelResult { NOT_LIVE, CANCELLED_QUEUED, REQUESTED }

    private final JdbcMetadataStore store;

    WorkQueue(JdbcMetadataStore store) {
        this.store = store;
    }

    private String t(String table) {
        return store.t(table);
    }

    /** The database's time. */
    public Instant now() {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DB_NOW); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
            }
        });
    }

    /**
     * Adds this process. A worker of the same id that still heartbeats is another live process: refused. One whose
     * heartbeat expired (this worker before a crash) is removed and its runs go back to the queue first.
     */
    public List<Released> register(WorkerInfo w) {
        return store.inTransaction(c -> {
            List<String> stale = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT instance, host, pid, heartbeat_at > " + DB_NOW
                    + " - timeout_ms * INTERVAL '1 millisecond' AS alive FROM " + t("workers") + " WHERE worker_id = ? FOR UPDATE")) {
                ps.setString(1, w.workerId());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getBoolean("alive")) {
                            throw new IllegalStateException("worker id '" + w.workerId() + "' is in use by a live serve process (pid " + rs.getLong("pid")
                                    + " on " + rs.getString("host") + "); give each process its own --worker-id");
                        }
                        stale.add(rs.getString("instance"));
                    }
                }
            }
            List<Released> released = new ArrayList<>(stale.isEmpty() ? List.of() : removeWorkers(c, stale, "restarted"));
            // runs a single serve process of an older Tributary left RUNNING when it died: nobody's, so back to the queue
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("runs") + " SET status = 'QUEUED' WHERE status = 'RUNNING' AND claimed_by IS NULL"
                    + " AND pipeline <> '" + CliRuns.PIPELINE + "' RETURNING id, pipeline")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) released.add(new Released(rs.getLong(1), rs.getString(2), NO_WORKER, false));
                }
            }
            for (Released r : released) {
                if (r.deadWorker().equals(NO_WORKER)) {
                    appendLog(c, r.runId(), r.pipeline(), "WARN", "the serve process running this run stopped; the run goes back to the queue and resumes from its last commit");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("workers") + " (instance, worker_id, host, pid, started_at, heartbeat_at,"
                    + " timeout_ms, concurrency, schedules) VALUES (?, ?, ?, ?, " + DB_NOW + ", " + DB_NOW + ", ?, ?, ?)")) {
                ps.setString(1, w.instance());
                ps.setString(2, w.workerId());
                ps.setString(3, w.host());
                ps.setLong(4, w.pid());
                ps.setLong(5, w.timeout().toMillis());
                ps.setInt(6, w.concurrency());
                ps.setBoolean(7, w.schedules());
                ps.executeUpdate();
            }
            return released;
        });
    }

    /** Renews this worker's heartbeat; returns the database's time, or empty when the worker was declared dead meanwhile. */
    public Optional<Instant> heartbeat(String instance) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("workers") + " SET heartbeat_at = " + DB_NOW + " WHERE instance = ? RETURNING heartbeat_at")) {
                ps.setString(1, instance);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getObject(1, java.time.OffsetDateTime.class).toInstant()) : Optional.<Instant>empty();
                }
            }
        });
    }

    /** Deletes workers whose heartbeat is older than their timeout and hands their runs back to the queue. */
    public List<Released> reapExpired() {
        return store.inTransaction(c -> {
            List<String> dead = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t("workers") + " WHERE heartbeat_at < " + DB_NOW
                    + " - timeout_ms * INTERVAL '1 millisecond' RETURNING instance")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) dead.add(rs.getString(1));
                }
            }
            return dead.isEmpty() ? List.<Released>of() : removeWorkers(c, dead, "stopped heartbeating");
        });
    }

    /** A worker stopping cleanly: its row and its lease go (another takes over at once). Its runs were handed back before. */
    public void deregister(String instance) {
        store.inTransaction(c -> removeWorkers(c, List.of(instance), "stopped"));
    }

    private List<Released> removeWorkers(Connection c, List<String> instances, String why) throws SQLException {
        Array ids = c.createArrayOf("varchar", instances.toArray());
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t("workers") + " WHERE instance = ANY (?)")) {
            ps.setArray(1, ids);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t("leases") + " WHERE holder = ANY (?)")) {
            ps.setArray(1, ids);
            ps.executeUpdate();
        }
        // a run whose cancel was asked for ends cancelled; the others wait for the next worker, which resumes them
        List<Released> released = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("runs") + " SET status = CASE WHEN cancel_requested IS NULL THEN 'QUEUED' ELSE 'CANCELLED' END,"
                + " ended_at = CASE WHEN cancel_requested IS NULL THEN NULL ELSE " + DB_NOW + " END,"
                + " error = CASE WHEN cancel_requested IS NULL THEN NULL ELSE cancel_requested END, claimed_by = NULL"
                + " WHERE status = 'RUNNING' AND claimed_by = ANY (?) RETURNING id, pipeline, status")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) released.add(new Released(rs.getLong("id"), rs.getString("pipeline"), String.join(", ", instances),
                        rs.getString("status").equals("CANCELLED")));
            }
        }
        for (Released r : released) {
            appendLog(c, r.runId(), r.pipeline(), "WARN", r.cancelled()
                    ? "worker " + r.deadWorker() + " " + why + " while this run was being cancelled; it is cancelled"
                    : "worker " + r.deadWorker() + " " + why + "; the run goes back to the queue and resumes on another worker from its last commit");
        }
        return released;
    }

    /** A scheduler line in the run's log, in the caller's transaction, numbered by the store as every log write is. */
    private void appendLog(Connection c, long runId, String pipeline, String level, String message) throws SQLException {
        Instant now;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + DB_NOW)) {
            rs.next();
            now = rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
        store.appendNextLog(c, runId, now, level, pipeline, "scheduler", message);
    }

    /** Takes or renews the leader lease for {@code ttl}; true while this instance holds it. */
    public boolean lead(String instance, Duration ttl) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("leases") + " (name, holder, acquired_at, expires_at) VALUES (?, ?, " + DB_NOW
                    + ", " + DB_NOW + " + ? * INTERVAL '1 millisecond') ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder,"
                    + " acquired_at = CASE WHEN " + t("leases") + ".holder = EXCLUDED.holder THEN " + t("leases") + ".acquired_at ELSE EXCLUDED.acquired_at END,"
                    + " expires_at = EXCLUDED.expires_at WHERE " + t("leases") + ".holder = EXCLUDED.holder OR " + t("leases") + ".expires_at < " + DB_NOW
                    + " RETURNING holder")) {
                ps.setString(1, LEADER_LEASE);
                ps.setString(2, instance);
                ps.setLong(3, ttl.toMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Gives the lease up (a clean stop), so another worker leads at its next heartbeat. */
    public void resign(String instance) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t("leases") + " WHERE name = ? AND holder = ?")) {
                ps.setString(1, LEADER_LEASE);
                ps.setString(2, instance);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The instance holding an unexpired leader lease. */
    public Optional<String> leader() {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT holder FROM " + t("leases") + " WHERE name = ? AND expires_at > " + DB_NOW)) {
                ps.setString(1, LEADER_LEASE);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /**
     * Fires slots in one transaction, only while {@code leader} holds the lease (an ex-leader that paused past its
     * lease fires nothing): each moves last_scheduled forward from an earlier value or is already fired; each run is
     * queued unless the pipeline has a live run. Empty when {@code leader} does not hold the lease.
     */
    public Optional<List<Fired>> fire(List<Slot> slots, String leader) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + t("leases") + " WHERE name = ? AND holder = ? AND expires_at > " + DB_NOW + " FOR SHARE")) {
                ps.setString(1, LEADER_LEASE);
                ps.setString(2, leader);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<List<Fired>>empty();
                }
            }
            List<Fired> out = new ArrayList<>();
            // one statement, one round trip for all slots: a minute's 100 pipelines are queued in milliseconds
            String ps = t("pipeline_schedule");
            String sql = "WITH s AS (SELECT * FROM unnest(?::varchar[], ?::text[], ?::varchar[], ?::boolean[], ?::varchar[]) WITH ORDINALITY"
                    + " AS s(pipeline, due_text, trig, start_run, notes, ord)),"
                    + " adv AS (INSERT INTO " + ps + " (pipeline, last_scheduled) SELECT pipeline, due_text::timestamptz FROM s"
                    + " ON CONFLICT (pipeline) DO UPDATE SET last_scheduled = EXCLUDED.last_scheduled WHERE " + ps + ".last_scheduled < EXCLUDED.last_scheduled"
                    + " RETURNING pipeline),"
                    + " ins AS (INSERT INTO " + t("runs") + " (pipeline, status, trigger_kind, due_at, records, notes)"
                    + " SELECT s.pipeline, 'QUEUED', s.trig, s.due_text::timestamptz, 0, s.notes FROM s JOIN adv ON adv.pipeline = s.pipeline"
                    + " WHERE s.start_run ORDER BY s.ord ON CONFLICT (pipeline) WHERE " + SharedTables.ONE_LIVE_PREDICATE + " DO NOTHING RETURNING id, pipeline)"
                    + " SELECT s.pipeline, adv.pipeline IS NOT NULL AS advanced, ins.id FROM s LEFT JOIN adv ON adv.pipeline = s.pipeline"
                    + " LEFT JOIN ins ON ins.pipeline = s.pipeline ORDER BY s.ord";
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setArray(1, c.createArrayOf("varchar", slots.stream().map(Slot::pipeline).toArray()));
                st.setArray(2, c.createArrayOf("text", slots.stream().map(x -> x.dueAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString()).toArray()));
                st.setArray(3, c.createArrayOf("varchar", slots.stream().map(Slot::trigger).toArray()));
                st.setArray(4, c.createArrayOf("boolean", slots.stream().map(Slot::startRun).toArray()));
                st.setArray(5, c.createArrayOf("varchar", slots.stream().map(x -> x.notes().isEmpty() ? null : String.join("\n", x.notes())).toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    int i = 0;
                    while (rs.next()) {
                        Slot slot = slots.get(i++);
                        boolean advanced = rs.getBoolean("advanced");
                        long id = rs.getLong("id");
                        Optional<RunRecord> run = rs.wasNull() ? Optional.empty() : Optional.of(new RunRecord(id, slot.pipeline(), RunStatus.QUEUED,
                                slot.trigger(), slot.dueAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS), Optional.empty(), Optional.empty(),
                                Optional.empty(), Optional.empty(), 0));
                        out.add(new Fired(slot, run, !advanced, Optional.empty()));
                    }
                }
            }
            // a slot that advanced but queued nothing while it should have: its pipeline still runs
            for (int i = 0; i < out.size(); i++) {
                Fired f = out.get(i);
                if (!f.alreadyFired() && f.slot().startRun() && f.run().isEmpty()) {
                    out.set(i, new Fired(f.slot(), Optional.empty(), false, liveRunId(c, f.slot().pipeline())));
                }
            }
            return Optional.of(out);
        });
    }

    /** Moves last_scheduled to dueAt when it is earlier (or absent); false when the slot was fired already. */
    private boolean advance(Connection c, String pipeline, Instant dueAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("pipeline_schedule") + " (pipeline, last_scheduled) VALUES (?, ?)"
                + " ON CONFLICT (pipeline) DO UPDATE SET last_scheduled = EXCLUDED.last_scheduled WHERE "
                + t("pipeline_schedule") + ".last_scheduled < EXCLUDED.last_scheduled")) {
            ps.setString(1, pipeline);
            ps.setObject(2, JdbcMetadataStore.time(dueAt));
            return ps.executeUpdate() == 1;
        }
    }

    /** Sets last_scheduled (a pipeline seen for the first time, or catch-up off) without firing anything, once. */
    public boolean advanceSchedule(String pipeline, Instant dueAt) {
        return store.inTransaction(c -> advance(c, pipeline, dueAt));
    }

    /** Queues a run (manual, API, re-run); empty when the pipeline has a live run (see {@link #liveRun}). */
    public Optional<RunRecord> enqueue(String pipeline, String trigger, Instant dueAt, Optional<Long> rerunOf) {
        return enqueue(pipeline, trigger, dueAt, rerunOf, RunRequest.ALL, Optional.empty());
    }

    /** The same, with what the run asks for (steps, vars, its backfill) written in the same transaction as the run. */
    public Optional<RunRecord> enqueue(String pipeline, String trigger, Instant dueAt, Optional<Long> rerunOf, RunRequest request,
                                       Optional<Long> backfill) {
        return store.inTransaction(c -> {
            Optional<RunRecord> run = insertRun(c, pipeline, trigger, dueAt, rerunOf, List.of());
            if (run.isPresent()) store.details().saveRequest(c, run.get().id(), request, backfill);
            return run;
        });
    }

    private Optional<RunRecord> insertRun(Connection c, String pipeline, String trigger, Instant dueAt, Optional<Long> rerunOf, List<String> notes)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("runs") + " (pipeline, status, trigger_kind, due_at, rerun_of, records, notes)"
                + " VALUES (?, 'QUEUED', ?, ?, ?, 0, ?) ON CONFLICT (pipeline) WHERE " + SharedTables.ONE_LIVE_PREDICATE + " DO NOTHING RETURNING id")) {
            ps.setString(1, pipeline);
            ps.setString(2, trigger);
            ps.setObject(3, JdbcMetadataStore.time(dueAt));
            JdbcMetadataStore.setLong(ps, 4, rerunOf);
            ps.setString(5, notes.isEmpty() ? null : String.join("\n", notes));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.<RunRecord>empty();
                return Optional.of(new RunRecord(rs.getLong(1), pipeline, RunStatus.QUEUED, trigger, dueAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS),
                        Optional.empty(), Optional.empty(), Optional.empty(), rerunOf, 0));
            }
        }
    }

    /** The live (queued or running) run of a pipeline. */
    public Optional<RunRecord> liveRun(String pipeline) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + JdbcMetadataStore.RUN_COLUMNS + " FROM " + t("runs")
                    + " WHERE pipeline = ? AND status IN ('QUEUED', 'RUNNING') ORDER BY id DESC LIMIT 1")) {
                ps.setString(1, pipeline);
                List<RunRecord> runs = JdbcMetadataStore.readRuns(ps);
                return runs.isEmpty() ? Optional.<RunRecord>empty() : Optional.of(runs.get(0));
            }
        });
    }

    private Optional<Long> liveRunId(Connection c, String pipeline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + t("runs") + " WHERE pipeline = ? AND status IN ('QUEUED', 'RUNNING')")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Claims up to {@code max} queued runs, oldest first, for {@code instance}: RUNNING, started at the database's time (kept when resumed). */
    public List<Claimed> claim(String instance, int max) {
        if (max <= 0) return List.of();
        return store.inTransaction(c -> {
            // only a registered member claims (one declared dead claims nothing until it joined again); the share lock
            // makes a reaper deleting this worker wait for this claim and then hand its runs back too
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + t("workers") + " WHERE instance = ? FOR SHARE")) {
                ps.setString(1, instance);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return List.<Claimed>of();
                }
            }
            String cols = JdbcMetadataStore.RUN_COLUMNS.replaceAll("(\\w+)", "r.$1");
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("runs") + " r SET status = 'RUNNING', claimed_by = ?, claims = r.claims + 1,"
                    + " started_at = COALESCE(r.started_at, " + DB_NOW + ") FROM (SELECT id FROM " + t("runs")
                    + " WHERE status = 'QUEUED' AND claimed_by IS NULL AND pipeline <> '" + CliRuns.PIPELINE + "' ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED) q"
                    + " WHERE r.id = q.id RETURNING " + cols + ", r.claims, r.notes")) {
                ps.setString(1, instance);
                ps.setInt(2, max);
                List<Claimed> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long rerunOf = rs.getLong("rerun_of");
                        Optional<Long> rerun = rs.wasNull() ? Optional.empty() : Optional.of(rerunOf);
                        RunRecord run = new RunRecord(rs.getLong("id"), rs.getString("pipeline"), RunStatus.RUNNING, rs.getString("trigger_kind"),
                                JdbcMetadataStore.instant(rs, "due_at").orElseThrow(), JdbcMetadataStore.instant(rs, "started_at"), Optional.empty(),
                                Optional.empty(), rerun, rs.getLong("records"));
                        String notes = rs.getString("notes");
                        out.add(new Claimed(run, rs.getInt("claims"), notes == null ? List.of() : List.of(notes.split("\n")), instance));
                    }
                }
                out.sort(java.util.Comparator.comparingLong(x -> x.run().id()));
                return out;
            }
        });
    }

    /** Records a run's end, only while {@code instance} still holds its claim; false when another worker took it over. */
    public boolean finish(RunRecord run, String instance) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("runs") + " SET status = ?, ended_at = ?, error = ?, records = ?, cancel_requested = NULL"
                    + " WHERE id = ? AND claimed_by = ? AND status = 'RUNNING'")) {
                ps.setString(1, run.status().name());
                ps.setObject(2, run.endedAt().map(JdbcMetadataStore::time).orElse(null));
                ps.setString(3, run.error().orElse(null));
                ps.setLong(4, run.records());
                ps.setLong(5, run.id());
                ps.setString(6, instance);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** A worker stopping cleanly hands a run it holds back to the queue, for another worker to resume. */
    public boolean handBack(long runId, String pipeline, String instance, String workerId) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("runs") + " SET status = 'QUEUED', claimed_by = NULL WHERE id = ? AND claimed_by = ?"
                    + " AND status = 'RUNNING' AND cancel_requested IS NULL")) {
                ps.setLong(1, runId);
                ps.setString(2, instance);
                if (ps.executeUpdate() != 1) return false;
            }
            appendLog(c, runId, pipeline, "WARN", "worker " + workerId + " stopped; the run goes back to the queue and resumes on another worker from its last commit");
            return true;
        });
    }

    /**
     * Cancels a run wherever it is: a queued one ends CANCELLED here; a running one gets a request its worker acts on
     * at its next heartbeat.
     */
    public CancelResult requestCancel(long runId, String reason, Instant now) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("runs") + " SET status = 'CANCELLED', ended_at = ?, error = ?"
                    + " WHERE id = ? AND status = 'QUEUED' AND claimed_by IS NULL")) {
                ps.setObject(1, JdbcMetadataStore.time(now));
                ps.setString(2, reason);
                ps.setLong(3, runId);
                if (ps.executeUpdate() == 1) return CancelResult.CANCELLED_QUEUED;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("runs") + " SET cancel_requested = ? WHERE id = ? AND status = 'RUNNING'")) {
                ps.setString(1, reason);
                ps.setLong(2, runId);
                return ps.executeUpdate() == 1 ? CancelResult.REQUESTED : CancelResult.NOT_LIVE;
            }
        });
    }

    /** The runs {@code instance} holds, each with its pending cancel request (empty when none). */
    public Map<Long, Optional<String>> claimedRuns(String instance) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, cancel_requested FROM " + t("runs") + " WHERE claimed_by = ? AND status = 'RUNNING'")) {
                ps.setString(1, instance);
                Map<Long, Optional<String>> out = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getLong(1), Optional.ofNullable(rs.getString(2)));
                }
                return out;
            }
        });
    }
}
