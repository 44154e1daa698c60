package dev.tributary.cli;

import dev.tributary.http.ApiException;
import dev.tributary.spi.TransientException;
import dev.tributary.spi.WarehouseBusyException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failure that is expected in operation, not a bug: the warehouse is in use by another process, a database or
 * API refused the credentials or answered with an error, a server could not be reached. Such failures exit 1 with a plain message; only
 * what is none of these (nor a configuration or data error) exits 3.
 *
 * @param kind a stable name for scripts ({@code warehouse_busy}, {@code credentials_refused}, {@code connection_refused},
 *             {@code api_error}, {@code unavailable}, {@code lock_held})
 * @param message one plain line saying what happened and what to do
 */
record OperationalFailure(String kind, String message) {
    private static final Pattern DUCKDB_LOCK = Pattern.compile("Could not set lock on file \"([^\"]+)\"");
    private static final Pattern PID = Pattern.compile("\\(PID (\\d+)\\)");

    /** The operational failure in {@code failure}'s cause chain, if there is one, for a command other than sync. */
    static Optional<OperationalFailure> of(Throwable failure) {
        return of(failure, null);
    }

    /**
     * The operational failure in {@code failure}'s cause chain, if there is one. {@code lock_held}: a Tributary writer
     * (named) holds the connection or the warehouse; {@code warehouse_busy}: another program holds the DuckDB file
     * without being a Tributary writer (a DuckDB shell, or a reader that did not let go in time).
     *
     * @param command the subcommand that failed ({@code sync} is told about {@code --wait}), or null
     */
    static Optional<OperationalFailure> of(Throwable failure, String command) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String text = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof dev.tributary.scheduler.MetadataStoreInUseException) return Optional.of(new OperationalFailure("lock_held", firstLine(text)));
            if (t instanceof WarehouseBusyException busy) {
                if (busy.holder().isPresent()) return Optional.of(lockHeld(busy, command));
                // no Tributary writer holds it: what DuckDB said about the program that does, below
                Optional<OperationalFailure> raw = t.getCause() == null ? Optional.empty() : of(t.getCause(), command);
                return Optional.of(raw.filter(r -> r.kind().equals("warehouse_busy"))
                        .orElse(new OperationalFailure("warehouse_busy", firstLine(text))));
            }
            Matcher lock = DUCKDB_LOCK.matcher(text);
            boolean locked = lock.find();
            if (locked || text.contains("Conflicting lock is held")) {
                Matcher pid = PID.matcher(text);
                String holder = pid.find() ? "process " + pid.group(1) : "another process";
                String file = locked ? " " + lock.group(1) : "";
                return Optional.of(new OperationalFailure("warehouse_busy", "the DuckDB warehouse" + file + " is in use by " + holder
                        + " (a sync, tributary serve or another program); run again when it has finished"));
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("28")) {
                    return Optional.of(new OperationalFailure("credentials_refused", "the database refused the credentials: " + firstLine(text)));
                }
                if (state.startsWith("08")) {
                    return Optional.of(new OperationalFailure("connection_refused", "cannot connect to the database: " + firstLine(text)));
                }
            }
            if (t instanceof ApiException api && (api.status() == 401 || api.status() == 403)) {
                return Optional.of(new OperationalFailure("credentials_refused", "the API refused the credentials: " + firstLine(text)
                        + "; check the token or run the OAuth install again"));
            }
            if (t instanceof ApiException api && api.status() > 0) {
                return Optional.of(new OperationalFailure("api_error", "the API did not accept a request: " + firstLine(text)));
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return Optional.of(new OperationalFailure("connection_refused", "cannot connect: " + firstLine(failure.getMessage())));
            }
        }
        if (TransientException.isTransient(failure)) {
            return Optional.of(new OperationalFailure("unavailable", "temporarily unavailable: " + firstLine(failure.getMessage())));
        }
        return Optional.empty();
    }

    /** The one wording of a held writer lock: who holds it and what to do; {@code --wait} is offered to sync only. */
    static OperationalFailure lockHeld(WarehouseBusyException busy, String command) {
        return new OperationalFailure("lock_held", firstLine(busy.getMessage()) + "; run again when it has finished"
                + ("sync".equals(command) ? " or with --wait to wait for it" : ""));
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("").strip();
    }
}
