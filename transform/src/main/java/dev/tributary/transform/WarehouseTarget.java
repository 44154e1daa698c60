package dev.tributary.transform;

import static java.util.Objects.requireNonNull;

import dev.tributary.drivers.SnowflakeDriver;
import dev.tributary.spi.DuckDbFileOpener;
import dev.tributary.transform.dialect.Dialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;

/**
 * Where models are built: a DuckDB file or a PostgreSQL database, the default schema, and how many threads.
 * Comes from a profiles.yml target, or straight from a Tributary destination via {@link #duckdb} / {@link #postgres}.
 *
 * @param name the target name (exposed to Jinja as {@code target.name})
 * @param type {@code duckdb}, {@code postgres}, {@code spark} or {@code snowflake}
 * @param jdbcUrl a full JDBC URL ({@code jdbc:duckdb:/path/file.duckdb}, {@code jdbc:postgresql://host:5432/db},
 *     {@code jdbc:tributary-spark:local[2]?spark.sql.defaultCatalog=tributary&...} as {@link SparkTargets} builds it,
 *     {@code jdbc:snowflake://acme.snowflakecomputing.com:443/?account=acme&db=ANALYTICS&...} as {@link #snowflake} builds it)
 * @param schema the default schema models are built in
 * @param user database user, may be null (PostgreSQL only)
 * @param password database password (Snowflake: or the private key's passphrase), may be null; never printed
 * @param threads how many nodes may run at once
 */
public record WarehouseTarget(String name, String type, String jdbcUrl, String schema, String user, String password, int threads) {
    public WarehouseTarget {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        requireNonNull(schema, "schema is null");
        type = type.toLowerCase(Locale.ROOT).equals("postgresql") ? "postgres" : type.toLowerCase(Locale.ROOT);
        if (!type.equals("duckdb") && !type.equals("postgres") && !type.equals("spark") && !type.equals("snowflake")) throw new IllegalArgumentException("unsupported warehouse type: " + type);
        if (threads < 1) threads = 1;
    }

    /** A DuckDB file (created if missing); schema defaults to {@code main} when null. */
    public static WarehouseTarget duckdb(Path file, String schema, int threads) {
        return new WarehouseTarget("dev", "duckdb", "jdbc:duckdb:" + file.toAbsolutePath(), schema == null ? "main" : schema, null, null, threads);
    }

    /** A PostgreSQL database by JDBC URL; schema defaults to {@code public} when null. */
    public static WarehouseTarget postgres(String jdbcUrl, String schema, String user, String password, int threads) {
        return new WarehouseTarget("dev", "postgres", jdbcUrl, schema == null ? "public" : schema, user, password, threads);
    }

    /**
     * The factory for a Tributary destination: type {@code duckdb} (a file path or jdbc:duckdb URL) or
     * {@code postgres} (a JDBC URL).
     */
    public static WarehouseTarget of(String type, String urlOrPath, String schema, String user, String password) {
        String t = type.toLowerCase(Locale.ROOT);
        if (t.equals("duckdb")) {
            return urlOrPath.startsWith("jdbc:")
                    ? new WarehouseTarget("dev", "duckdb", urlOrPath, schema == null ? "main" : schema, null, null, 4)
                    : duckdb(Path.of(urlOrPath), schema, 4);
        }
        return postgres(urlOrPath, schema, user, password, 4);
    }

    /**
     * The database name dbt's {@code target.database} holds: DuckDB's catalog (the file's name up to its first dot,
     * {@code memory} in memory), PostgreSQL's dbname from the URL.
     */
    public String database() {
        String rest = jdbcUrl.substring(jdbcUrl.indexOf(':', 5) + 1);
        int query = rest.indexOf('?');
        if (query >= 0) rest = rest.substring(0, query);
        if (type.equals("spark")) return SparkTargets.defaultCatalog(jdbcUrl);
        if (type.equals("snowflake")) return urlParameter("db");
        if (type.equals("duckdb")) {
            if (rest.isEmpty() || rest.startsWith(":memory:")) return "memory";
            // DuckDB names the catalog after the file's name up to its first dot (wh.v2.duckdb is "wh")
            String file = Path.of(rest).getFileName().toString();
            int dot = file.indexOf('.');
            return dot > 0 ? file.substring(0, dot) : file;
        }
        if (!rest.startsWith("//")) return rest.isEmpty() ? "postgres" : rest;
        int slash = rest.indexOf('/', 2);
        return slash < 0 || slash == rest.length() - 1 ? "postgres" : rest.substring(slash + 1);
    }

    /**
     * Spark SQL over Iceberg tables: {@code master} {@code local[N]} (in-process) or {@code sc://host:port} (Spark Connect),
     * with Spark settings (the Iceberg catalog's, see {@link SparkTargets}); schema defaults to {@code analytics}.
     * The catalog's JDBC password, if any, goes in password (never in the URL).
     */
    public static WarehouseTarget spark(String master, String schema, int threads, java.util.Map<String, String> sparkSettings, String password) {
        return new WarehouseTarget("dev", "spark", SparkTargets.url(master, sparkSettings), schema == null ? "analytics" : schema, null, password, threads);
    }

    /**
     * Snowflake through its JDBC driver (dbt-snowflake's profile). host defaults to
     * {@code <account>.snowflakecomputing.com}, port to 443; protocol {@code http} (the local sandbox) adds {@code ssl=off}.
     * With privateKeyFile the login is key-pair (JWT) and password is the key's passphrase (or null).
     */
    public static WarehouseTarget snowflake(String account, String host, Integer port, String protocol, String user, String password, String privateKeyFile,
                                            String role, String warehouse, String database, String schema, int threads) {
        requireNonNull(account, "account is null");
        requireNonNull(database, "database is null");
        String h = host == null ? account + ".snowflakecomputing.com" : host;
        StringBuilder url = new StringBuilder("jdbc:snowflake://" + h + ":" + (port == null ? 443 : port) + "/?account=" + encode(account) + "&db=" + encode(database));
        if (schema != null) url.append("&schema=").append(encode(schema));
        if (warehouse != null) url.append("&warehouse=").append(encode(warehouse));
        if (role != null) url.append("&role=").append(encode(role));
        if (protocol != null && protocol.equalsIgnoreCase("http")) url.append("&ssl=off");
        if (privateKeyFile != null) url.append("&authenticator=SNOWFLAKE_JWT&private_key_file=").append(encode(privateKeyFile));
        return new WarehouseTarget("dev", "snowflake", url.toString(), schema == null ? "PUBLIC" : schema, user, password, threads);
    }

    private static String encode(String v) {
        return java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A parameter of the URL's query ({@code db} of a Snowflake URL), or null. */
    String urlParameter(String name) {
        int q = jdbcUrl.indexOf('?');
        if (q < 0) return null;
        for (String pair : jdbcUrl.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) return java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
        }
        return null;
    }

    public WarehouseTarget withThreads(int n) {
        return new WarehouseTarget(name, type, jdbcUrl, schema, user, password, n);
    }

    public WarehouseTarget withName(String n) {
        return new WarehouseTarget(n, type, jdbcUrl, schema, user, password, threads);
    }

    public Dialect dialect() {
        return Dialect.forType(type);
    }

    /**
     * Opens a new connection (auto-commit on). A DuckDB file held by a Tributary writer of another process stops at
     * once naming it; one held briefly by a reader (the web UI, a scrape) is waited for, as a sync does.
     */
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        if (type.equals("duckdb")) return DuckDbFileOpener.open(jdbcUrl, p);
        if (type.equals("spark")) return SparkTargets.connect(this);
        // Snowflake's driver is not in tributary's jar: the first connection on a machine fetches it (progress on stderr)
        if (type.equals("snowflake")) SnowflakeDriver.load();
        if (user != null) p.setProperty("user", user);
        if (type.equals("snowflake") && urlParameter("private_key_file") != null) {
            if (password != null) p.setProperty("private_key_pwd", password);
        } else if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl, p);
    }

    @Override
    public String toString() {
        return "WarehouseTarget[" + name + ", " + type + ", " + jdbcUrl.replaceAll("password=[^&]*", "password=***") + ", schema=" + schema + "]";
    }
}
