package dev.tributary.scheduler;

import dev.tributary.spi.TransientException;
import dev.tributary.spi.WarehouseBusyException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Tells a failure that may not happen again (a lost connection, a timeout, HTTP 429 or 503, a warehouse locked by
 * another writer) from one that will (a SQL error in a model, a configuration error, a failing test, credentials
 * refused). Only the first kind is worth a step retry; retrying the second only delays the alert.
 */
public final class StepFailures {
    /** SQLSTATE classes and codes of failures that go away: connection (08), serialization/deadlock, resources, shutdown. */
    private static final List<String> TRANSIENT_SQL_STATES = List.of("08", "40001", "40P01", "53", "57P01", "57P02", "57P03", "55P03", "HYT00", "HYT01");

    /** How drivers and APIs word transient failures when no type says so. Phrases, not single words: "timeout" may be a column. */
    private static final Pattern TRANSIENT_MESSAGE = Pattern.compile(String.join("|",
            "connection (was )?(refused|reset|closed|lost|timed out|aborted|attempt failed)", "broken pipe", "timed out",
            "\\b(http|status)[ :]*(408|425|429|502|503|504)\\b", "too many requests", "service unavailable", "bad gateway", "gateway time-?out",
            "rate limit(ed)? exceeded", "could not set lock", "conflicting lock", "different configuration than existing connections",
            "unique file handle conflict", "database is locked", "terminating connection",
            "the database system is (starting up|shutting down|in recovery mode)", "too many (clients|connections)", "temporarily unavailable",
            "try again later", "no route to host", "network is unreachable", "unknown host"),
            Pattern.CASE_INSENSITIVE);

    private StepFailures() {}

    /** True when {@code failure} or one of its causes is of a transient kind, or says so in its message. */
    public static boolean isTransient(Throwable failure) {
        if (TransientException.isTransient(failure)) return true;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WarehouseBusyException) return true;
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) return true;
            if (t instanceof SQLException sql && transientSqlState(sql.getSQLState())) return true;
            if (t instanceof SocketException || t instanceof SocketTimeoutException || t instanceof HttpTimeoutException
                    || t instanceof UnknownHostException || t instanceof TimeoutException) return true;
            if (looksTransient(t.getMessage())) return true;
        }
        return false;
    }

    /** True when an error message (all a step result may carry) reads like a transient failure. */
    public static boolean looksTransient(String message) {
        return message != null && TRANSIENT_MESSAGE.matcher(message).find();
    }

    private static boolean transientSqlState(String state) {
        if (state == null || state.isEmpty()) return false;
        String s = state.toUpperCase(Locale.ROOT);
        return TRANSIENT_SQL_STATES.stream().anyMatch(s::startsWith);
    }
}
