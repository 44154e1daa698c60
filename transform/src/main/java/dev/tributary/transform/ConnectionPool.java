package dev.tributary.transform;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.duckdb.DuckDBConnection;

/**
 * One connection per worker thread. For DuckDB the extra connections are duplicates of the first, since one
 * process holds one database instance per file.
 */
final class ConnectionPool implements AutoCloseable {
    private final List<Connection> all = new ArrayList<>();
    private final BlockingQueue<Connection> idle;

    ConnectionPool(WarehouseTarget target, int size) throws SQLException {
        idle = new ArrayBlockingQueue<>(size);
        Connection first = target.connect();
        all.add(first);
        for (int i = 1; i < size; i++) {
            all.add(first instanceof DuckDBConnection d ? d.duplicate() : target.connect());
        }
        idle.addAll(all);
    }

    Connection borrow() {
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    void release(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException ignored) {
            // a broken connection stays in the pool; the next statement on it reports the problem
        }
        idle.add(c);
    }

    @Override
    public void close() {
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (SQLException ignored) {
                // closing at the end of a command; nothing left to do with it
            }
        }
    }
}
