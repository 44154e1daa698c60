package dev.tributary.destination.iceberg;

import dev.tributary.spi.LockHolder;
import dev.tributary.spi.WarehouseBusyException;
import dev.tributary.spi.WriterLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer per connection of a lakehouse. With a catalog in PostgreSQL: a session advisory lock keyed by catalog
 * name and connection, held by a connection of its own for the whole sync (the holder is in its
 * {@code application_name}). Otherwise: an OS lock on {@code <lock folder>/<connection>.lock}, with the holder
 * written in the file. Either way a process that dies lets go. Within one JVM a map of held locks answers first (a
 * second OS lock on a file this JVM holds would throw, and closing a second channel would drop the first lock).
 */
abstract sealed class WriterLocks {
    private static final Map<String, LockHolder> HELD_HERE = new ConcurrentHashMap<>();

    abstract WriterLock lock(String connection, LockHolder holder, String where);

    /**
     * The table lock every writer of {@code table} shares while it stages files for it ({@code exclusive} false), and
     * that a retyping of the table and maintenance take alone ({@code exclusive} true): a readers-writer lock, refused
     * at once (never waited for) when it conflicts, naming the holder when it is known.
     */
    abstract WriterLock lockTable(String table, boolean exclusive, LockHolder holder, String where);

    static WarehouseBusyException tableBusy(String table, boolean exclusive, String where, LockHolder holder) {
        return new WarehouseBusyException("table " + table + " of " + where + (exclusive
                ? " has writers staging files for it (" + holder.describe() + "): it cannot be retyped or maintained now; run again when they are done"
                : " is being retyped or maintained by " + holder.describe()), holder);
    }

    /** Locks as OS file locks in {@code folder} (machine-local: every writer must see the same folder). */
    static WriterLocks files(Path folder) {
        return new FileLocks(folder);
    }

    /** Locks as PostgreSQL advisory locks on the catalog's database. */
    static WriterLocks postgres(String url, Properties credentials, String catalogName) {
        return new PostgresLocks(url, credentials, catalogName);
    }

    static WarehouseBusyException busy(String connection, String where, LockHolder holder) {
        return new WarehouseBusyException("connection " + connection + " is being written to " + where + " by " + holder.describe(), holder);
    }

    static final class FileLocks extends WriterLocks {
        private final Path folder;

        FileLocks(Path folder) {
            this.folder = folder;
        }

        @Override
        WriterLock lockTable(String table, boolean exclusive, LockHolder holder, String where) {
            return FileTableLocks.lock(folder, table, exclusive, holder, where);
        }

        @Override
        WriterLock lock(String connection, LockHolder holder, String where) {
            Path file = folder.resolve(IcebergNames.RULE.normalise(connection) + "-" + Integer.toHexString(connection.hashCode()) + ".lock");
            String key = file.toAbsolutePath().normalize().toString();
            synchronized (HELD_HERE) {
                LockHolder here = HELD_HERE.get(key);
                if (here != null) throw busy(connection, where, here);
                try {
                    Files.createDirectories(folder);
                    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    FileLock lock;
                    try {
                        lock = channel.tryLock();
                    } catch (IOException | RuntimeException e) {
                        channel.close();
                        throw e;
                    }
                    if (lock == null) {
                        channel.close();
                        String text = Files.readString(file, StandardCharsets.UTF_8);
                        LockHolder other = LockHolder.decode(text);
                        throw busy(connection, where, other == null ? LockHolder.unknown("another process") : other);
                    }
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap((holder.encode() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                    channel.force(false);
                    HELD_HERE.put(key, holder);
                    return WriterLock.releasedBy(connection, () -> {
                        synchronized (HELD_HERE) {
                            try {
                                channel.truncate(0);
                                lock.release();
                                channel.close();
                            } catch (IOException e) {
                                // the lock goes with the channel or the process
                            } finally {
                                HELD_HERE.remove(key);
                            }
                        }
                    });
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot lock " + file + " for connection " + connection + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** Table locks of this JVM: how many share it, or that one holds it alone, over the one OS lock of the process. */
    private static final class TableLockState {
        FileChannel channel;
        FileLock os;
        int shared;
        boolean exclusive;
        LockHolder holder;
    }

    private static final Map<String, TableLockState> TABLES_HERE = new ConcurrentHashMap<>();

    static final class FileTableLocks {
        private FileTableLocks() {}

        static WriterLock lock(Path folder, String table, boolean exclusive, LockHolder holder, String where) {
            Path file = folder.resolve("table-" + IcebergNames.RULE.normalise(table) + "-" + Integer.toHexString(table.hashCode()) + ".lock");
            String key = file.toAbsolutePath().normalize().toString();
            synchronized (TABLES_HERE) {
                TableLockState here = TABLES_HERE.get(key);
                if (here != null) {
                    if (exclusive || here.exclusive) throw tableBusy(table, exclusive, where, here.holder);
                    here.shared++;
                    return WriterLock.releasedBy(table, () -> release(key));
                }
                try {
                    Files.createDirectories(folder);
                    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    FileLock os;
                    try {
                        os = channel.tryLock(0, Long.MAX_VALUE, !exclusive);
                    } catch (IOException | RuntimeException e) {
                        channel.close();
                        throw e;
                    }
                    if (os == null) {
                        channel.close();
                        LockHolder other = LockHolder.decode(Files.readString(file, StandardCharsets.UTF_8).strip());
                        throw tableBusy(table, exclusive, where, other != null && !exclusive ? other : LockHolder.unknown("another process"));
                    }
                    if (exclusive) {
                        channel.truncate(0);
                        channel.write(ByteBuffer.wrap((holder.encode() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                        channel.force(false);
                    }
                    TableLockState st = new TableLockState();
                    st.channel = channel;
                    st.os = os;
                    st.exclusive = exclusive;
                    st.shared = exclusive ? 0 : 1;
                    st.holder = holder;
                    TABLES_HERE.put(key, st);
                    return WriterLock.releasedBy(table, () -> release(key));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot lock " + file + " for table " + table + ": " + e.getMessage(), e);
                }
            }
        }

        private static void release(String key) {
            synchronized (TABLES_HERE) {
                TableLockState st = TABLES_HERE.get(key);
                if (st == null) return;
                if (!st.exclusive && --st.shared > 0) return;
                TABLES_HERE.remove(key);
                try {
                    if (st.exclusive) st.channel.truncate(0);
                    st.os.release();
                    st.channel.close();
                } catch (IOException e) {
                    // the lock goes with the channel or the process
                }
            }
        }
    }

    static final class PostgresLocks extends WriterLocks {
        private final String url;
        private final Properties credentials;
        private final String catalogName;

        PostgresLocks(String url, Properties credentials, String catalogName) {
            this.url = url;
            this.credentials = credentials;
            this.catalogName = catalogName;
        }

        @Override
        WriterLock lockTable(String table, boolean exclusive, LockHolder holder, String where) {
            String sql = exclusive ? "SELECT pg_try_advisory_lock(hashtext(?), hashtext(?))" : "SELECT pg_try_advisory_lock_shared(hashtext(?), hashtext(?))";
            return advisory("table " + table, sql, "tributary-iceberg-table:" + catalogName, table, holder,
                    c -> tableBusy(table, exclusive, where, LockHolder.unknown("another process")));
        }

        @Override
        WriterLock lock(String connection, LockHolder holder, String where) {
            return advisory("connection " + connection, "SELECT pg_try_advisory_lock(hashtext(?), hashtext(?))", "tributary-iceberg:" + catalogName,
                    connection, holder, c -> busy(connection, where, holderOf(c, connection)));
        }

        /** What to throw when the lock is taken, read on the connection that tried. */
        private interface Busy {
            RuntimeException of(Connection c) throws SQLException;
        }

        /** Takes advisory lock ({@code classKey}, {@code objectKey}) with {@code sql} on a connection of its own, the holder in its application_name. */
        private WriterLock advisory(String what, String sql, String classKey, String objectKey, LockHolder holder, Busy busy) {
            Connection c;
            try {
                c = DriverManager.getConnection(url, credentials);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot reach the lakehouse catalog database to lock " + what + ": " + CatalogUrls.redact(e.getMessage()));
            }
            boolean keep = false;
            try {
                try (PreparedStatement p = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
                    String name = holder.encode();
                    p.setString(1, name.length() > 60 ? name.substring(0, 60) : name);
                    p.execute();
                }
                try (PreparedStatement p = c.prepareStatement(sql)) {
                    p.setString(1, classKey);
                    p.setString(2, objectKey);
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) throw busy.of(c);
                    }
                }
                keep = true;
                return WriterLock.releasedBy(objectKey, () -> {
                    try {
                        c.close();
                    } catch (SQLException e) {
                        // the server ends the session and its lock
                    }
                });
            } catch (SQLException e) {
                throw new IllegalStateException("locking " + what + " in the lakehouse catalog database: " + CatalogUrls.redact(e.getMessage()));
            } finally {
                if (!keep) {
                    try {
                        c.close();
                    } catch (SQLException e) {
                        // nothing held
                    }
                }
            }
        }

        private LockHolder holderOf(Connection c, String connection) throws SQLException {
            try (PreparedStatement p = c.prepareStatement("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    + "WHERE l.locktype = 'advisory' AND l.granted AND l.classid::int = hashtext(?) AND l.objid::int = hashtext(?) AND l.objsubid = 2")) {
                p.setString(1, "tributary-iceberg:" + catalogName);
                p.setString(2, connection);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        LockHolder h = LockHolder.decode(rs.getString(1));
                        return h != null ? h : LockHolder.unknown(rs.getString(1));
                    }
                }
            }
            return LockHolder.unknown("another writer");
        }
    }
}
