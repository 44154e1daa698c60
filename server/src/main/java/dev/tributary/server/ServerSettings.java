package dev.tributary.server;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code server:} section of tributary.yml plus the admin credentials and API token from the environment.
 * The password is kept only as a PBKDF2 hash; {@link #toString()} never shows the hash or the token.
 */
public record ServerSettings(String host, int port, Optional<String> publicUrl, Duration sessionTimeout, boolean metricsPublic,
                             List<DashboardDef> dashboards, String adminUser, PasswordHash adminPassword, Optional<String> apiToken) {
    public static final String ENV_ADMIN_USER = "TRIBUTARY_ADMIN_USER";
    public static final String ENV_ADMIN_PASSWORD = "TRIBUTARY_ADMIN_PASSWORD";
    public static final String ENV_API_TOKEN = "TRIBUTARY_API_TOKEN";

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    public ServerSettings {
        dashboards = List.copyOf(dashboards);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    /** Parses without a way to show a generated password: an unset TRIBUTARY_ADMIN_PASSWORD then locks the UI. */
    public static ServerSettings parse(Config server, Map<String, String> env) {
        return parse(server, env, generated -> {});
    }

    /**
     * Reads {@code server:} and the environment. When TRIBUTARY_ADMIN_PASSWORD is unset a random password is made
     * and handed once to {@code onGeneratedPassword} (the CLI prints it on the terminal; it is never logged).
     */
    public static ServerSettings parse(Config server, Map<String, String> env, Consumer<String> onGeneratedPassword) {
        String host = server.string("host", "127.0.0.1").trim();
        int port = server.intValue("port", 8080);
        if (port < 0 || port > 65535) throw server.error("port", "expected a port between 0 and 65535, got " + port);
        Optional<String> publicUrl = server.optString("public_url").map(String::trim).map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
        Duration sessionTimeout = duration(server, "session_timeout", Duration.ofHours(12));
        boolean metricsPublic = server.bool("metrics_public", false);
        server.has("metadata"); // the scheduler reads server.metadata; here it only counts as a known key
        List<DashboardDef> dashboards = dashboards(server);
        List<ConfigException> unknown = server.unknownKeys();
        if (!unknown.isEmpty()) throw unknown.get(0);

        String user = env.getOrDefault(ENV_ADMIN_USER, "").isBlank() ? "admin" : env.get(ENV_ADMIN_USER).trim();
        String password = env.get(ENV_ADMIN_PASSWORD);
        if (password == null || password.isEmpty()) {
            password = randomPassword();
            onGeneratedPassword.accept(password);
        }
        Optional<String> token = Optional.ofNullable(env.get(ENV_API_TOKEN)).map(String::trim).filter(t -> !t.isEmpty());
        return new ServerSettings(host, port, publicUrl, sessionTimeout, metricsPublic, dashboards, user, PasswordHash.of(password.toCharArray()), token);
    }

    public ServerSettings withPort(int newPort) {
        return new ServerSettings(host, newPort, publicUrl, sessionTimeout, metricsPublic, dashboards, adminUser, adminPassword, apiToken);
    }

    public Optional<DashboardDef> dashboard(String name) {
        return dashboards.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return "ServerSettings[host=" + host + ", port=" + port + ", publicUrl=" + publicUrl + ", sessionTimeout=" + sessionTimeout
                + ", metricsPublic=" + metricsPublic + ", dashboards=" + dashboards.stream().map(DashboardDef::name).toList()
                + ", adminUser=" + adminUser + ", apiToken=" + (apiToken.isPresent() ? "(set)" : "(none)") + "]";
    }

    private static List<DashboardDef> dashboards(Config server) {
        List<DashboardDef> out = new ArrayList<>();
        for (Map.Entry<String, Config> e : server.entries("dashboards").entrySet()) {
            Config d = e.getValue();
            String title = d.string("title", e.getKey());
            List<ChartDef> charts = new ArrayList<>();
            for (Config c : d.list("charts")) charts.add(chart(c));
            out.add(new DashboardDef(e.getKey(), title, charts));
        }
        return out;
    }

    private static ChartDef chart(Config c) {
        Optional<String> query = c.optString("query").map(String::trim).filter(s -> !s.isEmpty());
        Optional<String> model = c.optString("model").map(String::trim).filter(s -> !s.isEmpty());
        if (query.isPresent() == model.isPresent()) throw c.error("give either query or model (one of them)");
        String x = c.optString("x").orElseThrow(() -> c.error("x", "is required (the column along the x axis)"));
        List<String> y = c.stringList("y");
        if (y.isEmpty()) throw c.error("y", "is required (one column or a list of columns)");
        ChartDef.ChartType type = c.enumValue("type", ChartDef.ChartType.class, ChartDef.ChartType.BAR);
        String title = c.string("title", String.join(", ", y) + " by " + x);
        return new ChartDef(title, query, model, x, y, type);
    }

    /** "12h", "30m", "45s", "2d", "500ms" or a number of seconds. */
    static Duration duration(Config config, String key, Duration defaultValue) {
        Optional<String> text = config.optString(key);
        if (text.isEmpty()) return defaultValue;
        Matcher m = DURATION.matcher(text.get().trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) throw config.error(key, "expected a duration such as 30m, 12h or 2d, got '" + text.get() + "'");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero()) throw config.error(key, "must be longer than zero");
        return d;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
