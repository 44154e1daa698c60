package dev.tributary.transform.jinja;

import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.fn.MacroFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja syntax Jinjava's grammar lacks, rewritten before rendering into calls of the functions below:
 * {@code {% for x in xs if cond %}} (the loop runs over the items for which cond holds, so {@code loop.*} counts
 * those, as in Jinja) and {@code m(a, *args, **kwargs)} at call sites of macros.
 */
public final class CallSyntax {
    private CallSyntax() {}

    /** Loop conditions by number, so the rewritten text needs no quoting of the condition. */
    private static final Map<String, Integer> CONDITION_IDS = new ConcurrentHashMap<>();
    private static final List<String> CONDITIONS = java.util.Collections.synchronizedList(new ArrayList<>());

    private static final Pattern FOR = Pattern.compile("^(\\{%-?\\s*for\\s+)(.+?)(\\s+in\\s+)(.*?)(\\s*-?%})$", Pattern.DOTALL);

    /** {@code {% for a, b in xs if c %}} becomes {@code {% for a, b in tributary_loop_filter(xs, 'a,b', n) %}}. */
    static String loopFilter(String tag) {
        if (!tag.contains(" if ") && !tag.contains("\tif ") && !tag.contains("\nif ")) return tag;
        Matcher m = FOR.matcher(tag);
        if (!m.matches()) return tag;
        String rest = m.group(4);
        int at = topLevelKeyword(rest, "if");
        if (at < 0) return tag;
        String iterable = rest.substring(0, at).strip();
        String condition = rest.substring(at + 2).strip();
        boolean recursive = condition.endsWith(" recursive");
        if (recursive) condition = condition.substring(0, condition.length() - " recursive".length()).strip();
        String targets = m.group(2).replaceAll("[()\\s]", "");
        int id = CONDITION_IDS.computeIfAbsent(condition, c -> {
            synchronized (CONDITIONS) {
                CONDITIONS.add(c);
                return CONDITIONS.size() - 1;
            }
        });
        return m.group(1) + m.group(2) + m.group(3) + "tributary_loop_filter(" + iterable + ", '" + targets + "', " + id + ")"
                + (recursive ? " recursive" : "") + m.group(5);
    }

    /** The index of the word kw in s outside strings and brackets, with spaces around it; -1 if none. */
    private static int topLevelKeyword(String s, String kw) {
        return topLevelIndex(s, i -> i > 0 && Character.isWhitespace(s.charAt(i - 1)) && s.startsWith(kw, i)
                && i + kw.length() < s.length() && Character.isWhitespace(s.charAt(i + kw.length())));
    }

    /** The first index of s outside strings and brackets at which at holds; -1 if none. */
    static int topLevelIndex(String s, java.util.function.IntPredicate at) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && at.test(i)) {
                return i;
            }
        }
        return -1;
    }

    /** The items of iterable for which the numbered condition holds with the loop's names bound to the item. */
    public static List<Object> loopFilter(Object iterable, Object targets, Object conditionId) {
        JinjavaInterpreter in = JinjavaInterpreter.getCurrent();
        String condition = CONDITIONS.get(((Number) conditionId).intValue());
        String[] names = String.valueOf(targets).split(",");
        List<Object> out = new ArrayList<>();
        if (iterable == null) return out;
        Iterable<?> items = iterable instanceof Map<?, ?> map ? map.keySet() : iterable instanceof Iterable<?> it ? it : List.of(iterable);
        for (Object item : items) {
            try (var scope = in.enterScope()) {
                if (names.length == 1) {
                    in.getContext().put(names[0], item);
                } else {
                    List<?> parts = item instanceof List<?> l ? l : item instanceof Map.Entry<?, ?> e ? List.of(e.getKey(), e.getValue()) : List.of(item);
                    for (int i = 0; i < names.length; i++) in.getContext().put(names[i], i < parts.size() ? parts.get(i) : null);
                }
                Object v = in.resolveELExpression(condition, in.getLineNumber());
                if (truthy(v)) out.add(item);
            }
        }
        return new com.hubspot.jinjava.objects.collections.PyList(out);
    }

    static boolean truthy(Object v) {
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        if (v instanceof Number n) return n.doubleValue() != 0;
        if (v instanceof String s) return !s.isEmpty();
        if (v instanceof java.util.Collection<?> c) return !c.isEmpty();
        if (v instanceof Map<?, ?> m) return !m.isEmpty();
        return true;
    }

    private static final Pattern STAR_ARG = Pattern.compile("[(,]\\s*\\*{1,2}\\s*[A-Za-z_(\\[{]");

    /**
     * Rewrites every call in a Jinja expression or tag that passes {@code *list} or {@code **dict}:
     * {@code m(a, *l, k=1, **d)} becomes {@code tributary_splat('m', a, tributary_varargs(l), k=1, tributary_kwargs(d))}.
     */
    static String splat(String expr) {
        if (!expr.contains("*")) return expr;
        for (int guard = 0; guard < 100; guard++) {
            Matcher m = STAR_ARG.matcher(expr);
            int found = -1;
            while (m.find()) {
                if (!insideString(expr, m.start())) {
                    found = m.start();
                    break;
                }
            }
            if (found < 0) return expr;
            int open = found;
            while (open >= 0 && expr.charAt(open) != '(') open = enclosingOpen(expr, open);
            if (open < 0) return expr;
            int close = matching(expr, open);
            if (close < 0) return expr;
            int nameStart = open;
            while (nameStart > 0 && (Character.isLetterOrDigit(expr.charAt(nameStart - 1)) || expr.charAt(nameStart - 1) == '_' || expr.charAt(nameStart - 1) == '.')) nameStart--;
            // a method of a string literal: "{}-{}".format(*parts)
            if (nameStart > 0 && expr.charAt(nameStart) == '.' && (expr.charAt(nameStart - 1) == '"' || expr.charAt(nameStart - 1) == '\'')) {
                int quote = expr.lastIndexOf(expr.charAt(nameStart - 1), nameStart - 2);
                if (quote >= 0 && !insideString(expr, quote)) nameStart = quote;
            }
            String callee = expr.substring(nameStart, open);
            if (callee.isEmpty() || callee.startsWith(".")) return expr;
            List<String> args = ReturningMacroTag.splitTopLevel(expr.substring(open + 1, close));
            int dot = lastDotOutsideString(callee);
            // a method (or a package's macro): the owner is an expression of its own, evaluated as Jinja evaluates it
            StringBuilder call = dot < 0 ? new StringBuilder("tributary_splat('").append(callee).append('\'')
                    : new StringBuilder("tributary_splat_on(").append(callee, 0, dot).append(", '").append(callee.substring(dot + 1)).append('\'');
            for (String a : args) {
                call.append(", ");
                if (a.startsWith("**")) call.append("tributary_kwargs(").append(a.substring(2).strip()).append(')');
                else if (a.startsWith("*")) call.append("tributary_varargs(").append(a.substring(1).strip()).append(')');
                else call.append(a);
            }
            call.append(')');
            expr = expr.substring(0, nameStart) + call + expr.substring(close + 1);
        }
        return expr;
    }

    private static int lastDotOutsideString(String s) {
        for (int i = s.length() - 1; i >= 0; i--) if (s.charAt(i) == '.' && !insideString(s, i)) return i;
        return -1;
    }

    private static boolean insideString(String s, int at) {
        char quote = 0;
        for (int i = 0; i < at; i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            }
        }
        return quote != 0;
    }

    /** The position of the bracket that encloses position at (at itself excluded when it is a comma), or -1. */
    private static int enclosingOpen(String s, int at) {
        int depth = 0;
        for (int i = at - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (insideString(s, i)) continue;
            if (c == ')' || c == ']' || c == '}') depth++;
            else if (c == '(' || c == '[' || c == '{') {
                if (depth == 0) return i;
                depth--;
            }
        }
        return -1;
    }

    private static int matching(String s, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Marks a {@code *list} argument. */
    public record VarArgs(Object values) {}

    /** Marks a {@code **dict} argument. */
    public record KwArgs(Object values) {}

    public static Object varargs(Object values) {
        return new VarArgs(values);
    }

    public static Object kwargs(Object values) {
        return new KwArgs(values);
    }

    /** Calls the macro or function named callee with the arguments, the marked ones expanded. */
    public static Object splatCall(Object... args) {
        String callee = String.valueOf(args[0]);
        JinjavaInterpreter in = JinjavaInterpreter.getCurrent();
        Object target = in.getContext().getGlobalMacro(callee);
        if (target == null) target = in.getContext().get(callee);
        List<Object> call = expand(callee, args, 1);
        if (target instanceof MacroFunction macro) return macro.evaluate(call.toArray());
        return invoke(in, null, callee, call); // a function such as zip(*lists)
    }

    /** Calls owner.name(...) with the arguments, the marked ones expanded: a package's macro, or a Python method. */
    public static Object splatOnCall(Object... args) {
        Object owner = args[0];
        String name = String.valueOf(args[1]);
        List<Object> call = expand(name, args, 2);
        if (owner instanceof Map<?, ?> m && m.get(name) instanceof MacroFunction macro) return macro.evaluate(call.toArray());
        if (owner == null) throw fail(new TemplateException("cannot call " + name + "() of none"));
        return invoke(JinjavaInterpreter.getCurrent(), owner, name, call);
    }

    /** Evaluates {@code owner.name(a0, k=a1..)} (or {@code name(..)}) with the values bound to names of a scope of its own. */
    private static Object invoke(JinjavaInterpreter in, Object owner, String name, List<Object> call) {
        try (var scope = in.enterScope()) {
            StringBuilder e = new StringBuilder();
            if (owner != null) {
                in.getContext().put("__tributary_owner", owner);
                e.append("__tributary_owner.");
            }
            e.append(name).append('(');
            for (int i = 0; i < call.size(); i++) {
                Object a = call.get(i);
                String var = "__tributary_arg" + i;
                if (i > 0) e.append(", ");
                if (a instanceof NamedParameter n) {
                    in.getContext().put(var, n.getValue());
                    e.append(n.getName()).append('=');
                } else {
                    in.getContext().put(var, a);
                }
                e.append(var);
            }
            return in.resolveELExpression(e.append(')').toString(), in.getLineNumber());
        }
    }

    private static List<Object> expand(String callee, Object[] args, int from) {
        List<Object> call = new ArrayList<>();
        for (int i = from; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof VarArgs v) {
                if (v.values() instanceof Iterable<?> it) it.forEach(call::add);
                else if (v.values() != null) throw fail(new TemplateException("*args of " + callee + "() must be a list, not " + v.values()));
            } else if (a instanceof KwArgs k) {
                if (k.values() instanceof Map<?, ?> m) m.forEach((key, value) -> call.add(new NamedParameter(String.valueOf(key), value)));
                else if (k.values() != null) throw fail(new TemplateException("**kwargs of " + callee + "() must be a mapping, not " + k.values()));
            } else {
                call.add(a);
            }
        }
        return call;
    }

    private static TemplateException fail(TemplateException e) {
        JinjavaInterpreter in = JinjavaInterpreter.getCurrent();
        if (in != null && in.getContext().get(JinjaFunctions.SCOPE_KEY) instanceof RenderScope s) s.fail(e);
        return e;
    }
}
