package dev.tributary.drivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Driver;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Snowflake's real driver as tributary's jar gets it: fetched (here from this machine's Maven repository, as surefire
 * sets tributary.maven.repository) into the build's driver cache and loaded apart from the test's class path.
 */
class SnowflakeDriverLoadTest {
    @Test
    void theVersionFetchedIsTheOneTheBuildNames() {
        assertThat(SnowflakeDriver.JAR.version()).isEqualTo(System.getProperty("snowflake.jdbc.version"));
    }

    @Test
    void snowflakesDriverIsLoadedApartAndAnswersSnowflakeUrls() throws Exception {
        assertThatThrownBy(() -> Class.forName(SnowflakeDriver.DRIVER_CLASS)).as("not on the test's class path").isInstanceOf(ClassNotFoundException.class);
        List<String> progress = new ArrayList<>();
        Driver driver = SnowflakeDriver.load(progress::add);
        assertThat(DriverManager.getDriver("jdbc:snowflake://acme.snowflakecomputing.com:443/?account=acme")).isSameAs(driver);
        assertThat(driver.getMajorVersion()).isEqualTo(4);
        assertThat(driver.toString()).isEqualTo("ShimDriver[net.snowflake.client.jdbc.SnowflakeDriver from tributary-driver-snowflake-jdbc]");
        assertThat(DriverFetcher.fromEnvironment(line -> {}).file(SnowflakeDriver.JAR)).isRegularFile();
        assertThat(System.getProperty("net.snowflake.jdbc.disablePlatformDetection")).isEqualTo("true");
        assertThat(SnowflakeDriver.load(progress::add)).isSameAs(driver);
    }
}
