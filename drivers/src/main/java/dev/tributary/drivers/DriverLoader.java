package dev.tributary.drivers;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Makes a JDBC driver that is not in tributary's jar usable through {@link DriverManager}, once per JVM: the driver's jar
 * is fetched ({@link DriverFetcher}), loaded in a class loader of its own whose parent is the JDK's platform loader (its
 * libraries never meet tributary's), and a {@link ShimDriver} from tributary's loader is registered in front of it
 * (DriverManager hands a caller only drivers its own class loader can see).
 */
public final class DriverLoader {
    private static final Map<String, Driver> LOADED = new HashMap<>();

    private DriverLoader() {}

    /**
     * The driver class, registered with DriverManager: from the class path when it is there (an application that embeds
     * tributary with the driver), else from the jar, fetched when not cached yet. Later calls return the same driver.
     *
     * @throws IllegalStateException when the jar cannot be fetched (see {@link DriverFetcher#fetch}) or holds no such driver
     */
    public static synchronized Driver register(String driverClass, MavenJar jar, DriverFetcher fetcher) {
        Driver d = LOADED.get(driverClass);
        if (d != null) return d;
        d = fromClassPath(driverClass);
        if (d == null) d = fromJar(driverClass, jar, fetcher.fetch(jar));
        LOADED.put(driverClass, d);
        return d;
    }

    private static Driver fromClassPath(String driverClass) {
        try {
            // loading the class registers it (JDBC drivers do so in a static initializer)
            return (Driver) Class.forName(driverClass, true, DriverLoader.class.getClassLoader()).getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot load the JDBC driver " + driverClass + " from the class path: " + e, e);
        }
    }

    private static Driver fromJar(String driverClass, MavenJar jar, Path file) {
        URL url;
        try {
            url = file.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
        // DriverManager looks its drivers up once per JVM through the context loader it first meets: let that be ours
        DriverManager.getDrivers();
        ClassLoader loader = new URLClassLoader("tributary-driver-" + jar.artifact(), new URL[] {url}, ClassLoader.getPlatformClassLoader());
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Driver real = (Driver) Class.forName(driverClass, true, loader).getConstructor().newInstance();
            Driver shim = new ShimDriver(real, loader);
            DriverManager.registerDriver(shim);
            return shim;
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            throw new IllegalStateException("cannot load the JDBC driver " + driverClass + " from " + file + " (" + jar + "): " + e, e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot register the JDBC driver " + driverClass + " with DriverManager: " + e, e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
