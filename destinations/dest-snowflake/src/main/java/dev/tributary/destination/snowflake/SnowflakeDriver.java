package dev.tributary.destination.snowflake;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The one place the destination reaches Snowflake's JDBC driver: {@link dev.tributary.drivers.SnowflakeDriver#load()}
 * fetches it on a machine's first use (it is not in tributary's jar) and registers it with {@link DriverManager}.
 */
final class SnowflakeDriver {
    private SnowflakeDriver() {}

    static Connection connect(SnowflakeSettings settings) throws SQLException {
        try {
            dev.tributary.drivers.SnowflakeDriver.load();
        } catch (IllegalStateException e) {
            throw new SQLException(e.getMessage(), e);
        }
        return DriverManager.getConnection(settings.url(), settings.connectionProperties());
    }
}
