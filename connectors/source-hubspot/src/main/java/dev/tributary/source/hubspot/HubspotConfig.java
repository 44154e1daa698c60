package dev.tributary.source.hubspot;

import static java.util.Objects.requireNonNull;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HubSpot source's settings (see the module README). Secrets only ever go into {@link Credentials}, whose
 * {@code toString} hides them. Unknown keys are errors, with a did-you-mean.
 */
record HubspotConfig(
        String baseUrl,
        Credentials credentials,
        Optional<List<String>> streams,
        Map<String, List<String>> properties,
        List<String> historyProperties,
        Optional<Instant> startDate,
        Duration safetyLag,
        double dailyBudgetShare,
        int maxConcurrency,
        boolean sensitiveProperties,
        Duration archivedEvery,
        Duration reconcileEvery,
        Config settings) {

    static final String DEFAULT_BASE_URL = "https://api.hubapi.com";
    static final List<String> DEFAULT_HISTORY = List.of("dealstage", "lifecyclestage", "amount", "hubspot_owner_id");
    static final long DEFAULT_SAFETY_LAG_SECONDS = 60;
    static final Duration DEFAULT_ARCHIVED_EVERY = Duration.ofHours(1);
    static final Duration DEFAULT_RECONCILE_EVERY = Duration.ofDays(7);

    HubspotConfig {
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(credentials, "credentials is null");
        requireNonNull(streams, "streams is null");
        properties = Map.copyOf(properties);
        historyProperties = List.copyOf(historyProperties);
        requireNonNull(startDate, "startDate is null");
        requireNonNull(safetyLag, "safetyLag is null");
    }

    /** Either a private-app token or an OAuth client with a refresh token. */
    record Credentials(String accessToken, String clientId, String clientSecret, String refreshToken) {
        boolean isOAuth() {
            return accessToken == null;
        }

        /** Identifies the account's credentials without revealing them (for sharing one limiter per account). */
        String fingerprint() {
            String material = isOAuth() ? clientId + "\n" + refreshToken : accessToken;
            try {
                byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(material.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return java.util.HexFormat.of().formatHex(d, 0, 12);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return isOAuth() ? "an OAuth refresh token" : "a private app token";
        }
    }

    static HubspotConfig from(Config c) {
        String baseUrl = c.string("base_url", DEFAULT_BASE_URL).trim();
        if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) throw c.error("base_url", "expected an http(s) URL");
        Optional<String> token = c.optString("access_token").filter(s -> !s.isBlank());
        Optional<String> clientId = c.optString("client_id").filter(s -> !s.isBlank());
        Optional<String> clientSecret = c.optString("client_secret").filter(s -> !s.isBlank());
        Optional<String> refresh = c.optString("refresh_token").filter(s -> !s.isBlank());
        Credentials credentials;
        if (token.isPresent()) {
            if (clientId.isPresent() || clientSecret.isPresent() || refresh.isPresent()) {
                throw c.error("access_token", "set either access_token (a private app) or client_id, client_secret and refresh_token (OAuth), not both");
            }
            credentials = new Credentials(token.get().trim(), null, null, null);
        } else if (clientId.isPresent() || clientSecret.isPresent() || refresh.isPresent()) {
            if (clientId.isEmpty()) throw c.error("client_id", "is required with OAuth (client_secret and refresh_token are set)");
            if (clientSecret.isEmpty()) throw c.error("client_secret", "is required with OAuth");
            if (refresh.isEmpty()) throw c.error("refresh_token", "is required with OAuth");
            credentials = new Credentials(null, clientId.get().trim(), clientSecret.get().trim(), refresh.get().trim());
        } else {
            throw c.error("access_token", "is required: a private app token, or client_id, client_secret and refresh_token for OAuth");
        }

        Optional<List<String>> streams = c.has("streams") ? Optional.of(c.stringList("streams")) : Optional.empty();
        Map<String, List<String>> properties = new LinkedHashMap<>();
        if (c.has("properties")) {
            Config p = c.child("properties");
            for (String object : p.keys()) properties.put(object, p.stringList(object));
        }
        List<String> history = c.has("history_properties") ? c.stringList("history_properties") : DEFAULT_HISTORY;
        Optional<Instant> startDate = c.optString("start_date").map(s -> parseInstant(c, "start_date", s));

        long lag = c.longValue("safety_lag_seconds", -1);
        long lookback = c.longValue("lookback_seconds", -1);
        if (lag >= 0 && lookback >= 0) throw c.error("lookback_seconds", "is another name for safety_lag_seconds; set only one");
        if (lag < 0) lag = lookback >= 0 ? lookback : DEFAULT_SAFETY_LAG_SECONDS;
        if (lag > 86_400) throw c.error("safety_lag_seconds", "must be at most 86400 (a day)");

        double share = 1.0;
        if (c.has("daily_budget_share")) {
            String s = c.string("daily_budget_share").trim();
            try {
                share = s.endsWith("%") ? Double.parseDouble(s.substring(0, s.length() - 1)) / 100 : Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw c.error("daily_budget_share", "expected a share such as 0.5 or 50%, got '" + s + "'");
            }
            if (!(share > 0 && share <= 1)) throw c.error("daily_budget_share", "must be above 0 and at most 1 (100%)");
        }
        int concurrency = c.intValue("max_concurrency", 4);
        if (concurrency < 1 || concurrency > 32) throw c.error("max_concurrency", "must be between 1 and 32");
        boolean sensitive = c.bool("sensitive_properties", true);
        Duration archivedEvery = duration(c, "archived_every", DEFAULT_ARCHIVED_EVERY);
        Duration reconcileEvery = duration(c, "reconcile_every", DEFAULT_RECONCILE_EVERY);

        List<ConfigException> unknown = c.unknownKeys();
        if (!unknown.isEmpty()) throw unknown.get(0);
        return new HubspotConfig(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl, credentials, streams,
                properties, history, startDate, Duration.ofSeconds(lag), share, concurrency, sensitive, archivedEvery, reconcileEvery, c);
    }

    /** {@code 90s}, {@code 30m}, {@code 1h}, {@code 7d}, ISO-8601 ({@code PT1H}), {@code 0} or {@code off} (zero). */
    static Duration duration(Config c, String key, Duration defaultValue) {
        Optional<String> given = c.optString(key);
        if (given.isEmpty()) return defaultValue;
        String v = given.get().trim().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("off") || v.equals("0") || v.equals("never")) return Duration.ZERO;
        try {
            if (v.startsWith("p")) return Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
            long n = Long.parseLong(v.substring(0, v.length() - 1).trim());
            Duration d = switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
            if (d.isNegative()) throw new NumberFormatException();
            return d;
        } catch (RuntimeException e) {
            throw c.error(key, "expected a duration such as 30m, 1h or 7d (or off), got '" + given.get() + "'");
        }
    }

    private static Instant parseInstant(Config c, String key, String s) {
        String v = s.trim();
        try {
            if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw c.error(key, "expected a date (2024-01-31) or a timestamp (2024-01-31T12:00:00Z), got '" + v + "'");
        }
    }
}
