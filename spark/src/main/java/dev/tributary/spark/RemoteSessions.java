package dev.tributary.spark;

import java.lang.reflect.InvocationTargetException;
import org.apache.spark.sql.SparkSession;

/**
 * Sessions on a remote Spark through Spark Connect. The client is reached by name: it runs in a class loader of its own
 * (its jars conflict with classic Spark's), where this class and the rest of the bridge are defined again.
 */
final class RemoteSessions {
    private RemoteSessions() {}

    static SparkSession open(String url) {
        SparkSessions.quietLogs();
        SparkSessions.allowNettyUnsafe(); // the client's Arrow needs it too
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(RemoteSessions.class.getClassLoader());
        try {
            Class<?> connect = Class.forName("org.apache.spark.sql.connect.SparkSession", true, RemoteSessions.class.getClassLoader());
            Object builder = connect.getMethod("builder").invoke(null);
            builder = builder.getClass().getMethod("remote", String.class).invoke(builder, url);
            SparkSession s = (SparkSession) builder.getClass().getMethod("getOrCreate").invoke(builder);
            // the same SQL as locally: ANSI, "quoted" identifiers, timestamps without time zone, in UTC
            s.conf().set("spark.sql.ansi.enabled", "true");
            s.conf().set("spark.sql.ansi.doubleQuotedIdentifiers", "true");
            s.conf().set("spark.sql.timestampType", "TIMESTAMP_NTZ");
            s.conf().set("spark.sql.session.timeZone", "UTC");
            return s;
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Spark Connect's client is not on this class path (" + e.getMessage() + ")", e);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start a Spark Connect session: " + e, e);
        }
    }
}
