package dev.tributary.transform;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A comparison such as {@code > 10}, {@code <= 0.5}, {@code != 0} or {@code between 1 and 5}; freshness values take
 * a unit: {@code > 24h}, {@code > 2d}, {@code > 30m}, {@code > 90s}.
 */
record Threshold(String op, double value, double upper, String text) {
    private static final Pattern COMPARISON = Pattern.compile("^\\s*(>=|<=|!=|<>|==|=|>|<)\\s*(-?[0-9.]+)\\s*([smhdw]?)\\s*$");
    private static final Pattern BETWEEN = Pattern.compile("^\\s*(not\\s+)?between\\s+(-?[0-9.]+)\\s+and\\s+(-?[0-9.]+)\\s*$", Pattern.CASE_INSENSITIVE);

    static Threshold parse(Object spec) {
        String s = String.valueOf(spec).trim();
        Matcher b = BETWEEN.matcher(s);
        if (b.matches()) return new Threshold(b.group(1) == null ? "between" : "not between", Double.parseDouble(b.group(2)), Double.parseDouble(b.group(3)), s);
        Matcher m = COMPARISON.matcher(s.toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new IllegalArgumentException("threshold '" + s + "' is not a comparison such as '> 0', '<= 5', '!= 0' or 'between 1 and 5'");
        double v = Double.parseDouble(m.group(2)) * unitSeconds(m.group(3));
        String op = m.group(1).equals("==") ? "=" : m.group(1).equals("<>") ? "!=" : m.group(1);
        return new Threshold(op, v, v, s);
    }

    private static double unitSeconds(String unit) {
        return switch (unit) {
            case "m" -> 60;
            case "h" -> 3600;
            case "d" -> 86400;
            case "w" -> 604800;
            default -> 1;
        };
    }

    boolean matches(double measured) {
        return switch (op) {
            case ">" -> measured > value;
            case ">=" -> measured >= value;
            case "<" -> measured < value;
            case "<=" -> measured <= value;
            case "=" -> measured == value;
            case "!=" -> measured != value;
            case "between" -> measured >= value && measured <= upper;
            case "not between" -> measured < value || measured > upper;
            default -> false;
        };
    }
}
