package dev.tributary.transform.jinja;

import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dbt functions, as static methods because Jinjava's EL calls statics; each finds the current
 * {@link RenderScope} in the interpreter's context. Keyword arguments arrive as {@link NamedParameter}.
 */
public final class JinjaFunctions {
    static final String SCOPE_KEY = "__tributary_scope";

    private JinjaFunctions() {}

    static RenderScope scope() {
        JinjavaInterpreter in = JinjavaInterpreter.getCurrent();
        Object s = in == null ? null : in.getContext().get(SCOPE_KEY);
        if (s == null) throw new IllegalStateException("no render scope");
        return (RenderScope) s;
    }

    private static RuntimeException remember(RenderScope scope, RuntimeException e) {
        scope.fail(e);
        return e;
    }

    public static Object ref(Object... args) {
        RenderScope scope = scope();
        List<String> positional = positional(args);
        if (positional.isEmpty() || positional.size() > 2) throw remember(scope, new TemplateException("ref() takes a model name, or a package and a model name"));
        try {
            return positional.size() == 1 ? scope.resolver.ref(null, positional.get(0)) : scope.resolver.ref(positional.get(0), positional.get(1));
        } catch (RuntimeException e) {
            throw remember(scope, e);
        }
    }

    public static Object source(Object... args) {
        RenderScope scope = scope();
        List<String> positional = positional(args);
        if (positional.size() != 2) throw remember(scope, new TemplateException("source() takes a source name and a table name"));
        try {
            return scope.resolver.source(positional.get(0), positional.get(1));
        } catch (RuntimeException e) {
            throw remember(scope, e);
        }
    }

    public static Object var(Object... args) {
        RenderScope scope = scope();
        List<Object> values = new ArrayList<>();
        for (Object a : args) values.add(a instanceof NamedParameter n ? n.getValue() : a);
        if (values.isEmpty()) throw remember(scope, new TemplateException("var() needs a name"));
        String name = String.valueOf(values.get(0));
        if (scope.vars.containsKey(name)) return renderedVar(scope.vars.get(name));
        if (values.size() > 1) return values.get(1);
        throw remember(scope, new TemplateException("Required var '" + name + "' not found in config: set it in dbt_project.yml vars or pass it with --vars"));
    }

    /** As dbt: a var's text holding Jinja ({@code "{{ source('x', 'y') }}"}) is rendered where var() reads it. */
    private static Object renderedVar(Object value) {
        if (!(value instanceof String text) || (!text.contains("{{") && !text.contains("{%"))) return value;
        return JinjavaInterpreter.getCurrent().render(text);
    }

    public static String config(Object... args) {
        RenderScope scope = scope();
        for (Object a : args) {
            if (a instanceof NamedParameter n) {
                scope.capturedConfig.put(n.getName(), plain(n.getValue()));
            } else if (a instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) scope.capturedConfig.put(String.valueOf(e.getKey()), plain(e.getValue()));
            }
        }
        return "";
    }

    /**
     * Jinja's {@code range}, refusing more than {@link JinjaEngine#MAX_RANGE} items where Jinjava's would silently stop
     * there (a shorter loop than written would be different SQL).
     */
    public static List<Integer> range(Object first, Object... rest) {
        long start = 0;
        long stop;
        long step = 1;
        try {
            if (rest == null || rest.length == 0) {
                stop = asLong(first);
            } else {
                start = asLong(first);
                stop = asLong(rest[0]);
                if (rest.length > 1) step = asLong(rest[1]);
            }
        } catch (NumberFormatException e) {
            return com.hubspot.jinjava.lib.fn.Functions.range(first, rest);
        }
        if (step != 0) {
            long count = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
            if (count > JinjaEngine.MAX_RANGE) {
                throw remember(scope(), new TemplateException("range() of " + count + " items: more than the " + JinjaEngine.MAX_RANGE + " allowed"));
            }
        }
        return com.hubspot.jinjava.lib.fn.Functions.range(first, rest);
    }

    private static long asLong(Object o) {
        if (o instanceof Number n) return n.longValue();
        return Long.parseLong(String.valueOf(o).trim());
    }

    public static boolean isIncremental() {
        return scope().incremental;
    }

    public static String envVar(Object... args) {
        if (args.length == 0) throw new TemplateException("env_var() needs a name");
        String name = String.valueOf(args[0] instanceof NamedParameter n ? n.getValue() : args[0]);
        String v = System.getenv(name);
        if (v != null) return v;
        if (args.length > 1) return String.valueOf(args[1] instanceof NamedParameter n ? n.getValue() : args[1]);
        TemplateException e = new TemplateException("Env var required but not provided: '" + name + "'");
        JinjavaInterpreter in = JinjavaInterpreter.getCurrent();
        if (in != null && in.getContext().get(SCOPE_KEY) instanceof RenderScope s) s.fail(e);
        throw e;
    }

    public static String doc(Object... args) {
        RenderScope scope = scope();
        List<String> positional = positional(args);
        String name = positional.isEmpty() ? "" : positional.get(positional.size() - 1);
        String text = scope.docs.get(name);
        if (text == null) throw remember(scope, new TemplateException("Documentation for '" + name + "' not found"));
        return text;
    }

    /** dbt's {@code run_query(sql)}: the result as a table when executing; while parsing nothing runs (empty result). */
    public static Object runQuery(Object... args) {
        RenderScope scope = scope();
        List<String> positional = positional(args);
        if (positional.size() != 1) throw remember(scope, new TemplateException("run_query() takes one SQL string"));
        if (ReturningMacroTag.returned()) return QueryResult.EMPTY;
        try {
            return scope.resolver.query(positional.get(0));
        } catch (RuntimeException e) {
            throw remember(scope, e);
        }
    }

    /** Backs the {@code statement} macro: runs the caller's SQL and keeps the result for {@code load_result(name)}. */
    public static String statementCall(Object name, Object sql, Object fetch) {
        RenderScope scope = scope();
        if (ReturningMacroTag.returned()) return "";
        try {
            QueryResult r = scope.resolver.query(String.valueOf(sql));
            if (name != null) scope.statementResults.put(String.valueOf(name), r.asLoadResult());
        } catch (RuntimeException e) {
            throw remember(scope, e);
        }
        return "";
    }

    /** dbt's {@code load_result(name)}: none when no statement of that name ran (as while parsing). */
    public static Object loadResult(Object... args) {
        RenderScope scope = scope();
        List<String> positional = positional(args);
        return positional.isEmpty() ? null : scope.statementResults.get(positional.get(0));
    }

    /** dbt's {@code before_begin(sql)}: a pre-hook run outside the model's transaction, before the other pre-hooks. */
    public static Map<String, Object> beforeBegin(Object... args) {
        return outsideTransaction(args);
    }

    /** dbt's {@code after_commit(sql)}: a post-hook run outside the model's transaction, after the other post-hooks. */
    public static Map<String, Object> afterCommit(Object... args) {
        return outsideTransaction(args);
    }

    private static Map<String, Object> outsideTransaction(Object[] args) {
        Map<String, Object> hook = new LinkedHashMap<>();
        hook.put("sql", positional(args).isEmpty() ? "" : positional(args).get(0));
        hook.put("transaction", false);
        return hook;
    }

    /** dbt's {@code log(msg, info=True)}: with info true the message is printed (to standard error, beside the progress lines); else dropped. */
    public static String log(Object... args) {
        boolean info = false;
        for (Object a : args) {
            if (a instanceof NamedParameter n && n.getName().equals("info")) info = Boolean.TRUE.equals(n.getValue());
            else if (a instanceof Boolean b && a != args[0]) info = b;
        }
        if (info && args.length > 0 && !ReturningMacroTag.returned()) System.err.println(args[0] instanceof NamedParameter n ? n.getValue() : args[0]);
        return "";
    }

    private static List<String> positional(Object[] args) {
        List<String> out = new ArrayList<>();
        for (Object a : args) out.add(String.valueOf(a instanceof NamedParameter n ? n.getValue() : a));
        return out;
    }

    /** Jinjava's own list and map types become plain Java collections. */
    static Object plain(Object v) {
        if (v instanceof RelationRef r) return r.toString();
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), plain(e.getValue()));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            for (Object o : c) out.add(plain(o));
            return out;
        }
        return v;
    }
}
