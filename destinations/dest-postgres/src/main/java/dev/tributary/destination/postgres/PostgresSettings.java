package dev.tributary.destination.postgres;

import dev.tributary.spi.Config;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.postgresql.Driver;
import org.postgresql.PGProperty;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The destination's settings, read through {@link Config} so that a misspelt key is reported: {@code url}, or
 * {@code host}, {@code port} and {@code database}; {@code user}, {@code password} (secret), {@code schema_prefix}
 * and {@code pool_size}. {@link #toString()} and {@link #describe()} never show the password, and neither does any
 * error about the settings (a password written into {@code url} is masked).
 */
final class PostgresSettings {
    static final int DEFAULT_PORT = 5432;
    static final int DEFAULT_POOL_SIZE = 4;
    private static final String URL_START = "jdbc:postgresql:";
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("//[^/@]*@");

    private final Optional<String> url;
    private final String host;
    private final int port;
    private final String database;
    private final Optional<String> user;
    private final Optional<String> password;
    private final String schemaPrefix;
    private final int poolSize;

    private PostgresSettings(Optional<String> url, String host, int port, String database, Optional<String> user, Optional<String> password,
            String schemaPrefix, int poolSize) {
        this.url = url;
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.schemaPrefix = schemaPrefix;
        this.poolSize = poolSize;
    }

    static PostgresSettings read(Config config) {
        Optional<String> url = config.optString("url").map(String::trim);
        Optional<String> host = config.optString("host").map(String::trim);
        boolean portGiven = config.has("port");
        int port = config.intValue("port", DEFAULT_PORT);
        Optional<String> database = config.optString("database").map(String::trim);
        Optional<String> user = config.optString("user");
        Optional<String> password = config.optString("password");
        String schemaPrefix = config.string("schema_prefix", "");
        int poolSize = config.intValue("pool_size", DEFAULT_POOL_SIZE);
        if (poolSize < 2) {
            throw config.error("pool_size", "must be at least 2 (one connection for each stream being written, one for the session), was " + poolSize);
        }
        if (url.isPresent()) {
            if (host.isPresent() || portGiven || database.isPresent()) {
                throw config.error("url", "give either url or host, port and database, not both");
            }
            if (URL_USER_INFO.matcher(url.get()).find()) {
                // The driver does not take user:password@host, and would log the password as a bad port number.
                throw config.error("url", "user:password@ is not supported in a JDBC url ('" + redact(url.get())
                        + "'); use the user and password settings");
            }
            Properties parsed = url.get().startsWith(URL_START) ? Driver.parseURL(url.get(), null) : null;
            if (parsed == null) {
                throw config.error("url", "expected jdbc:postgresql://host:port/database, got '" + redact(url.get()) + "'");
            }
            int parsedPort;
            try {
                parsedPort = Integer.parseInt(first(PGProperty.PG_PORT.getOrDefault(parsed), String.valueOf(DEFAULT_PORT)));
            } catch (NumberFormatException e) {
                throw config.error("url", "the port in '" + redact(url.get()) + "' is not a number");
            }
            return new PostgresSettings(url, first(PGProperty.PG_HOST.getOrDefault(parsed), "localhost"), parsedPort,
                    PGProperty.PG_DBNAME.getOrDefault(parsed), user.or(() -> Optional.ofNullable(PGProperty.USER.getOrDefault(parsed))),
                    password, schemaPrefix, poolSize);
        }
        if (host.isEmpty() || host.get().isEmpty()) throw config.error("host", "is required (or give url: jdbc:postgresql://host:port/database)");
        if (database.isEmpty() || database.get().isEmpty()) throw config.error("database", "is required (or give url: jdbc:postgresql://host:port/database)");
        if (port < 1 || port > 65535) throw config.error("port", "must be between 1 and 65535, was " + port);
        return new PostgresSettings(Optional.empty(), host.get(), port, database.get(), user, password, schemaPrefix, poolSize);
    }

    /** The driver's data source; the only place the password goes. */
    PGSimpleDataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        if (url.isPresent()) {
            ds.setURL(url.get());
        } else {
            ds.setServerNames(new String[] {host});
            ds.setPortNumbers(new int[] {port});
            ds.setDatabaseName(database);
        }
        user.ifPresent(ds::setUser);
        password.ifPresent(ds::setPassword);
        ds.setApplicationName("tributary");
        ds.setTcpKeepAlive(true);
        return ds;
    }

    String schemaPrefix() {
        return schemaPrefix;
    }

    int poolSize() {
        return poolSize;
    }

    /** Such as {@code PostgreSQL database test on 127.0.0.1:5432 as root}; never the password. */
    String describe() {
        return "PostgreSQL database " + database + " on " + host + ":" + port + user.map(u -> " as " + u).orElse("")
                + (schemaPrefix.isEmpty() ? "" : " (schema prefix " + schemaPrefix + ")");
    }

    /** {@code text} with the password, if it shows up there, masked. */
    String redactPassword(String text) {
        if (text == null) return null;
        String out = redact(text);
        if (password.isPresent() && !password.get().isEmpty()) out = out.replace(password.get(), "***");
        return out;
    }

    @Override
    public String toString() {
        return describe();
    }

    /** A URL with any {@code password=} parameter and user info masked. */
    static String redact(String url) {
        return URL_USER_INFO.matcher(URL_PASSWORD.matcher(url).replaceAll("$1***")).replaceAll("//***@");
    }

    /** The first of a comma-separated list of hosts or ports (the driver fails over between them). */
    private static String first(String list, String fallback) {
        if (list == null || list.isBlank()) return fallback;
        int comma = list.indexOf(',');
        return comma < 0 ? list : list.substring(0, comma);
    }
}
