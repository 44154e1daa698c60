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
        return Map.of("Column", new ColumnApi(dialect), "Relation", new RelationApi());
    }

    /** {@code api.Relation}: {@code create} is rewritten (see class doc); {@code add_ephemeral_prefix(name)} as dbt's. */
    public static final class RelationApi {
        public String add_ephemeral_prefix(Object name) {
            return "__dbt__cte__" + PyRepr.str(name);
        }
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
            ReturningMacroTag.abortAll();
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
        return Map.of("datetime", new PyDatetimeModule(), "re", new PythonModules.Re(), "itertools", new PythonModules.Itertools(), "pytz", new Pytz());
    }

    /** A time zone as {@code pytz.timezone(name)} / {@code pytz.utc} give it, for {@code astimezone}. */
    public record PyTimezone(java.time.ZoneId zone) {
        public String getZone() { return zone.getId(); }

        @Override
        public String toString() {
            return zone.getId().equals("Z") ? "UTC" : zone.getId();
        }
    }

    /** {@code modules.pytz}: {@code utc} and {@code timezone(name)}; an unknown zone is an error. */
    public static final class Pytz {
        public PyTimezone getUtc() {
            return new PyTimezone(ZoneOffset.UTC);
        }

        public PyTimezone getUTC() {
            return getUtc();
        }

        public PyTimezone timezone(Object name) {
            try {
                String n = String.valueOf(name);
                return new PyTimezone(n.equalsIgnoreCase("utc") ? ZoneOffset.UTC : java.time.ZoneId.of(n));
            } catch (java.time.DateTimeException e) {
                throw failing(new TemplateException("pytz: unknown time zone '" + name + "'"));
            }
        }
    }

    /** dbt's {@code run_started_at}: the start of the invocation, in UTC, as a Python datetime with a time zone. */
    static PyDateTime runStartedAt(Object value) {
        if (value instanceof PyDateTime p) return p;
        java.time.OffsetDateTime t = java.time.OffsetDateTime.parse(String.valueOf(value));
        return new PyDateTime(t.atZoneSameInstant(ZoneOffset.UTC));
    }

    /** dbt's {@code local_md5(text)}: the hex MD5 of the text's UTF-8 bytes. */
    public static String localMd5(Object text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("MD5").digest(String.valueOf(text).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** dbt's {@code should_store_failures()}: the node's {@code store_failures} config, else the flag. */
    public static boolean shouldStoreFailures() {
        return configOrFlag("store_failures", "STORE_FAILURES");
    }

    /** dbt's {@code should_full_refresh()}: the node's {@code full_refresh} config, else {@code --full-refresh}. */
    public static boolean shouldFullRefresh() {
        return configOrFlag("full_refresh", "FULL_REFRESH");
    }

    private static boolean configOrFlag(String key, String flag) {
        JinjavaInterpreter in = JinjavaInterpreter.getCurrent();
        Object value = null;
        if (in.getContext().get(JinjaFunctions.SCOPE_KEY) instanceof RenderScope s) value = s.capturedConfig.get(key);
        if (value == null && in.getContext().get("model") instanceof Map<?, ?> model && model.get("config") instanceof Map<?, ?> config) value = config.get(key);
        if (value == null && in.getContext().get("flags") instanceof Map<?, ?> flags) value = flags.get(flag);
        return CallSyntax.truthy(value instanceof String str ? Boolean.parseBoolean(str) : value);
    }

    /** A Python datetime/date as macros read it: year, month, day, hour..., strftime, isoformat, astimezone. */
    public static final class PyDateTime implements Comparable<PyDateTime> {
        private final LocalDateTime value;
        private final boolean dateOnly;
        /** The time zone of an aware datetime; null for a naive one. */
        private final java.time.ZonedDateTime zoned;

        PyDateTime(java.time.ZonedDateTime zoned) {
            this.value = zoned.toLocalDateTime();
            this.dateOnly = false;
            this.zoned = zoned;
        }

        /** Python's {@code astimezone(tz)}: the same instant in tz (a pytz zone or a zone name). */
        public PyDateTime astimezone(Object tz) {
            java.time.ZoneId zone = tz instanceof PyTimezone p ? p.zone() : tz == null ? ZoneOffset.UTC : new Pytz().timezone(tz).zone();
            java.time.ZonedDateTime from = zoned != null ? zoned : value.atZone(java.time.ZoneId.systemDefault());
            return new PyDateTime(from.withZoneSameInstant(zone));
        }

        public PyDateTime astimezone() {
            return astimezone(null);
        }

        public Object getTzinfo() {
            return zoned == null ? null : new PyTimezone(zoned.getZone());
        }

        public PyDateTime date() {
            return new PyDateTime(value.toLocalDate().atStartOfDay(), true);
        }

        public long timestamp() {
            return (zoned != null ? zoned : value.atZone(java.time.ZoneId.systemDefault())).toEpochSecond();
        }

        PyDateTime(LocalDateTime value) {
            this(value, false);
        }

        PyDateTime(LocalDateTime value, boolean dateOnly) {
            this.value = value;
            this.dateOnly = dateOnly;
            this.zoned = null;
        }

        boolean isDate() { return dateOnly; }

        /** This plus a number of microseconds (a date moves by whole days, as Python's date + timedelta). */
        PyDateTime plus(long micros) {
            if (dateOnly) return new PyDateTime(value.plusDays(Math.floorDiv(micros, 86_400_000_000L)), true);
            java.time.Duration d = java.time.Duration.ofSeconds(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
            return zoned != null ? new PyDateTime(value.plus(d).atZone(zoned.getZone())) : new PyDateTime(value.plus(d));
        }

        /** Python's {@code this - other} in microseconds; naive and aware datetimes do not mix. */
        long microsSince(PyDateTime other) {
            if ((zoned == null) != (other.zoned == null)) throw failing(new TemplateException("can't subtract offset-naive and offset-aware datetimes"));
            if (dateOnly != other.dateOnly) throw failing(new TemplateException("unsupported operand type(s) for -: 'datetime.datetime' and 'datetime.date'"));
            java.time.Duration d = zoned != null ? java.time.Duration.between(other.zoned.toInstant(), zoned.toInstant()) : java.time.Duration.between(other.value, value);
            return d.getSeconds() * 1_000_000L + d.getNano() / 1000;
        }

        private java.time.Instant instantOrLocal() {
            return zoned != null ? zoned.toInstant() : value.toInstant(ZoneOffset.UTC);
        }

        @Override
        public int compareTo(PyDateTime o) {
            if ((zoned == null) != (o.zoned == null)) throw failing(new TemplateException("can't compare offset-naive and offset-aware datetimes"));
            return instantOrLocal().compareTo(o.instantOrLocal());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PyDateTime p && dateOnly == p.dateOnly && (zoned == null) == (p.zoned == null) && instantOrLocal().equals(p.instantOrLocal());
        }

        @Override
        public int hashCode() {
            return instantOrLocal().hashCode();
        }

        public PyDateTime replace(Object... args) {
            LocalDateTime t = value;
            for (Object a : args) {
                if (!(a instanceof NamedParameter np) || !(np.getValue() instanceof Number n)) throw failing(new TemplateException("replace() takes keyword arguments such as day=1"));
                int v = n.intValue();
                t = switch (np.getName()) {
                    case "year" -> t.withYear(v);
                    case "month" -> t.withMonth(v);
                    case "day" -> t.withDayOfMonth(v);
                    case "hour" -> t.withHour(v);
                    case "minute" -> t.withMinute(v);
                    case "second" -> t.withSecond(v);
                    case "microsecond" -> t.withNano(v * 1000);
                    default -> throw failing(new TemplateException("replace() got an unexpected keyword argument '" + np.getName() + "'"));
                };
            }
            return zoned != null ? new PyDateTime(t.atZone(zoned.getZone())) : new PyDateTime(t, dateOnly);
        }

        public int weekday() { return value.getDayOfWeek().getValue() - 1; }
        public int isoweekday() { return value.getDayOfWeek().getValue(); }
        public int getMicrosecond() { return value.getNano() / 1000; }

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
                    case 'z' -> zoned == null ? "" : zoned.getOffset().getTotalSeconds() == 0 ? "+0000" : zoned.getOffset().getId().replace(":", "");
                    case 'Z' -> zoned == null ? "" : zoned.getZone() instanceof ZoneOffset o && o.getTotalSeconds() == 0 ? "UTC"
                            : java.time.format.DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH).format(zoned);
                    case 'A' -> value.getDayOfWeek().getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH);
                    case 'a' -> value.getDayOfWeek().getDisplayName(java.time.format.TextStyle.SHORT, Locale.ENGLISH);
                    case 'B' -> value.getMonth().getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH);
                    case 'b' -> value.getMonth().getDisplayName(java.time.format.TextStyle.SHORT, Locale.ENGLISH);
                    case '%' -> "%";
                    default -> "%" + d;
                });
            }
            return out.toString();
        }

        @Override
        public String toString() {
            if (dateOnly) return strftime("%Y-%m-%d");
            // as Python's str(): microseconds only when there are some
            String s = strftime(value.getNano() / 1000 == 0 ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M:%S.%f");
            if (zoned == null) return s;
            int offset = zoned.getOffset().getTotalSeconds();
            return s + (offset == 0 ? "+00:00" : zoned.getOffset().getId());
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

    static TemplateException failing(TemplateException e) {
        JinjavaInterpreter in = JinjavaInterpreter.getCurrent();
        if (in != null && in.getContext().get(JinjaFunctions.SCOPE_KEY) instanceof RenderScope s) s.fail(e);
        return e;
    }

    /** dbt's {@code fromyaml(text, default=None)}: the YAML's value; the default (else none) when it does not parse. */
    public static Object fromyaml(Object... args) {
        try {
            return new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(new org.yaml.snakeyaml.LoaderOptions()))
                    .load(String.valueOf(args[0]));
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            return args.length > 1 ? args[1] : null;
        }
    }

    /** dbt's {@code toyaml(value)}: block-style YAML, keys in their order. */
    public static String toyaml(Object... args) {
        org.yaml.snakeyaml.DumperOptions options = new org.yaml.snakeyaml.DumperOptions();
        options.setDefaultFlowStyle(org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
        return new org.yaml.snakeyaml.Yaml(options).dump(JinjaFunctions.plain(args.length == 0 ? null : args[0]));
    }

    /** dbt's {@code print(msg)}: prints the message (to standard error here, with the other logs) and renders nothing. */
    public static String print(Object... args) {
        if (!ReturningMacroTag.returned()) System.err.println(args.length == 0 ? "" : PyRepr.str(args[0]));
        return "";
    }

    /** dbt's {@code tojson(value, default=None, sort_keys=False)}: Python's {@code json.dumps}. */
    public static String tojson(Object... args) {
        boolean sortKeys = false;
        for (Object a : args) if (a instanceof NamedParameter n && n.getName().equals("sort_keys")) sortKeys = CallSyntax.truthy(n.getValue());
        return PyRepr.json(args.length == 0 || args[0] instanceof NamedParameter ? null : args[0], sortKeys);
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

    /** The relations of a schema relation's schema (see {@link JinjaAdapter#list_relations_without_caching}). */
    static List<Dialect.Relation> listRelations(Object schemaRelation) {
        if (!(schemaRelation instanceof RelationRef r) || r.getSchema() == null) {
            throw new TemplateException("list_relations_without_caching() takes a relation with a schema, such as"
                    + " api.Relation.create(database=target.database, schema=target.schema); got " + schemaRelation);
        }
        return JinjaFunctions.scope().resolver.relations(r.getDatabase(), r.getSchema());
    }

    /**
     * The table dbt's {@code list_relations_without_caching} macro returns: columns database, name, schema, type
     * ({@code table} or {@code view}), one row per relation, as the dialect lists them.
     */
    public static Object listRelationsTable(Object schemaRelation) {
        List<List<Object>> rows = new java.util.ArrayList<>();
        for (Dialect.Relation r : listRelations(schemaRelation)) {
            rows.add(java.util.Arrays.asList(r.database(), r.name(), r.schema(), r.kind() == Dialect.RelationKind.VIEW ? "view" : "table"));
        }
        return new QueryResult(List.of("database", "name", "schema", "type"), rows);
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
        String database = values.get("database") == null ? "" : String.valueOf(values.get("database"));
        // a schema relation (no identifier) renders as its database and schema
        String rendered = identifier == null ? (schema == null ? "" : (database.isEmpty() ? "" : dialect.quote(database) + ".") + dialect.quote(schema))
                : schema == null ? dialect.quote(identifier) : dialect.relation(database, schema, identifier);
        Object type = values.get("type");
        return new RelationRef(database, schema, identifier, rendered,
                type == null ? null : String.valueOf(type));
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
