package dev.tributary.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark applications this process runs: one per master and settings, started on the first connection and
 * kept for the next ones (Spark's start-up is the expensive part), stopped by {@link #stopAll()}.
 */
final class SparkSessions {
    private static final Map<String, SparkSession> ROOTS = new TreeMap<>();

    private SparkSessions() {}

    /**
     * A session for one connection: a new session of the shared local application (own temporary views and current
     * schema), or the one remote session of a Spark Connect URL (its server keeps the state per session id).
     */
    static synchronized SparkSession open(String where, Properties info) {
        Map<String, String> conf = sparkSettings(info);
        String key = where + " " + conf;
        SparkSession root = ROOTS.get(key);
        if (root == null) {
            if (!where.startsWith("sc://")) registerDrivers();
            root = where.startsWith("sc://") ? RemoteSessions.open(where) : LocalSessions.open(where, conf);
            ROOTS.put(key, root);
            return root;
        }
        return where.startsWith("sc://") ? root : root.newSession();
    }

    /**
     * Netty 4.2 stops using sun.misc.Unsafe on Java 25+ unless told, and Arrow (Iceberg's vectorized Parquet reader)
     * then fails casting its buffers: tell Spark's Netty and the shaded copies of Iceberg and of Spark Connect's client, as
     * {@code --sun-misc-unsafe-memory-access=allow} would (a flag the runnable jar cannot carry). A value already set wins.
     */
    static void allowNettyUnsafe() {
        for (String p : new String[] {"io.netty.noUnsafe", "org.apache.iceberg.shaded.io.netty.noUnsafe", "org.sparkproject.io.netty.noUnsafe"}) {
            if (System.getProperty(p) == null) System.setProperty(p, "false");
        }
    }

    /**
     * Registers the JDBC drivers of Spark's class path (SQLite, PostgreSQL: Iceberg's JDBC catalog) with DriverManager.
     * DriverManager looks drivers up once per JVM, with whatever context loader it met first; when tributary used it
     * before, Spark's copies were never registered and Iceberg found "no suitable driver".
     */
    static void registerDrivers() {
        for (java.sql.Driver d : java.util.ServiceLoader.load(java.sql.Driver.class, SparkSessions.class.getClassLoader())) {
            try {
                java.sql.DriverManager.registerDriver(d);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot register " + d.getClass().getName() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Spark's and Iceberg's INFO lines (plans, pushed filters) are not the user's business: warnings and errors only. */
    static void quietLogs() {
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            java.net.URL config = SparkSessions.class.getResource("log4j2-tributary.properties");
            if (config != null) System.setProperty("log4j2.configurationFile", config.toString());
        }
    }

    /** The properties naming Spark settings ({@code spark.*}), sorted so equal settings share an application. */
    static Map<String, String> sparkSettings(Properties info) {
        Map<String, String> conf = new TreeMap<>();
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                if (name.startsWith("spark.")) conf.put(name, info.getProperty(name));
            }
        }
        return conf;
    }

    /**
     * Stops every application and releases every remote session, each given 15 s: a Spark Connect server already gone
     * would make the client retry for minutes.
     */
    static synchronized void stopAll() {
        List<SparkSession> all = new ArrayList<>(ROOTS.values());
        ROOTS.clear();
        for (SparkSession s : all) {
            Thread stopper = new Thread(() -> {
                try {
                    s.stop();
                } catch (RuntimeException ignored) {
                    // stopping at the end of a command: a session already gone is fine
                }
            }, "tributary-spark-stop");
            stopper.setDaemon(true);
            stopper.start();
            try {
                stopper.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
