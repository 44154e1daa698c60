package dev.tributary.transform.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Driver;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the Spark target's JDBC driver ({@code dev.tributary.spark.SparkDriver}) comes from: the classpath itself when
 * Spark is on it (the tributary-spark tests, an embedding application), else a class loader of its own over the
 * cached Spark jars ({@link SparkClasspath}, fetched on first use), whose parent is the JDK's platform loader so
 * Spark's libraries never meet tributary's. Only JDK types ({@code java.sql}) cross between the two.
 */
public final class SparkRuntime {
    static final String DRIVER = "dev.tributary.spark.SparkDriver";
    private static final java.util.Map<String, Driver> DRIVERS = new java.util.HashMap<>();

    private SparkRuntime() {}

    /**
     * The driver for a master, loading Spark on first use (fetching its jars if needed, with progress lines to
     * progress): for {@code local[N]} classic Spark (from the class path when it is there), for {@code sc://} Spark
     * Connect's client, always in a loader of its own (it cannot live beside classic Spark).
     */
    public static synchronized Driver driver(String master, Consumer<String> progress) {
        boolean connect = master.startsWith("sc://");
        String kind = connect ? "connect" : "local";
        Driver d = DRIVERS.get(kind);
        if (d != null) return d;

        ClassLoader own = SparkRuntime.class.getClassLoader();
        ClassLoader chosen = !connect && onClasspath(own) ? own
                : isolated(SparkClasspath.fromEnvironment(connect ? SparkClasspath.CONNECT_LISTING : SparkClasspath.LISTING).resolve(progress));
        d = instantiate(chosen);
        DRIVERS.put(kind, d);
        return d;
    }

    /** Stops the Spark applications the drivers started (a no-op when Spark was never used). */
    public static synchronized void shutdown() {
        for (Driver d : DRIVERS.values()) {
            try {
                d.getClass().getMethod("shutdown").invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot stop Spark: " + e, e);
            }
        }
    }

    static boolean onClasspath(ClassLoader l) {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, l);
            Class.forName(DRIVER, false, l);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The driver loaded from these jars in a loader of its own (what a user of tributary's jar gets). */
    public static Driver isolatedDriver(List<Path> jars) {
        return instantiate(isolated(jars));
    }

    static Driver instantiate(ClassLoader l) {
        // DriverManager finds drivers once per JVM through the context loader it first meets: let that be tributary's,
        // before Spark's loader is ever the context (else DuckDB's and PostgreSQL's drivers would stay unregistered)
        java.sql.DriverManager.getDrivers();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(l);
        try {
            return (Driver) Class.forName(DRIVER, true, l).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot load Spark's driver " + DRIVER + ": " + e, e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** A loader over Spark's jars that also defines the bridge classes ({@code dev.tributary.spark.*}) from tributary's jar. */
    public static ClassLoader isolated(List<Path> jars) {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return new BridgeLoader(urls, SparkRuntime.class.getClassLoader());
    }

    private static final class BridgeLoader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final ClassLoader home;

        BridgeLoader(URL[] urls, ClassLoader home) {
            super("tributary-spark", urls, ClassLoader.getPlatformClassLoader());
            this.home = home;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (!name.startsWith("dev.tributary.spark.")) return super.findClass(name);
            String resource = name.replace('.', '/') + ".class";
            try (InputStream in = home.getResourceAsStream(resource)) {
                if (in == null) throw new ClassNotFoundException(name + " (not in tributary's jar)");
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public URL findResource(String name) {
            URL own = super.findResource(name);
            if (own == null && name.startsWith("dev/tributary/spark/")) return home.getResource(name);
            return own;
        }
    }
}
