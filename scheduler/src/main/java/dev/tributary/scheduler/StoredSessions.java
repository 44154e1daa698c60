package dev.tributary.scheduler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Logged-in web sessions in the metadata store, so any serve process on the store answers a logged-in browser. The
 * session id (the cookie) is kept only as its SHA-256: a copy of the table logs nobody in. Expiry is the database's
 * time, never the answering process's: expired rows are never returned and are deleted when a session is created.
 */
public final class StoredSessions {
    /** What is kept of a session: the id itself is not. */
    public record Row(String user, String csrfToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "Row[user=" + user + ", expiresAt=" + expiresAt + "]";
        }
    }

    private final JdbcMetadataStore store;

    StoredSessions(JdbcMetadataStore store) {
        this.store = store;
    }

    /**
     * Keeps a new session for {@code ttl}, counted on the database's clock (as runs are): every serve process on the
     * store agrees when it expires, whatever its own clock says. Returns what was kept, with its expiry.
     */
    public Row put(String sessionId, String user, String csrfToken, Duration ttl) {
        return store.inTransaction(c -> {
            Instant now = databaseNow(c);
            Row row = new Row(user, csrfToken, now.plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.MICROS));
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + store.t("web_sessions") + " WHERE expires_at <= ?")) {
                ps.setObject(1, JdbcMetadataStore.time(now));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + store.t("web_sessions")
                    + " (id_hash, user_name, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, hash(sessionId));
                ps.setString(2, user);
                ps.setString(3, csrfToken);
                ps.setObject(4, JdbcMetadataStore.time(now));
                ps.setObject(5, JdbcMetadataStore.time(row.expiresAt()));
                ps.executeUpdate();
            }
            return row;
        });
    }

    /** The session of this id when it has not expired by the database's clock. */
    public Optional<Row> find(String sessionId) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT user_name, csrf_token, expires_at FROM " + store.t("web_sessions")
                    + " WHERE id_hash = ? AND expires_at > CURRENT_TIMESTAMP")) {
                ps.setString(1, hash(sessionId));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<Row>empty();
                    return Optional.of(new Row(rs.getString(1), rs.getString(2), JdbcMetadataStore.instant(rs, "expires_at").orElseThrow()));
                }
            }
        });
    }

    private static Instant databaseNow(java.sql.Connection c) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT CURRENT_TIMESTAMP"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }

    public void remove(String sessionId) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + store.t("web_sessions") + " WHERE id_hash = ?")) {
                ps.setString(1, hash(sessionId));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The hex SHA-256 of a session id: what the table keeps. */
    static String hash(String sessionId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
