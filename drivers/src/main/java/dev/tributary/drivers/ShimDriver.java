package dev.tributary.drivers;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A driver of tributary's class loader standing for one loaded apart, so that DriverManager hands it to tributary's code.
 * Connecting runs with the driver's own loader as the thread's context loader (drivers look resources and services up there).
 */
final class ShimDriver implements Driver {
    private final Driver real;
    private final ClassLoader loader;

    ShimDriver(Driver real, ClassLoader loader) {
        this.real = real;
        this.loader = loader;
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            return real.connect(url, info);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return real.acceptsURL(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return real.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return real.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return real.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return real.jdbcCompliant();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return real.getParentLogger();
    }

    @Override
    public String toString() {
        return "ShimDriver[" + real.getClass().getName() + " from " + loader.getName() + "]";
    }
}
