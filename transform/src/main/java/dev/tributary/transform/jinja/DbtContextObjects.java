package dev.tributary.transform.jinja;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.fn.MacroFunction;
import dev.tributary.transform.dialect.Dialect;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * dbt's context objects beyond the core functions: {@code api}, {@code exceptions}, {@code modules.datetime},
 * {@code zip}, {@code tojson} / {@code fromjson}, {@code load_relation}, and the targets of the rewritten
 * {@code adapter.dispatch(..)(..)} and {@code api.Relation.create(..)} calls (Jinjava's grammar has no call of a call,
 * and passes keyword arguments of Java methods by position, so those two become static functions).
 */
public final class DbtContextObjects {
    static final String DISPATCHER_KEY = "__tributary_dispatcher";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DbtContextObjects() {}

    /** {@code api}: {@code api.Column.translate_type(..)} and {@code api.Relation} (create is rewritten, see class doc). */
    static Map<String, Object> api(Dialect dialect) {
        return Map.of("Column", new ColumnApi(dialect), "Relation", Map.of());
    }

    public static final class ColumnApi {
        private final Dialect dialect;

        ColumnApi(Dialect dialect) {
            this.dialect = dialect;
        }

        /** dbt's generic type names in the warehouse's spelling. */
        public String translate_type(Object type) {
            boolean duck = dialect.type().equals("duckdb");
            return switch (String.valueOf(type).toLowerCase(Locale.ROOT)) {
                case "string", "text", "varchar" -> duck ? "VARCHAR" : "TEXT";
                case "timestamp" -> "TIMESTAMP";
                case "float" -> duck ? "DOUBLE" : "FLOAT";
                case "bigint" -> "BIGINT";
                case "integer", "int" -> "INTEGER";
                case "boolean", "bool" -> "BOOLEAN";
                case "date" -> "DATE";
                default -> String.valueOf(type);
            };
        }

        public String numeric_type(Object dtype, Object precision, Object scale) {
            return precision == null || scale == null ? String.valueOf(dtype) : dtype + "(" + precision + "," + scale + ")";
        }
    }

    /** {@code exceptions.raise_compiler_error(msg)} fails the render with msg; {@code exceptions.warn(msg)} only logs. */
    public static final class Exceptions {
        public String raise_compiler_error(Object message) {
            if (ReturningMacroTag.returned()) return "";
            TemplateException e = new TemplateException(String.valueOf(message));
            JinjavaInterpreter in = JinjavaInterpreter.getCurrent();
            if (in != null && in.getContext().get(JinjaFunctions.SCOPE_KEY) instanceof RenderScope s) s.fail(e);
            throw e;
        }

        public String raise_not_implemented(Object message) {
            return raise_compiler_error(message);
        }

        public String warn(Object message) {
            if (ReturningMacroTag.returned()) return "";
            System.err.println("[WARNING]: " + message);
            return "";
        }
    }

    /** {@code modules.datetime}: {@code datetime.now()}, {@code datetime.utcnow()}, {@code date.today()} with {@code strftime}. */
    static Map<String, Object> modules() {
        Map<String, Object> datetime = new LinkedHashMap<>();
        datetime.put("datetime", new DateTimeModule());
        datetime.put("date", new DateModule());
        return Map.of("datetime", datetime);
    }

    public static final class DateTimeModule {
        public PyDateTime now() {
            return new PyDateTime(LocalDateTime.now());
        }

        public PyDateTime utcnow() {
            return new PyDateTime(LocalDateTime.now(ZoneOffset.UTC));
        }
    }

    public static final class DateModule {
        public PyDateTime today() {
            return new PyDateTime(LocalDate.now().atStartOfDay(), true);
        }
    }

    /** A Python datetime/date as macros read it: year, month, day, hour..., strftime, isoformat. */
    public static final class PyDateTime {
        private final LocalDateTime value;
        private final boolean dateOnly;

        PyDateTime(LocalDateTime value) {
            this(value, false);
        }

        PyDateTime(LocalDateTime value, boolean dateOnly) {
            this.value = value;
            this.dateOnly = dateOnly;
        }

        public int getYear() { return value.getYear(); }
        public int getMonth() { return value.getMonthValue(); }
        public int getDay() { return value.getDayOfMonth(); }
        public int getHour() { return value.getHour(); }
        public int getMinute() { return value.getMinute(); }
        public int getSecond() { return value.getSecond(); }

        public String isoformat() {
            return toString().replace(' ', 'T');
        }

        /** Python's strftime for the common directives (%Y %m %d %H %M %S %f %j %y %%). */
        public String strftime(Object format) {
            String f = String.valueOf(format);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < f.length(); i++) {
                char c = f.charAt(i);
                if (c != '%' || i + 1 == f.length()) {
                    out.append(c);
                    continue;
                }
                char d = f.charAt(++i);
                out.append(switch (d) {
                    case 'Y' -> String.format("%04d", value.getYear());
                    case 'y' -> String.format("%02d", value.getYear() % 100);
                    case 'm' -> String.format("%02d", value.getMonthValue());
                    case 'd' -> String.format("%02d", value.getDayOfMonth());
                    case 'H' -> String.format("%02d", value.getHour());
                    case 'M' -> String.format("%02d", value.getMinute());
                    case 'S' -> String.format("%02d", value.getSecond());
                    case 'f' -> String.format("%06d", value.getNano() / 1000);
                    case 'j' -> String.format("%03d", value.getDayOfYear());
                    case '%' -> "%";
                    default -> "%" + d;
                });
            }
            return out.toString();
        }

        @Override
        public String toString() {
            return dateOnly ? strftime("%Y-%m-%d") : strftime("%Y-%m-%d %H:%M:%S.%f");
        }
    }

    /** Python's {@code zip(a, b, ...)}: lists of the i-th elements, as long as the shortest input. */
    public static List<Object> zip(Object... lists) {
        List<List<?>> inputs = new ArrayList<>();
        for (Object o : lists) inputs.add(asList(o instanceof NamedParameter n ? n.getValue() : o));
        List<Object> out = new ArrayList<>();
        int n = inputs.stream().mapToInt(List::size).min().orElse(0);
        for (int i = 0; i < n; i++) {
            List<Object> tuple = new ArrayList<>();
            for (List<?> in : inputs) tuple.add(in.get(i));
            out.add(tuple);
        }
        return out;
    }

    private static List<?> asList(Object o) {
        if (o instanceof List<?> l) return l;
        if (o instanceof Iterable<?> it) {
            List<Object> out = new ArrayList<>();
            it.forEach(out::add);
            return out;
        }
        if (o instanceof String s) return Arrays.asList(s.split(""));
        throw new TemplateException("zip() takes lists, not " + o);
    }

    /** Python's {@code dict(...)}. */
    public static Object dict(Object... args) {
        try {
            return PythonMethods.dict(args);
        } catch (TemplateException e) {
            throw failing(e);
        }
    }

    /** Python's {@code set(items)}: the distinct items, in first-seen order. */
    public static Object set(Object... args) {
        java.util.LinkedHashSet<Object> out = new java.util.LinkedHashSet<>();
        if (args.length > 0 && args[0] != null) {
            Object a = args[0] instanceof NamedParameter n ? n.getValue() : args[0];
            if (a instanceof Map<?, ?> m) out.addAll(m.keySet());
            else out.addAll(asList(a));
        }
        return new com.hubspot.jinjava.objects.collections.PyList(new ArrayList<>(out));
    }

    /** Python's {@code fmt % args} (see {@link JinjaEngine#percentFormats}). */
    public static String pyformat(Object... args) {
        try {
            return PyFormat.percent(args[0], args.length > 1 ? args[1] : null);
        } catch (TemplateException e) {
            throw failing(e);
        }
    }

    private static TemplateException failing(TemplateException e) {
        JinjavaInterpreter in = JinjavaInterpreter.getCurrent();
        if (in != null && in.getContext().get(JinjaFunctions.SCOPE_KEY) instanceof RenderScope s) s.fail(e);
        return e;
    }

    public static String tojson(Object... args) {
        try {
            return JSON.writeValueAsString(JinjaFunctions.plain(args.length == 0 ? null : args[0]));
        } catch (JsonProcessingException e) {
            throw new TemplateException("tojson(): " + e.getOriginalMessage());
        }
    }

    public static Object fromjson(Object... args) {
        try {
            return JSON.readValue(String.valueOf(args[0]), Object.class);
        } catch (JsonProcessingException e) {
            if (args.length > 1) return args[1];
            throw new TemplateException("fromjson(): " + e.getOriginalMessage());
        }
    }

    /** dbt's {@code load_relation(relation)}: the relation when it exists in the warehouse, else none. */
    public static Object loadRelation(Object relation) {
        RenderScope scope = JinjaFunctions.scope();
        if (!(relation instanceof RelationRef r) || r.getSchema() == null) return null;
        return scope.resolver.relationExists(r.getSchema(), r.getIdentifier()) ? r : null;
    }

    /** {@code api.Relation.create(database=.., schema=.., identifier=..)}: keyword or positional, as in dbt. */
    public static Object relationCreate(Object... args) {
        String[] names = {"database", "schema", "identifier", "type"};
        Map<String, Object> values = new LinkedHashMap<>();
        int position = 0;
        for (Object a : args) {
            if (a instanceof NamedParameter n) values.put(n.getName(), n.getValue());
            else if (position < names.length) values.put(names[position++], a);
        }
        String schema = values.get("schema") == null ? null : String.valueOf(values.get("schema"));
        String identifier = values.get("identifier") == null ? null : String.valueOf(values.get("identifier"));
        Dialect dialect = dispatcher().dialect;
        String rendered = schema == null ? dialect.quote(String.valueOf(identifier)) : dialect.relation(schema, String.valueOf(identifier));
        return new RelationRef(values.get("database") == null ? "" : String.valueOf(values.get("database")), schema, identifier, rendered);
    }

    /** The first half of {@code adapter.dispatch(name, macro_namespace)(...)}: finds the macro. */
    public static Object dispatch(Object... args) {
        String name = null;
        String namespace = null;
        int position = 0;
        for (Object a : args) {
            if (a instanceof NamedParameter n) {
                if (n.getName().equals("macro_name")) name = String.valueOf(n.getValue());
                if (n.getName().equals("macro_namespace") && n.getValue() != null) namespace = String.valueOf(n.getValue());
            } else if (position++ == 0) {
                name = String.valueOf(a);
            } else if (a != null && namespace == null) {
                namespace = String.valueOf(a);
            }
        }
        try {
            return dispatcher().dispatcher.dispatch(name, namespace);
        } catch (TemplateException e) {
            JinjavaInterpreter in = JinjavaInterpreter.getCurrent();
            if (in != null && in.getContext().get(JinjaFunctions.SCOPE_KEY) instanceof RenderScope s) s.fail(e);
            throw e;
        }
    }

    /** The second half: calls the dispatched macro with the call's arguments (keywords too). */
    public static Object dispatchCall(Object... args) {
        if (ReturningMacroTag.returned()) return "";
        if (args.length == 0 || !(args[0] instanceof MacroFunction macro)) throw new TemplateException("adapter.dispatch() found no macro to call");
        return macro.evaluate(Arrays.copyOfRange(args, 1, args.length));
    }

    /** dbt's {@code return(x)}. */
    public static String returnValue(Object value) {
        try {
            ReturningMacroTag.returnValue(value);
        } catch (TemplateException e) {
            JinjaFunctions.scope().fail(e);
            throw e;
        }
        return "";
    }

    record EngineHandle(MacroDispatcher dispatcher, Dialect dialect) {}

    private static EngineHandle dispatcher() {
        JinjavaInterpreter in = JinjavaInterpreter.getCurrent();
        Object h = in == null ? null : in.getContext().get(DISPATCHER_KEY);
        if (!(h instanceof EngineHandle handle)) throw new IllegalStateException("no dispatcher in the render context");
        return handle;
    }
}
