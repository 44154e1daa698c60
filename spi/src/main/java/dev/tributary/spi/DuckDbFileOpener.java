package dev.tributary.spi;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a DuckDB file the way every Tributary command does. A Tributary writer of another process announces itself in
 * the lock-info file next to the warehouse ({@code <file>.tributary-lock}): then opening stops at once, naming it. A
 * process holding DuckDB's own lock without announcing itself is a reader (the web UI of {@code tributary serve}, a
 * DuckDB shell) and holds the file briefly, so opening is tried again for up to {@link #READER_PATIENCE}.
 */
public final class DuckDbFileOpener {
    /** How long opening waits for a process that holds DuckDB's file lock without Tributary's (a reader). */
    public static final Duration READER_PATIENCE = Duration.ofSeconds(15);
    private static final long STEP_MILLIS = 100;
    /** The suffix of the lock-info file next to a warehouse file. */
    public static final String LOCK_INFO_SUFFIX = ".tributary-lock";

    private DuckDbFileOpener() {
    }

    /** The lock-info file of a DuckDB warehouse file. */
    public static Path lockInfoFile(Path warehouse) {
        return warehouse.resolveSibling(warehouse.getFileName() + LOCK_INFO_SUFFIX);
    }

    /**
     * Opens {@code jdbcUrl} (jdbc:duckdb:...): stops with {@link WarehouseBusyException} naming the holder when a
     * Tributary writer of another process holds the file, waits out a short reader.
     */
    public static Connection open(String jdbcUrl, Properties props) throws SQLException {
        Path file = fileOf(jdbcUrl);
        if (file != null) {
            Path info = lockInfoFile(file);
            if (LockInfoFiles.probe(info) == LockInfoFiles.Holder.OTHER_PROCESS) {
                LockHolder holder = recordedHolder(info);
                throw new WarehouseBusyException("the DuckDB warehouse " + file + " is open for writing by " + holder.describe(), holder);
            }
        }
        return openWaitingForReaders(jdbcUrl, props);
    }

    /** Opens {@code jdbcUrl}, trying again every 100 ms for up to {@link #READER_PATIENCE} while another program holds it. */
    public static Connection openWaitingForReaders(String jdbcUrl, Properties props) throws SQLException {
        long deadline = System.nanoTime() + READER_PATIENCE.toNanos();
        while (true) {
            try {
                return DriverManager.getConnection(jdbcUrl, props);
            } catch (SQLException e) {
                if (!isConflictingLock(e)) throw e;
                String where = fileOf(jdbcUrl) == null ? "the DuckDB warehouse" : "the DuckDB warehouse " + fileOf(jdbcUrl);
                if (System.nanoTime() - deadline >= 0) {
                    throw new WarehouseBusyException(where + " is in use by another program" + otherPid(e) + "; try again when it is done", null, e);
                }
                try {
                    Thread.sleep(STEP_MILLIS); // DuckDB has no lock wait of its own: poll until the short reader lets go
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new WarehouseBusyException("interrupted while waiting to open " + where, null, e);
                }
            }
        }
    }

    /**
     * Another process holds DuckDB's file lock, or this process has the file open another way (the web UI reading
     * read-only; DuckDB opens a file in one process one way only), or is just closing it (a handle still attached).
     */
    public static boolean isConflictingLock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("Conflicting lock") || m.contains("different configuration than existing connections")
                    || m.contains("Unique file handle conflict"))) return true;
        }
        return false;
    }

    private static String otherPid(SQLException e) {
        Matcher m = Pattern.compile("\\(PID (\\d+)\\)").matcher(String.valueOf(e.getMessage()));
        return m.find() ? " (PID " + m.group(1) + ")" : "";
    }

    /** The database file of a jdbc:duckdb URL, or null for an in-memory database. */
    private static Path fileOf(String jdbcUrl) {
        String path = jdbcUrl.startsWith("jdbc:duckdb:") ? jdbcUrl.substring("jdbc:duckdb:".length()) : jdbcUrl;
        int query = path.indexOf('?');
        if (query >= 0) path = path.substring(0, query);
        if (path.isEmpty() || path.startsWith(":memory:")) return null;
        return Path.of(path).toAbsolutePath();
    }

    private static LockHolder recordedHolder(Path info) {
        synchronized (LockInfoFiles.monitor()) {
            // Reading opens and closes the file: never while this JVM holds its lock (that would drop it).
            if (!LockInfoFiles.heldHere(info)) {
                try {
                    LockHolder holder = LockHolder.decode(Files.readString(info, StandardCharsets.UTF_8));
                    if (holder != null) return holder;
                } catch (java.io.IOException e) {
                    // unnamed then
                }
            }
        }
        return LockHolder.unknown("another Tributary process");
    }
}
