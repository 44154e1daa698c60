package dev.tributary.sandbox.snowflake;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One Snowflake session: its tokens, who logged in, the current database, schema, warehouse and role, the session
 * parameters set with ALTER SESSION, and the DuckDB connection its statements run on.
 */
final class SandboxSession implements SqlTranslator.SessionContext, AutoCloseable {
    final long id;
    final String user;
    final String account;
    final Connection duck;
    volatile String sessionToken;
    volatile String masterToken;
    volatile long sessionTokenExpiresAtNanos;
    String database;
    String schema;
    String warehouse;
    String role;
    final Map<String, Object> parameters = new LinkedHashMap<>();
    /** The session parameters every session starts with; ALTER SESSION UNSET goes back to these. */
    static final Map<String, Object> DEFAULT_PARAMETERS = defaults();

    private static Map<String, Object> defaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AUTOCOMMIT", true);
        m.put("TIMEZONE", "UTC");
        m.put("QUERY_TAG", "");
        return java.util.Collections.unmodifiableMap(m);
    }
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Runnable> onClose = new ArrayList<>();
    /** Temporary stages by DB.SCHEMA.NAME: they hide a permanent stage of the same name, as in Snowflake. */
    final Map<String, Stages.Stage> temporaryStages = new java.util.HashMap<>();

    SandboxSession(long id, String user, String account, Connection duck) {
        this.id = id;
        this.user = requireNonNull(user, "user is null");
        this.account = requireNonNull(account, "account is null");
        this.duck = requireNonNull(duck, "duck is null");
        parameters.putAll(DEFAULT_PARAMETERS);
    }

    @Override
    public String warehouse() {
        return warehouse;
    }

    @Override
    public String role() {
        return role;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String account() {
        return account;
    }

    @Override
    public long sessionId() {
        return id;
    }

    boolean autocommit() {
        Object v = parameters.get("AUTOCOMMIT");
        return v instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(v));
    }

    void setParameter(String name, Object value) throws SQLException {
        String key = name.toUpperCase(Locale.ROOT);
        if (key.equals("AUTOCOMMIT")) {
            boolean on = value instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(value));
            if (on != duck.getAutoCommit()) {
                duck.setAutoCommit(on);
                if (on) transactionEnded(true); // JDBC commits the open transaction when autocommit comes back on
            }
            parameters.put(key, on);
        } else {
            parameters.put(key, value);
        }
    }

    /** Runs action when the open transaction commits (load history of a COPY); a rollback forgets it. */
    void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    void transactionEnded(boolean committed) {
        if (committed) afterCommit.forEach(Runnable::run);
        afterCommit.clear();
    }

    /** Runs action when the session closes (temporary stages). */
    void onClose(Runnable action) {
        onClose.add(action);
    }

    @Override
    public void close() {
        afterCommit.clear();
        try {
            if (!duck.getAutoCommit()) {
                duck.rollback();
                duck.setAutoCommit(true);
            }
            onClose.forEach(Runnable::run);
            onClose.clear();
            duck.close();
        } catch (SQLException e) {
            // the session is gone either way; DuckDB frees the connection with the database
        }
    }
}
