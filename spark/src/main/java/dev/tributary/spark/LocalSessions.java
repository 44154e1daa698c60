package dev.tributary.spark;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark application in this process ({@code local[N]}), with the settings the transform layer's SQL expects: ANSI,
 * {@code "quoted"} identifiers, timestamps without time zone in UTC, Iceberg's SQL extensions, loopback networking.
 * Apart from {@link RemoteSessions} because classic Spark's classes are absent from Spark Connect's class loader.
 */
final class LocalSessions {
    private LocalSessions() {}

    static SparkSession open(String master, Map<String, String> conf) {
        SparkSessions.quietLogs();
        SparkSessions.allowNettyUnsafe();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(LocalSessions.class.getClassLoader());
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

}
