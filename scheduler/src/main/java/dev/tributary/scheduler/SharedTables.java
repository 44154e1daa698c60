package dev.tributary.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Schema version 2 of the metadata store, additive to version 1: what several serve processes on one store share.
 * {@code runs} gains who claimed a run, how often it was claimed, a pending cancel request and notes for its log;
 * {@code workers} holds each process's heartbeat, {@code leases} the scheduler's leader lease (both in the
 * database's own time), {@code web_sessions} the logged-in sessions (ids hashed). On PostgreSQL a partial unique index
 * makes "never two live runs of one pipeline" hold across processes (CLI runs excepted: several may run at once).
 */
final class SharedTables {
    private SharedTables() {}

    static List<String> ddl(UnaryOperator<String> table, boolean postgres) {
        String runs = table.apply("runs");
        String ts = "TIMESTAMP WITH TIME ZONE";
        List<String> ddl = new ArrayList<>();
        ddl.add("ALTER TABLE " + runs + " ADD COLUMN IF NOT EXISTS claimed_by VARCHAR(300)");
        ddl.add("ALTER TABLE " + runs + " ADD COLUMN IF NOT EXISTS claims INTEGER DEFAULT 0 NOT NULL");
        ddl.add("ALTER TABLE " + runs + " ADD COLUMN IF NOT EXISTS cancel_requested VARCHAR(500)");
        ddl.add("ALTER TABLE " + runs + " ADD COLUMN IF NOT EXISTS notes VARCHAR");
        ddl.add("CREATE TABLE IF NOT EXISTS " + table.apply("workers") + " (instance VARCHAR(300) PRIMARY KEY, worker_id VARCHAR(200) NOT NULL,"
                + " host VARCHAR(300) NOT NULL, pid BIGINT NOT NULL, started_at " + ts + " NOT NULL, heartbeat_at " + ts + " NOT NULL,"
                + " timeout_ms BIGINT NOT NULL, concurrency INTEGER NOT NULL, schedules BOOLEAN NOT NULL)");
        ddl.add("CREATE TABLE IF NOT EXISTS " + table.apply("leases") + " (name VARCHAR(100) PRIMARY KEY, holder VARCHAR(300) NOT NULL,"
                + " acquired_at " + ts + " NOT NULL, expires_at " + ts + " NOT NULL)");
        ddl.add("CREATE TABLE IF NOT EXISTS " + table.apply("web_sessions") + " (id_hash VARCHAR(64) PRIMARY KEY, user_name VARCHAR(200) NOT NULL,"
                + " csrf_token VARCHAR(64) NOT NULL, created_at " + ts + " NOT NULL, expires_at " + ts + " NOT NULL)");
        if (postgres) {
            ddl.add("CREATE INDEX IF NOT EXISTS runs_queued ON " + runs + " (id) WHERE status = 'QUEUED' AND claimed_by IS NULL");
            ddl.add("CREATE INDEX IF NOT EXISTS runs_by_claim ON " + runs + " (claimed_by) WHERE status = 'RUNNING'");
            ddl.add("CREATE UNIQUE INDEX IF NOT EXISTS runs_one_live_per_pipeline ON " + runs + " (pipeline) WHERE " + ONE_LIVE_PREDICATE);
        }
        return ddl;
    }

    /** The predicate of the partial unique index (an {@code ON CONFLICT} clause repeats it to name the index). */
    static final String ONE_LIVE_PREDICATE = "status IN ('QUEUED', 'RUNNING') AND pipeline <> '" + CliRuns.PIPELINE + "'";
}
