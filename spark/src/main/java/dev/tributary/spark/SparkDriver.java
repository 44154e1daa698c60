package dev.tributary.spark;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A JDBC face over a Spark session, so the transform layer runs Spark SQL as it runs DuckDB or PostgreSQL.
 * URL {@code jdbc:tributary-spark:local[2]} (an in-process Spark) or {@code jdbc:tributary-spark:sc://host:15002}
 * (Spark Connect); every property whose name starts with {@code spark.} is a Spark setting for a local session.
 * Connections of one URL and settings share one Spark application; each local connection is its own session
 * (its temporary views and current schema), as a pool's worker threads need.
 *
 * <p>It knows only the JDK and Spark: it is loaded in a class loader of its own next to Spark's jars.
 */
public final class SparkDriver implements Driver {
    public static final String PREFIX = "jdbc:tributary-spark:";

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) return null;
        String where = url.substring(PREFIX.length());
        // Spark and Hadoop find their parts (file systems, data sources) through the context class loader, and Hadoop
        // remembers the first answer: it must be Spark's loader from the very first call, on every thread
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(SparkDriver.class.getClassLoader());
        try {
            return SparkJdbcConnection.open(SparkSessions.open(where, info));
        } catch (RuntimeException e) {
            throw new SQLException("cannot start Spark (" + where + "): " + SparkErrors.message(e), e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 4;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no parent logger");
    }

    /** Stops every Spark application this driver started (the local ones; a remote session is released). */
    public static void shutdown() {
        SparkSessions.stopAll();
    }
}
