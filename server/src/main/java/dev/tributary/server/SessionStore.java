package dev.tributary.server;

import dev.tributary.scheduler.StoredSessions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in sessions: a random 256-bit id (the cookie value), the user, a CSRF token and an expiry. In memory, or in
 * the metadata store ({@link StoredSessions}: only the id's SHA-256 is kept) so every serve process on the store, and
 * a restarted one, knows them.
 */
public final class SessionStore {
    /** A logged-in session; {@code role} is the account's role now (looked up at each request, so a change applies at once). */
    public record Session(String id, String user, String csrfToken, Instant expiresAt, Role role) {
        /** Whether this session's role includes {@code needed}: e.g. {@code session.can(Role.OPERATOR)} before showing a Run button. */
        public boolean can(Role needed) {
            return role.includes(needed);
        }

        @Override
        public String toString() {
            return "Session[user=" + user + ", role=" + role.label() + ", expiresAt=" + expiresAt + "]";
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration timeout;
    private final Clock clock;
    private final StoredSessions stored;
    private final java.util.function.Function<String, Optional<Role>> roles;

    /** In memory; every user is an admin (tests of the session mechanics). */
    public SessionStore(Duration timeout, Clock clock) {
        this(timeout, clock, null, user -> Optional.of(Role.ADMIN));
    }

    /**
     * Sessions kept in {@code stored} (null: in memory); {@code roles} gives a user's current role, empty for an account
     * that is gone or disabled, whose sessions then no longer count.
     */
    public SessionStore(Duration timeout, Clock clock, StoredSessions stored, java.util.function.Function<String, Optional<Role>> roles) {
        this.timeout = timeout;
        this.clock = clock;
        this.stored = stored;
        this.roles = roles;
    }

    public Session create(String user) {
        Role role = roles.apply(user).orElseThrow(() -> new IllegalArgumentException("no enabled account named " + user));
        if (stored != null) {
            // expiry on the store's clock, so every serve process on it agrees whatever its own clock says
            String id = randomToken();
            StoredSessions.Row row = stored.put(id, user, randomToken(), timeout);
            return new Session(id, user, row.csrfToken(), row.expiresAt(), role);
        }
        Instant now = clock.instant();
        Session s = new Session(randomToken(), user, randomToken(), now.plus(timeout), role);
        sessions.values().removeIf(x -> !x.expiresAt().isAfter(now));
        sessions.put(s.id(), s);
        return s;
    }

    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) return Optional.empty();
        if (stored != null) {
            // a cookie that is not one of ours costs no query
            if (!id.matches("[0-9a-f]{64}")) return Optional.empty();
            return stored.find(id).flatMap(r -> roles.apply(r.user()).map(role -> new Session(id, r.user(), r.csrfToken(), r.expiresAt(), role)));
        }
        Session s = sessions.get(id);
        if (s == null) return Optional.empty();
        if (!s.expiresAt().isAfter(clock.instant())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return roles.apply(s.user()).map(role -> new Session(s.id(), s.user(), s.csrfToken(), s.expiresAt(), role));
    }

    public void remove(String id) {
        if (id == null) return;
        if (stored != null) stored.remove(id);
        else sessions.remove(id);
    }

    public Duration timeout() {
        return timeout;
    }

    /** 256 random bits as hex. */
    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Compares secrets without leaking through timing where they differ. */
    static boolean sameSecret(String expected, String given) {
        if (expected == null || given == null) return false;
        return MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8), given.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
