package dev.tributary.transform.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.util.ForLoop;
import com.hubspot.jinjava.util.ObjectIterator;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Jinja's filters where Jinjava's differ: those that print values use Python's {@code str()} (see {@link PyRepr});
 * {@code sort}, {@code min} and {@code max} take Jinja's keyword arguments ({@code attribute=}, {@code reverse=},
 * {@code case_sensitive=}); {@code trim(chars)} strips the given characters; {@code select} / {@code reject} without a
 * test keep / drop the truthy items; {@code tojson} writes JSON as Python's {@code json.dumps} with sorted keys.
 */
final class PyFilters {
    private PyFilters() {}

    /** {@code x | string}: {@code True}, {@code None}, {@code [1, 'a']}. */
    static final class StringFilter extends KeywordFilter {
        StringFilter() {
            super("string");
        }

        @Override
        Object apply(Object var, JinjavaInterpreter interpreter, Args args) {
            return PyRepr.str(var);
        }
    }

    /** {@code xs | join(sep, attribute=None)}: each item (or its attribute) as Python's {@code str()}. */
    static final class JoinFilter extends KeywordFilter {
        JoinFilter() {
            super("join");
        }

        @Override
        Object apply(Object var, JinjavaInterpreter interpreter, Args args) {
            Object separator = args.get(0, "d", "");
            Object attr = args.get(1, "attribute", null);
            List<String> parts = new ArrayList<>();
            for (Object item : items(var)) parts.add(PyRepr.str(attribute(interpreter, item, attr)));
            return String.join(separator == null ? "" : PyRepr.str(separator), parts);
        }
    }

    /** Arguments of a filter call: positional, then keywords, read by name or position. */
    private record Args(Object[] positional, Map<String, Object> named) {
        Object get(int index, String name, Object otherwise) {
            if (named != null && named.containsKey(name)) return named.get(name);
            return index < positional.length ? positional[index] : otherwise;
        }

        boolean flag(int index, String name) {
            return CallSyntax.truthy(get(index, name, false));
        }
    }

    private abstract static class KeywordFilter implements Filter {
        private final String name;

        KeywordFilter(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, (Object[]) args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            return apply(var, interpreter, new Args(args == null ? new Object[0] : args, kwargs));
        }

        abstract Object apply(Object var, JinjavaInterpreter interpreter, Args args);
    }

    private static List<Object> items(Object var) {
        List<Object> out = new ArrayList<>();
        ForLoop loop = ObjectIterator.getLoop(var);
        while (loop.hasNext()) out.add(loop.next());
        return out;
    }

    /** The item's attribute ({@code a.b} or an index), as {@code attribute=} names it; the item itself when none. */
    private static Object attribute(JinjavaInterpreter interpreter, Object item, Object attribute) {
        if (attribute == null) return item;
        return interpreter.resolveProperty(item, Arrays.asList(String.valueOf(attribute).split("\\.")));
    }

    /** Python's ordering of the values templates sort: numbers by value, strings (case-folded unless asked not to). */
    private static Comparator<Object> order(boolean caseSensitive) {
        return (a, b) -> {
            Object x = key(a, caseSensitive);
            Object y = key(b, caseSensitive);
            if (x instanceof BigDecimal m && y instanceof BigDecimal n) return m.compareTo(n);
            if (x instanceof String m && y instanceof String n) return m.compareTo(n);
            if (x == null || y == null) {
                throw new TemplateException("'<' not supported between " + PyRepr.repr(a) + " and " + PyRepr.repr(b));
            }
            return PyRepr.str(x).compareTo(PyRepr.str(y));
        };
    }

    private static Object key(Object v, boolean caseSensitive) {
        if (v instanceof Boolean b) return b ? BigDecimal.ONE : BigDecimal.ZERO;
        if (v instanceof Number n) return new BigDecimal(n.toString());
        if (v instanceof String s) return caseSensitive ? s : s.toLowerCase(java.util.Locale.ROOT);
        return v;
    }

    /** {@code xs | sort(reverse=false, case_sensitive=false, attribute=none)}. */
    static final class SortFilter extends KeywordFilter {
        SortFilter() {
            super("sort");
        }

        @Override
        Object apply(Object var, JinjavaInterpreter interpreter, Args args) {
            Object attr = args.get(2, "attribute", null);
            Comparator<Object> byValue = order(args.flag(1, "case_sensitive"));
            List<Object> out = items(var);
            out.sort((a, b) -> byValue.compare(attribute(interpreter, a, attr), attribute(interpreter, b, attr)));
            if (args.flag(0, "reverse")) java.util.Collections.reverse(out);
            return out;
        }
    }

    /** {@code xs | min(case_sensitive=false, attribute=none)} and {@code max}: the item itself; none when empty. */
    static final class ExtremeFilter extends KeywordFilter {
        private final boolean max;

        ExtremeFilter(boolean max) {
            super(max ? "max" : "min");
            this.max = max;
        }


        @Override
        Object apply(Object var, JinjavaInterpreter interpreter, Args args) {
            Object attr = args.get(1, "attribute", null);
            Comparator<Object> byValue = order(args.flag(0, "case_sensitive"));
            Object best = null;
            boolean first = true;
            for (Object item : items(var)) {
                if (first || byValue.compare(attribute(interpreter, item, attr), attribute(interpreter, best, attr)) * (max ? 1 : -1) > 0) best = item;
                first = false;
            }
            return best;
        }
    }

    /** {@code s | trim(chars=none)}: whitespace, or the given characters, stripped from both ends. */
    static final class TrimFilter extends KeywordFilter {
        TrimFilter() {
            super("trim");
        }

        @Override
        Object apply(Object var, JinjavaInterpreter interpreter, Args args) {
            Object chars = args.get(0, "chars", null);
            String c = chars == null ? null : String.valueOf(chars);
            return PythonMethods.rstrip(PythonMethods.lstrip(PyRepr.str(var), c), c);
        }
    }

    /** {@code xs | select} / {@code reject} without a test: the truthy / falsy items; with a test, Jinjava's own. */
    static final class TruthFilter extends KeywordFilter {
        private final Filter withTest;
        private final boolean keepTruthy;

        TruthFilter(Filter withTest, boolean keepTruthy) {
            super(withTest.getName());
            this.withTest = withTest;
            this.keepTruthy = keepTruthy;
        }


        @Override
        Object apply(Object var, JinjavaInterpreter interpreter, Args args) {
            if (args.positional().length > 0) return withTest.filter(var, interpreter, args.positional(), args.named());
            List<Object> out = new ArrayList<>();
            for (Object item : items(var)) if (CallSyntax.truthy(item) == keepTruthy) out.add(item);
            return out;
        }
    }

    /** {@code x | tojson}: Python's {@code json.dumps} with sorted keys, as Jinja's filter writes it. */
    static final class ToJsonFilter extends KeywordFilter {
        ToJsonFilter() {
            super("tojson");
        }

        @Override
        Object apply(Object var, JinjavaInterpreter interpreter, Args args) {
            // Jinja's filter also escapes the characters HTML gives a meaning to
            return PyRepr.json(var, true).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027");
        }
    }

    /**
     * dbt's {@code as_bool}, {@code as_text}, {@code as_number} and {@code as_native}: a value rendered as text read back as
     * the Python value it spells ({@code 'True'} a boolean, {@code '5'} a number, {@code "['a']"} a list); as_text gives
     * Python's str. A text that does not spell a value of the kind asked for is an error, as in dbt.
     */
    static final class NativeFilter extends KeywordFilter {
        private final String kind;

        NativeFilter(String kind) {
            super(kind);
            this.kind = kind;
        }


        @Override
        Object apply(Object var, JinjavaInterpreter interpreter, Args args) {
            if (kind.equals("as_text")) return PyRepr.str(var);
            Object v = var instanceof String s ? literal(s) : var;
            boolean fits = switch (kind) {
                case "as_bool" -> v instanceof Boolean;
                case "as_number" -> v instanceof Number;
                default -> true;
            };
            if (!fits) throw new TemplateException(kind + ": " + PyRepr.repr(var) + " is not a " + (kind.equals("as_bool") ? "boolean" : "number"));
            return v;
        }

        /** A Python literal: True/False/None, a number, or a list or dict (read as YAML flow, which takes Python's quotes). */
        private static Object literal(String s) {
            String t = s.strip();
            switch (t) {
                case "True", "true": return true;
                case "False", "false": return false;
                case "None", "none", "null": return null;
                default: break;
            }
            if (t.matches("[-+]?\\d+")) return Long.valueOf(t);
            if (t.matches("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?")) return Double.valueOf(t);
            if (t.startsWith("[") || t.startsWith("{")) {
                Object parsed = DbtContextObjects.fromyaml(yamlConstants(t));
                if (parsed != null) return parsed;
            }
            return s;
        }
    
        /** Python's True, False and None outside quotes spelled as YAML's true, false and null. */
        private static String yamlConstants(String t) {
            StringBuilder out = new StringBuilder();
            char quote = 0;
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (quote != 0) {
                    if (c == quote) quote = 0;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (Character.isLetter(c) && (i == 0 || !Character.isLetterOrDigit(t.charAt(i - 1)))) {
                    int j = i;
                    while (j < t.length() && Character.isLetterOrDigit(t.charAt(j))) j++;
                    String word = t.substring(i, j);
                    out.append(switch (word) {
                        case "True" -> "true";
                        case "False" -> "false";
                        case "None" -> "null";
                        default -> word;
                    });
                    i = j - 1;
                    continue;
                }
                out.append(c);
            }
            return out.toString();
        }
    }
}
