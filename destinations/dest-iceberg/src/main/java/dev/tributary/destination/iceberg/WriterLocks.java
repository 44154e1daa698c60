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
        WriterLock lock(String connection, LockHolder holder, String where) {
            Connection c;
            try {
                c = DriverManager.getConnection(url, credentials);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot reach the lakehouse catalog database to lock connection " + connection + ": "
                        + CatalogUrls.redact(e.getMessage()));
            }
            boolean keep = false;
            try {
                try (PreparedStatement p = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
                    String name = holder.encode();
                    p.setString(1, name.length() > 60 ? name.substring(0, 60) : name);
                    p.execute();
                }
                try (PreparedStatement p = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?), hashtext(?))")) {
                    p.setString(1, "tributary-iceberg:" + catalogName);
                    p.setString(2, connection);
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) throw busy(connection, where, holderOf(c, connection));
                    }
                }
                keep = true;
                return WriterLock.releasedBy(connection, () -> {
                    try {
                        c.close();
                    } catch (SQLException e) {
                        // the server ends the session and its lock
                    }
                });
            } catch (SQLException e) {
                throw new IllegalStateException("locking connection " + connection + " in the lakehouse catalog database: " + CatalogUrls.redact(e.getMessage()));
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
