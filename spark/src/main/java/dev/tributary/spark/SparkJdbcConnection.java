package dev.tributary.spark;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import org.apache.spark.sql.SparkSession;

/**
 * A {@link Connection} over a Spark session: statements, prepared statements with {@code ?} parameters, and the
 * transaction calls. Spark has no transactions: each statement takes effect when it runs (an Iceberg commit), so
 * {@code commit} has nothing to do and {@code rollback} cannot undo; callers that need atomic swaps use Spark's
 * own atomic statements ({@code create or replace}, {@code merge into}) instead.
 */
final class SparkJdbcConnection extends JdbcHandler {
    private final SparkSession session;
    private boolean autoCommit = true;

    private SparkJdbcConnection(SparkSession session) {
        this.session = session;
    }

    static Connection open(SparkSession session) {
        return (Connection) Proxy.newProxyInstance(SparkJdbcConnection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new SparkJdbcConnection(session));
    }

    @Override
    String describe() {
        return "Spark connection";
    }

    @Override
    Object call(Object proxy, Method method, String name, Object[] args) throws SQLException {
        switch (name) {
            case "isValid" -> { return true; }
            case "unwrap" -> {
                if (((Class<?>) args[0]).isInstance(session)) return session;
                throw new SQLException("not a wrapper for " + args[0]);
            }
            case "isWrapperFor" -> { return ((Class<?>) args[0]).isInstance(session); }
            default -> { }
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(SparkJdbcConnection.class.getClassLoader());
        try {
            return run(proxy, name, args);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private Object run(Object proxy, String name, Object[] args) throws SQLException {
        return switch (name) {
            case "createStatement" -> SparkJdbcStatement.create(session, proxy, null, Statement.class);
            case "prepareStatement" -> SparkJdbcStatement.create(session, proxy, (String) args[0], PreparedStatement.class);
            case "getAutoCommit" -> autoCommit;
            case "setAutoCommit" -> { autoCommit = (Boolean) args[0]; yield null; }
            case "commit", "rollback", "clearWarnings", "setReadOnly", "setTransactionIsolation", "setClientInfo" -> null;
            case "getWarnings" -> null;
            case "isReadOnly" -> false;
            case "getTransactionIsolation" -> Connection.TRANSACTION_NONE;
            case "getSchema" -> session.catalog().currentDatabase();
            case "setSchema" -> { session.catalog().setCurrentDatabase((String) args[0]); yield null; }
            case "getCatalog" -> session.catalog().currentCatalog();
            case "nativeSQL" -> args[0];
            default -> throw new SQLFeatureNotSupportedException("Spark connection: " + name + " is not supported");
        };
    }
}
