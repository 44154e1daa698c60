package dev.tributary.drivers;

import java.sql.Driver;
import java.util.function.Consumer;

/**
 * Snowflake's JDBC driver ({@code net.snowflake:snowflake-jdbc}, about 99 MB, not in tributary's jar): call {@link #load()}
 * before {@code DriverManager.getConnection("jdbc:snowflake://...")}. The first call on a machine fetches the jar
 * from the user's Maven repository or Maven Central into {@code ~/.cache/tributary/drivers} (see {@link DriverFetcher}).
 */
public final class SnowflakeDriver {
    public static final String DRIVER_CLASS = "net.snowflake.client.jdbc.SnowflakeDriver";
    /** The version tributary is tested with; its SHA-256 is Maven Central's ({@code .sha256}). Keep in step with the parent pom's snowflake.jdbc.version. */
    public static final MavenJar JAR = new MavenJar("net.snowflake", "snowflake-jdbc", "4.4.1", "cb225d78ac10336669797dfef8588cffb7e3dae689f14120935831b1f6ba2709");

    private SnowflakeDriver() {}

    /** {@link #load(Consumer)} telling progress on standard error. */
    public static Driver load() {
        return load(System.err::println);
    }

    /**
     * Registers Snowflake's driver with DriverManager (once per JVM), fetching it first if this machine has not yet; progress
     * gets a line when it downloads (and every 2 s while it does).
     *
     * @throws IllegalStateException when it cannot be fetched: naming the URLs tried and the cache folder
     */
    public static Driver load(Consumer<String> progress) {
        if (System.getProperty("net.snowflake.jdbc.disablePlatformDetection") == null) {
            // the driver otherwise probes cloud metadata endpoints for its telemetry at login: seconds and warnings off-cloud
            System.setProperty("net.snowflake.jdbc.disablePlatformDetection", "true");
        }
        return DriverLoader.register(DRIVER_CLASS, JAR, DriverFetcher.fromEnvironment(progress));
    }
}
