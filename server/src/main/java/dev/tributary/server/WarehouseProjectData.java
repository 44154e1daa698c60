package dev.tributary.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.project.ConnectionSettings;
import dev.tributary.project.Project;
import dev.tributary.spi.Config;
import dev.tributary.spi.DestinationSession.StoredState;
import dev.tributary.spi.LockInfoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * {@link ProjectData} read from a Tributary project: connections from tributary.yml, tables from the warehouse (DuckDB
 * file or PostgreSQL), sync state from the destination's own state API when one is given ({@link #withStates}), else
 * from the warehouse's state table, models from the transform project's target/manifest.json and
 * target/run_results.json, check history from {@code <models schema>_tributary.check_results}. Read-only: a short
 * connection per call, and a missing file or table reads as empty.
 */
public final class WarehouseProjectData implements ProjectData {
    /**
     * Where the warehouse is and how it is laid out.
     *
     * @param type          duckdb or postgres
     * @param schemaPrefix  PostgreSQL: prefix of every schema the destination creates ("" for DuckDB)
     * @param stateTable    the qualified, quoted sync-state table
     */
    public record Warehouse(String type, String jdbcUrl, String user, String password, String modelsSchema, String schemaPrefix, String stateTable) {
        public static Warehouse duckdb(Path file) {
            return new Warehouse("duckdb", "jdbc:duckdb:" + file.toAbsolutePath(), null, null, "main", "", "\"main\".\"_tributary_state\"");
        }

        public static Warehouse postgres(String jdbcUrl, String user, String password, String schemaPrefix) {
            String prefix = schemaPrefix.toLowerCase(Locale.ROOT);
            return new Warehouse("postgres", jdbcUrl, user, password, prefix + "public", prefix, quote(prefix + "tributary") + ".\"_tributary_state\"");
        }

        @Override
        public String toString() {
            return "Warehouse[" + type + ", " + jdbcUrl + "]";
        }
    }

    /** A connection of the project: its name, source type and the schema its tables land in. */
    public record ConnectionRef(String name, String type, String schema) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ConnectionRef> connections;
    private final Warehouse warehouse;
    private final Path targetDir;
    private String projectName = "";
    /** The destination's committed states ({@code DestinationSession.states()}); null: read the warehouse's state table. */
    private volatile Supplier<List<StoredState>> states;

    public WarehouseProjectData(List<ConnectionRef> connections, Warehouse warehouse, Path targetDir) {
        this.connections = List.copyOf(connections);
        this.warehouse = warehouse;
        this.targetDir = targetDir;
    }

    /** The project's connections, its destination as the warehouse, and {@code <project>/target} for dbt artifacts. */
    public static WarehouseProjectData of(Project project) {
        return of(project, destinationWarehouse(project));
    }

    /** The project's connections, with its models and check history read from the given warehouse (a lakehouse's DuckDB file). */
    public static WarehouseProjectData of(Project project, Warehouse warehouse) {
        List<ConnectionRef> refs = new ArrayList<>();
        for (ConnectionSettings c : project.connections().values()) refs.add(new ConnectionRef(c.name(), c.type(), c.schema()));
        WarehouseProjectData data = new WarehouseProjectData(refs, warehouse, project.dir().resolve("target"));
        data.projectName = project.name();
        return data;
    }

    /**
     * Reads when each stream last committed through the destination's own state API instead of the warehouse's state
     * table: an Iceberg lakehouse keeps its states in snapshot summaries, not in a table the pages could query.
     */
    public WarehouseProjectData withStates(Supplier<List<StoredState>> states) {
        this.states = java.util.Objects.requireNonNull(states, "states is null");
        return this;
    }

    private static Warehouse destinationWarehouse(Project project) {
        Config d = project.destinationConfig();
        return switch (project.destinationType()) {
            case "postgres", "postgresql" -> {
                String url = d.optString("url").map(String::trim).orElseGet(() ->
                        "jdbc:postgresql://" + d.string("host").trim() + ":" + d.intValue("port", 5432) + "/" + d.string("database").trim());
                yield Warehouse.postgres(url, d.optString("user").orElse(null), d.optString("password").orElse(null), d.string("schema_prefix", ""));
            }
            default -> {
                String path = d.string("path", project.dir().resolve("warehouse.duckdb").toString());
                // an in-memory destination lives and dies with the sync; there is nothing to read
                if (path.startsWith(":")) yield new Warehouse("duckdb", "jdbc:duckdb:", null, null, "main", "", "\"main\".\"_tributary_state\"");
                Path file = path.startsWith("jdbc:duckdb:") ? Path.of(path.substring("jdbc:duckdb:".length())) : Path.of(path);
                yield Warehouse.duckdb(file.isAbsolute() ? file : project.dir().resolve(file));
            }
        };
    }

    @Override
    public String projectName() {
        return projectName;
    }

    @Override
    public List<ConnectionInfo> connections() {
        return read("connections", c -> {
            List<ConnectionInfo> out = new ArrayList<>();
            Map<String, Instant> lastSyncs = c == null ? Map.of() : lastSyncs(c);
            for (ConnectionRef ref : connections) {
                String schema = schemaOf(ref);
                List<StreamInfo> streams = c == null ? List.of() : streams(c, ref.name(), schema, lastSyncs);
                out.add(new ConnectionInfo(ref.name(), ref.type(), schema, streams));
            }
            return out;
        });
    }

    @Override
    public ConnectionInfo connectionData(String name, String type, String schema) {
        ConnectionRef ref = new ConnectionRef(name, type, schema);
        return read("connection " + name, c -> new ConnectionInfo(name, type, schemaOf(ref),
                c == null ? List.of() : streams(c, name, schemaOf(ref), lastSyncs(c))));
    }

    private String schemaOf(ConnectionRef ref) {
        return warehouse.type().equals("postgres") ? (warehouse.schemaPrefix() + ref.schema()).toLowerCase(Locale.ROOT) : ref.schema();
    }

    private Map<String, Instant> lastSyncs(Connection c) {
        Map<String, Instant> out = new HashMap<>();
        Supplier<List<StoredState>> destinationStates = states;
        if (destinationStates != null) {
            List<StoredState> stored;
            try {
                stored = destinationStates.get();
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot read the sync state from the destination: " + publicText(e.getMessage()), e);
            }
            for (StoredState s : stored) {
                out.merge(s.connection() + "\u0000" + s.state().stream().name().toLowerCase(Locale.ROOT), s.committedAt(),
                        (a, b) -> a.isAfter(b) ? a : b);
            }
            return out;
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select connection, stream, max(committed_at) from " + warehouse.stateTable() + " group by connection, stream")) {
            while (rs.next()) {
                Instant at = instant(rs.getObject(3));
                if (at != null) out.put(rs.getString(1) + "\u0000" + rs.getString(2).toLowerCase(Locale.ROOT), at);
            }
        } catch (SQLException e) {
            return Map.of(); // no sync has run yet
        }
        return out;
    }

    private List<StreamInfo> streams(Connection c, String connection, String schema, Map<String, Instant> lastSyncs) throws SQLException {
        Map<String, List<ColumnInfo>> tables = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select table_name, column_name, data_type from information_schema.columns"
                + " where table_schema = ? order by table_name, ordinal_position")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    if (table.startsWith("_tributary")) continue;
                    tables.computeIfAbsent(table, t -> new ArrayList<>()).add(new ColumnInfo(rs.getString(2), rs.getString(3)));
                }
            }
        }
        List<StreamInfo> out = new ArrayList<>();
        for (Map.Entry<String, List<ColumnInfo>> t : tables.entrySet()) {
            boolean hasExtractedAt = t.getValue().stream().anyMatch(col -> col.name().equals("_tributary_extracted_at"));
            String relation = quote(schema) + "." + quote(t.getKey());
            Optional<Long> rows = Optional.empty();
            Instant extractedAt = null;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*)" + (hasExtractedAt ? ", max(\"_tributary_extracted_at\")" : "") + " from " + relation)) {
                if (rs.next()) {
                    rows = Optional.of(rs.getLong(1));
                    if (hasExtractedAt) extractedAt = instant(rs.getObject(2));
                }
            } catch (SQLException e) {
                // a table dropped between listing and counting: shown without a count
            }
            Instant lastSync = lastSyncs.getOrDefault(connection + "\u0000" + t.getKey().toLowerCase(Locale.ROOT), extractedAt);
            out.add(new StreamInfo(t.getKey(), rows, Optional.ofNullable(lastSync), t.getValue()));
        }
        return out;
    }

    @Override
    public List<ModelInfo> models() {
        JsonNode manifest = readJson(targetDir.resolve("manifest.json"));
        if (manifest == null) return List.of();
        LastResults last = lastResults();
        Map<String, String> names = new HashMap<>();
        manifest.path("sources").forEach(s -> names.put(s.path("unique_id").asText(), s.path("source_name").asText() + "." + s.path("name").asText()));
        manifest.path("nodes").forEach(n -> names.put(n.path("unique_id").asText(), n.path("name").asText()));
        List<ModelInfo> out = new ArrayList<>();
        manifest.path("sources").forEach(s -> out.add(new ModelInfo(s.path("unique_id").asText(), names.get(s.path("unique_id").asText()), "source", "source",
                text(s, "relation_name"), Optional.empty(), Optional.empty(), List.of(), Optional.empty())));
        manifest.path("nodes").forEach(n -> {
            String kind = n.path("resource_type").asText();
            if (!kind.equals("model") && !kind.equals("seed") && !kind.equals("snapshot")) return;
            String id = n.path("unique_id").asText();
            List<String> deps = new ArrayList<>();
            n.path("depends_on").path("nodes").forEach(d -> {
                String name = names.get(d.asText());
                if (name != null) deps.add(name);
            });
            Optional<ModelResult> result = Optional.ofNullable(last.results().get(id));
            // a manifest written by parse or compile may lack compiled code that the last run recorded
            Optional<String> compiled = text(n, "compiled_code").or(() -> Optional.ofNullable(last.compiledSql().get(id)));
            out.add(new ModelInfo(id, n.path("name").asText(), kind, n.path("config").path("materialized").asText(kind),
                    text(n, "relation_name"), text(n, "raw_code"), compiled, deps, result));
        });
        return out;
    }

    private record LastResults(Map<String, ModelResult> results, Map<String, String> compiledSql) {}

    private LastResults lastResults() {
        JsonNode runResults = readJson(targetDir.resolve("run_results.json"));
        Map<String, ModelResult> out = new HashMap<>();
        Map<String, String> compiledSql = new HashMap<>();
        LastResults last = new LastResults(out, compiledSql);
        if (runResults == null) return last;
        for (JsonNode r : runResults.path("results")) {
            Optional<Instant> completed = Optional.empty();
            for (JsonNode t : r.path("timing")) {
                if (t.path("name").asText().equals("execute")) completed = parseInstant(t.path("completed_at").asText());
            }
            String id = r.path("unique_id").asText();
            out.put(id, new ModelResult(r.path("status").asText(), r.path("message").asText(""), r.path("execution_time").asDouble(), completed));
            text(r, "compiled_code").ifPresent(sql -> compiledSql.put(id, sql));
        }
        return last;
    }

    @Override
    public Optional<ModelInfo> model(String name) {
        return models().stream().filter(m -> m.name().equals(name) && !m.kind().equals("source")).findFirst()
                .or(() -> models().stream().filter(m -> m.name().equals(name)).findFirst());
    }

    @Override
    public Optional<Long> rowCount(ModelInfo model) {
        if (model.relation().isEmpty()) return Optional.empty();
        return read("rows\u0000" + model.relation().get(), c -> {
            if (c == null) return Optional.<Long>empty();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from " + model.relation().get())) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
            } catch (SQLException e) {
                return Optional.<Long>empty(); // not built yet
            }
        });
    }

    @Override
    public List<CheckResult> latestChecks() {
        String sql = "select * from (select r.*, row_number() over (partition by check_name order by run_at desc) as rn from "
                + TABLE + " r) latest where rn = 1";
        Map<String, CheckResult> latest = new LinkedHashMap<>();
        for (CheckResult r : readChecks(sql, null)) latest.merge(r.name(), r, (a, b) -> newer(b, a) ? b : a);
        List<CheckResult> out = new ArrayList<>(latest.values());
        out.sort(java.util.Comparator.comparingInt(CheckResult::severity).thenComparing(CheckResult::name));
        return out;
    }

    @Override
    public List<CheckResult> checkHistory(String checkName, int limit) {
        int n = Math.max(1, limit);
        List<CheckResult> out = new ArrayList<>(readChecks("select * from " + TABLE + " where check_name = ? order by run_at desc limit " + n, checkName));
        out.sort((a, b) -> newer(a, b) ? -1 : newer(b, a) ? 1 : 0);
        return out.size() > n ? List.copyOf(out.subList(0, n)) : out;
    }

    @Override
    public Map<String, Long> checkFailureCounts() {
        return read("check failures", c -> {
            Map<String, Long> out = new java.util.TreeMap<>();
            if (c == null) return out;
            for (String table : checkTables(c)) {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("select check_name, count(*) from " + table + " where status in ('fail', 'error') group by check_name")) {
                    while (rs.next()) out.merge(rs.getString(1), rs.getLong(2), Long::sum);
                } catch (SQLException e) {
                    // no checks have run there yet
                }
            }
            return out;
        });
    }

    /** Where a check-history query names its table: each of {@link #checkTables} in turn. */
    private static final String TABLE = "{check_results}";

    private static boolean newer(CheckResult a, CheckResult b) {
        return a.runAt() != null && (b.runAt() == null || a.runAt().isAfter(b.runAt()));
    }

    /**
     * Every check history in the warehouse: {@code <models schema>_tributary.check_results} first, then any other
     * {@code <schema>_tributary.check_results}: in a lakehouse's DuckDB file, the checks a Spark build stored in the
     * lakehouse ({@code analytics_tributary.check_results}, an Iceberg table read through its view).
     */
    private List<String> checkTables(Connection c) {
        List<String> out = new ArrayList<>(List.of(checkTable()));
        try (PreparedStatement ps = c.prepareStatement("select table_schema from information_schema.tables where table_name = 'check_results'"
                + " and table_schema like ? escape '!' order by table_schema")) {
            ps.setString(1, "%!_tributary");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = quote(rs.getString(1)) + ".\"check_results\"";
                    if (!out.contains(table)) out.add(table);
                }
            }
        } catch (SQLException e) {
            // the catalog cannot be listed: the models schema's history only
        }
        return out;
    }

    private String checkTable() {
        return quote(warehouse.modelsSchema() + "_tributary") + ".\"check_results\"";
    }

    private List<CheckResult> readChecks(String sql, String param) {
        return read("checks\u0000" + sql + "\u0000" + param, c -> {
            List<CheckResult> out = new ArrayList<>();
            if (c == null) return out;
            for (String table : checkTables(c)) out.addAll(readChecks(c, sql.replace(TABLE, table), param));
            return out;
        });
    }

    private List<CheckResult> readChecks(Connection c, String sql, String param) {
        List<CheckResult> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double v = rs.getDouble("measured_value");
                    Optional<Double> value = rs.wasNull() ? Optional.empty() : Optional.of(v);
                    out.add(new CheckResult(rs.getString("check_name"), nonNull(rs.getString("check_type")), nonNull(rs.getString("table_name")),
                            nonNull(rs.getString("column_name")), nonNull(rs.getString("status")), value, nonNull(rs.getString("warn_threshold")),
                            nonNull(rs.getString("fail_threshold")), rs.getString("samples") == null ? "[]" : rs.getString("samples"),
                            nonNull(rs.getString("message")), instant(rs.getObject("run_at"))));
                }
            }
        } catch (SQLException e) {
            return List.of(); // no checks have run yet
        }
        return out;
    }

    @Override
    public QueryResult query(String sql, int maxRows) {
        return query(sql, List.of(), maxRows);
    }

    @Override
    public QueryResult query(String sql, List<Object> parameters, int maxRows) {
        return read("query\u0000" + maxRows + "\u0000" + sql + "\u0000" + parameters, c -> {
            if (c == null) throw new IllegalStateException("the warehouse does not exist yet (no sync has run)");
            return query(c, sql, parameters, maxRows);
        });
    }

    @Override
    public List<ColumnInfo> columns(ModelInfo model) {
        if (model.relation().isEmpty()) return List.of();
        List<String> parts = relationParts(model.relation().get());
        if (parts.size() < 2) return List.of();
        String schema = parts.get(parts.size() - 2);
        String table = parts.get(parts.size() - 1);
        return read("columns\u0000" + model.relation().get(), c -> {
            List<ColumnInfo> out = new ArrayList<>();
            if (c == null) return out;
            try (PreparedStatement ps = c.prepareStatement("select column_name, data_type from information_schema.columns"
                    + " where table_schema = ? and table_name = ? order by ordinal_position")) {
                ps.setString(1, schema);
                ps.setString(2, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new ColumnInfo(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        });
    }

    /** {@code "db"."schema"."table"} or {@code schema.table} as its unquoted parts. */
    static List<String> relationParts(String relation) {
        List<String> parts = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"((?:[^\"]|\"\")*)\"|([^.\"]+)").matcher(relation.trim());
        while (m.find()) parts.add(m.group(1) != null ? m.group(1).replace("\"\"", "\"") : m.group(2).trim());
        return parts;
    }

    private QueryResult query(Connection c, String sql, List<Object> parameters, int maxRows) {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setMaxRows(maxRows);
            for (int i = 0; i < parameters.size(); i++) {
                Object p = parameters.get(i);
                if (p instanceof Instant at) s.setTimestamp(i + 1, java.sql.Timestamp.from(at));
                else s.setObject(i + 1, p);
            }
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) columns.add(md.getColumnLabel(i));
                List<List<Object>> rows = new ArrayList<>();
                while (rs.next() && rows.size() < maxRows) {
                    List<Object> row = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) row.add(rs.getObject(i));
                    rows.add(row);
                }
                return new QueryResult(columns, rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(publicMessage(e), e);
        }
    }

    @Override
    public String selectAllFrom(String modelName) {
        String relation = model(modelName).flatMap(ModelInfo::relation).orElse(quote(warehouse.modelsSchema()) + "." + quote(modelName));
        return "select * from " + relation;
    }

    /** Said instead of a page while a writer holds the warehouse and nothing was read before. */
    static final String BUSY = "The warehouse is busy: a sync or another command is writing to it. Try again in a moment.";
    /** Answers kept per question, so that pages read while a writer holds the DuckDB file show the last known view. */
    private static final int CACHED_ANSWERS = 500;

    private final Map<String, Object> lastKnown = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > CACHED_ANSWERS;
        }
    });

    /** Work on an open connection, or on null when the warehouse does not exist yet. */
    @FunctionalInterface
    private interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Answers {@code read} on a connection held only for the read; while a writer holds the DuckDB file, answers what
     * the same question got last time, or a polite busy page (503) when it was never asked. A failure never shows
     * the warehouse's path, the process or the program holding it.
     */
    @SuppressWarnings("unchecked")
    private <T> T read(String key, Read<T> read) {
        T answer;
        try (Connection c = open().orElse(null)) {
            answer = read.run(c);
        } catch (Busy busy) {
            Object known = lastKnown.get(key);
            if (known != null) return (T) known;
            throw new HttpProblem(503, BUSY);
        } catch (SQLException e) {
            if (isLockConflict(e)) {
                Object known = lastKnown.get(key);
                if (known != null) return (T) known;
                throw new HttpProblem(503, BUSY);
            }
            throw new IllegalStateException("cannot read the warehouse: " + publicMessage(e), e);
        }
        if (answer != null) lastKnown.put(key, answer);
        return answer;
    }

    /** The DuckDB file is held by a writer. */
    private static final class Busy extends RuntimeException {
        Busy(Throwable cause) {
            super(BUSY, cause, false, false);
        }
    }

    /**
     * A connection to the warehouse, or empty when a DuckDB file does not exist yet (opening would create it). A
     * DuckDB file is opened read-only (readers share it) and only when no writer has announced itself in the lock
     * file next to it; a writer in this process (serve's own sync) is joined with its configuration, as DuckDB
     * lets one process open a file only one way.
     */
    private Optional<Connection> open() throws SQLException {
        if (warehouse.type().equals("duckdb")) return openDuckDb();
        Properties props = new Properties();
        if (warehouse.user() != null) props.setProperty("user", warehouse.user());
        if (warehouse.password() != null) props.setProperty("password", warehouse.password());
        Connection c = DriverManager.getConnection(warehouse.jdbcUrl(), props);
        c.setReadOnly(true);
        return Optional.of(c);
    }

    private Optional<Connection> openDuckDb() throws SQLException {
        String path = warehouse.jdbcUrl().substring("jdbc:duckdb:".length());
        if (path.isEmpty() || path.startsWith(":memory:")) return Optional.of(DriverManager.getConnection(warehouse.jdbcUrl()));
        Path file = Path.of(path);
        if (!Files.exists(file)) return Optional.empty();
        // The lock file next to it (<file>.tributary-lock) is held by the Tributary process writing the file; looked at
        // through the registry of this JVM, as closing any handle on a file this JVM locks would drop its lock.
        LockInfoFiles.Holder writer = LockInfoFiles.probe(file.resolveSibling(file.getFileName() + ".tributary-lock"));
        if (writer == LockInfoFiles.Holder.OTHER_PROCESS) throw new Busy(null);
        // DuckDB opens a file in one process one way only: join a writer of this process (serve's own sync) on its
        // terms, read-only otherwise (a sync here that started since the look at the lock file is joined too).
        boolean readOnly = writer == LockInfoFiles.Holder.NONE;
        SQLException last = null;
        for (int attempt = 0; attempt < 40; attempt++) {
            Properties props = new Properties();
            if (readOnly) props.setProperty("duckdb.read_only", "true");
            try {
                return Optional.of(DriverManager.getConnection(warehouse.jdbcUrl(), props));
            } catch (SQLException e) {
                last = e;
                String m = String.valueOf(e.getMessage());
                if (m.contains("different configuration")) {
                    // Readers of this process hold it read-only while a sync here waits to write: let them drain.
                    if (!readOnly) throw new Busy(e);
                    readOnly = false;
                } else if (!m.contains("Unique file handle conflict")) {
                    throw e;
                }
                // A connection of this process is just closing the file, or the way to open it just changed.
                if (attempt > 0) java.util.concurrent.locks.LockSupport.parkNanos(25_000_000L);
            }
        }
        throw new Busy(last);
    }

    static boolean isLockConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("Conflicting lock") || m.contains("Could not set lock") || m.contains("Unique file handle conflict")
                    || m.contains("different configuration")) return true;
        }
        return false;
    }

    /** A database's message fit for a web page: no file paths, process ids or program names. */
    static String publicMessage(SQLException e) {
        return publicText(e.getMessage());
    }

    /** A message fit for a web page: no file paths, process ids or program names. */
    static String publicText(String message) {
        String m = String.valueOf(message);
        m = m.replaceAll("\\(PID \\d+\\)", "").replaceAll("\"/[^\"]*\"", "a file").replaceAll("(?<![\\w.])/[^\\s\"',;:)]+", "a file");
        return m.strip();
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            return null; // being rewritten: the writer moves a complete file in place, so the next read succeeds
        }
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? Optional.empty() : Optional.of(v.asText());
    }

    private static Optional<Instant> parseInstant(String s) {
        try {
            return Optional.of(Instant.parse(s));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Timestamp t -> t.toInstant();
            case OffsetDateTime o -> o.toInstant();
            case LocalDateTime l -> l.toInstant(ZoneOffset.UTC);
            case Instant i -> i;
            case java.util.Date d -> d.toInstant();
            default -> parseInstant(value.toString()).orElse(null);
        };
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
