package dev.tributary.source.jdbc;

import static java.util.Objects.requireNonNull;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database sources' settings, read through {@link Config} so that every error names file, line and key and
 * unknown keys are reported by the caller. See the module README for the reference. The password only ever
 * goes into {@link ConnectionSettings}.
 */
record JdbcConfig(ConnectionSettings connection, List<String> schemas, List<TablePattern> tables, Map<String, StreamOptions> overrides,
        List<NamedQuery> queries, StreamOptions defaults, Config settings) {
    static final int DEFAULT_BATCH_SIZE = 10_000;
    static final int DEFAULT_FETCH_SIZE = 10_000;

    JdbcConfig {
        requireNonNull(connection, "connection is null");
        schemas = List.copyOf(requireNonNull(schemas, "schemas is null"));
        tables = List.copyOf(requireNonNull(tables, "tables is null"));
        overrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(overrides, "overrides is null")));
        queries = List.copyOf(requireNonNull(queries, "queries is null"));
        requireNonNull(defaults, "defaults is null");
        requireNonNull(settings, "settings is null");
    }

    /**
     * How one table or query is read. {@code primaryKey} empty means "the table's own"; {@code where} is the
     * part of the configuration the options came from, for errors found later (a cursor naming no column).
     */
    record StreamOptions(Optional<String> cursor, Optional<List<String>> primaryKey, int batchSize, int fetchSize,
            Optional<Duration> cursorLag, Config where) {
        StreamOptions {
            requireNonNull(cursor, "cursor is null");
            requireNonNull(primaryKey, "primaryKey is null");
            primaryKey = primaryKey.map(List::copyOf);
            requireNonNull(cursorLag, "cursorLag is null");
            requireNonNull(where, "where is null");
            if (batchSize < 1 || fetchSize < 1) throw new IllegalArgumentException("batch and fetch sizes must be at least 1");
        }
    }

    /** A stream defined by a SELECT: its name, the SQL, and how to read it. */
    record NamedQuery(String name, String sql, StreamOptions options) {
        NamedQuery {
            requireNonNull(name, "name is null");
            requireNonNull(sql, "sql is null");
            requireNonNull(options, "options is null");
        }
    }

    /** An entry of {@code tables}: a name or glob, matched against {@code schema.table} when it holds a dot, else the table name. */
    record TablePattern(String text, Pattern regex, boolean qualified) {
        static TablePattern of(String text) {
            StringBuilder re = new StringBuilder();
            for (char ch : text.toCharArray()) {
                switch (ch) {
                    case '*' -> re.append(".*");
                    case '?' -> re.append('.');
                    default -> re.append(Pattern.quote(String.valueOf(ch)));
                }
            }
            return new TablePattern(text, Pattern.compile(re.toString()), text.contains("."));
        }

        boolean matches(String schema, String table) {
            return regex.matcher(qualified ? schema + "." + table : table).matches();
        }

        boolean isGlob() {
            return text.contains("*") || text.contains("?");
        }
    }

    static JdbcConfig from(Config c, Dialect dialect) {
        ConnectionSettings connection = connection(c, dialect);
        List<String> schemas = c.stringList("schemas").stream().map(String::strip).toList();
        if (schemas.stream().anyMatch(String::isEmpty)) throw c.error("schemas", "has an empty name");
        if (new HashSet<>(schemas).size() != schemas.size()) throw c.error("schemas", "names a schema twice");
        List<TablePattern> tables = new ArrayList<>();
        for (String t : c.stringList("tables")) {
            if (t.isBlank()) throw c.error("tables", "has an empty entry");
            tables.add(TablePattern.of(t.strip()));
        }
        int batchSize = positive(c, "batch_size", DEFAULT_BATCH_SIZE);
        int fetchSize = positive(c, "fetch_size", DEFAULT_FETCH_SIZE);
        StreamOptions defaults = new StreamOptions(Optional.empty(), Optional.empty(), batchSize, fetchSize, Optional.empty(), c);

        Map<String, StreamOptions> overrides = new LinkedHashMap<>();
        c.entries("overrides").forEach((table, o) -> {
            if (table.isBlank()) throw c.error("overrides", "has an empty table name");
            overrides.put(table, options(o, defaults));
        });

        List<NamedQuery> queries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Config q : c.list("queries")) {
            String name = q.string("name").strip();
            if (!name.matches("[\\p{L}_][\\p{L}\\p{N}_]*")) {
                throw q.error("name", "'" + name + "' must be letters, digits and underscores (no dots: those name schema.table streams)");
            }
            if (!names.add(name)) throw q.error("name", "query '" + name + "' is defined twice");
            String sql = trimSql(q.string("sql"));
            if (sql.isEmpty()) throw q.error("sql", "is empty");
            queries.add(new NamedQuery(name, sql, options(q, defaults)));
        }
        return new JdbcConfig(connection, schemas, tables, overrides, queries, defaults, c);
    }

    private static StreamOptions options(Config o, StreamOptions defaults) {
        Optional<String> cursor = o.optString("cursor").map(String::strip);
        if (cursor.isPresent() && cursor.get().isEmpty()) throw o.error("cursor", "is empty");
        Optional<List<String>> key = o.has("primary_key") ? Optional.of(o.stringList("primary_key").stream().map(String::strip).toList())
                : Optional.empty();
        if (key.isPresent() && new HashSet<>(key.get()).size() != key.get().size()) throw o.error("primary_key", "names a column twice");
        Optional<Duration> lag = o.optString("cursor_lag").map(s -> duration(o, "cursor_lag", s));
        if (lag.isPresent() && cursor.isEmpty()) throw o.error("cursor_lag", "needs a cursor");
        return new StreamOptions(cursor, key, positive(o, "batch_size", defaults.batchSize()), positive(o, "fetch_size", defaults.fetchSize()),
                lag, o);
    }

    private static ConnectionSettings connection(Config c, Dialect dialect) {
        Optional<String> written = c.optString("url").map(String::strip);
        boolean hostForm = c.has("host") || c.has("port") || c.has("database");
        Properties properties = dialect.defaultProperties();
        c.stringMap("properties").forEach(properties::setProperty);
        Optional<String> user = c.optString("user");
        Optional<String> password = c.optString("password");
        user.ifPresent(u -> properties.setProperty("user", u));
        password.ifPresent(p -> properties.setProperty("password", p));
        String url;
        if (written.isPresent()) {
            if (hostForm) throw c.error("url", "set either url, or host, port and database; not both");
            try {
                url = dialect.driverUrl(written.get());
            } catch (IllegalArgumentException e) {
                String shown = new ConnectionSettings(written.get(), properties, password.orElse(null)).location();
                throw c.error("url", "'" + shown + "' " + e.getMessage());
            }
        } else {
            String host = c.optString("host").map(String::strip).orElseThrow(() -> c.error("url",
                    "is required: a JDBC URL such as " + dialect.url("db.internal", dialect.defaultPort(), "app")
                            + ", or host, port, database, user and password"));
            if (host.isEmpty() || host.contains("/") || host.contains("?")) throw c.error("host", "must be a host name or address, got '" + host + "'");
            int port = c.intValue("port", dialect.defaultPort());
            if (port < 1 || port > 65535) throw c.error("port", "must be between 1 and 65535, got " + port);
            Optional<String> database = c.optString("database").map(String::strip);
            if (database.isEmpty() && !(dialect instanceof MySqlDialect)) throw c.error("database", "is required with host");
            url = dialect.url(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host, port, database.orElse(""));
        }
        return new ConnectionSettings(url, properties, password.orElse(null));
    }

    private static int positive(Config c, String key, int defaultValue) {
        int v = c.intValue(key, defaultValue);
        if (v < 1) throw c.error(key, "must be at least 1, got " + v);
        return v;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|sec|seconds?|m|min|minutes?|h|hours?|d|days?)?");

    /** "90", "90s", "5m", "2h", "1d". */
    static Duration duration(Config c, String key, String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) throw c.error(key, "expected a duration such as 30s, 5m or 1h, got '" + text + "'");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit.charAt(0)) {
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** The SQL without surrounding space and trailing semicolons, so it can be wrapped as a subquery. */
    static String trimSql(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) s = s.substring(0, s.length() - 1).strip();
        return s;
    }

    /** The options for a table: its override ({@code schema.table} before {@code table}) or the defaults. */
    StreamOptions optionsFor(String schema, String table) {
        StreamOptions o = overrides.get(schema + "." + table);
        if (o == null) o = overrides.get(table);
        return o == null ? defaults : o;
    }

    boolean selects(String schema, String table) {
        return tables.isEmpty() || tables.stream().anyMatch(p -> p.matches(schema, table));
    }

    Optional<NamedQuery> query(String name) {
        return queries.stream().filter(q -> q.name().equals(name)).findFirst();
    }

    /** Raised for a setting that names something the database does not have. */
    static ConfigException notFound(Config where, String key, String what, String name, String in, List<String> candidates) {
        String hint = Config.didYouMean(name, candidates);
        if (hint.isEmpty() && !candidates.isEmpty() && candidates.size() <= 20) hint = "; there are: " + String.join(", ", candidates);
        return where.error(key, "no " + what + " '" + name + "'" + (in.isEmpty() ? "" : " in " + in) + hint);
    }
}
