package dev.tributary.transform.jinja;

import com.hubspot.jinjava.el.ext.NamedParameter;
import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python's str methods ({@code lower strip split join format find...}), indexing a string ({@code 'abc'[0]}, negative
 * indexes too) and the dict methods Jinjava's maps lack ({@code setdefault}, {@code pop}), with Python's semantics:
 * Jinjava would otherwise call Java's methods of the same name (a regex {@code split}, a {@code format} of Java's
 * {@code %} syntax) or find none. Consulted before Jinjava's own resolvers; anything else passes through.
 */
final class PythonMethods extends ELResolver {
    private static final Set<String> STR = Set.of("lower", "upper", "strip", "lstrip", "rstrip", "startswith", "endswith",
            "replace", "split", "rsplit", "join", "title", "capitalize", "format", "count", "find", "rfind", "index",
            "isdigit", "isnumeric", "isalpha", "isalnum", "isupper", "islower", "isspace", "zfill", "ljust", "rjust",
            "center", "splitlines", "swapcase", "casefold", "partition", "removeprefix", "removesuffix");

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (base instanceof PythonModules.Re && PythonModules.Re.FLAGS.containsKey(String.valueOf(property))) {
            context.setPropertyResolved(true);
            return PythonModules.Re.FLAGS.get(String.valueOf(property));
        }
        // a dict keyed by relations ({relation: [...]}): Jinjava hands d[relation] over as the relation's text
        if (base instanceof Map<?, ?> m && property instanceof String text && text.startsWith("\"") && !m.containsKey(text)) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getKey() instanceof RelationRef r && r.toString().equals(text)) {
                    context.setPropertyResolved(true);
                    return e.getValue();
                }
            }
        }
        if (base instanceof QueryResult.Columns cols && property instanceof String name && !name.matches("-?\\d+")) {
            QueryResult.Column c = cols.byName(name);
            // a method name (columns.items()) is looked up here too: leave those to the method call
            if (c == null && java.util.Arrays.stream(QueryResult.Columns.class.getMethods()).anyMatch(m -> m.getName().equals(name))) return null;
            if (c == null) throw new TemplateException("no column '" + name + "' in the result (columns: " + cols.keys() + ")");
            context.setPropertyResolved(true);
            return c;
        }
        // Jinjava hands an integer index over as its text
        Integer index = property instanceof Integer || property instanceof Long ? Integer.valueOf(((Number) property).intValue())
                : property instanceof String p && p.matches("-?\\d{1,9}") ? Integer.valueOf(p) : null;
        if (base instanceof String s && index != null) {
            Integer n = index;
            int i = n < 0 ? s.length() + n : n;
            if (i < 0 || i >= s.length()) throw new TemplateException("string index " + n + " out of range for '" + s + "'");
            context.setPropertyResolved(true);
            return String.valueOf(s.charAt(i));
        }
        return null;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (method == null) return null;
        String name = method.toString();
        if (base instanceof String s && STR.contains(name)) {
            Object[] args = params == null ? new Object[0] : params;
            Object result = str(s, name, args);
            context.setPropertyResolved(true);
            return result;
        }
        if (base instanceof RelationRef r && RELATION.contains(name)) {
            context.setPropertyResolved(true);
            return relation(r, name, params == null ? new Object[0] : params);
        }
        if (base instanceof dev.tributary.transform.dialect.Dialect.Column c && COLUMN.contains(name)) {
            context.setPropertyResolved(true);
            return column(c, name);
        }
        if (base instanceof Map m && name.equals("get") && params != null && params.length == 2 && !(base instanceof com.hubspot.jinjava.objects.collections.PyMap)) {
            context.setPropertyResolved(true);
            return m.containsKey(params[0]) ? m.get(params[0]) : params[1];
        }
        // Jinjava's update() takes string keys only: a dict keyed by relations ({relation: [...]}) failed with a ClassCastException
        if (base instanceof Map m && name.equals("update") && params != null && params.length == 1 && params[0] instanceof Map other) {
            context.setPropertyResolved(true);
            for (Object e : other.entrySet()) rawPut(m, ((Map.Entry) e).getKey(), ((Map.Entry) e).getValue());
            return null;
        }
        if (base instanceof Map m && (name.equals("setdefault") || name.equals("pop")) && params != null && params.length >= 1) {
            Object key = params[0];
            context.setPropertyResolved(true);
            if (name.equals("setdefault")) {
                if (!m.containsKey(key)) rawPut(m, key, params.length > 1 ? params[1] : null);
                return m.get(key);
            }
            if (m.containsKey(key)) return m.remove(key);
            if (params.length > 1) return params[1];
            throw new TemplateException("pop(): key '" + key + "' not in the dict");
        }
        return null;
    }

    /** Puts into a dict whatever the key: Jinjava's PyMap.put casts its key to a string (a relation key failed). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void rawPut(Map m, Object key, Object value) {
        if (m instanceof com.hubspot.jinjava.objects.collections.PyMap p && !(key instanceof String)) {
            if (p instanceof com.hubspot.jinjava.objects.collections.SizeLimitingPyMap && !p.containsKey(key)) {
                com.hubspot.jinjava.interpret.JinjavaInterpreter in = com.hubspot.jinjava.interpret.JinjavaInterpreter.getCurrent();
                int max = in == null ? Integer.MAX_VALUE : in.getConfig().getMaxMapSize();
                if (p.size() >= max) throw new TemplateException("a dict grew past " + max + " entries");
            }
            ((Map) p.toMap()).put(key, value);
        } else {
            m.put(key, value);
        }
    }

    private static final Set<String> RELATION = Set.of("render", "include", "incorporate", "replace_path", "quote", "get", "information_schema");
    private static final Set<String> COLUMN = Set.of("is_string", "is_number", "is_float", "is_integer", "is_numeric", "string_size", "literal");

    /** dbt's Relation methods: render(), include(database=, schema=, identifier=), incorporate(type=), quote(..), get(). */
    private static Object relation(RelationRef r, String name, Object[] a) {
        switch (name) {
            case "render":
                return r.toString();
            case "get": {
                Object v = r.get(String.valueOf(value(a[0])));
                return v == null && a.length > 1 ? value(a[1]) : v;
            }
            case "include": {
                boolean[] parts = {true, true, true};
                String[] names = {"database", "schema", "identifier"};
                int position = 0;
                for (Object o : a) {
                    if (o instanceof NamedParameter n) {
                        int i = List.of(names).indexOf(n.getName());
                        if (i < 0) throw new TemplateException("include() has no argument '" + n.getName() + "'");
                        parts[i] = CallSyntax.truthy(n.getValue());
                    } else if (position < 3) {
                        parts[position++] = CallSyntax.truthy(o);
                    }
                }
                return r.include(parts[0], parts[1], parts[2]);
            }
            case "incorporate": {
                String type = r.getType();
                RelationRef out = r;
                for (Object o : a) {
                    if (o instanceof NamedParameter n && n.getName().equals("type")) type = n.getValue() == null ? null : String.valueOf(n.getValue());
                    else if (o instanceof NamedParameter n && n.getName().equals("path") && n.getValue() instanceof Map<?, ?> path) out = replacePath(out, path);
                    else if (o instanceof NamedParameter n) throw new TemplateException("incorporate() has no argument '" + n.getName() + "' (type=, path=)");
                }
                return out.withType(type);
            }
            case "replace_path": {
                Map<String, Object> path = new java.util.HashMap<>();
                for (Object o : a) if (o instanceof NamedParameter n) path.put(n.getName(), n.getValue());
                return replacePath(r, path);
            }
            case "information_schema": {
                // dbt's: the relation's database's information_schema, or one of its views (information_schema('columns')),
                // the schema and the view unquoted as dbt's InformationSchema renders them: "db".information_schema.columns.
                // DuckDB has one information_schema for all its catalogs and none inside a catalog: there it is unqualified.
                Object view = a.length == 0 ? null : value(a[0] instanceof NamedParameter n ? n.getValue() : a[0]);
                String db = r.getDatabase();
                boolean qualified = db != null && !db.isEmpty() && !RelationRef.metadataType().equals("DuckDBRelation");
                String rendered = (qualified ? RelationRef.quote(db) + "." : "") + "information_schema" + (view == null ? "" : "." + view);
                return new RelationRef(db, "information_schema", view == null ? null : String.valueOf(view), rendered, "view");
            }
            default: // quote(..): both warehouses quote every part already
                return r;
        }
    }

    /** A relation with the parts a path names ({@code database}, {@code schema}, {@code identifier}) replaced. */
    private static RelationRef replacePath(RelationRef r, Map<?, ?> path) {
        for (Object k : path.keySet()) {
            if (!List.of("database", "schema", "identifier").contains(String.valueOf(k))) {
                throw new TemplateException("a relation's path has no part '" + k + "' (database, schema, identifier)");
            }
        }
        return r.withPath(part(path, "database"), part(path, "schema"), part(path, "identifier"));
    }

    private static String part(Map<?, ?> path, String key) {
        return path.get(key) == null ? null : String.valueOf(path.get(key));
    }

    /** dbt's Column methods, from the column's data type. */
    private static Object column(dev.tributary.transform.dialect.Dialect.Column c, String name) {
        String t = c.dataType() == null ? "" : c.dataType().toLowerCase(Locale.ROOT);
        boolean string = t.startsWith("character varying") || t.startsWith("varchar") || t.startsWith("text") || t.startsWith("character")
                || t.startsWith("char") || t.startsWith("string") || t.equals("bpchar");
        boolean integer = t.matches("(big|small|tiny|hugeu?|u)?int(eger)?\\d*|bigint|smallint|tinyint|hugeint|integer|int[248]|ubigint|uinteger|usmallint|utinyint");
        boolean floating = t.matches("real|float\\d*|double( precision)?|float4|float8");
        boolean numeric = t.startsWith("numeric") || t.startsWith("decimal");
        return switch (name) {
            case "is_string" -> string;
            case "is_integer" -> integer;
            case "is_float" -> floating;
            case "is_numeric" -> numeric;
            case "is_number" -> integer || floating || numeric;
            case "string_size" -> {
                if (!string) throw new TemplateException("Called string_size() on non-string field " + c.name() + " (" + c.dataType() + ")");
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\((\\d+)\\)").matcher(t);
                yield m.find() ? Integer.parseInt(m.group(1)) : 256;
            }
            default -> c.dataType();
        };
    }

    private static Object str(String s, String name, Object[] a) {
        return switch (name) {
            case "lower", "casefold" -> s.toLowerCase(Locale.ROOT);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "swapcase" -> swapcase(s);
            case "strip" -> rstrip(lstrip(s, arg(a, 0)), arg(a, 0));
            case "lstrip" -> lstrip(s, arg(a, 0));
            case "rstrip" -> rstrip(s, arg(a, 0));
            case "startswith" -> affix(s, a, true);
            case "endswith" -> affix(s, a, false);
            case "replace" -> replace(s, text(a, 0), text(a, 1), a.length > 2 ? toInt(a[2]) : -1);
            case "split" -> split(s, arg(a, 0), a.length > 1 ? toInt(a[1]) : -1);
            case "rsplit" -> rsplit(s, arg(a, 0), a.length > 1 ? toInt(a[1]) : -1);
            case "splitlines" -> new com.hubspot.jinjava.objects.collections.PyList(new ArrayList<>(List.of(s.split("\\r?\\n|\\r"))));
            case "join" -> join(s, a.length == 0 ? null : a[0]);
            case "title" -> title(s);
            case "capitalize" -> s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            case "format" -> PyFormat.format(s, a);
            case "count" -> count(s, text(a, 0));
            case "find" -> s.indexOf(text(a, 0), a.length > 1 ? toInt(a[1]) : 0);
            case "rfind" -> s.lastIndexOf(text(a, 0));
            case "index" -> {
                int i = s.indexOf(text(a, 0));
                if (i < 0) throw new TemplateException("substring '" + text(a, 0) + "' not found in '" + s + "'");
                yield i;
            }
            case "isdigit", "isnumeric" -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isalpha" -> !s.isEmpty() && s.chars().allMatch(Character::isLetter);
            case "isalnum" -> !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit);
            case "isspace" -> !s.isEmpty() && s.chars().allMatch(Character::isWhitespace);
            case "isupper" -> s.chars().anyMatch(Character::isLetter) && s.equals(s.toUpperCase(Locale.ROOT));
            case "islower" -> s.chars().anyMatch(Character::isLetter) && s.equals(s.toLowerCase(Locale.ROOT));
            case "zfill" -> zfill(s, toInt(a[0]));
            case "ljust" -> pad(s, toInt(a[0]), a.length > 1 ? text(a, 1) : " ", 'l');
            case "rjust" -> pad(s, toInt(a[0]), a.length > 1 ? text(a, 1) : " ", 'r');
            case "center" -> pad(s, toInt(a[0]), a.length > 1 ? text(a, 1) : " ", 'c');
            case "partition" -> {
                String sep = text(a, 0);
                int i = s.indexOf(sep);
                yield list(i < 0 ? List.of(s, "", "") : List.of(s.substring(0, i), sep, s.substring(i + sep.length())));
            }
            case "removeprefix" -> s.startsWith(text(a, 0)) ? s.substring(text(a, 0).length()) : s;
            case "removesuffix" -> s.endsWith(text(a, 0)) && !text(a, 0).isEmpty() ? s.substring(0, s.length() - text(a, 0).length()) : s;
            default -> throw new IllegalStateException(name);
        };
    }

    private static Object value(Object o) {
        return o instanceof NamedParameter n ? n.getValue() : o;
    }

    /** The i-th argument as text, or null when absent or none. */
    private static String arg(Object[] a, int i) {
        return a.length > i && value(a[i]) != null ? String.valueOf(value(a[i])) : null;
    }

    private static String text(Object[] a, int i) {
        if (a.length <= i) throw new TemplateException("missing argument " + (i + 1));
        return PyFormat.str(value(a[i]));
    }

    static int toInt(Object o) {
        Object v = value(o);
        if (v instanceof Number n) return n.intValue();
        try {
            return Integer.parseInt(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            throw new TemplateException("an integer is required, not '" + v + "'");
        }
    }

    private static com.hubspot.jinjava.objects.collections.PyList list(List<String> items) {
        return new com.hubspot.jinjava.objects.collections.PyList(new ArrayList<>(items));
    }

    static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length() && (chars == null ? Character.isWhitespace(s.charAt(i)) : chars.indexOf(s.charAt(i)) >= 0)) i++;
        return s.substring(i);
    }

    static String rstrip(String s, String chars) {
        int j = s.length();
        while (j > 0 && (chars == null ? Character.isWhitespace(s.charAt(j - 1)) : chars.indexOf(s.charAt(j - 1)) >= 0)) j--;
        return s.substring(0, j);
    }

    private static boolean affix(String s, Object[] a, boolean start) {
        Object v = a.length == 0 ? null : value(a[0]);
        Collection<?> options = v instanceof Collection<?> c ? c : List.of(String.valueOf(v));
        for (Object o : options) {
            String x = String.valueOf(o);
            if (start ? s.startsWith(x) : s.endsWith(x)) return true;
        }
        return false;
    }

    private static String replace(String s, String old, String replacement, int count) {
        if (count < 0) return s.replace(old, replacement);
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int n = 0; n < count; n++) {
            int i = s.indexOf(old, from);
            if (i < 0) break;
            out.append(s, from, i).append(replacement);
            from = i + old.length();
            if (old.isEmpty()) {
                if (from < s.length()) out.append(s.charAt(from));
                from++;
            }
        }
        if (from <= s.length()) out.append(s.substring(Math.min(from, s.length())));
        return out.toString();
    }

    private static com.hubspot.jinjava.objects.collections.PyList split(String s, String sep, int max) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            String rest = lstrip(s, null);
            while (!rest.isEmpty()) {
                if (max >= 0 && out.size() == max) {
                    out.add(rstrip(rest, null));
                    break;
                }
                int i = 0;
                while (i < rest.length() && !Character.isWhitespace(rest.charAt(i))) i++;
                out.add(rest.substring(0, i));
                rest = lstrip(rest.substring(i), null);
            }
            return list(out);
        }
        if (sep.isEmpty()) throw new TemplateException("split(): empty separator");
        int from = 0;
        while (max < 0 || out.size() < max) {
            int i = s.indexOf(sep, from);
            if (i < 0) break;
            out.add(s.substring(from, i));
            from = i + sep.length();
        }
        out.add(s.substring(from));
        return list(out);
    }

    private static com.hubspot.jinjava.objects.collections.PyList rsplit(String s, String sep, int max) {
        if (max < 0 || sep == null) return split(s, sep, max);
        List<String> out = new ArrayList<>();
        int end = s.length();
        while (out.size() < max) {
            int i = s.lastIndexOf(sep, end - sep.length());
            if (i < 0) break;
            out.add(0, s.substring(i + sep.length(), end));
            end = i;
        }
        out.add(0, s.substring(0, end));
        return list(out);
    }

    private static String join(String sep, Object items) {
        if (items == null) throw new TemplateException("join() takes a list");
        Iterable<?> it = items instanceof Iterable<?> i ? i : items instanceof Map<?, ?> m ? m.keySet() : null;
        if (it == null && items instanceof String str) it = List.of(str.split(""));
        if (it == null) throw new TemplateException("join() takes a list, not " + items);
        StringBuilder out = new StringBuilder();
        boolean first = true;
        for (Object o : it) {
            if (!first) out.append(sep);
            out.append(PyFormat.str(o));
            first = false;
        }
        return out.toString();
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousLetter = false;
        for (char c : s.toCharArray()) {
            out.append(previousLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
            previousLetter = Character.isLetter(c);
        }
        return out.toString();
    }

    private static String swapcase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) out.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        return out.toString();
    }

    private static int count(String s, String sub) {
        if (sub.isEmpty()) return s.length() + 1;
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) n++;
        return n;
    }

    private static String zfill(String s, int width) {
        if (s.length() >= width) return s;
        boolean sign = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+');
        String zeros = "0".repeat(width - s.length());
        return sign ? s.charAt(0) + zeros + s.substring(1) : zeros + s;
    }

    private static String pad(String s, int width, String fill, char how) {
        int n = width - s.length();
        if (n <= 0) return s;
        String f = fill.isEmpty() ? " " : fill.substring(0, 1);
        return switch (how) {
            case 'l' -> s + f.repeat(n);
            case 'r' -> f.repeat(n) + s;
            default -> {
                int left = n / 2 + (n & width & 1);
                yield f.repeat(left) + s + f.repeat(n - left);
            }
        };
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {}

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }

    /** Python's {@code dict(...)}: from keyword arguments, a mapping, or a list of pairs. */
    static Map<String, Object> dict(Object... args) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object a : args) {
            if (a instanceof NamedParameter n) {
                out.put(n.getName(), n.getValue());
            } else if (a instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), e.getValue());
            } else if (a instanceof Iterable<?> pairs) {
                for (Object p : pairs) {
                    if (!(p instanceof List<?> kv) || kv.size() != 2) throw new TemplateException("dict(): each item must be a pair, not " + p);
                    out.put(String.valueOf(kv.get(0)), kv.get(1));
                }
            } else if (a != null) {
                throw new TemplateException("dict() takes keyword arguments, a mapping or a list of pairs, not " + a);
            }
        }
        return new com.hubspot.jinjava.objects.collections.PyMap(out);
    }
}
