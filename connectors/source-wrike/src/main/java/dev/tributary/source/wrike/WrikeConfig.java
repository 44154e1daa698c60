package dev.tributary.source.wrike;

import dev.tributary.spi.Config;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** The settings of a {@code type: wrike} connection, checked with messages that say which setting and why. */
record WrikeConfig(
        String baseUrl,
        String tokenUrl,
        String accessToken,
        String clientId,
        String clientSecret,
        String refreshToken,
        List<String> streams,
        Optional<Instant> startDate,
        Duration lag,
        Duration overlap,
        int pageSize,
        int requestsPerMinute,
        Duration reconcileEvery) {

    static final String DEFAULT_BASE_URL = "https://www.wrike.com/api/v4";
    static final String DEFAULT_TOKEN_URL = "https://login.wrike.com/oauth2/token";

    boolean oauth() { return refreshToken != null; }

    /** The scheme the API is reached with (https for Wrike, http for a local sandbox). */
    String scheme() { return URI.create(baseUrl).getScheme(); }

    /** Identifies the account's credentials without revealing them (for the secret store and shared clients). */
    String fingerprint() {
        return sha256((clientId == null ? "" : clientId) + "|" + (accessToken == null ? "" : sha256(accessToken)) + "|" + baseUrl).substring(0, 16);
    }

    static WrikeConfig from(Config c) {
        String base = trimSlash(c.string("base_url", DEFAULT_BASE_URL));
        if (!base.startsWith("http://") && !base.startsWith("https://")) throw c.error("base_url", "must be an http(s) URL such as " + DEFAULT_BASE_URL + ", got '" + base + "'");
        if (!base.endsWith("/api/v4")) throw c.error("base_url", "must end in /api/v4 (Wrike's API v4), got '" + base + "'");
        String token = c.optString("access_token").orElse(null);
        String refresh = c.optString("refresh_token").orElse(null);
        String clientId = c.optString("client_id").orElse(null);
        String secret = c.optString("client_secret").orElse(null);
        if (token == null && refresh == null) {
            throw c.error("access_token", "is required: a permanent token from Wrike's app console, or OAuth 2.0 settings client_id, client_secret and refresh_token");
        }
        if (token != null && refresh != null) throw c.error("refresh_token", "give either access_token (a permanent token) or refresh_token (OAuth 2.0), not both");
        if (refresh != null && (clientId == null || secret == null)) throw c.error(clientId == null ? "client_id" : "client_secret", "is required with refresh_token");
        String defaultTokenUrl = base.equals(DEFAULT_BASE_URL) ? DEFAULT_TOKEN_URL : base.substring(0, base.length() - "/api/v4".length()) + "/oauth2/token";
        String tokenUrl = trimSlash(c.string("token_url", defaultTokenUrl));
        Optional<Instant> start = c.optString("start_date").map(s -> {
            try {
                return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(s);
            } catch (RuntimeException e) {
                throw c.error("start_date", "expected a date such as 2024-01-31 or an instant such as 2024-01-31T00:00:00Z, got '" + s + "'");
            }
        });
        int page = c.intValue("page_size", 1000);
        if (page < 1 || page > 1000) throw c.error("page_size", "must be 1..1000 (Wrike's largest task page), got " + page);
        int rpm = c.intValue("requests_per_minute", 400);
        if (rpm < 1 || rpm > 10_000) throw c.error("requests_per_minute", "must be 1..10000, got " + rpm);
        long lag = c.longValue("lag_seconds", 60);
        long overlap = c.longValue("overlap_seconds", 300);
        if (lag < 0) throw c.error("lag_seconds", "must not be negative");
        if (overlap < 0) throw c.error("overlap_seconds", "must not be negative");
        String every = c.string("reconcile_every", "1d");
        Duration reconcile = every.equalsIgnoreCase("off") ? null : duration(c, every);
        List<String> streams = c.stringList("streams");
        for (String s : streams) {
            if (WrikeCatalog.stream(s).isEmpty()) throw c.error("streams", "no Wrike stream '" + s + "'" + Config.didYouMean(s, WrikeCatalog.names()));
        }
        return new WrikeConfig(base, tokenUrl, token, clientId, secret, refresh, streams, start, Duration.ofSeconds(lag), Duration.ofSeconds(overlap),
                page, rpm, reconcile);
    }

    private static Duration duration(Config c, String v) {
        try {
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 'd' -> Duration.ofDays(n);
                case 'h' -> Duration.ofHours(n);
                case 'm' -> Duration.ofMinutes(n);
                case 's' -> Duration.ofSeconds(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw c.error("reconcile_every", "expected a period such as 1d, 12h, 30m or off, got '" + v + "'");
        }
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
