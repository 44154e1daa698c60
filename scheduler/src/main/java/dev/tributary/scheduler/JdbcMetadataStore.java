package dev.tributary.scheduler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Pattern;

/**
 * The metadata store over JDBC: an embedded H2 file, or a schema of its own in PostgreSQL. The same SQL runs on
 * both; tables are created on open and a version row guards against a store written by a newer Tributary.
 * Thread-safe: each call borrows a connection from a small pool and is one transaction.
 */
public final class JdbcMetadataStore implements MetadataStore {
    /** The table layout this code writes; bump it with a migration when tables change. */
    static final int SCHEMA_VERSION = 2;
    private static final int POOL_SIZE = 4;
    private static final System.Logger LOG = System.getLogger(JdbcMetadataStore.class.getName());
    private static final long VALIDATE_IDLE_AFTER_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    private static final int VALIDATE_TIMEOUT_SECONDS = 2;
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private final String url;
    private final Properties credentials;
    private final String prefix;
    private final String description;
    private final boolean postgres;
    private final BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(POOL_SIZE);
    /** When each idle connection came back: one idle for a while is checked before use (the server may have dropped it). */
    private final Map<Connection, Long> idleSince = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean closed;
    /** For a short-lived process beside serve: the H2 folder whose published TCP server it prefers; null otherwise. */
    private Path clientOf;
    /** How often H2 refused this process its file because another process held it (for tests: CLI processes queue instead). */
    static final java.util.concurrent.atomic.AtomicLong fileRefusals = new java.util.concurrent.atomic.AtomicLong();
    /** The connections of a CLI command that hold its process's turn at the H2 file (see {@link FileTurn}). */
    private final java.util.Map<Connection, Boolean> gatedConnections = new java.util.IdentityHashMap<>();
    /** The loopback TCP server a serve process publishes for CLI commands, and its published address file. */
    private org.h2.tools.Server tcpServer;
    private Path published;

    /** The file in an H2 metadata folder naming the loopback port and key through which serve shares the database. */
    static final String SHARED_FILE = "shared-by-serve.properties";
    /** How long opening the H2 file waits while another process holds it for a moment (a CLI command's write). */
    private static final long LOCK_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;
    /** H2's "Error opening database"; with "Lock file recently modified" another process has just opened or closed the file. */
    private static final int H2_ERROR_OPENING_DATABASE = 8000;

    static {
        // The TCP server serve shares its store through listens on loopback only (H2 reads this once).
        if (System.getProperty("h2.bindAddress") == null) System.setProperty("h2.bindAddress", "127.0.0.1");
    }

    private JdbcMetadataStore(String url, Properties credentials, String schema, String description) {
        this.url = url;
        this.credentials = credentials;
        this.prefix = schema.isEmpty() ? "" : schema + ".";
        this.description = description;
        this.postgres = url.startsWith("jdbc:postgresql:");
    }

    /** An embedded H2 database in {@code folder} (created if missing), e.g. {@code <project>/.tributary/metadata}. */
    public static JdbcMetadataStore h2(Path folder) {
        Objects.requireNonNull(folder, "folder is null");
        try {
            Files.createDirectories(folder);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the metadata folder " + folder + ": " + e.getMessage(), e);
        }
        // FILE_LOCK=FILE (the default) keeps a second server off the same file; we close the database ourselves.
        // WRITE_DELAY=0: a commit reaches the file at once, so a killed server leaves no started run unrecorded.
        String url = h2Url(folder);
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        JdbcMetadataStore store = new JdbcMetadataStore(url, p, "", "H2 metadata store in " + folder.toAbsolutePath());
        store.createTables(false);
        return store;
    }

    private static String h2Url(Path folder) {
        return "jdbc:h2:file:" + folder.toAbsolutePath().resolve("metadata") + ";DB_CLOSE_ON_EXIT=FALSE;FILE_LOCK=FILE;WRITE_DELAY=0";
    }

    /**
     * The embedded store of a serve process, shared with the CLI commands run on the same project meanwhile: a loopback
     * TCP server (a random port, a random key only this folder's owner can read) is published in {@value #SHARED_FILE}
     * and removed on close. H2 keeps one process per file; this is how a second one reaches it while serve holds it.
     */
    public static JdbcMetadataStore h2Shared(Path folder) {
        // a serve that publishes the store and answers there holds the file: say so at once, not after H2's refusals
        Optional<String> shared = sharedUrl(folder);
        if (shared.isPresent()) {
            Properties p = new Properties();
            p.setProperty("user", "sa");
            p.setProperty("password", "");
            try (Connection c = DriverManager.getConnection(shared.get(), p)) {
                throw new MetadataStoreInUseException(folder, true, null);
            } catch (SQLException stale) {
                // a killed serve left its file behind: the file itself says whether it is free
            }
        }
        JdbcMetadataStore store;
        try {
            store = h2(folder);
        } catch (MetadataStoreException e) {
            if (e.getCause() instanceof SQLException sql && heldByAnother(sql)) throw new MetadataStoreInUseException(folder, false, e);
            throw e;
        }
        org.h2.tools.Server server = null;
        try {
            String key = java.util.HexFormat.of().formatHex(randomBytes());
            server = org.h2.tools.Server.createTcpServer("-tcpPort", "0", "-tcpDaemon", "-key", key,
                    "file:" + folder.toAbsolutePath().resolve("metadata")).start();
            Path file = folder.resolve(SHARED_FILE);
            Path tmp = folder.resolve(SHARED_FILE + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, ownerOnly());
            Files.writeString(tmp, "port=" + server.getPort() + "\nkey=" + key + "\n");
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            store.tcpServer = server;
            store.published = file;
        } catch (SQLException | java.io.IOException e) {
            // nobody can find a server whose key was not written: it must not stay open on a port
            if (server != null) server.stop();
            // Not fatal: serve still works; CLI commands then cannot record their runs while it runs, and say so.
            java.util.logging.Logger.getLogger(JdbcMetadataStore.class.getName()).warning(
                    "the metadata store is not shared with CLI commands (their runs are not recorded while serve runs): " + e.getMessage());
        }
        return store;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[24];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly() {
        if (!java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) return new java.nio.file.attribute.FileAttribute<?>[0];
        return new java.nio.file.attribute.FileAttribute<?>[] {
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))};
    }

    /**
     * The embedded store as a short-lived process (a CLI command) uses it: through the TCP server a running serve
     * publishes, else the file itself, opened for each write and closed right after, so serve can start meanwhile.
     */
    public static JdbcMetadataStore h2Client(Path folder) {
        Objects.requireNonNull(folder, "folder is null");
        try {
            Files.createDirectories(folder);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the metadata folder " + folder + ": " + e.getMessage(), e);
        }
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        JdbcMetadataStore store = new JdbcMetadataStore(h2Url(folder), p, "", "H2 metadata store in " + folder.toAbsolutePath());
        store.clientOf = folder;
        store.createTables(false);
        return store;
    }

    /** The JDBC URL of serve's shared TCP server for this folder, when it publishes one. */
    private static Optional<String> sharedUrl(Path folder) {
        Path file = folder.resolve(SHARED_FILE);
        if (!Files.isRegularFile(file)) return Optional.empty();
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        String port = props.getProperty("port", "");
        String key = props.getProperty("key", "");
        if (!port.matches("\\d{1,5}") || !key.matches("[0-9a-f]+")) return Optional.empty();
        return Optional.of("jdbc:h2:tcp://127.0.0.1:" + port + "/" + key);
    }

    /**
     * PostgreSQL: tables in {@code schema} (created if missing). {@code user} and {@code password} may be null when
     * the URL carries them.
     */
    public static JdbcMetadataStore postgres(String url, String user, String password, String schema) {
        Objects.requireNonNull(url, "url is null");
        Objects.requireNonNull(schema, "schema is null");
        if (!url.startsWith("jdbc:postgresql:")) throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + redact(url));
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema names are lower-case letters, digits and '_': '" + schema + "'");
        }
        Properties p = new Properties();
        if (user != null) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        // a store that stops answering must fail a call, not hang it: the same parameters in the URL take precedence
        p.setProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
        p.setProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        p.setProperty("tcpKeepAlive", "true");
        // a process frozen inside a transaction (SIGSTOP, a long pause) would hold its locks, e.g. a run's row a reaper must
        // hand back: the server ends such a session after IDLE_IN_TRANSACTION
        p.setProperty("options", "-c statement_timeout=" + STATEMENT_TIMEOUT.toMillis() + " -c lock_timeout=" + STATEMENT_TIMEOUT.toMillis()
                + " -c idle_in_transaction_session_timeout=" + IDLE_IN_TRANSACTION.toMillis());
        JdbcMetadataStore store = new JdbcMetadataStore(url, p, schema, "PostgreSQL metadata store " + redact(url) + " schema " + schema);
        store.createTables(true);
        return store;
    }

    /** PostgreSQL store: opening a connection gives up after this. */
    static final java.time.Duration CONNECT_TIMEOUT = java.time.Duration.ofSeconds(10);
    /** PostgreSQL store: the server cancels a statement (or a lock wait) running longer than this. */
    static final java.time.Duration STATEMENT_TIMEOUT = java.time.Duration.ofSeconds(20);
    /** PostgreSQL store: the server ends a session left inside a transaction this long (its process froze mid-call). */
    static final java.time.Duration IDLE_IN_TRANSACTION = java.time.Duration.ofSeconds(5);
    /** PostgreSQL store: a call whose server sends nothing for this long fails (a server or network that froze). */
    static final java.time.Duration SOCKET_TIMEOUT = java.time.Duration.ofSeconds(30);

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private void createTables(boolean createSchema) {
        List<String> ddl = new ArrayList<>();
        if (createSchema) ddl.add("CREATE SCHEMA IF NOT EXISTS " + prefix.substring(0, prefix.length() - 1));
        ddl.add("CREATE TABLE IF NOT EXISTS " + t("schema_version") + " (version INTEGER NOT NULL)");
        ddl.add("CREATE TABLE IF NOT EXISTS " + t("runs") + " (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                + " pipeline VARCHAR(200) NOT NULL, status VARCHAR(20) NOT NULL, trigger_kind VARCHAR(40) NOT NULL,"
                + " due_at TIMESTAMP WITH TIME ZONE NOT NULL, started_at TIMESTAMP WITH TIME ZONE, ended_at TIMESTAMP WITH TIME ZONE,"
                + " error VARCHAR, rerun_of BIGINT, records BIGINT NOT NULL)");
        ddl.add("CREATE INDEX IF NOT EXISTS runs_by_pipeline ON " + t("runs") + " (pipeline, id)");
        ddl.add("CREATE INDEX IF NOT EXISTS runs_by_status ON " + t("runs") + " (status)");
        ddl.add("CREATE TABLE IF NOT EXISTS " + t("run_steps") + " (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                + " run_id BIGINT NOT NULL, step VARCHAR(200) NOT NULL, kind VARCHAR(20) NOT NULL, status VARCHAR(20) NOT NULL,"
                + " attempt INTEGER NOT NULL, started_at TIMESTAMP WITH TIME ZONE, ended_at TIMESTAMP WITH TIME ZONE,"
                + " records BIGINT NOT NULL, summary VARCHAR NOT NULL, error VARCHAR, UNIQUE (run_id, step))");
        ddl.add("CREATE TABLE IF NOT EXISTS " + t("run_log") + " (run_id BIGINT NOT NULL, seq BIGINT NOT NULL,"
                + " logged_at TIMESTAMP WITH TIME ZONE NOT NULL, log_level VARCHAR(10) NOT NULL, pipeline VARCHAR(200) NOT NULL,"
                + " system_name VARCHAR(200) NOT NULL, message VARCHAR NOT NULL, PRIMARY KEY (run_id, seq))");
        ddl.add("CREATE TABLE IF NOT EXISTS " + t("pipeline_schedule") + " (pipeline VARCHAR(200) PRIMARY KEY,"
                + " last_scheduled TIMESTAMP WITH TIME ZONE NOT NULL)");
        List<String> version2 = SharedTables.ddl(this::t, postgres); // schema version 2: several serve processes on one store
        if (postgres && upToDate()) return; // DDL takes table locks: workers already running on the store are left alone
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                // several workers starting at once: one lays out the tables, the others wait, then find them there
                if (postgres) s.execute("SELECT pg_advisory_xact_lock(" + DDL_LOCK + ")");
                for (String sql : ddl) s.execute(sql);
            }
            Integer found = storedVersion(c);
            if (found != null && found < 2) closeExtraLiveRuns(c); // before the index that allows one live run per pipeline
            try (Statement s = c.createStatement()) {
                for (String sql : version2) s.execute(sql);
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + t("schema_version"))) {
                rs.next();
                int version = rs.getInt(1);
                if (rs.wasNull()) {
                    s.executeUpdate("INSERT INTO " + t("schema_version") + " (version) VALUES (" + SCHEMA_VERSION + ")");
                } else if (version > SCHEMA_VERSION) {
                    throw new IllegalStateException(description + " was written by a newer Tributary (schema version " + version
                            + ", this one knows " + SCHEMA_VERSION + ")");
                } else if (version < SCHEMA_VERSION) {
                    // the steps above are additive (IF NOT EXISTS): an older store now has them
                    s.executeUpdate("UPDATE " + t("schema_version") + " SET version = " + SCHEMA_VERSION);
                }
            }
            return null;
        });
    }

    private Integer storedVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + t("schema_version"))) {
            rs.next();
            int v = rs.getInt(1);
            return rs.wasNull() ? null : v;
        }
    }

    /**
     * Upgrading to version 2: a version-1 store may hold several live (queued or running) runs of one pipeline, which
     * version 2 forbids (a unique index on PostgreSQL). The newest is kept; the others become FAILED with the reason in
     * their error and log (their running steps FAILED, pending ones CANCELLED), and a warning names them. Nothing is deleted.
     */
    private void closeExtraLiveRuns(Connection c) throws SQLException {
        String live = "status IN ('QUEUED', 'RUNNING')";
        List<long[]> extra = new ArrayList<>();
        List<String> pipelines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT r.id, r.pipeline, (SELECT MAX(n.id) FROM " + t("runs") + " n WHERE n.pipeline = r.pipeline AND n."
                + live + ") AS newest FROM " + t("runs") + " r WHERE r." + live + " AND r.pipeline <> ? AND EXISTS (SELECT 1 FROM " + t("runs")
                + " n WHERE n.pipeline = r.pipeline AND n." + live + " AND n.id > r.id) ORDER BY r.id")) {
            ps.setString(1, CliRuns.PIPELINE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    extra.add(new long[] {rs.getLong(1), rs.getLong(3)});
                    pipelines.add(rs.getString(2));
                }
            }
        }
        if (extra.isEmpty()) return;
        Instant now;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_TIMESTAMP")) {
            rs.next();
            now = rs.getObject(1, OffsetDateTime.class).toInstant();
        }
        List<String> named = new ArrayList<>();
        for (int i = 0; i < extra.size(); i++) {
            long id = extra.get(i)[0];
            String why = "closed by the upgrade to metadata schema version 2: pipeline " + pipelines.get(i) + " had a newer live run (" + extra.get(i)[1]
                    + "), and a pipeline has one live run at a time";
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("runs") + " SET status = 'FAILED', ended_at = ?, error = ? WHERE id = ?")) {
                ps.setObject(1, time(now));
                ps.setString(2, why);
                ps.setLong(3, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("run_steps") + " SET status = CASE WHEN status = 'PENDING' THEN 'CANCELLED' ELSE 'FAILED' END,"
                    + " ended_at = ?, error = ? WHERE run_id = ? AND status IN ('PENDING', 'RUNNING', 'RETRYING')")) {
                ps.setObject(1, time(now));
                ps.setString(2, why);
                ps.setLong(3, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("run_log") + " (run_id, seq, logged_at, log_level, pipeline, system_name, message)"
                    + " SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, 'ERROR', ?, 'scheduler', ? FROM " + t("run_log") + " WHERE run_id = ?")) {
                ps.setLong(1, id);
                ps.setObject(2, time(now));
                ps.setString(3, pipelines.get(i));
                ps.setString(4, why);
                ps.setLong(5, id);
                ps.executeUpdate();
            }
            named.add(id + " (" + pipelines.get(i) + ", newer run " + extra.get(i)[1] + ")");
        }
        LOG.log(System.Logger.Level.WARNING, description + ": upgrading to schema version 2 closed runs that were live beside a newer run of their"
                + " pipeline (now FAILED, with the reason in their log): " + String.join(", ", named));
    }

    /** An arbitrary key for PostgreSQL's advisory lock that serializes the table layout between processes. */
    private static final long DDL_LOCK = 0x7472_6962_7574_6172L;

    /** Whether the store's tables are at this code's schema version (a newer one is refused later, in createTables). */
    private boolean upToDate() {
        try {
            return inTransaction(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + t("schema_version"))) {
                    return rs.next() && rs.getInt(1) == SCHEMA_VERSION;
                }
            });
        } catch (MetadataStoreException e) {
            return false; // no tables yet
        }
    }

    @Override
    public RunRecord createRun(String pipeline, String trigger, Instant dueAt, Optional<Long> rerunOf) {
        Objects.requireNonNull(pipeline, "pipeline is null");
        Objects.requireNonNull(trigger, "trigger is null");
        Objects.requireNonNull(dueAt, "dueAt is null");
        Objects.requireNonNull(rerunOf, "rerunOf is null");
        return inTransaction(c -> insertRun(c, new NewRun(pipeline, trigger, dueAt, rerunOf)));
    }

    @Override
    public List<RunRecord> createRuns(List<NewRun> runs, java.util.Map<String, Instant> lastScheduled) {
        return inTransaction(c -> {
            List<RunRecord> out = new ArrayList<>();
            // one multi-row INSERT, then the schedule updates as one batch: a moment's 100 runs are one short transaction
            for (int from = 0; from < runs.size(); from += 500) out.addAll(insertRuns(c, runs.subList(from, Math.min(runs.size(), from + 500))));
            writeLastScheduled(c, lastScheduled);
            return out;
        });
    }

    private List<RunRecord> insertRuns(Connection c, List<NewRun> runs) throws SQLException {
        if (runs.size() == 1) return List.of(insertRun(c, runs.get(0)));
        String values = String.join(", ", java.util.Collections.nCopies(runs.size(), "(?, ?, ?, ?, ?, 0)"));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("runs") + " (pipeline, status, trigger_kind, due_at, rerun_of, records) VALUES "
                + values, Statement.RETURN_GENERATED_KEYS)) {
            int i = 1;
            for (NewRun run : runs) {
                ps.setString(i++, run.pipeline());
                ps.setString(i++, RunStatus.QUEUED.name());
                ps.setString(i++, run.trigger());
                ps.setObject(i++, time(run.dueAt()));
                setLong(ps, i++, run.rerunOf());
            }
            ps.executeUpdate();
            List<RunRecord> out = new ArrayList<>();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                for (NewRun run : runs) {
                    if (!keys.next()) throw new SQLException("the database returned fewer generated ids than runs inserted");
                    out.add(new RunRecord(keys.getLong(1), run.pipeline(), RunStatus.QUEUED, run.trigger(), truncate(run.dueAt()), Optional.empty(),
                            Optional.empty(), Optional.empty(), run.rerunOf(), 0));
                }
            }
            return out;
        }
    }

    private RunRecord insertRun(Connection c, NewRun run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("runs")
                + " (pipeline, status, trigger_kind, due_at, rerun_of, records) VALUES (?, ?, ?, ?, ?, 0)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, run.pipeline());
            ps.setString(2, RunStatus.QUEUED.name());
            ps.setString(3, run.trigger());
            ps.setObject(4, time(run.dueAt()));
            setLong(ps, 5, run.rerunOf());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new RunRecord(keys.getLong(1), run.pipeline(), RunStatus.QUEUED, run.trigger(), truncate(run.dueAt()), Optional.empty(),
                        Optional.empty(), Optional.empty(), run.rerunOf(), 0);
            }
        }
    }

    @Override
    public void updateRun(RunRecord run) {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("runs")
                    + " SET status = ?, started_at = ?, ended_at = ?, error = ?, records = ? WHERE id = ?")) {
                ps.setString(1, run.status().name());
                ps.setObject(2, time(run.startedAt()));
                ps.setObject(3, time(run.endedAt()));
                ps.setString(4, run.error().orElse(null));
                ps.setLong(5, run.records());
                ps.setLong(6, run.id());
                if (ps.executeUpdate() != 1) throw new IllegalArgumentException("no run " + run.id() + " in the metadata store");
            }
            return null;
        });
    }

    static final String RUN_COLUMNS = "id, pipeline, status, trigger_kind, due_at, started_at, ended_at, error, rerun_of, records";

    @Override
    public Optional<RunRecord> run(long id) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM " + t("runs") + " WHERE id = ?")) {
                ps.setLong(1, id);
                List<RunRecord> out = readRuns(ps);
                return out.isEmpty() ? Optional.<RunRecord>empty() : Optional.of(out.get(0));
            }
        });
    }

    @Override
    public List<RunRecord> runs(RunQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + RUN_COLUMNS + " FROM " + t("runs") + " WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        query.pipeline().ifPresent(p -> {
            sql.append(" AND pipeline = ?");
            args.add(p);
        });
        query.status().ifPresent(s -> {
            sql.append(" AND status = ?");
            args.add(s.name());
        });
        query.since().ifPresent(s -> {
            sql.append(" AND COALESCE(started_at, due_at) >= ?");
            args.add(time(s));
        });
        query.until().ifPresent(u -> {
            sql.append(" AND COALESCE(started_at, due_at) < ?");
            args.add(time(u));
        });
        query.text().ifPresent(text -> {
            String like = "%" + text.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            sql.append(" AND (LOWER(pipeline) LIKE ? ESCAPE '\\' OR LOWER(trigger_kind) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(error, '')) LIKE ? ESCAPE '\\')");
            args.add(like);
            args.add(like);
            args.add(like);
        });
        sql.append(" ORDER BY id DESC LIMIT ? OFFSET ?");
        args.add(Math.max(0, query.limit()));
        args.add(Math.max(0, query.offset()));
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                return readRuns(ps);
            }
        });
    }

    @Override
    public List<RunRecord> liveRuns() {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM " + t("runs")
                    + " WHERE status IN ('QUEUED', 'RUNNING') ORDER BY id")) {
                return readRuns(ps);
            }
        });
    }

    static List<RunRecord> readRuns(PreparedStatement ps) throws SQLException {
        List<RunRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long rerunOf = rs.getLong("rerun_of");
                Optional<Long> rerun = rs.wasNull() ? Optional.empty() : Optional.of(rerunOf);
                out.add(new RunRecord(rs.getLong("id"), rs.getString("pipeline"), RunStatus.valueOf(rs.getString("status")),
                        rs.getString("trigger_kind"), instant(rs, "due_at").orElseThrow(), instant(rs, "started_at"),
                        instant(rs, "ended_at"), Optional.ofNullable(rs.getString("error")), rerun, rs.getLong("records")));
            }
        }
        return out;
    }

    @Override
    public void saveStep(StepRecord step) {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("run_steps")
                    + " SET kind = ?, status = ?, attempt = ?, started_at = ?, ended_at = ?, records = ?, summary = ?, error = ?"
                    + " WHERE run_id = ? AND step = ?")) {
                bindStep(ps, step);
                if (ps.executeUpdate() == 1) return null;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("run_steps")
                    + " (kind, status, attempt, started_at, ended_at, records, summary, error, run_id, step)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bindStep(ps, step);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private void bindStep(PreparedStatement ps, StepRecord step) throws SQLException {
        ps.setString(1, step.kind().name());
        ps.setString(2, step.status().name());
        ps.setInt(3, step.attempt());
        ps.setObject(4, time(step.startedAt()));
        ps.setObject(5, time(step.endedAt()));
        ps.setLong(6, step.records());
        ps.setString(7, step.summary() == null ? "" : step.summary());
        ps.setString(8, step.error().orElse(null));
        ps.setLong(9, step.runId());
        ps.setString(10, step.step());
    }

    @Override
    public List<StepRecord> steps(long runId) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, step, kind, status, attempt, started_at, ended_at, records,"
                    + " summary, error FROM " + t("run_steps") + " WHERE run_id = ? ORDER BY id")) {
                ps.setLong(1, runId);
                List<StepRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StepRecord(rs.getLong("run_id"), rs.getString("step"), StepKind.valueOf(rs.getString("kind")),
                                StepStatus.valueOf(rs.getString("status")), rs.getInt("attempt"), instant(rs, "started_at"),
                                instant(rs, "ended_at"), rs.getLong("records"), rs.getString("summary"),
                                Optional.ofNullable(rs.getString("error"))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void appendLog(LogLine line) {
        inTransaction(c -> {
            insertLog(c, line);
            return null;
        });
    }

    private void insertLog(Connection c, LogLine line) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("run_log")
                + " (run_id, seq, logged_at, log_level, pipeline, system_name, message) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, line.runId());
            ps.setLong(2, line.seq());
            ps.setObject(3, time(line.at()));
            ps.setString(4, line.level());
            ps.setString(5, line.pipeline());
            ps.setString(6, line.system());
            ps.setString(7, line.message());
            ps.executeUpdate();
        }
    }

    /** How often an insert that raced another writer of the same run for the same seq is tried again. */
    private static final int LOG_SEQ_ATTEMPTS = 50;

    @Override
    public LogLine appendNextLog(long runId, Instant at, String level, String pipeline, String system, String message) {
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(c -> appendNextLog(c, runId, at, level, pipeline, system, message));
            } catch (MetadataStoreException e) {
                if (attempt >= LOG_SEQ_ATTEMPTS || !seqRace(e)) throw e;
            }
        }
    }

    /**
     * Inside the caller's transaction on {@code c}: appends a line with the run's last seq + 1. The unique (run_id, seq)
     * key makes a concurrent writer that took the same seq wait for this one, then fail: the insert is rolled back to a
     * savepoint and tried again with the next seq, so the caller's other work in the transaction stands.
     */
    LogLine appendNextLog(Connection c, long runId, Instant at, String level, String pipeline, String system, String message) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            java.sql.Savepoint before = c.setSavepoint();
            try {
                long seq;
                try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) + 1 FROM " + t("run_log") + " WHERE run_id = ?")) {
                    ps.setLong(1, runId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        seq = rs.getLong(1);
                    }
                }
                LogLine line = new LogLine(runId, seq, truncate(at), level, pipeline, system, message);
                insertLog(c, line);
                c.releaseSavepoint(before);
                return line;
            } catch (SQLException e) {
                if (attempt >= LOG_SEQ_ATTEMPTS || !seqRace(e)) throw e;
                c.rollback(before);
            }
        }
    }

    /** A unique-key violation or a write conflict: another writer took the seq first. */
    private static boolean seqRace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = String.valueOf(sql.getSQLState());
                if (state.equals("23505") || state.equals("40001") || sql.getErrorCode() == 90131) return true;
            }
        }
        return false;
    }

    @Override
    public List<LogLine> log(long runId, long afterSeq, int limit) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, seq, logged_at, log_level, pipeline, system_name, message FROM "
                    + t("run_log") + " WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, runId);
                ps.setLong(2, afterSeq);
                ps.setInt(3, Math.max(0, limit));
                List<LogLine> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new LogLine(rs.getLong("run_id"), rs.getLong("seq"), instant(rs, "logged_at").orElseThrow(), rs.getString("log_level"),
                                rs.getString("pipeline"), rs.getString("system_name"), rs.getString("message")));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public long lastLogSeq(long runId) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM " + t("run_log") + " WHERE run_id = ?")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public Optional<Instant> lastScheduled(String pipeline) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT last_scheduled FROM " + t("pipeline_schedule") + " WHERE pipeline = ?")) {
                ps.setString(1, pipeline);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? instant(rs, "last_scheduled") : Optional.<Instant>empty();
                }
            }
        });
    }

    @Override
    public void setLastScheduled(String pipeline, Instant dueAt) {
        inTransaction(c -> {
            writeLastScheduled(c, pipeline, dueAt);
            return null;
        });
    }

    private void writeLastScheduled(Connection c, java.util.Map<String, Instant> lastScheduled) throws SQLException {
        if (lastScheduled.isEmpty()) return;
        List<String> names = new ArrayList<>(lastScheduled.keySet());
        int[] updated;
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("pipeline_schedule") + " SET last_scheduled = ? WHERE pipeline = ?")) {
            for (String p : names) {
                ps.setObject(1, time(lastScheduled.get(p)));
                ps.setString(2, p);
                ps.addBatch();
            }
            updated = ps.executeBatch();
        }
        for (int i = 0; i < names.size(); i++) {
            if (updated[i] == 0) writeLastScheduled(c, names.get(i), lastScheduled.get(names.get(i)));
        }
    }

    private void writeLastScheduled(Connection c, String pipeline, Instant dueAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("pipeline_schedule") + " SET last_scheduled = ? WHERE pipeline = ?")) {
            ps.setObject(1, time(dueAt));
            ps.setString(2, pipeline);
            if (ps.executeUpdate() == 1) return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("pipeline_schedule") + " (pipeline, last_scheduled) VALUES (?, ?)")) {
            ps.setString(1, pipeline);
            ps.setObject(2, time(dueAt));
            ps.executeUpdate();
        }
    }

    @Override
    public int deleteRunsBefore(Instant before) {
        return inTransaction(c -> {
            String old = "SELECT id FROM " + t("runs") + " WHERE ended_at < ?";
            for (String table : List.of("run_log", "run_steps")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t(table) + " WHERE run_id IN (" + old + ")")) {
                    ps.setObject(1, time(before));
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t("runs") + " WHERE ended_at < ?")) {
                ps.setObject(1, time(before));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        if (published != null) {
            try {
                Files.deleteIfExists(published);
            } catch (java.io.IOException ignored) {
                // a stale file only costs a CLI command one refused connection before it opens the file itself
            }
        }
        if (tcpServer != null) tcpServer.stop();
        Connection c;
        while ((c = idle.poll()) != null) closeQuietly(c);
        idleSince.clear();
    }

    @Override
    public String toString() {
        return description;
    }

    /** Whether this is the PostgreSQL store (the one several serve processes may share). */
    public boolean isPostgres() {
        return postgres;
    }

    /** The run queue, heartbeats and leader lease of several serve processes: PostgreSQL only. */
    @Override
    public Optional<WorkQueue> workQueue() {
        return postgres ? Optional.of(new WorkQueue(this)) : Optional.empty();
    }

    /** Logged-in web sessions, kept here so every serve process on this store knows them. */
    @Override
    public Optional<StoredSessions> sessions() {
        return Optional.of(new StoredSessions(this));
    }

    String t(String table) {
        return prefix + table;
    }

    private volatile RunDetails details;

    /** Step items, pauses and run requests: their tables are created on first use. */
    @Override
    public RunDetails details() {
        RunDetails d = details;
        if (d == null) {
            synchronized (this) {
                if (details == null) details = new RunDetails(this);
                d = details;
            }
        }
        return d;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    <T> T inTransaction(Work<T> work) {
        if (closed) throw new IllegalStateException(description + " is closed");
        Connection c = borrow();
        boolean healthy = false;
        try {
            T result = work.run(c);
            c.commit();
            healthy = true;
            return result;
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw new MetadataStoreException(description + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            rollbackQuietly(c);
            healthy = true;
            throw e;
        } finally {
            if (healthy && !closed && clientOf == null) {
                idleSince.put(c, System.nanoTime());
                if (idle.offer(c)) {
                    c = null;
                } else {
                    idleSince.remove(c);
                }
            }
            if (c != null) closeConnection(c);
        }
    }

    /** Closes a connection; one that held this process's turn at the file (a CLI command's) gives the turn back after. */
    private void closeConnection(Connection c) {
        closeQuietly(c);
        boolean gated;
        synchronized (gatedConnections) {
            gated = gatedConnections.remove(c) != null;
        }
        if (gated) FileTurn.release(clientOf);
    }

    private static boolean valid(Connection c) {
        try {
            return c.isValid(VALIDATE_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    private Connection borrow() {
        for (Connection c = idle.poll(); c != null; c = idle.poll()) {
            Long since = idleSince.remove(c);
            if (since == null || System.nanoTime() - since < VALIDATE_IDLE_AFTER_NANOS || valid(c)) return c;
            LOG.log(System.Logger.Level.WARNING, description + ": dropped a pooled connection that no longer answers");
            closeConnection(c);
        }
        try {
            Connection fresh = connect();
            fresh.setAutoCommit(false);
            fresh.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            return fresh;
        } catch (SQLException e) {
            throw new MetadataStoreException("cannot open the " + description + ": " + e.getMessage(), e);
        }
    }

    /**
     * A new connection. H2 lets one process open its file: a CLI command goes through serve's TCP server when serve
     * publishes one, and either side waits a little while the other holds the file for a moment.
     */
    private Connection connect() throws SQLException {
        if (!url.startsWith("jdbc:h2:")) return DriverManager.getConnection(url, credentials);
        long deadline = System.nanoTime() + LOCK_WAIT_NANOS;
        while (true) {
            if (clientOf != null) {
                Optional<String> shared = sharedUrl(clientOf);
                if (shared.isPresent()) {
                    try {
                        return DriverManager.getConnection(shared.get(), credentials);
                    } catch (SQLException stale) {
                        // serve stopped without removing its file (killed): open the file itself
                    }
                }
            }
            boolean turn = clientOf != null && FileTurn.acquire(clientOf, deadline);
            try {
                Connection c = DriverManager.getConnection(url, credentials);
                if (turn) {
                    synchronized (gatedConnections) {
                        gatedConnections.put(c, Boolean.TRUE);
                    }
                }
                return c;
            } catch (SQLException e) {
                if (turn) FileTurn.release(clientOf);
                if (!heldByAnother(e) || System.nanoTime() > deadline) throw e;
                fileRefusals.incrementAndGet();
                try {
                    Thread.sleep(100); // H2 gives no wait for its file lock: try again shortly
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Turns at an H2 file among CLI processes. H2's own lock makes a process that finds the file held wait ~4 s and
     * fail ("Lock file recently modified"), so a command that writes often starved another one (a cron sync beside a
     * build). Each CLI process instead takes an OS lock on a file beside the database before opening it, and gives it
     * back when its last connection closes (the database is closed by then): processes queue for a moment instead.
     * Threads of one process share its turn. A serve process (which holds the file all along) takes no turn; CLI
     * commands reach it through its TCP server.
     */
    static final class FileTurn {
        static final String FILE = "metadata.turn.lock";
        private static final java.util.Map<Path, FileTurn> TURNS = new java.util.HashMap<>();
        private final java.nio.channels.FileChannel channel;
        private java.nio.channels.FileLock lock;
        private int holders;

        private FileTurn(java.nio.channels.FileChannel channel) {
            this.channel = channel;
        }

        /** Takes this process's turn at {@code folder}'s file, waiting for other processes until {@code deadline}. */
        static boolean acquire(Path folder, long deadline) throws SQLException {
            Path key = folder.toAbsolutePath().normalize();
            synchronized (TURNS) {
                FileTurn turn = TURNS.get(key);
                try {
                    if (turn == null) {
                        turn = new FileTurn(java.nio.channels.FileChannel.open(key.resolve(FILE),
                                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE));
                        TURNS.put(key, turn);
                    }
                    if (turn.holders == 0) {
                        while ((turn.lock = turn.channel.tryLock()) == null) {
                            if (System.nanoTime() > deadline) {
                                throw new SQLException("another Tributary process has kept the metadata store in " + key
                                        + " busy for " + java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(LOCK_WAIT_NANOS) + " s");
                            }
                            // the other process holds the file for one short transaction; a jittered poll keeps turns fair
                            Thread.sleep(2 + java.util.concurrent.ThreadLocalRandom.current().nextInt(10));
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new SQLException("cannot lock " + key.resolve(FILE) + ": " + e.getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting for the metadata store in " + key, e);
                }
                turn.holders++;
                return true;
            }
        }

        static void release(Path folder) {
            Path key = folder.toAbsolutePath().normalize();
            synchronized (TURNS) {
                FileTurn turn = TURNS.get(key);
                if (turn == null || turn.holders == 0) return;
                if (--turn.holders == 0 && turn.lock != null) {
                    try {
                        turn.lock.release();
                    } catch (java.io.IOException ignored) {
                        // the channel stays open; the OS drops the lock when the process ends anyway
                    }
                    turn.lock = null;
                }
            }
        }
    }

    /** Whether H2 refused the file because another process holds it, or held it a moment ago. */
    private static boolean heldByAnother(SQLException e) {
        return e.getErrorCode() == H2_DATABASE_ALREADY_OPEN
                || e.getErrorCode() == H2_ERROR_OPENING_DATABASE && String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("lock file");
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is closed next; the original error is what matters
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing to do about a connection that will not close
        }
    }

    private static Instant truncate(Instant i) {
        return i.truncatedTo(ChronoUnit.MICROS);
    }

    static OffsetDateTime time(Instant i) {
        return truncate(i).atOffset(ZoneOffset.UTC);
    }

    private static OffsetDateTime time(Optional<Instant> i) {
        return i.map(JdbcMetadataStore::time).orElse(null);
    }

    static void setLong(PreparedStatement ps, int index, Optional<Long> value) throws SQLException {
        if (value.isPresent()) ps.setLong(index, value.get());
        else ps.setNull(index, Types.BIGINT);
    }

    static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? Optional.empty() : Optional.of(t.toInstant());
    }

    // ---- for additive tables kept beside the runs (tenants of a HubSpot app: see dev.tributary.scheduler.tenant)

    /** Work on this store's database in one transaction. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction on this store's database (same pool, same rules as the store's own calls). */
    public <T> T transaction(SqlWork<T> work) {
        return inTransaction(work::run);
    }

    /**
     * Runs additive DDL ({@code CREATE ... IF NOT EXISTS}) for tables kept beside the runs (accounts, audit log, alert
     * deliveries) in one transaction, under the same lock as the store's own layout on PostgreSQL, so several serve
     * processes starting at once do not race on the catalog.
     */
    public void createAdditiveTables(List<String> ddl) {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                if (postgres) s.execute("SELECT pg_advisory_xact_lock(" + DDL_LOCK + ")");
                for (String sql : ddl) s.execute(sql);
            }
            return null;
        });
    }

    /** A table's qualified name in this store ({@code schema.name} on PostgreSQL). */
    public String table(String name) {
        return t(name);
    }
}
