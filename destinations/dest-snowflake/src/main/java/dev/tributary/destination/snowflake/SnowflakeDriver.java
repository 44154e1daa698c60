package dev.tributary.destination.snowflake;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The one place the destination reaches Snowflake's JDBC driver ({@code net.snowflake.client.api.driver.SnowflakeDriver},
 * found by name through {@link DriverManager}), so the driver can come from a loader instead of the runnable jar.
 */
final class SnowflakeDriver {
    static final String DRIVER_CLASS = "net.snowflake.client.api.driver.SnowflakeDriver";

    private SnowflakeDriver() {}

    static Connection connect(SnowflakeSettings settings) throws SQLException {
        try {
            Class.forName(DRIVER_CLASS);
        } catch (ClassNotFoundException e) {
            throw new SQLException("Snowflake's JDBC driver (" + DRIVER_CLASS + ", net.snowflake:snowflake-jdbc) is not on the class path", e);
        }
        return DriverManager.getConnection(settings.url(), settings.connectionProperties());
    }
}
