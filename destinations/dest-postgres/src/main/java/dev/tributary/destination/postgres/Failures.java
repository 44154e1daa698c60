package dev.tributary.destination.postgres;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Tells a failure worth retrying from the last commit (the connection or the server went away, or the server gave
 * up on a transaction it would accept again) from one that would fail the same way again.
 */
final class Failures {
    /**
     * Beyond class 08 (connection exceptions): admin, crash and startup shutdown, too many connections, and the two
     * transaction conflicts PostgreSQL asks clients to retry.
     */
    private static final Set<String> TRANSIENT_STATES = Set.of("57P01", "57P02", "57P03", "53300", "40001", "40P01");

    private Failures() {}

    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException) return true; // includes the pool timing out waiting for a connection
            if (t instanceof SQLException s && isTransientState(s.getSQLState())) return true;
        }
        return false;
    }

    static boolean isTransientState(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || TRANSIENT_STATES.contains(sqlState));
    }
}
