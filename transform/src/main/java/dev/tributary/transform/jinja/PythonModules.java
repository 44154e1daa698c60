package dev.tributary.transform.jinja;

import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.objects.collections.PyList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code modules.re} and {@code modules.itertools} of dbt's context with Python's semantics. A function these do not
 * have is an error (Jinjava reports a method it cannot find), never an empty string.
 */
public final class PythonModules {
    private PythonModules() {}

    static Object arg(Object o) {
        return o instanceof NamedParameter n ? n.getValue() : o;
    }

    /** Python's {@code re}: match, fullmatch, search, findall, sub, split, compile, escape and the flags . */
    public static final class Re {
        /** Python's flag values, read as {@code re.I}, {@code re.IGNORECASE}... (through {@link PythonMethods}). */
        static final Map<String, Integer> FLAGS = Map.of("I", 2, "IGNORECASE", 2, "M", 8, "MULTILINE", 8, "S", 16, "DOTALL", 16, "X", 64, "VERBOSE", 64);

        public RePattern compile(Object pattern) { return new RePattern(String.valueOf(arg(pattern)), 0); }
        public RePattern compile(Object pattern, Object flags) { return new RePattern(String.valueOf(arg(pattern)), PythonMethods.toInt(flags)); }
        public ReMatch match(Object pattern, Object s) { return compile(pattern).match(s); }
        public ReMatch match(Object pattern, Object s, Object flags) { return compile(pattern, flags).match(s); }
        public ReMatch fullmatch(Object pattern, Object s) { return compile(pattern).fullmatch(s); }
        public ReMatch search(Object pattern, Object s) { return compile(pattern).search(s); }
        public ReMatch search(Object pattern, Object s, Object flags) { return compile(pattern, flags).search(s); }
        public PyList findall(Object pattern, Object s) { return compile(pattern).findall(s); }
        public PyList findall(Object pattern, Object s, Object flags) { return compile(pattern, flags).findall(s); }
        public String sub(Object pattern, Object repl, Object s) { return compile(pattern).sub(repl, s); }
        public String sub(Object pattern, Object repl, Object s, Object count) { return compile(pattern).sub(repl, s, count); }
        public PyList split(Object pattern, Object s) { return compile(pattern).split(s); }
        public String escape(Object s) {
            StringBuilder out = new StringBuilder();
            for (char c : String.valueOf(arg(s)).toCharArray()) {
                if (!Character.isLetterOrDigit(c) && c != '_') out.append('\\');
                out.append(c);
            }
            return out.toString();
        }
    }

    public static final class RePattern {
        private final Pattern pattern;

        RePattern(String regex, int flags) {
            int f = 0;
            if ((flags & 2) != 0) f |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
            if ((flags & 8) != 0) f |= Pattern.MULTILINE;
            if ((flags & 16) != 0) f |= Pattern.DOTALL;
            if ((flags & 64) != 0) f |= Pattern.COMMENTS;
            try {
                // Python's named groups (?P<name>...) and backreferences (?P=name)
                this.pattern = Pattern.compile(regex.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>"), f);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new TemplateException("re: bad pattern '" + regex + "': " + e.getDescription());
            }
        }

        public String getPattern() { return pattern.pattern(); }

        public ReMatch match(Object s) {
            Matcher m = pattern.matcher(String.valueOf(arg(s)));
            return m.lookingAt() ? new ReMatch(m) : null;
        }

        public ReMatch fullmatch(Object s) {
            Matcher m = pattern.matcher(String.valueOf(arg(s)));
            return m.matches() ? new ReMatch(m) : null;
        }

        public ReMatch search(Object s) {
            Matcher m = pattern.matcher(String.valueOf(arg(s)));
            return m.find() ? new ReMatch(m) : null;
        }

        /** Python's findall: the matches; with one group, that group; with several, lists of the groups. */
        public PyList findall(Object s) {
            Matcher m = pattern.matcher(String.valueOf(arg(s)));
            List<Object> out = new ArrayList<>();
            while (m.find()) {
                if (m.groupCount() == 0) out.add(m.group());
                else if (m.groupCount() == 1) out.add(m.group(1) == null ? "" : m.group(1));
                else {
                    List<Object> groups = new ArrayList<>();
                    for (int i = 1; i <= m.groupCount(); i++) groups.add(m.group(i) == null ? "" : m.group(i));
                    out.add(new PyList(groups));
                }
            }
            return new PyList(out);
        }

        public String sub(Object repl, Object s) {
            return sub(repl, s, 0);
        }

        /** Python's sub: {@code \1} and {@code \g<name>} in the replacement are groups; count 0 replaces all. */
        public String sub(Object repl, Object s, Object count) {
            String r = String.valueOf(arg(repl));
            StringBuilder java = new StringBuilder();
            for (int i = 0; i < r.length(); i++) {
                char c = r.charAt(i);
                if (c == '\\' && i + 1 < r.length()) {
                    char d = r.charAt(i + 1);
                    if (Character.isDigit(d)) {
                        java.append('$').append(d);
                        i++;
                        continue;
                    }
                    if (d == 'g' && r.startsWith("<", i + 2) && r.indexOf('>', i + 3) > 0) {
                        int end = r.indexOf('>', i + 3);
                        String g = r.substring(i + 3, end);
                        java.append(g.chars().allMatch(Character::isDigit) ? "$" + g : "${" + g + "}");
                        i = end;
                        continue;
                    }
                    java.append(switch (d) {
                        case 'n' -> "\n";
                        case 't' -> "\t";
                        case '\\' -> "\\\\";
                        default -> "\\\\" + d;
                    });
                    i++;
                    continue;
                }
                if (c == '$') java.append("\\$");
                else java.append(c);
            }
            Matcher m = pattern.matcher(String.valueOf(arg(s)));
            int n = PythonMethods.toInt(count);
            if (n <= 0) return m.replaceAll(java.toString());
            StringBuilder out = new StringBuilder();
            int done = 0;
            while (done < n && m.find()) {
                m.appendReplacement(out, java.toString());
                done++;
            }
            m.appendTail(out);
            return out.toString();
        }

        public PyList split(Object s) {
            return new PyList(new ArrayList<>(List.of(pattern.split(String.valueOf(arg(s)), -1))));
        }
    }

    /** A Python match object: group(), group(n), groups(), start(), end(), span(). Truthy. */
    public static final class ReMatch {
        private final String[] groups;
        private final java.util.Map<String, String> named = new java.util.LinkedHashMap<>();
        private final int start;
        private final int end;

        ReMatch(Matcher m) {
            groups = new String[m.groupCount() + 1];
            for (int i = 0; i <= m.groupCount(); i++) groups[i] = m.group(i);
            for (Map.Entry<String, Integer> e : m.pattern().namedGroups().entrySet()) named.put(e.getKey(), m.group(e.getValue()));
            start = m.start();
            end = m.end();
        }

        public String group() { return groups[0]; }

        public Object group(Object n) {
            Object k = arg(n);
            if (k instanceof Number num) {
                if (num.intValue() < 0 || num.intValue() >= groups.length) throw new TemplateException("re: no such group " + num);
                return groups[num.intValue()];
            }
            if (!named.containsKey(String.valueOf(k))) throw new TemplateException("re: no such group '" + k + "'");
            return named.get(String.valueOf(k));
        }

        public PyList groups() {
            List<Object> out = new ArrayList<>();
            for (int i = 1; i < groups.length; i++) out.add(groups[i]);
            return new PyList(out);
        }

        public Map<String, Object> groupdict() {
            return new com.hubspot.jinjava.objects.collections.PyMap(new java.util.LinkedHashMap<>(named));
        }

        public int start() { return start; }
        public int end() { return end; }
        public PyList span() { return new PyList(new ArrayList<>(List.of(start, end))); }

        @Override
        public String toString() {
            return "<re.Match object; span=(" + start + ", " + end + "), match='" + groups[0] + "'>";
        }
    }

    /** Python's {@code itertools}: chain, product, combinations, permutations, islice, repeat, accumulate. */
    public static final class Itertools {
        private static List<Object> items(Object o) {
            Object v = arg(o);
            if (v instanceof Map<?, ?> m) return new ArrayList<>(m.keySet());
            if (v instanceof Iterable<?> it) {
                List<Object> out = new ArrayList<>();
                it.forEach(out::add);
                return out;
            }
            if (v instanceof String s) return new ArrayList<>(List.of(s.split("")));
            throw new TemplateException("itertools: an iterable is required, not " + v);
        }

        public PyList chain(Object... iterables) {
            List<Object> out = new ArrayList<>();
            for (Object i : iterables) out.addAll(items(i));
            return new PyList(out);
        }

        public PyList product(Object... iterables) {
            List<List<Object>> acc = new ArrayList<>();
            acc.add(new ArrayList<>());
            for (Object i : iterables) {
                List<List<Object>> next = new ArrayList<>();
                for (List<Object> prefix : acc) {
                    for (Object x : items(i)) {
                        List<Object> t = new ArrayList<>(prefix);
                        t.add(x);
                        next.add(t);
                    }
                }
                acc = next;
            }
            List<Object> out = new ArrayList<>();
            for (List<Object> t : acc) out.add(new PyList(t));
            return new PyList(out);
        }

        public PyList combinations(Object iterable, Object r) {
            List<Object> pool = items(iterable);
            List<Object> out = new ArrayList<>();
            combine(pool, PythonMethods.toInt(r), 0, new ArrayList<>(), out);
            return new PyList(out);
        }

        private static void combine(List<Object> pool, int r, int from, List<Object> current, List<Object> out) {
            if (current.size() == r) {
                out.add(new PyList(new ArrayList<>(current)));
                return;
            }
            for (int i = from; i < pool.size(); i++) {
                current.add(pool.get(i));
                combine(pool, r, i + 1, current, out);
                current.remove(current.size() - 1);
            }
        }

        public PyList permutations(Object iterable) {
            List<Object> pool = items(iterable);
            return permutations(iterable, pool.size());
        }

        public PyList permutations(Object iterable, Object r) {
            List<Object> pool = items(iterable);
            List<Object> out = new ArrayList<>();
            permute(pool, PythonMethods.toInt(r), new ArrayList<>(), new boolean[pool.size()], out);
            return new PyList(out);
        }

        private static void permute(List<Object> pool, int r, List<Object> current, boolean[] used, List<Object> out) {
            if (current.size() == r) {
                out.add(new PyList(new ArrayList<>(current)));
                return;
            }
            for (int i = 0; i < pool.size(); i++) {
                if (used[i]) continue;
                used[i] = true;
                current.add(pool.get(i));
                permute(pool, r, current, used, out);
                current.remove(current.size() - 1);
                used[i] = false;
            }
        }

        public PyList islice(Object iterable, Object stop) {
            List<Object> pool = items(iterable);
            return new PyList(new ArrayList<>(pool.subList(0, Math.min(pool.size(), PythonMethods.toInt(stop)))));
        }

        public PyList repeat(Object value, Object times) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < PythonMethods.toInt(times); i++) out.add(arg(value));
            return new PyList(out);
        }
    }
}
