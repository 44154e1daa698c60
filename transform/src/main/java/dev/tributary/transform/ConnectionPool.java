package dev.tributary.transform;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.Set;
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
    private JdbcTimer timer;

    ConnectionPool(WarehouseTarget target, int size) throws SQLException {
        this(target, size, null);
    }

    /** With a timer, every connection is wrapped so that each JDBC call reports its duration. */
    ConnectionPool(WarehouseTarget target, int size, JdbcTimer timer) throws SQLException {
        idle = new ArrayBlockingQueue<>(size);
        this.timer = timer;
        long t0 = System.nanoTime();
        Connection first = target.connect();
        all.add(first);
        for (int i = 1; i < size; i++) {
            all.add(first instanceof DuckDBConnection d ? d.duplicate() : target.connect());
        }
        if (timer != null) timer.jdbcCall(System.nanoTime() - t0);
        for (Connection c : all) idle.add(tracked(timer == null ? c : timed(c, Connection.class, timer)));
    }

    /** Statements open on the pool's connections, so {@link #cancelStatements()} can stop what runs. */
    private final Set<Statement> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    /** A connection whose statements are remembered until closed. */
    private Connection tracked(Connection c) {
        InvocationHandler h = (proxy, method, args) -> {
            try {
                Object result = method.invoke(c, args);
                if (result instanceof Statement st) {
                    // registered first, then the flag: a cancel between the two still finds the statement
                    open.add(st);
                    if (cancelled) {
                        open.remove(st);
                        st.close();
                        throw new SQLException("cancelled");
                    }
                    return guarded(st, method.getReturnType());
                }
                return result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(ConnectionPool.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    /**
     * A statement that checks the cancel flag again before it executes: cancelling one that is not running yet (created
     * before the cancel) does nothing in the drivers, so it would otherwise run after the build was cancelled.
     */
    private Object guarded(Statement st, Class<?> type) {
        InvocationHandler h = (proxy, method, args) -> {
            if (cancelled && method.getName().startsWith("execute")) throw new SQLException("cancelled");
            try {
                return method.invoke(st, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return Proxy.newProxyInstance(ConnectionPool.class.getClassLoader(), new Class<?>[] {type}, h);
    }

    /**
     * Cancels every statement running on the pool's connections (DuckDB interrupts the query, PostgreSQL sends a
     * cancel request) and refuses new ones: what a cancelled build does.
     */
    void cancelStatements() {
        cancelled = true;
        for (Statement st : open) {
            try {
                if (!st.isClosed()) st.cancel();
            } catch (SQLException | RuntimeException ignored) {
                // a statement that ended meanwhile, or a driver that cannot cancel: the build stops after it anyway
            }
        }
        open.removeIf(st -> {
            try {
                return st.isClosed();
            } catch (SQLException e) {
                return true;
            }
        });
    }

    private static final Set<Class<?>> TIMED = Set.of(Connection.class, Statement.class, PreparedStatement.class, ResultSet.class,
            DatabaseMetaData.class, ResultSetMetaData.class);

    /** A proxy timing each call on target; statements, result sets and metadata it returns are timed too. */
    static <T> T timed(T target, Class<T> type, JdbcTimer timer) {
        InvocationHandler h = (proxy, method, args) -> {
            long t0 = System.nanoTime();
            try {
                Object result = method.invoke(target, args);
                Class<?> returned = method.getReturnType();
                if (result != null && TIMED.contains(returned) && !method.getName().equals("unwrap")) {
                    @SuppressWarnings("unchecked")
                    Class<Object> r = (Class<Object>) returned;
                    return timed(result, r, timer); // the proxies are the measurement's cost: counted with the call
                }
                return result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                timer.jdbcCall(System.nanoTime() - t0);
            }
        };
        return type.cast(Proxy.newProxyInstance(ConnectionPool.class.getClassLoader(), new Class<?>[] {type}, h));
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
        open.removeIf(st -> {
            try {
                return st.isClosed();
            } catch (SQLException e) {
                return true;
            }
        });
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
        long t0 = System.nanoTime(); // closing the last DuckDB connection checkpoints the database: warehouse time
        try {
            closeAll();
        } finally {
            if (timer != null) timer.jdbcCall(System.nanoTime() - t0);
        }
    }

    private void closeAll() {
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (SQLException ignored) {
                // closing at the end of a command; nothing left to do with it
            }
        }
    }
}
