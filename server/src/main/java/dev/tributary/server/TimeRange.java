package dev.tributary.server;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dashboard's time range ({@code range=7d|30d|90d|all}) and how a chart query takes it: the placeholders
 * {@code {{ range_start }}} and {@code {{ range_end }}} become {@code ?} parameters bound to timestamps (UTC), never
 * text pasted into the SQL. {@code all} binds the start to {@link #ALL_START}.
 */
record TimeRange(String name, Instant start, Instant end) {
    static final List<String> NAMES = List.of("7d", "30d", "90d", "all");
    static final Instant ALL_START = Instant.parse("1900-01-01T00:00:00Z");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*range_(start|end)\\s*}}");

    /** The named range ending at {@code now}; an unknown name is an {@link IllegalArgumentException} saying the known ones. */
    static TimeRange of(String name, Instant now) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "7d", "30d", "90d" -> new TimeRange(n, now.minus(Duration.ofDays(Long.parseLong(n.substring(0, n.length() - 1)))), now);
            case "all" -> new TimeRange(n, ALL_START, now);
            default -> throw new IllegalArgumentException("unknown range '" + name + "'; expected one of " + String.join(", ", NAMES));
        };
    }

    static boolean takesRange(String sql) {
        return PLACEHOLDER.matcher(sql).find();
    }

    /** The SQL with each placeholder as {@code ?}, and the values to bind in order. */
    record Bound(String sql, List<Object> parameters) {}

    Bound bind(String sql) {
        check(sql);
        List<Object> parameters = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            parameters.add(m.group(1).equals("start") ? start : end);
            m.appendReplacement(out, "?");
        }
        m.appendTail(out);
        return new Bound(out.toString(), parameters);
    }

    /**
     * Refuses a placeholder inside a quoted string or identifier: it is bound as a parameter, so {@code '{{ range_start }}'}
     * would compare with the text "?".
     */
    static void check(String sql) {
        Matcher m = PLACEHOLDER.matcher(sql);
        while (m.find()) {
            char open = 0;
            for (int i = 0; i < m.start(); i++) {
                char c = sql.charAt(i);
                if (open == 0 && (c == '\'' || c == '"')) open = c;
                else if (open != 0 && c == open) open = 0;
            }
            if (open != 0) {
                throw new IllegalArgumentException("write " + m.group().replaceAll("\\s+", " ") + " without quotes around it: it is bound as a"
                        + " timestamp parameter (e.g. where created_at >= {{ range_start }})");
            }
        }
    }
}
