package dev.tributary.source.xero;

import dev.tributary.spi.Config;
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

/**
 * The settings of a {@code type: xero} connection. OAuth 2.0 (client_id, client_secret, refresh_token) or a custom
 * connection (client_id, client_secret, {@code grant_type: client_credentials}).
 */
record XeroConfig(String baseUrl, String identityUrl, String clientId, String clientSecret, String refreshToken,
        boolean clientCredentials, List<String> tenants, List<String> streams, Optional<Instant> startDate, Duration overlap,
        int pageSize, double dailyBudgetShare, int minuteLimit, int dailyLimit, Duration reconcileEvery, String connection) {

    static final String DEFAULT_BASE_URL = "https://api.xero.com";
    static final String DEFAULT_IDENTITY_URL = "https://identity.xero.com";

    static XeroConfig from(Config c) {
        String base = trimSlash(c.string("base_url", DEFAULT_BASE_URL));
        String identity = trimSlash(c.string("identity_url", base.equals(DEFAULT_BASE_URL) ? DEFAULT_IDENTITY_URL : base));
        String clientId = c.string("client_id");
        String clientSecret = c.string("client_secret");
        String grant = c.string("grant_type", c.has("refresh_token") ? "refresh_token" : "client_credentials");
        boolean cc;
        switch (grant) {
            case "refresh_token" -> cc = false;
            case "client_credentials" -> cc = true;
            default -> throw c.error("grant_type", "expected refresh_token (OAuth 2.0 app) or client_credentials (custom connection), got '" + grant + "'");
        }
        String refresh = cc ? null : c.string("refresh_token");
        if (cc && c.has("refresh_token")) throw c.error("refresh_token", "a custom connection (grant_type client_credentials) has no refresh token");
        Optional<Instant> start = c.optString("start_date").map(s -> {
            try {
                return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(s);
            } catch (RuntimeException e) {
                throw c.error("start_date", "expected a date like 2024-01-31 or an instant like 2024-01-31T00:00:00Z, got '" + s + "'");
            }
        });
        long overlap = c.longValue("overlap_seconds", 300);
        if (overlap < 0) throw c.error("overlap_seconds", "must not be negative");
        int pageSize = c.intValue("page_size", 1000);
        if (pageSize < 1 || pageSize > 1000) throw c.error("page_size", "Xero pages hold 1 to 1000 documents, got " + pageSize);
        double share;
        try {
            share = Double.parseDouble(c.string("daily_budget_share", "1.0"));
        } catch (NumberFormatException e) {
            throw c.error("daily_budget_share", "expected a number between 0 and 1");
        }
        if (share <= 0 || share > 1) throw c.error("daily_budget_share", "must be in (0, 1], got " + share);
        int minute = c.intValue("minute_limit", 60);
        int daily = c.intValue("daily_limit", 5000);
        if (minute < 1) throw c.error("minute_limit", "must be positive");
        if (daily < 1) throw c.error("daily_limit", "must be positive");
        Duration reconcile = parseDuration(c, "reconcile_every", "1d");
        List<String> tenants = c.stringList("tenants").stream().map(t -> t.trim().toLowerCase()).toList();
        List<String> streams = c.stringList("streams");
        for (String s : streams) {
            if (XeroCatalog.stream(s).isEmpty()) {
                throw c.error("streams", "no Xero stream '" + s + "'" + Config.didYouMean(s, XeroCatalog.names()) + " (streams: " + String.join(", ", XeroCatalog.names()) + ")");
            }
        }
        return new XeroConfig(base, identity, clientId, clientSecret, refresh, cc, tenants, streams, start, Duration.ofSeconds(overlap),
                pageSize, share, minute, daily, reconcile, connectionName(c.path()));
    }

    /**
     * The connection's name from where its settings were written ({@code connections.<name>.config}), or null when the
     * settings did not come from a project file (then the app's fingerprint alone names the stored token).
     */
    static String connectionName(String path) {
        String prefix = "connections.";
        String suffix = ".config";
        if (path == null || !path.startsWith(prefix) || !path.endsWith(suffix) || path.length() <= prefix.length() + suffix.length()) return null;
        return path.substring(prefix.length(), path.length() - suffix.length());
    }

    private static Duration parseDuration(Config c, String key, String dflt) {
        String v = c.string(key, dflt).trim().toLowerCase();
        if (v.equals("off") || v.equals("never")) return null;
        try {
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw c.error(key, "expected a duration like 30m, 12h or 7d (or off), got '" + v + "'");
        }
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Identifies the app and grant without revealing them: for shared clients, budgets and the secret's name. */
    String fingerprint() {
        return sha256(baseUrl + "\n" + clientId + "\n" + (clientCredentials ? "cc" : "oauth")).substring(0, 16);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "XeroConfig[" + baseUrl + ", " + (clientCredentials ? "custom connection" : "OAuth app") + "]";
    }
}
