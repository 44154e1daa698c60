package dev.tributary.scheduler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Logged-in web sessions in the metadata store, so any serve process on the store answers a logged-in browser. The
 * session id (the cookie) is kept only as its SHA-256: a copy of the table logs nobody in. Expired rows are never
 * returned and are deleted when a session is created.
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

    public void put(String sessionId, Row row, Instant now) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + store.t("web_sessions") + " WHERE expires_at <= ?")) {
                ps.setObject(1, JdbcMetadataStore.time(now));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + store.t("web_sessions")
                    + " (id_hash, user_name, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, hash(sessionId));
                ps.setString(2, row.user());
                ps.setString(3, row.csrfToken());
                ps.setObject(4, JdbcMetadataStore.time(now));
                ps.setObject(5, JdbcMetadataStore.time(row.expiresAt()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The session of this id when it has not expired at {@code now}. */
    public Optional<Row> find(String sessionId, Instant now) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT user_name, csrf_token, expires_at FROM " + store.t("web_sessions")
                    + " WHERE id_hash = ? AND expires_at > ?")) {
                ps.setString(1, hash(sessionId));
                ps.setObject(2, JdbcMetadataStore.time(now));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<Row>empty();
                    return Optional.of(new Row(rs.getString(1), rs.getString(2), JdbcMetadataStore.instant(rs, "expires_at").orElseThrow()));
                }
            }
        });
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
