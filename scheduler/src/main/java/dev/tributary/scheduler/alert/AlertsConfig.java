package dev.tributary.scheduler.alert;

import static java.util.Objects.requireNonNull;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code alerts:} section of tributary.yml: which events alert, the email and webhook channels, and the
 * freshness checks. Secrets (SMTP password, webhook URLs) never appear in {@link #toString()}.
 *
 * @param on        events that alert on every channel unless the channel overrides it
 * @param publicUrl base of links to runs ({@code {public_url}/runs/{id}})
 */
public record AlertsConfig(Set<AlertEvent> on, Optional<String> publicUrl, Optional<Email> email, List<Webhook> webhooks,
                           Freshness freshness) {
    /** failure and recovery, plus freshness (which only fires where a deadline is set). */
    public static final Set<AlertEvent> DEFAULT_ON = Set.copyOf(EnumSet.of(AlertEvent.FAILURE, AlertEvent.RECOVERY, AlertEvent.FRESHNESS));
    public static final Duration DEFAULT_CHECK_EVERY = Duration.ofMinutes(5);
    public static final String DEFAULT_FRESHNESS_COLUMN = "_tributary_extracted_at";

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    public AlertsConfig {
        on = Set.copyOf(requireNonNull(on, "on is null"));
        requireNonNull(publicUrl, "publicUrl is null");
        requireNonNull(email, "email is null");
        webhooks = List.copyOf(requireNonNull(webhooks, "webhooks is null"));
        requireNonNull(freshness, "freshness is null");
        publicUrl = publicUrl.map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    }

    /** No channels: nothing is sent. */
    public static AlertsConfig none() {
        return new AlertsConfig(DEFAULT_ON, Optional.empty(), Optional.empty(), List.of(), new Freshness(DEFAULT_CHECK_EVERY, List.of()));
    }

    /** The link to a run, when {@code public_url} is set. */
    public Optional<String> runUrl(long runId) {
        return publicUrl.map(u -> u + "/runs/" + runId);
    }

    /** SMTP server settings. {@code password} is a secret: never logged, not in toString. */
    public record Smtp(String host, int port, Optional<String> user, Optional<String> password, boolean starttls, boolean ssl,
                       Duration timeout) {
        public Smtp {
            requireNonNull(host, "host is null");
            requireNonNull(user, "user is null");
            requireNonNull(password, "password is null");
            requireNonNull(timeout, "timeout is null");
            if (host.isBlank()) throw new IllegalArgumentException("host is blank");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is out of range");
            if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
            if (password.isPresent() && user.isEmpty()) throw new IllegalArgumentException("password without user");
        }

        @Override
        public String toString() {
            return "Smtp[host=" + host + ", port=" + port + ", user=" + user.orElse("-") + ", password=" + (password.isPresent() ? "***" : "-")
                    + ", starttls=" + starttls + ", ssl=" + ssl + ", timeout=" + timeout + "]";
        }
    }

    /** @param on events for this channel; empty: the section's {@code on} */
    public record Email(Smtp smtp, String from, List<String> to, Optional<Set<AlertEvent>> on) {
        public Email {
            requireNonNull(smtp, "smtp is null");
            requireNonNull(from, "from is null");
            to = List.copyOf(requireNonNull(to, "to is null"));
            on = requireNonNull(on, "on is null").map(Set::copyOf);
            if (to.isEmpty()) throw new IllegalArgumentException("email needs at least one recipient");
        }
    }

    /** One webhook. The URL usually embeds a token, so toString shows only scheme and host. */
    public record Webhook(URI url, WebhookFormat format, Optional<Set<AlertEvent>> on) {
        public Webhook {
            requireNonNull(url, "url is null");
            requireNonNull(format, "format is null");
            on = requireNonNull(on, "on is null").map(Set::copyOf);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw new IllegalArgumentException("webhook url must be an absolute http or https URL");
            }
        }

        /** Where it goes without the secret part: {@code https://hooks.slack.com/…}. */
        public String redactedUrl() {
            return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/…";
        }

        @Override
        public String toString() {
            return "Webhook[url=" + redactedUrl() + ", format=" + format.name().toLowerCase(Locale.ROOT) + ", on=" + on + "]";
        }
    }

    /** @param tables warehouse tables whose newest row must be younger than their max age */
    public record Freshness(Duration checkEvery, List<TableDeadline> tables) {
        public Freshness {
            requireNonNull(checkEvery, "checkEvery is null");
            tables = List.copyOf(requireNonNull(tables, "tables is null"));
            if (checkEvery.isNegative() || checkEvery.isZero()) throw new IllegalArgumentException("checkEvery must be positive");
        }
    }

    /** A table is stale when {@code max(column)} is older than {@code maxAge}. */
    public record TableDeadline(String table, String column, Duration maxAge) {
        public TableDeadline {
            requireNonNull(table, "table is null");
            requireNonNull(column, "column is null");
            requireNonNull(maxAge, "maxAge is null");
            if (table.isBlank()) throw new IllegalArgumentException("table is blank");
            if (column.isBlank()) throw new IllegalArgumentException("column is blank");
            if (maxAge.isNegative() || maxAge.isZero()) throw new IllegalArgumentException("maxAge must be positive");
        }
    }

    /**
     * Reads the {@code alerts:} mapping (absent: {@link #none()}).
     *
     * @throws ConfigException with file and line for a wrong value, a missing required key or an unknown key
     */
    public static AlertsConfig parse(Config alerts) {
        requireNonNull(alerts, "alerts is null");
        if (!alerts.isPresent()) return none();
        Set<AlertEvent> on = alerts.has("on") ? events(alerts, "on") : DEFAULT_ON;
        Optional<String> publicUrl = alerts.optString("public_url").map(String::strip);
        publicUrl.ifPresent(u -> requireHttpUrl(alerts, "public_url", u, true));
        Optional<Email> email = alerts.has("email") ? Optional.of(email(alerts.child("email"))) : Optional.empty();
        List<Webhook> webhooks = new ArrayList<>();
        for (Config w : alerts.list("webhooks")) webhooks.add(webhook(w));
        Freshness freshness = freshness(alerts.child("freshness"));
        List<ConfigException> unknown = alerts.unknownKeys();
        if (!unknown.isEmpty()) {
            ConfigException first = unknown.get(0);
            for (int i = 1; i < unknown.size(); i++) first.addSuppressed(unknown.get(i));
            throw first;
        }
        return new AlertsConfig(on, publicUrl, email, webhooks, freshness);
    }

    private static Email email(Config c) {
        Config s = c.child("smtp");
        if (!s.isPresent()) throw c.error("smtp", "is required (host, port, user, password, starttls, ssl)");
        String host = s.string("host").strip();
        if (host.isEmpty()) throw s.error("host", "is required");
        boolean ssl = s.bool("ssl", false);
        boolean starttls = s.bool("starttls", false);
        if (ssl && starttls) throw s.error("starttls", "choose ssl (implicit TLS, usually port 465) or starttls (usually 587), not both");
        int port = s.intValue("port", ssl ? 465 : starttls ? 587 : 25);
        if (port < 1 || port > 65535) throw s.error("port", "must be between 1 and 65535, got " + port);
        Optional<String> user = s.optString("user").filter(u -> !u.isBlank());
        Optional<String> password = s.optString("password").filter(p -> !p.isEmpty());
        if (password.isPresent() && user.isEmpty()) throw s.error("user", "is required when a password is set");
        Duration timeout = s.has("timeout") ? duration(s, "timeout") : Duration.ofSeconds(30);
        String from = c.string("from").strip();
        if (!from.contains("@")) throw c.error("from", "expected an email address");
        List<String> to = c.stringList("to").stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
        if (to.isEmpty()) throw c.error("to", "is required: at least one recipient");
        for (String t : to) if (!t.contains("@")) throw c.error("to", "expected email addresses, got '" + t + "'");
        Optional<Set<AlertEvent>> on = c.has("on") ? Optional.of(events(c, "on")) : Optional.empty();
        return new Email(new Smtp(host, port, user, password, starttls, ssl, timeout), from, to, on);
    }

    private static Webhook webhook(Config w) {
        String raw = w.string("url").strip();
        URI url = requireHttpUrl(w, "url", raw, false);
        WebhookFormat format = w.enumValue("format", WebhookFormat.class, WebhookFormat.JSON);
        Optional<Set<AlertEvent>> on = w.has("on") ? Optional.of(events(w, "on")) : Optional.empty();
        return new Webhook(url, format, on);
    }

    private static Freshness freshness(Config f) {
        Duration every = f.has("check_every") ? duration(f, "check_every") : DEFAULT_CHECK_EVERY;
        List<TableDeadline> tables = new ArrayList<>();
        for (Config t : f.list("tables")) {
            String table = t.string("table").strip();
            if (table.isEmpty()) throw t.error("table", "is required");
            String column = t.string("column", DEFAULT_FRESHNESS_COLUMN).strip();
            if (column.isEmpty()) throw t.error("column", "must not be empty");
            tables.add(new TableDeadline(table, column, duration(t, "max_age")));
        }
        return new Freshness(every, tables);
    }

    private static Set<AlertEvent> events(Config c, String key) {
        Set<AlertEvent> out = EnumSet.noneOf(AlertEvent.class);
        for (String raw : c.stringList(key)) {
            String name = raw.strip().toLowerCase(Locale.ROOT);
            AlertEvent match = null;
            for (AlertEvent e : AlertEvent.values()) if (e.key().equals(name)) match = e;
            if (match == null) {
                List<String> names = new ArrayList<>();
                for (AlertEvent e : AlertEvent.values()) names.add(e.key());
                throw c.error(key, "unknown event '" + raw + "'; expected " + String.join(", ", names) + Config.didYouMean(name, names));
            }
            out.add(match);
        }
        return out;
    }

    /** "30s", "5m", "6h", "1d", "250ms", a number of seconds, or ISO-8601 ("PT5M"); must be positive. */
    static Duration duration(Config c, String key) {
        String raw = c.string(key).strip();
        Duration d;
        Matcher m = DURATION.matcher(raw.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw c.error(key, "number '" + raw + "' is too large");
            }
            String unit = m.group(2) == null ? "s" : m.group(2);
            d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        } else {
            try {
                d = Duration.parse(raw.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw c.error(key, "expected a duration such as 30s, 5m, 6h or 1d, got '" + raw + "'");
            }
        }
        if (d.isNegative() || d.isZero()) throw c.error(key, "must be longer than zero, got '" + raw + "'");
        return d;
    }

    // The message never echoes the value: webhook URLs carry tokens.
    private static URI requireHttpUrl(Config c, String key, String raw, boolean showValue) {
        String shown = showValue ? " '" + raw + "'" : "";
        try {
            URI u = new URI(raw);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) return u;
        } catch (URISyntaxException e) {
            // reported below, without the value
        }
        throw c.error(key, "expected an absolute http:// or https:// URL" + shown + (showValue ? "" : " (value not shown: it may hold a token)"));
    }
}
