package dev.tributary.sandbox.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.drivers.SnowflakeDriver;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Key-pair (JWT) login with the real driver: the registered key gets in, another key does not. */
class SnowflakeKeyPairTest {
    @Test
    void theRegisteredKeyLogsInAndAnotherIsRefused() throws Exception {
        SnowflakeDriver.load();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair registered = g.generateKeyPair();
        KeyPair stranger = g.generateKeyPair();
        try (SnowflakeSandbox sandbox = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults().withPublicKey("loader", registered.getPublic()))) {
            Properties p = new Properties();
            p.setProperty("account", sandbox.options().account());
            p.setProperty("user", "loader");
            p.setProperty("authenticator", "SNOWFLAKE_JWT");
            p.put("privateKey", registered.getPrivate());
            p.setProperty("db", "TRIBUTARY");
            try (Connection c = DriverManager.getConnection(sandbox.jdbcUrl(), p); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select current_user()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("LOADER");
            }
            p.put("privateKey", stranger.getPrivate());
            assertThatThrownBy(() -> DriverManager.getConnection(sandbox.jdbcUrl(), p)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(394304))
                    .hasMessageContaining("JWT token is invalid");
        }
    }
}
