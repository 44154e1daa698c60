package dev.tributary.transform;

import dev.tributary.transform.spark.SparkRuntime;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The Spark target's pieces: its JDBC URL ({@code jdbc:tributary-spark:<master>?<spark settings>}), the Spark settings
 * of an Iceberg catalog (the lakehouse's: embedded SQLite, a JDBC catalog on PostgreSQL, a Hadoop folder or a REST
 * catalog), and opening a connection through {@link SparkRuntime}.
 */
public final class SparkTargets {
    public static final String URL_PREFIX = "jdbc:tributary-spark:";

    private SparkTargets() {}

    static String url(String master, Map<String, String> settings) {
        if (master == null || master.isBlank()) throw new IllegalArgumentException("a Spark master is required (local[2] or sc://host:15002)");
        StringBuilder url = new StringBuilder(URL_PREFIX).append(master.strip());
        String sep = "?";
        for (Map.Entry<String, String> e : settings.entrySet()) {
            url.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
            sep = "&";
        }
        return url.toString();
    }

    /** The master and the settings of a Spark target URL. */
    static Map<String, String> settings(String jdbcUrl) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = jdbcUrl.indexOf('?');
        if (q < 0) return out;
        for (String pair : jdbcUrl.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static String master(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return jdbcUrl.substring(URL_PREFIX.length(), q < 0 ? jdbcUrl.length() : q);
    }

    /** dbt's {@code target.database} for Spark: the default catalog. */
    static String defaultCatalog(String jdbcUrl) {
        return settings(jdbcUrl).getOrDefault("spark.sql.defaultCatalog", "spark_catalog");
    }

    static Connection connect(WarehouseTarget t) throws SQLException {
        Properties p = new Properties();
        Map<String, String> settings = settings(t.jdbcUrl());
        p.putAll(settings);
        String catalog = settings.get("spark.sql.defaultCatalog");
        if (t.password() != null && catalog != null) p.setProperty("spark.sql.catalog." + catalog + ".jdbc.password", t.password());
        for (Map.Entry<String, String> e : settings.entrySet()) { // the embedded catalog's folder, made on first use
            if (e.getKey().endsWith(".uri") && e.getValue().startsWith("jdbc:sqlite:")) {
                try {
                    java.nio.file.Files.createDirectories(Path.of(e.getValue().substring("jdbc:sqlite:".length())).toAbsolutePath().getParent());
                } catch (java.io.IOException ex) {
                    throw new SQLException("cannot create the lakehouse folder for " + e.getValue() + ": " + ex, ex);
                }
            }
        }
        String master = master(t.jdbcUrl());
        Connection c;
        ClassLoader context = Thread.currentThread().getContextClassLoader(); // Spark's start-up may leave its own behind
        try {
            c = SparkRuntime.driver(master, line -> System.err.println(line)).connect(URL_PREFIX + master, p);
        } catch (IllegalStateException e) {
            throw new SQLException(e.getMessage(), e);
        } finally {
            Thread.currentThread().setContextClassLoader(context);
        }
        if (c == null) throw new SQLException("the Spark driver refused " + URL_PREFIX + master);
        return c;
    }

    /**
     * Spark settings for an Iceberg catalog named name, made the session's default: {@code embedded} (Iceberg's JDBC
     * catalog in {@code <warehouse>/catalog.sqlite}, the lakehouse destination's default), {@code jdbc} (url, user; a
     * PostgreSQL database shared by several processes), {@code hadoop} (metadata in the warehouse folder; no views) or
     * {@code rest} (uri).
     */
    public static Map<String, String> icebergCatalog(String name, String type, Path warehouse, String url, String user) {
        String prefix = "spark.sql.catalog." + name;
        Map<String, String> s = new LinkedHashMap<>();
        s.put(prefix, "org.apache.iceberg.spark.SparkCatalog");
        switch (type) {
            case "embedded" -> {
                s.put(prefix + ".type", "jdbc");
                s.put(prefix + ".uri", "jdbc:sqlite:" + warehouse.resolve("catalog.sqlite").toAbsolutePath().normalize());
                s.put(prefix + ".jdbc.schema-version", "V1"); // V1 keeps views too
            }
            case "jdbc" -> {
                s.put(prefix + ".type", "jdbc");
                s.put(prefix + ".uri", url);
                s.put(prefix + ".jdbc.schema-version", "V1");
                if (user != null) s.put(prefix + ".jdbc.user", user);
            }
            case "hadoop" -> s.put(prefix + ".type", "hadoop");
            case "rest" -> {
                s.put(prefix + ".type", "rest");
                s.put(prefix + ".uri", url);
            }
            default -> throw new IllegalArgumentException("unknown Iceberg catalog type '" + type + "' (embedded, jdbc, hadoop, rest)");
        }
        if (warehouse != null) s.put(prefix + ".warehouse", warehouse.toAbsolutePath().normalize().toString());
        s.put("spark.sql.defaultCatalog", name);
        return s;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
