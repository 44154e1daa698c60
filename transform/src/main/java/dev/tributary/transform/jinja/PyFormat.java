package dev.tributary.transform.jinja;

import com.hubspot.jinjava.el.ext.NamedParameter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Python's string formatting: {@code str.format} and the {@code %} operator, with Python's {@code str()} of values. */
final class PyFormat {
    private PyFormat() {}

    /** Python's {@code str(v)}: None, True and False as Python spells them (see {@link PyRepr}). */
    static String str(Object v) {
        return PyRepr.str(v);
    }

    /** Python's {@code repr(v)}: strings quoted. */
    static String repr(Object v) {
        return PyRepr.repr(v);
    }

    /** {@code 'a {} {name} {0}'.format(...)}: positional and keyword fields, with a format spec after ':'. */
    static String format(String template, Object[] args) {
        List<Object> positional = new ArrayList<>();
        Map<String, Object> named = new LinkedHashMap<>();
        for (Object a : args) {
            if (a instanceof NamedParameter n) named.put(n.getName(), n.getValue());
            else positional.add(a);
        }
        StringBuilder out = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                out.append('{');
                i++;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                out.append('}');
                i++;
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) throw new TemplateException("format(): single '{' in '" + template + "'");
                String field = template.substring(i + 1, end);
                String spec = "";
                int colon = field.indexOf(':');
                if (colon >= 0) {
                    spec = field.substring(colon + 1);
                    field = field.substring(0, colon);
                }
                if (field.endsWith("!r") || field.endsWith("!s")) field = field.substring(0, field.length() - 2);
                Object value;
                if (field.isEmpty()) {
                    if (auto >= positional.size()) throw new TemplateException("format(): too few arguments for '" + template + "'");
                    value = positional.get(auto++);
                } else if (field.chars().allMatch(Character::isDigit)) {
                    int n = Integer.parseInt(field);
                    if (n >= positional.size()) throw new TemplateException("format(): no argument " + n + " for '" + template + "'");
                    value = positional.get(n);
                } else {
                    if (!named.containsKey(field)) throw new TemplateException("format(): no argument '" + field + "' for '" + template + "'");
                    value = named.get(field);
                }
                out.append(spec(value, spec));
                i = end;
            } else if (c == '}') {
                throw new TemplateException("format(): single '}' in '" + template + "'");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static final java.util.regex.Pattern SPEC = java.util.regex.Pattern.compile("(?:(.)?([<>^]))?([+\\- ])?(0)?(\\d+)?(,)?(?:\\.(\\d+))?([sdfeEgx%])?");

    private static String spec(Object value, String spec) {
        if (spec.isEmpty()) return str(value);
        java.util.regex.Matcher m = SPEC.matcher(spec);
        if (!m.matches()) throw new TemplateException("format(): unsupported format spec '" + spec + "'");
        String type = m.group(8);
        String body;
        if (type == null && !(value instanceof Number) || "s".equals(type)) {
            body = str(value);
            if (m.group(7) != null) body = body.substring(0, Math.min(body.length(), Integer.parseInt(m.group(7))));
        } else {
            StringBuilder f = new StringBuilder("%");
            if (m.group(3) != null && !m.group(3).equals("-")) f.append(m.group(3));
            if (m.group(6) != null) f.append(',');
            if (m.group(7) != null) f.append('.').append(m.group(7));
            String t = type == null ? (value instanceof Double || value instanceof Float || value instanceof BigDecimal ? "g" : "d") : type;
            body = java.lang.String.format(Locale.ROOT, f + (t.equals("%") ? "f" : t), convert(value, t.equals("%") ? 'f' : t.charAt(0)));
            if (t.equals("%")) body = java.lang.String.format(Locale.ROOT, f + "f", toDouble(value) * 100) + "%";
        }
        int width = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
        if (body.length() >= width) return body;
        char fill = m.group(1) != null ? m.group(1).charAt(0) : m.group(4) != null ? '0' : ' ';
        char align = m.group(2) != null ? m.group(2).charAt(0) : value instanceof Number ? '>' : '<';
        int n = width - body.length();
        String f = String.valueOf(fill);
        return switch (align) {
            case '<' -> body + f.repeat(n);
            case '>' -> f.repeat(n) + body;
            default -> f.repeat(n / 2) + body + f.repeat(n - n / 2);
        };
    }

    private static double toDouble(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw new TemplateException("a number is required, not '" + v + "'");
        }
    }

    private static Object convert(Object v, char type) {
        return switch (type) {
            case 'd', 'i', 'x', 'o' -> {
                if (v instanceof Number n && !(v instanceof Double || v instanceof Float || v instanceof BigDecimal)) yield n.longValue();
                if (v instanceof Number n) yield (long) n.doubleValue();
                if (v instanceof Boolean b) yield b ? 1L : 0L;
                throw new TemplateException("%" + type + " format: a number is required, not '" + v + "'");
            }
            case 'f', 'F', 'e', 'E', 'g', 'G' -> toDouble(v);
            default -> v;
        };
    }

    private static final java.util.regex.Pattern PERCENT = java.util.regex.Pattern.compile("%(?:\\(([^)]*)\\))?([-+ #0]*)(\\d+|\\*)?(?:\\.(\\d+))?([sdifFeEgGxXorc%])");

    /** Python's {@code fmt % args}: args is one value, a tuple/list of values, or a mapping for {@code %(name)s}. */
    static String percent(Object format, Object args) {
        String fmt = String.valueOf(format);
        List<?> values = args instanceof List<?> l ? l : List.of(args == null ? NONE : args);
        Map<?, ?> mapping = args instanceof Map<?, ?> m ? m : null;
        java.util.regex.Matcher m = PERCENT.matcher(fmt);
        StringBuilder out = new StringBuilder();
        int next = 0;
        int last = 0;
        while (m.find()) {
            out.append(fmt, last, m.start());
            last = m.end();
            char type = m.group(5).charAt(0);
            if (type == '%') {
                out.append('%');
                continue;
            }
            Object v;
            if (m.group(1) != null) {
                if (mapping == null) throw new TemplateException("'" + fmt + "' % ...: a mapping is required for %(" + m.group(1) + ")");
                if (!mapping.containsKey(m.group(1))) throw new TemplateException("'" + fmt + "' % ...: no key '" + m.group(1) + "'");
                v = mapping.get(m.group(1));
            } else {
                if (next >= values.size()) throw new TemplateException("not enough arguments for format string '" + fmt + "'");
                v = values.get(next++);
                if (v == NONE) v = null;
            }
            String flags = m.group(2).replace("#", "");
            String width = m.group(3) == null ? "" : m.group(3);
            String body = switch (type) {
                case 's' -> str(v);
                case 'r' -> repr(v);
                case 'c' -> str(v);
                default -> null;
            };
            if (body == null) {
                String t = type == 'i' ? "d" : type == 'F' ? "f" : String.valueOf(type);
                String precision = m.group(4) == null ? "" : "." + m.group(4);
                body = String.format(Locale.ROOT, "%" + flags + width + precision + t, convert(v, t.charAt(0)));
            } else {
                if (m.group(4) != null) body = body.substring(0, Math.min(body.length(), Integer.parseInt(m.group(4))));
                if (!width.isEmpty() && body.length() < Integer.parseInt(width)) {
                    String pad = " ".repeat(Integer.parseInt(width) - body.length());
                    body = flags.contains("-") ? body + pad : pad + body;
                }
            }
            out.append(body);
        }
        out.append(fmt.substring(last));
        if (mapping == null && next < values.size()) {
            throw new TemplateException("not all arguments converted during string formatting of '" + fmt + "'");
        }
        return out.toString();
    }

    private static final Object NONE = new Object();
}
