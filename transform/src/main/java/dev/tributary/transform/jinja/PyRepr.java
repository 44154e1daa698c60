package dev.tributary.transform.jinja;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Python's {@code str()} and {@code repr()} of the values templates hold, as dbt's Jinja prints them:
 * {@code True False None}, lists as {@code [True, 'a', None]}, dicts as {@code {'a': 1}}, sets as {@code {1, 2}},
 * floats as Python writes them ({@code 1e+20}, {@code 1e-05}), decimals in lists as {@code Decimal('1.50')} and
 * relations in lists as {@code <PostgresRelation "db"."s"."t">}. Objects of this package other than containers (rows,
 * columns, datetimes) keep their own string form.
 */
public final class PyRepr {
    private PyRepr() {}

    /** Python's {@code str(v)}, which {@code {{ v }}} and {@code ~} use. */
    public static String str(Object v) {
        if (v == null) return "None";
        if (v instanceof String s) return s;
        if (v instanceof Character || v instanceof Map.Entry<?, ?>) return repr(v);
        if (v instanceof Boolean b) return b ? "True" : "False";
        if (v instanceof Double || v instanceof Float) return floatRepr(((Number) v).doubleValue());
        if (v instanceof BigDecimal d) return d.toString();
        if (v instanceof RelationRef || isOwnObject(v)) return v.toString();
        if (v instanceof Map<?, ?> || v instanceof Collection<?>) return repr(v);
        return v.toString();
    }

    /** Python's {@code repr(v)}: strings quoted, containers with their items' reprs. */
    public static String repr(Object v) {
        if (v instanceof String s) return quoted(s);
        if (v instanceof Character c) return quoted(c.toString());
        if (v instanceof Map.Entry<?, ?> e) return "(" + repr(e.getKey()) + ", " + repr(e.getValue()) + ")";
        if (v instanceof BigDecimal d) return "Decimal('" + d + "')";
        if (v instanceof RelationRef r) return "<" + RelationRef.metadataType() + " " + r + ">";
        if (v instanceof com.hubspot.jinjava.objects.SafeString s) return quoted(s.toString());
        if (v == null || isOwnObject(v)) return str(v);
        if (v instanceof Map<?, ?> m) {
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (out.length() > 1) out.append(", ");
                out.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
            }
            return out.append('}').toString();
        }
        if (v instanceof Set<?> s) return s.isEmpty() ? "set()" : items(s.iterator(), "{", "}");
        if (v instanceof List<?> l) return items(l.iterator(), "[", "]");
        if (v instanceof Collection<?> c) return items(c.iterator(), "[", "]");
        return str(v);
    }

    private static String items(Iterator<?> it, String open, String close) {
        StringBuilder out = new StringBuilder(open);
        boolean first = true;
        while (it.hasNext()) {
            if (!first) out.append(", ");
            first = false;
            out.append(repr(it.next()));
        }
        return out.append(close).toString();
    }

    /** Objects of this package that print themselves (rows, columns, datetimes, query results). */
    private static boolean isOwnObject(Object v) {
        return v.getClass().getName().startsWith("dev.tributary.transform.jinja.");
    }

    /** Python's {@code repr(str)}: single quotes unless the text holds one and no double quote; escapes as Python's. */
    static String quoted(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(s.length() + 2).append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == q) out.append('\\').append(c);
                    else if (c < 0x20 || c == 0x7f) out.append(String.format("\\x%02x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append(q).toString();
    }

    /** Python's {@code repr(float)}: the shortest digits, fixed between 1e-4 and 1e16, else {@code 1e+20} / {@code 1.5e-05}. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = exact.precision() - exact.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = exact.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = exact.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String exp = String.format("%02d", Math.abs(exponent));
        return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());

    private static final java.util.regex.Pattern UNICODE_ESCAPE = java.util.regex.Pattern.compile("\\\\u([0-9A-F]{4})");

    /** Python's {@code json.dumps(v)}: {@code ", "} and {@code ": "} between items, non-ASCII escaped; keys sorted if asked. */
    static String json(Object v, boolean sortKeys) {
        try {
            String json = JSON.writer(new PythonJsonSpacing())
                    .with(sortKeys ? com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS : com.fasterxml.jackson.databind.SerializationFeature.WRAP_EXCEPTIONS)
                    .writeValueAsString(JinjaFunctions.plain(v));
            // Python writes the escapes' hex digits in lower case
            return UNICODE_ESCAPE.matcher(json).replaceAll(m -> "\\\\u" + m.group(1).toLowerCase(java.util.Locale.ROOT));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TemplateException("tojson(): " + e.getOriginalMessage());
        }
    }

    /** The separators of Python's {@code json.dumps}: a space after each comma and colon, no newlines. */
    private static final class PythonJsonSpacing extends com.fasterxml.jackson.core.util.MinimalPrettyPrinter {
        @Override
        public void writeObjectFieldValueSeparator(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException {
            g.writeRaw(", ");
        }
    }
}
