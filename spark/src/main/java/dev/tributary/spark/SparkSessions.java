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
            root = where.startsWith("sc://") ? remote(where) : local(where, conf);
            ROOTS.put(key, root);
            return root;
        }
        return where.startsWith("sc://") ? root : root.newSession();
    }

    private static SparkSession local(String master, Map<String, String> conf) {
        quietLogs();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(SparkSessions.class.getClassLoader());
        try {
            org.apache.spark.sql.classic.SparkSession.Builder b = org.apache.spark.sql.classic.SparkSession.builder()
                    .master(master)
                    .appName("tributary")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.ansi.enabled", "true")
                    .config("spark.sql.ansi.doubleQuotedIdentifiers", "true")
                    .config("spark.sql.timestampType", "TIMESTAMP_NTZ")
                    .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
            for (Map.Entry<String, String> e : conf.entrySet()) b.config(e.getKey(), e.getValue());
            return b.getOrCreate();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** Spark's and Iceberg's INFO lines (plans, pushed filters) are not the user's business: warnings and errors only. */
    private static void quietLogs() {
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            java.net.URL config = SparkSessions.class.getResource("log4j2-tributary.properties");
            if (config != null) System.setProperty("log4j2.configurationFile", config.toString());
        }
    }

    private static SparkSession remote(String url) {
        quietLogs();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(SparkSessions.class.getClassLoader());
        try {
            SparkSession s = org.apache.spark.sql.connect.SparkSession.builder().remote(url).getOrCreate();
            // the same SQL as locally: ANSI, "quoted" identifiers, timestamps without time zone, in UTC
            s.conf().set("spark.sql.ansi.enabled", "true");
            s.conf().set("spark.sql.ansi.doubleQuotedIdentifiers", "true");
            s.conf().set("spark.sql.timestampType", "TIMESTAMP_NTZ");
            s.conf().set("spark.sql.session.timeZone", "UTC");
            return s;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
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

    static synchronized void stopAll() {
        List<SparkSession> all = new ArrayList<>(ROOTS.values());
        ROOTS.clear();
        for (SparkSession s : all) {
            try {
                s.stop();
            } catch (RuntimeException ignored) {
                // stopping at the end of a command: a session already gone is fine
            }
        }
    }
}
