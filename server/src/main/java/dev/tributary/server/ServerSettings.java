package dev.tributary.server;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code server:} section of tributary.yml plus the admin credentials and API token from the environment.
 * The password is kept only as a PBKDF2 hash; {@link #toString()} never shows the hash or the token.
 */
public record ServerSettings(String host, int port, Optional<String> publicUrl, Duration sessionTimeout, boolean metricsPublic,
                             List<DashboardDef> dashboards, String adminUser, PasswordHash adminPassword, Optional<String> apiToken,
                             List<String> allowedHosts) {
    public static final String ENV_ADMIN_USER = "TRIBUTARY_ADMIN_USER";
    public static final String ENV_ADMIN_PASSWORD = "TRIBUTARY_ADMIN_PASSWORD";
    public static final String ENV_API_TOKEN = "TRIBUTARY_API_TOKEN";

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
    static final Duration MIN_SESSION_TIMEOUT = Duration.ofMinutes(1);
    static final Duration MAX_SESSION_TIMEOUT = Duration.ofDays(365);
    /** A host name, an IPv4 address or a bracketed IPv6 address, optionally with a port. */
    private static final Pattern HOST_ENTRY = Pattern.compile("([a-z0-9]([a-z0-9.-]*[a-z0-9])?|\\[[0-9a-f:.]+\\])(:\\d{1,5})?");

    public ServerSettings {
        dashboards = List.copyOf(dashboards);
        allowedHosts = List.copyOf(allowedHosts);
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
        Optional<String> publicUrl = publicUrl(server);
        Duration sessionTimeout = duration(server, "session_timeout", Duration.ofHours(12));
        if (sessionTimeout.compareTo(MIN_SESSION_TIMEOUT) < 0 || sessionTimeout.compareTo(MAX_SESSION_TIMEOUT) > 0) {
            throw server.error("session_timeout", "must be between 1m and 365d (a login must outlive the page it lands on), got '"
                    + server.optString("session_timeout").orElse("") + "'");
        }
        List<String> allowedHosts = allowedHosts(server);
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
        return new ServerSettings(host, port, publicUrl, sessionTimeout, metricsPublic, dashboards, user, PasswordHash.of(password.toCharArray()), token,
                allowedHosts);
    }

    public ServerSettings withPort(int newPort) {
        return new ServerSettings(host, newPort, publicUrl, sessionTimeout, metricsPublic, dashboards, adminUser, adminPassword, apiToken, allowedHosts);
    }

    /** True when {@code public_url} is https (in any letter case): cookies then carry Secure. */
    public boolean secureCookies() {
        return publicUrl.map(u -> u.regionMatches(true, 0, "https://", 0, 8)).orElse(false);
    }

    /**
     * The Host header values this server answers (lower case): the loopback names and {@code server.host} with the
     * port it listens on, the {@code public_url} host (with its port, or bare for the scheme's default port), and each
     * {@code server.allowed_hosts} entry (a bare name matches any port). Anything else is a DNS-rebinding attempt or a
     * misdirected request.
     */
    public boolean answersHost(String hostHeader, int localPort) {
        if (hostHeader == null || hostHeader.isBlank()) return false;
        String given = hostHeader.trim().toLowerCase(Locale.ROOT);
        String name = hostOf(given);
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1); // "localhost." is localhost
        Optional<Integer> givenPort = portOf(given);
        if (givenPort.isPresent() && givenPort.get() < 0) return false;
        Set<String> loopback = new HashSet<>(Set.of("localhost", "127.0.0.1", "[::1]"));
        if (!host.isBlank() && !host.equals("0.0.0.0") && !host.equals("::")) {
            loopback.add(host.contains(":") && !host.startsWith("[") ? "[" + host.toLowerCase(Locale.ROOT) + "]" : host.toLowerCase(Locale.ROOT));
        }
        if (loopback.contains(name) && givenPort.orElse(80) == localPort) return true;
        if (publicUrl.isPresent()) {
            java.net.URI u = java.net.URI.create(publicUrl.get());
            int defaultPort = secureCookies() ? 443 : 80;
            if (u.getHost().toLowerCase(Locale.ROOT).equals(name) && givenPort.orElse(defaultPort) == (u.getPort() >= 0 ? u.getPort() : defaultPort)) return true;
        }
        for (String entry : allowedHosts) {
            if (!hostOf(entry).equals(name)) continue;
            Optional<Integer> entryPort = portOf(entry);
            if (entryPort.isEmpty() || entryPort.get().equals(givenPort.orElse(80))) return true;
        }
        return false;
    }

    private static String hostOf(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return colon > hostAndPort.lastIndexOf(']') ? hostAndPort.substring(0, colon) : hostAndPort;
    }

    /** The port after the host; -1 when it is not a number. */
    private static Optional<Integer> portOf(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= hostAndPort.lastIndexOf(']')) return Optional.empty();
        try {
            return Optional.of(Integer.parseInt(hostAndPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return Optional.of(-1);
        }
    }

    private static Optional<String> publicUrl(Config server) {
        Optional<String> text = server.optString("public_url").map(String::trim).filter(u -> !u.isEmpty());
        if (text.isEmpty()) return text;
        String u = text.get().endsWith("/") ? text.get().substring(0, text.get().length() - 1) : text.get();
        java.net.URI uri;
        try {
            uri = new java.net.URI(u);
        } catch (java.net.URISyntaxException e) {
            throw server.error("public_url", "not a URL: '" + text.get() + "' (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw server.error("public_url", "expected an http:// or https:// URL with a host, such as https://tributary.example.com, got '" + text.get() + "'");
        }
        // scheme and host in lower case, as browsers use them (HTTPS://Example.COM is https://example.com)
        String rest = u.substring(uri.getScheme().length() + 3);
        int end = rest.indexOf('/');
        String authority = end < 0 ? rest : rest.substring(0, end);
        return Optional.of(scheme + "://" + authority.toLowerCase(Locale.ROOT) + (end < 0 ? "" : rest.substring(end)));
    }

    private static List<String> allowedHosts(Config server) {
        List<String> hosts = new ArrayList<>();
        for (String h : server.stringList("allowed_hosts")) {
            String entry = h.trim().toLowerCase(Locale.ROOT);
            Matcher m = HOST_ENTRY.matcher(entry);
            if (!m.matches() || (m.group(3) != null && Integer.parseInt(m.group(3).substring(1)) > 65535)) {
                throw server.error("allowed_hosts", "expected host names such as tributary.internal or tributary.internal:8080, got '" + h + "'");
            }
            hosts.add(entry);
        }
        return hosts;
    }

    public Optional<DashboardDef> dashboard(String name) {
        return dashboards.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return "ServerSettings[host=" + host + ", port=" + port + ", publicUrl=" + publicUrl + ", sessionTimeout=" + sessionTimeout
                + ", metricsPublic=" + metricsPublic + ", dashboards=" + dashboards.stream().map(DashboardDef::name).toList()
                + ", adminUser=" + adminUser + ", apiToken=" + (apiToken.isPresent() ? "(set)" : "(none)") + ", allowedHosts=" + allowedHosts + "]";
    }

    private static List<DashboardDef> dashboards(Config server) {
        List<DashboardDef> out = new ArrayList<>();
        for (Map.Entry<String, Config> e : server.entries("dashboards").entrySet()) {
            Config d = e.getValue();
            String title = d.string("title", e.getKey());
            List<ChartDef> charts = new ArrayList<>();
            for (Config c : d.list("charts")) charts.add(chart(c));
            String range = d.string("default_range", "30d").trim().toLowerCase(Locale.ROOT);
            if (!TimeRange.NAMES.contains(range)) throw d.error("default_range", "expected one of " + String.join(", ", TimeRange.NAMES) + ", got '" + range + "'");
            out.add(new DashboardDef(e.getKey(), title, charts, range));
        }
        return out;
    }

    private static ChartDef chart(Config c) {
        Optional<String> query = c.optString("query").map(String::trim).filter(s -> !s.isEmpty());
        Optional<String> model = c.optString("model").map(String::trim).filter(s -> !s.isEmpty());
        if (query.isPresent() == model.isPresent()) throw c.error("give either query or model (one of them)");
        ChartDef.ChartType type = c.enumValue("type", ChartDef.ChartType.class, ChartDef.ChartType.BAR);
        String x = c.optString("x").map(String::trim).orElse("");
        if (x.isEmpty() && ChartDef.needsX(type)) throw c.error("x", "is required (the column along the x axis)");
        List<String> y = c.stringList("y");
        if (y.isEmpty() && type != ChartDef.ChartType.TABLE && type != ChartDef.ChartType.NUMBER) {
            throw c.error("y", "is required (one column or a list of columns)");
        }
        if (query.isPresent()) {
            try {
                TimeRange.check(query.get());
            } catch (IllegalArgumentException e) {
                throw c.error("query", e.getMessage());
            }
        }
        String title = c.string("title", y.isEmpty() ? query.isPresent() ? "Query" : model.orElseThrow() : String.join(", ", y) + (x.isEmpty() ? "" : " by " + x));
        return new ChartDef(title, query, model, x, y, type);
    }

    /** "12h", "30m", "45s", "2d", "500ms" or a number of seconds. */
    static Duration duration(Config config, String key, Duration defaultValue) {
        Optional<String> text = config.optString(key);
        if (text.isEmpty()) return defaultValue;
        Matcher m = DURATION.matcher(text.get().trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) throw config.error(key, "expected a duration such as 30m, 12h or 2d, got '" + text.get() + "'");
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d;
        try {
            long n = Long.parseLong(m.group(1));
            d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw config.error(key, "'" + text.get() + "' is too long a duration");
        }
        if (d.isZero()) throw config.error(key, "must be longer than zero");
        return d;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
