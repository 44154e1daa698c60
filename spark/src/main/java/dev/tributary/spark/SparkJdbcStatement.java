package dev.tributary.spark;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A {@link java.sql.Statement} (or a {@link java.sql.PreparedStatement}, whose {@code ?} are replaced by SQL literals
 * before Spark sees the text) running Spark SQL. A query's rows are collected into its result set; any other
 * statement (DDL, {@code insert}, {@code merge}) runs at once and reports no row count ({@code -1}).
 */
final class SparkJdbcStatement extends JdbcHandler {
    private final SparkSession session;
    private final Object connection;
    private final String prepared;
    private final Map<Integer, String> parameters = new TreeMap<>();
    private final List<String> batch = new ArrayList<>();
    private ResultSet current;
    private int updateCount = -1;

    private SparkJdbcStatement(SparkSession session, Object connection, String prepared) {
        this.session = session;
        this.connection = connection;
        this.prepared = prepared;
    }

    static Object create(SparkSession session, Object connection, String prepared, Class<?> type) {
        return Proxy.newProxyInstance(SparkJdbcStatement.class.getClassLoader(), new Class<?>[] {type},
                new SparkJdbcStatement(session, connection, prepared));
    }

    @Override
    String describe() {
        return "Spark statement" + (prepared == null ? "" : " [" + prepared + "]");
    }

    @Override
    Object call(Object proxy, Method method, String name, Object[] args) throws Throwable {
        boolean noSql = args == null || args.length == 0 || !(args[0] instanceof String);
        return switch (name) {
            case "execute" -> execute(noSql ? bound() : (String) args[0]);
            case "executeQuery" -> {
                String sql = noSql ? bound() : (String) args[0];
                if (!execute(sql)) throw new SQLException("not a query: " + sql);
                yield current;
            }
            case "executeUpdate", "executeLargeUpdate" -> {
                execute(noSql ? bound() : (String) args[0]);
                yield name.equals("executeUpdate") ? (Object) Math.max(updateCount, 0) : (Object) (long) Math.max(updateCount, 0);
            }
            case "addBatch" -> { batch.add(noSql ? bound() : (String) args[0]); yield null; }
            case "clearBatch" -> { batch.clear(); yield null; }
            case "executeBatch" -> {
                int[] counts = new int[batch.size()];
                for (int i = 0; i < batch.size(); i++) {
                    execute(batch.get(i));
                    counts[i] = java.sql.Statement.SUCCESS_NO_INFO;
                }
                batch.clear();
                yield counts;
            }
            case "getResultSet" -> current;
            case "getUpdateCount" -> current != null ? -1 : updateCount;
            case "getMoreResults" -> { current = null; updateCount = -1; yield false; }
            case "getConnection" -> connection;
            case "clearParameters" -> { parameters.clear(); yield null; }
            case "setString", "setNString" -> param(args, args[1] == null ? "null" : SqlLiterals.string((String) args[1]));
            case "setNull" -> param(args, "null");
            case "setInt", "setLong", "setShort", "setByte", "setDouble", "setFloat" -> param(args, SqlLiterals.number(args[1]));
            case "setBigDecimal" -> param(args, args[1] == null ? "null" : ((BigDecimal) args[1]).toPlainString() + "BD");
            case "setBoolean" -> param(args, String.valueOf(args[1]));
            case "setTimestamp" -> param(args, args[1] == null ? "null" : "timestamp_ntz " + SqlLiterals.string(((java.sql.Timestamp) args[1]).toLocalDateTime().toString()));
            case "setDate" -> param(args, args[1] == null ? "null" : "date " + SqlLiterals.string(args[1].toString()));
            case "setObject" -> param(args, SqlLiterals.of(args[1]));
            case "setMaxRows", "setFetchSize", "setQueryTimeout", "setEscapeProcessing", "setPoolable", "clearWarnings", "closeOnCompletion" -> null;
            case "getWarnings" -> null;
            case "getMaxRows", "getFetchSize", "getQueryTimeout" -> 0;
            case "unwrap" -> throw new SQLException("not a wrapper for " + args[0]);
            case "isWrapperFor" -> false;
            default -> throw new SQLFeatureNotSupportedException("Spark statement: " + name + " is not supported");
        };
    }

    private Object param(Object[] args, String literal) {
        parameters.put((Integer) args[0], literal);
        return null;
    }

    private String bound() throws SQLException {
        if (prepared == null) throw new SQLException("no SQL given");
        return SqlLiterals.bind(prepared, parameters);
    }

    /** Runs sql; true when it is a query, whose rows are then in {@link #current}. */
    private boolean execute(String sql) throws SQLException {
        current = null;
        updateCount = -1;
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(SparkJdbcStatement.class.getClassLoader());
        try {
            Dataset<Row> df = session.sql(SqlLiterals.standardQuotes(sql));
            if (!returnsRows(sql)) return false;
            current = SparkJdbcResultSet.of(df.schema(), df.collectAsList());
            return true;
        } catch (Exception e) { // Spark's AnalysisException is a checked exception to Java
            throw new SQLException(SparkErrors.message(e), sqlState(e), e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static String sqlState(Exception e) {
        return e instanceof org.apache.spark.SparkThrowable t ? t.getSqlState() : null;
    }

    /** Whether the statement's first word makes it a query (its rows are wanted) rather than a command. */
    static boolean returnsRows(String sql) {
        String s = SqlLiterals.stripLeadingComments(sql);
        while (s.startsWith("(")) s = s.substring(1).stripLeading();
        int end = 0;
        while (end < s.length() && Character.isLetter(s.charAt(end))) end++;
        String word = s.substring(0, end).toLowerCase(Locale.ROOT);
        return switch (word) {
            case "select", "with", "values", "show", "describe", "desc", "explain", "from", "table" -> true;
            default -> false;
        };
    }
}
