package dev.tributary.server;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Logged-in sessions, in memory: a random 256-bit id (the cookie value), the user, a CSRF token and an expiry. */
public final class SessionStore {
    public record Session(String id, String user, String csrfToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "Session[user=" + user + ", expiresAt=" + expiresAt + "]";
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration timeout;
    private final Clock clock;

    public SessionStore(Duration timeout, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
    }

    public Session create(String user) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !s.expiresAt().isAfter(now));
        Session s = new Session(randomToken(), user, randomToken(), now.plus(timeout));
        sessions.put(s.id(), s);
        return s;
    }

    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) return Optional.empty();
        Session s = sessions.get(id);
        if (s == null) return Optional.empty();
        if (!s.expiresAt().isAfter(clock.instant())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    public void remove(String id) {
        if (id != null) sessions.remove(id);
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
