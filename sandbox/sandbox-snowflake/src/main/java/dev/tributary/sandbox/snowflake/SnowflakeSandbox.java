package dev.tributary.sandbox.snowflake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.duckdb.DuckDBConnection;

/**
 * A local Snowflake for the real JDBC driver ({@code net.snowflake:snowflake-jdbc}): login by password or key pair,
 * session and master tokens with renewal, heartbeat, query submit with JSON result sets, Snowflake-shaped errors,
 * session parameters, USE, SHOW and DESCRIBE, and statements run on an embedded DuckDB after translation.
 * <pre>
 * try (SnowflakeSandbox snowflake = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults())) {
 *     Connection c = DriverManager.getConnection(snowflake.jdbcUrl(), snowflake.connectionProperties());
 * }
 * </pre>
 */
public final class SnowflakeSandbox implements AutoCloseable {
    static final String SERVER_VERSION = "9.0.0-tributary-sandbox";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MASTER_TOKEN_TTL_SECONDS = 4 * 3600;

    static {
        // the JDK server writes headers and body separately; without TCP_NODELAY, Nagle + delayed ACK add ~40 ms per call
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final SnowflakeSandboxOptions options;
    private final Connection admin;
    private final Databases databases;
    private final Stages stages;
    private final StatementRunner runner;
    private final HttpServer server;
    private final ExecutorService executor;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong sessionIds = new AtomicLong(1_000_000);
    private final AtomicLong statements = new AtomicLong();
    private final java.util.Deque<Query> history = new java.util.ArrayDeque<>();
    private final Map<String, SandboxSession> bySessionToken = new ConcurrentHashMap<>();
    private final Map<String, SandboxSession> byMasterToken = new ConcurrentHashMap<>();

    private SnowflakeSandbox(SnowflakeSandboxOptions options) throws IOException, SQLException {
        this.options = options;
        this.admin = DriverManager.getConnection("jdbc:duckdb:");
        this.databases = new Databases(admin, options.dataDir());
        for (String db : options.databases()) if (!databases.exists(db)) databases.create(db);
        this.stages = new Stages(options.dataDir());
        this.runner = new StatementRunner(databases, stages);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 256);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts the simulator on 127.0.0.1 (port 0 picks a free one). */
    public static SnowflakeSandbox start(SnowflakeSandboxOptions options) {
        try {
            return new SnowflakeSandbox(options);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Snowflake sandbox on port " + options.port(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not open the Snowflake sandbox's DuckDB: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The URL for the real driver: plain HTTP to 127.0.0.1 ({@code ssl=off}). */
    public String jdbcUrl() {
        return "jdbc:snowflake://127.0.0.1:" + port() + "/?ssl=off";
    }

    public SnowflakeSandboxOptions options() {
        return options;
    }

    /**
     * Driver properties for the default user: account, user, password, database, schema PUBLIC and a warehouse name
     * (the sandbox has no warehouses; any name is accepted and answered by CURRENT_WAREHOUSE()).
     */
    public java.util.Properties connectionProperties() {
        java.util.Properties p = new java.util.Properties();
        Map.Entry<String, String> user = options.users().entrySet().iterator().next();
        p.setProperty("account", options.account());
        p.setProperty("user", user.getKey());
        p.setProperty("password", user.getValue());
        if (!options.databases().isEmpty()) p.setProperty("db", options.databases().get(0));
        p.setProperty("schema", "PUBLIC");
        p.setProperty("warehouse", "SANDBOX_WH");
        return p;
    }

    /** How many sessions are open (closed by the driver's Connection.close(), or ended by expiry). */
    public int openSessions() {
        return byMasterToken.size();
    }

    /** How many statements were submitted since start. */
    public long statementsRun() {
        return statements.get();
    }

    /**
     * A statement as submitted, with the session's query tag ({@code ALTER SESSION SET QUERY_TAG}, empty when unset)
     * and warehouse ({@code USE WAREHOUSE}, the login's) at that moment: what Snowflake's QUERY_HISTORY shows as
     * QUERY_TEXT, QUERY_TAG and WAREHOUSE_NAME.
     */
    public record Query(long sessionId, String text, String queryTag, String warehouse) {}

    /** How many statements {@link #queryHistory()} keeps: the most recent ones. */
    public static final int QUERY_HISTORY_SIZE = 10_000;

    /** The last {@link #QUERY_HISTORY_SIZE} statements submitted, oldest first (kept in memory, for tests). */
    public List<Query> queryHistory() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** Expires every session token now (not the master tokens), so the driver must renew: for tests of renewal. */
    public void expireSessionTokens() {
        for (SandboxSession s : byMasterToken.values()) s.sessionTokenExpiresAtNanos = System.nanoTime() - 1;
    }

    /** The fingerprint of a public key as Snowflake shows it (RSA_PUBLIC_KEY_FP). */
    public static String fingerprint(PublicKey key) {
        return KeyPairLogin.fingerprint(key);
    }

    public String banner() {
        return "Snowflake sandbox on " + baseUrl() + " (" + options.describe() + ")\n"
                + "JDBC URL: " + jdbcUrl() + "  (the driver needs --add-opens=java.base/java.nio=ALL-UNNAMED on JDK 16+)";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            JsonNode body = body(ex);
            ObjectNode answer;
            try {
                answer = switch (path) {
                    case "/session/v1/login-request" -> login(body, query);
                    case "/session/token-request" -> renew(ex, body);
                    case "/session/heartbeat" -> {
                        session(ex, false);
                        yield ok(JSON.createObjectNode());
                    }
                    case "/session" -> closeSession(ex, query);
                    case "/queries/v1/query-request" -> query(ex, body);
                    case "/queries/v1/abort-request", "/telemetry/send", "/session/authenticator-request" -> ok(JSON.createObjectNode());
                    default -> {
                        send(ex, 404, JSON.createObjectNode().put("message", "the Snowflake sandbox does not serve " + path).put("success", false));
                        yield null;
                    }
                };
            } catch (SnowflakeError e) {
                answer = error(e, null);
            }
            if (answer != null) send(ex, 200, answer);
        } catch (RuntimeException e) {
            send(ex, 500, JSON.createObjectNode().put("message", "sandbox failure: " + e).put("success", false));
        }
    }

    private ObjectNode login(JsonNode body, Map<String, String> query) {
        JsonNode data = body.path("data");
        String account = data.path("ACCOUNT_NAME").asText("").toUpperCase(Locale.ROOT);
        String user = data.path("LOGIN_NAME").asText("").toUpperCase(Locale.ROOT);
        String authenticator = data.path("AUTHENTICATOR").asText("SNOWFLAKE").toUpperCase(Locale.ROOT);
        if (!account.equals(options.account())) throw new SnowflakeError("390201", "08004", "The requested account " + account + " does not exist in the sandbox (it serves " + options.account() + ").");
        if (!options.users().containsKey(user)) throw new SnowflakeError("390100", "08004", "Incorrect username or password was specified.");
        switch (authenticator) {
            case "SNOWFLAKE_JWT" -> {
                PublicKey key = options.publicKeys().get(user);
                if (key == null) throw new SnowflakeError("390186", "08004", "The user " + user + " has no public key registered: key-pair authentication is not set up.");
                KeyPairLogin.verify(data.path("TOKEN").asText(null), account, user, key, System.currentTimeMillis() / 1000);
            }
            case "SNOWFLAKE", "" -> {
                String password = options.users().get(user);
                if (password.isEmpty() || !password.equals(data.path("PASSWORD").asText(null))) throw new SnowflakeError("390100", "08004", "Incorrect username or password was specified.");
            }
            default -> throw new SnowflakeError("390190", "08004", "Authenticator " + authenticator + " is not supported by the Snowflake sandbox (password and SNOWFLAKE_JWT are).");
        }
        SandboxSession s;
        try {
            Connection duck = ((DuckDBConnection) admin).duplicate();
            try (Statement st = duck.createStatement()) {
                for (String macro : SqlTranslator.MACROS) st.execute(macro);
            }
            s = new SandboxSession(sessionIds.incrementAndGet(), user, account, duck);
            StatementRunner.setTimeZone(s, "UTC");
            JsonNode params = data.path("SESSION_PARAMETERS");
            for (var it = params.fields(); it.hasNext(); ) {
                var e = it.next();
                s.setParameter(e.getKey(), e.getValue().isBoolean() ? (Object) e.getValue().asBoolean() : e.getValue().isNumber() ? (Object) e.getValue().asLong() : e.getValue().asText());
            }
            s.warehouse = upperUnlessQuoted(query.get("warehouse"));
            s.role = query.get("roleName") == null ? "SYSADMIN" : upperUnlessQuoted(query.get("roleName"));
            String db = upperUnlessQuoted(query.get("databaseName"));
            if (db != null && databases.exists(db)) {
                String schema = upperUnlessQuoted(query.get("schemaName"));
                runner.useDatabase(s, db, schema == null ? "PUBLIC" : schema);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open a DuckDB connection for a session: " + e.getMessage(), e);
        }
        issueTokens(s);
        ObjectNode d = JSON.createObjectNode();
        d.put("masterToken", s.masterToken);
        d.put("token", s.sessionToken);
        d.put("validityInSeconds", options.sessionTokenTtlSeconds());
        d.put("masterValidityInSeconds", MASTER_TOKEN_TTL_SECONDS);
        d.put("displayUserName", user);
        d.put("serverVersion", SERVER_VERSION);
        d.put("firstLogin", false);
        d.putNull("remMeToken");
        d.put("remMeValidityInSeconds", 0);
        d.put("healthCheckInterval", 45);
        d.putNull("newClientForUpgrade");
        d.put("sessionId", s.id);
        d.set("parameters", parameters(s));
        d.set("sessionInfo", sessionInfo(s));
        d.putNull("idToken");
        d.put("idTokenValidityInSeconds", 0);
        d.putNull("responseData");
        d.putNull("mfaToken");
        d.put("mfaTokenValidityInSeconds", 0);
        return ok(d);
    }

    /** "DB" keeps its case; db becomes DB, as Snowflake resolves names given at login. */
    private static String upperUnlessQuoted(String name) {
        if (name == null || name.isEmpty()) return null;
        if (name.length() > 1 && name.startsWith("\"") && name.endsWith("\"")) return name.substring(1, name.length() - 1);
        return name.toUpperCase(Locale.ROOT);
    }

    private void issueTokens(SandboxSession s) {
        if (s.sessionToken != null) bySessionToken.remove(s.sessionToken);
        if (s.masterToken != null) byMasterToken.remove(s.masterToken);
        s.sessionToken = "ver:1-hint:" + s.id + "-ETMsDgAAA" + token();
        s.masterToken = "ver:1-hint:" + s.id + "-ETMsDgAAB" + token();
        s.sessionTokenExpiresAtNanos = System.nanoTime() + options.sessionTokenTtlSeconds() * 1_000_000_000L;
        bySessionToken.put(s.sessionToken, s);
        byMasterToken.put(s.masterToken, s);
    }

    private String token() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private ObjectNode renew(HttpExchange ex, JsonNode body) {
        SandboxSession s = byMasterToken.get(authToken(ex));
        if (s == null) throw new SnowflakeError("390114", "08001", "Authentication token has expired.  The user must authenticate again.");
        if (!"RENEW".equalsIgnoreCase(body.path("requestType").asText("RENEW"))) throw new SnowflakeError("390101", "08004", "token request type " + body.path("requestType").asText() + " is not supported by the sandbox");
        synchronized (s) {
            issueTokens(s);
        }
        ObjectNode d = JSON.createObjectNode();
        d.put("sessionToken", s.sessionToken);
        d.put("validityInSecondsST", options.sessionTokenTtlSeconds());
        d.put("masterToken", s.masterToken);
        d.put("validityInSecondsMT", MASTER_TOKEN_TTL_SECONDS);
        d.put("sessionId", s.id);
        return ok(d);
    }

    private ObjectNode closeSession(HttpExchange ex, Map<String, String> query) {
        if (!"true".equalsIgnoreCase(query.get("delete"))) throw new SnowflakeError("390101", "08004", "POST /session needs delete=true");
        SandboxSession s = bySessionToken.get(authToken(ex));
        if (s != null) {
            bySessionToken.remove(s.sessionToken);
            byMasterToken.remove(s.masterToken);
            synchronized (s) {
                s.close();
            }
        }
        return ok(JSON.createObjectNode());
    }

    /** The session whose token the request carries; an expired one answers 390112 so the driver renews it. */
    private SandboxSession session(HttpExchange ex, boolean checkExpiry) {
        SandboxSession s = bySessionToken.get(authToken(ex));
        if (s == null) throw new SnowflakeError("390104", "08001", "User must login again to access the service.");
        if (System.nanoTime() - s.sessionTokenExpiresAtNanos > 0) throw new SnowflakeError("390112", "08001", "Your session has expired. Please login again.");
        return s;
    }

    private ObjectNode query(HttpExchange ex, JsonNode body) {
        SandboxSession s = session(ex, true);
        String sql = body.path("sqlText").asText(null);
        if (sql == null) throw SnowflakeError.syntax("the request has no sqlText");
        String queryId = UUID.randomUUID().toString();
        statements.incrementAndGet();
        QueryResult r;
        synchronized (s) {
            Object tag = s.parameters.get("QUERY_TAG");
            synchronized (history) {
                if (history.size() == QUERY_HISTORY_SIZE) history.removeFirst();
                history.addLast(new Query(s.id, sql, tag == null ? "" : String.valueOf(tag), s.warehouse));
            }
            try {
                r = runner.run(s, sql, body.path("bindings"), body.path("describeOnly").asBoolean(false));
            } catch (SnowflakeError e) {
                return error(e, queryId);
            } catch (SQLException e) {
                return error(DuckErrors.toSnowflake(e), queryId);
            }
        }
        ObjectNode d = JSON.createObjectNode();
        d.set("parameters", parameters(s));
        d.set("rowtype", r.rowtype());
        d.set("rowset", r.rowset());
        d.put("total", r.rows());
        d.put("returned", r.rows());
        d.put("queryId", queryId);
        d.putNull("databaseProvider");
        putOrNull(d, "finalDatabaseName", s.database);
        putOrNull(d, "finalSchemaName", s.schema);
        putOrNull(d, "finalWarehouseName", s.warehouse);
        putOrNull(d, "finalRoleName", s.role);
        d.put("numberOfBinds", body.path("bindings").size());
        d.put("arrayBindSupported", false);
        d.put("statementTypeId", r.statementTypeId());
        d.put("version", 1);
        d.put("sendResultTime", System.currentTimeMillis());
        d.put("queryResultFormat", "json");
        if (r.transfer() != null) d.setAll(r.transfer());
        return ok(d);
    }

    private static void putOrNull(ObjectNode n, String field, String value) {
        if (value == null) n.putNull(field); else n.put(field, value);
    }

    private static ArrayNode parameters(SandboxSession s) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("TIMESTAMP_OUTPUT_FORMAT", "YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM");
        all.put("TIMESTAMP_NTZ_OUTPUT_FORMAT", "YYYY-MM-DD HH24:MI:SS.FF3");
        all.put("TIMESTAMP_LTZ_OUTPUT_FORMAT", "");
        all.put("TIMESTAMP_TZ_OUTPUT_FORMAT", "");
        all.put("DATE_OUTPUT_FORMAT", "YYYY-MM-DD");
        all.put("TIME_OUTPUT_FORMAT", "HH24:MI:SS");
        all.put("BINARY_OUTPUT_FORMAT", "HEX");
        all.put("CLIENT_TIMESTAMP_TYPE_MAPPING", "TIMESTAMP_LTZ");
        all.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
        all.put("CLIENT_RESULT_CHUNK_SIZE", 160);
        all.put("CLIENT_SESSION_KEEP_ALIVE", false);
        all.put("CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY", 3600);
        s.parameters.forEach((k, v) -> {
            if (!k.startsWith("__")) all.put(k, v);
        });
        ArrayNode out = JSON.createArrayNode();
        all.forEach((k, v) -> {
            ObjectNode p = out.addObject().put("name", k);
            if (v instanceof Boolean b) p.put("value", b);
            else if (v instanceof Number n) p.put("value", n.longValue());
            else p.put("value", String.valueOf(v));
        });
        return out;
    }

    private static ObjectNode sessionInfo(SandboxSession s) {
        ObjectNode i = JSON.createObjectNode();
        putOrNull(i, "databaseName", s.database);
        putOrNull(i, "schemaName", s.schema);
        putOrNull(i, "warehouseName", s.warehouse);
        putOrNull(i, "roleName", s.role);
        return i;
    }

    private static ObjectNode ok(ObjectNode data) {
        ObjectNode root = JSON.createObjectNode();
        root.set("data", data);
        root.putNull("code");
        root.putNull("message");
        root.put("success", true);
        return root;
    }

    private static ObjectNode error(SnowflakeError e, String queryId) {
        ObjectNode d = JSON.createObjectNode();
        d.put("internalError", false);
        d.put("errorCode", e.code());
        d.put("age", 0);
        d.put("sqlState", e.sqlState());
        if (queryId != null) d.put("queryId", queryId);
        d.put("line", -1);
        d.put("pos", -1);
        d.put("type", "COMPILATION");
        ObjectNode root = JSON.createObjectNode();
        root.set("data", d);
        root.put("code", e.code());
        root.put("message", e.getMessage());
        root.put("success", false);
        return root;
    }

    private static String authToken(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null) return "";
        int start = h.indexOf("Token=\"");
        if (start < 0) return "";
        int end = h.indexOf('"', start + 7);
        return end < 0 ? "" : h.substring(start + 7, end);
    }

    private static JsonNode body(HttpExchange ex) throws IOException {
        InputStream in = ex.getRequestBody();
        if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) in = new GZIPInputStream(in);
        byte[] bytes = in.readAllBytes();
        return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        for (SandboxSession s : byMasterToken.values()) s.close();
        byMasterToken.clear();
        bySessionToken.clear();
        stages.close();
        try {
            admin.close();
        } catch (SQLException e) {
            // closing: the in-memory databases go with the process
        }
    }
}
