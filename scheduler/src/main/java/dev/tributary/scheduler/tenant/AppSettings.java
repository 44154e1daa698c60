package dev.tributary.scheduler.tenant;

import dev.tributary.spi.Config;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code app:} section of tributary.yml: a public HubSpot app that many accounts install, each becoming a tenant.
 * <pre>
 * app:
 *   client_id: ${HUBSPOT_APP_CLIENT_ID}
 *   client_secret: ${HUBSPOT_APP_CLIENT_SECRET}   # from the environment, .env or the secret store; never written here
 *   scopes: [oauth, crm.objects.contacts.read]
 *   optional_scopes: [crm.objects.deals.read]
 *   redirect_url: https://tributary.example.com/oauth/callback
 *   # authorize_url: https://app.hubspot.com/oauth/authorize   api_url: https://api.hubapi.com
 *   # max_concurrent_tenants: 4    install_state_ttl: 10m
 * </pre>
 * {@code toString} hides the secret.
 */
public record AppSettings(String clientId, String clientSecret, List<String> scopes, List<String> optionalScopes, URI redirectUrl,
                          URI authorizeUrl, String apiUrl, int maxConcurrentTenants, Duration installStateTtl) {
    public static final String SECTION = "app";
    public static final String DEFAULT_AUTHORIZE_URL = "https://app.hubspot.com/oauth/authorize";
    public static final String DEFAULT_API_URL = "https://api.hubapi.com";
    public static final int DEFAULT_MAX_CONCURRENT_TENANTS = 4;
    private static final List<String> KEYS = List.of("client_id", "client_secret", "scopes", "optional_scopes", "redirect_url", "authorize_url",
            "api_url", "max_concurrent_tenants", "install_state_ttl");

    public AppSettings {
        scopes = List.copyOf(scopes);
        optionalScopes = List.copyOf(optionalScopes);
    }

    /** The app this project declares, or empty when it has no {@code app:} section. */
    public static Optional<AppSettings> parse(Config app) {
        if (!app.isPresent() || app.keys().isEmpty()) {
            return Optional.empty();
        }
        for (String key : app.keys()) {
            if (!KEYS.contains(key)) throw app.error(key, "unknown key" + Config.didYouMean(key, KEYS) + "; app settings: " + String.join(", ", KEYS));
        }
        String clientId = required(app, "client_id");
        String clientSecret = required(app, "client_secret");
        List<String> scopes = scopes(app, "scopes");
        if (scopes.isEmpty()) throw app.error("scopes", "is required: the scopes every install must grant, e.g. [oauth, crm.objects.contacts.read]");
        List<String> optional = app.has("optional_scopes") ? scopes(app, "optional_scopes") : List.of();
        URI redirect = url(app, "redirect_url", null);
        if (redirect.getRawPath() == null || redirect.getRawPath().length() < 2) {
            throw app.error("redirect_url", "needs a path, e.g. https://tributary.example.com/oauth/callback");
        }
        if (reserved(redirect.getRawPath())) {
            throw app.error("redirect_url", "the path " + redirect.getRawPath() + " is one of the server's own pages; use e.g. /oauth/callback");
        }
        URI authorize = url(app, "authorize_url", DEFAULT_AUTHORIZE_URL);
        String api = url(app, "api_url", DEFAULT_API_URL).toString().replaceAll("/+$", "");
        int concurrency = app.intValue("max_concurrent_tenants", DEFAULT_MAX_CONCURRENT_TENANTS);
        if (concurrency < 1 || concurrency > 256) throw app.error("max_concurrent_tenants", "must be between 1 and 256, got " + concurrency);
        Duration ttl = duration(app, "install_state_ttl", Duration.ofMinutes(10));
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofHours(1)) > 0) {
            throw app.error("install_state_ttl", "must be between 1m and 1h");
        }
        return Optional.of(new AppSettings(clientId, clientSecret, scopes, optional, redirect, authorize, api, concurrency, ttl));
    }

    /** The path HubSpot redirects installs back to (a public route of the server). */
    public String callbackPath() {
        return redirectUrl.getRawPath();
    }

    /** The key that signs install states: derived from the client secret, so every process of the app agrees. */
    public byte[] stateKey() {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(clientSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal("tributary install state v1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean reserved(String path) {
        return List.of("/", "/login", "/logout", "/install", "/tenants", "/runs", "/connections", "/models", "/quality", "/metrics").contains(path)
                || path.startsWith("/api/") || path.startsWith("/static/") || path.startsWith("/tenants/");
    }

    private static String required(Config app, String key) {
        String v = app.optString(key).map(String::trim).orElse("");
        if (v.isEmpty()) throw app.error(key, "is required" + (key.equals("client_secret") ? " (e.g. ${HUBSPOT_APP_CLIENT_SECRET})" : ""));
        return v;
    }

    private static List<String> scopes(Config app, String key) {
        if (app.json().path(key).isTextual()) {
            return Arrays.stream(app.string(key).split("[\\s,]+")).filter(s -> !s.isBlank()).toList();
        }
        List<String> list = app.stringList(key);
        for (String s : list) {
            if (!s.matches("[A-Za-z0-9._-]+")) throw app.error(key, "not a scope: '" + s + "'");
        }
        return list;
    }

    private static URI url(Config app, String key, String defaultValue) {
        String v = defaultValue == null ? required(app, key) : app.string(key, defaultValue).trim();
        try {
            URI u = new URI(v);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
                throw new java.net.URISyntaxException(v, "not http(s)");
            }
            if (u.getRawQuery() != null || u.getRawFragment() != null) throw app.error(key, "must not carry a query or a fragment");
            return u;
        } catch (java.net.URISyntaxException e) {
            throw app.error(key, "expected an http(s) URL, got '" + v + "'");
        }
    }

    private static Duration duration(Config app, String key, Duration defaultValue) {
        Optional<String> given = app.optString(key);
        if (given.isEmpty()) return defaultValue;
        try {
            return dev.tributary.scheduler.PipelinesConfig.parseDuration(given.get());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw app.error(key, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "AppSettings[client_id=" + clientId + ", client_secret=***, scopes=" + scopes + ", optional_scopes=" + optionalScopes
                + ", redirect_url=" + redirectUrl + "]";
    }
}
