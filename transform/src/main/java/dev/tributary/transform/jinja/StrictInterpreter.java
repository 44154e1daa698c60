package dev.tributary.transform.jinja;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Jinjava interpreter that, like dbt's Jinja, renders a name that was never defined as empty but fails, naming it
 * and its line, when such a name is used as an object ({@code x.attr}, {@code x[i]}: the names the template or any
 * macro file dereferences somewhere).
 * Jinjava's own {@code failOnUnknownTokens} cannot be used: it also fails on names whose value is none (a
 * {@code set} to none, a macro argument passed as none). Here a name is undefined only when no scope holds it at
 * all; names a template tests with {@code is defined} / {@code is none} or passes to {@code default} may be undefined.
 */
final class StrictInterpreter extends JinjavaInterpreter {
    private static final Set<String> ALWAYS = Set.of("none", "None", "true", "True", "false", "False", "null", "caller", "varargs", "kwargs", "loop");
    private static final Pattern TESTED = Pattern.compile("\\b([A-Za-z_]\\w*)\\s+is\\s+(?:not\\s+)?(?:defined|undefined|none|None)\\b"
            + "|\\b([A-Za-z_]\\w*)\\s*\\|\\s*(?:default|d)\\b");

    /** Thrown for a name no scope defines; carries the line, since Jinjava may only log it. */
    static final class UndefinedNameException extends TemplateException {
        final int line;

        UndefinedNameException(String name, int line) {
            super("'" + name + "' is undefined (a typo, or a variable that was never set? var('" + name + "') reads project vars)");
            this.line = line;
        }
    }

    private final Set<String> mayBeUndefined;
    private final Set<String> dereferenced;

    StrictInterpreter(Jinjava jinjava, Context context, JinjavaConfig config, Set<String> mayBeUndefined, Set<String> dereferenced) {
        super(jinjava, context, config);
        this.mayBeUndefined = mayBeUndefined;
        this.dereferenced = dereferenced;
    }

    private static final Pattern DEREFERENCED = Pattern.compile("(?<![\\w.'\"])([A-Za-z_]\\w*)\\s*[.\\[]");
    private static final Pattern QUOTED = Pattern.compile("'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"");

    /** The names a Jinja expression or tag uses as an object ({@code x.attr}, {@code x[i]}), strings left out. */
    static void collectDereferenced(String jinja, Set<String> into) {
        Matcher m = DEREFERENCED.matcher(QUOTED.matcher(jinja).replaceAll("''"));
        while (m.find()) into.add(m.group(1));
    }

    /** The names text tests for definedness or gives a default, which may be undefined where they are used. */
    static void collectTestedNames(String text, Set<String> into) {
        Matcher m = TESTED.matcher(text);
        while (m.find()) into.add(m.group(1) != null ? m.group(1) : m.group(2));
    }

    @Override
    public Object retraceVariable(String variable, int lineNumber, int startPosition) {
        Object value = super.retraceVariable(variable, lineNumber, startPosition);
        if (value != null || variable == null || variable.isEmpty()) return value;
        String name = variable.contains(".") ? variable.substring(0, variable.indexOf('.')) : variable;
        if (ALWAYS.contains(name) || mayBeUndefined.contains(name) || declared(name)) return value;
        // dbt's Jinja renders an undefined name as empty; reading an attribute or item of one is an error there
        if (!variable.contains(".") && !dereferenced.contains(name)) return value;
        UndefinedNameException e = new UndefinedNameException(name, lineNumber > 0 ? lineNumber : getLineNumber());
        if (getContext().get(JinjaFunctions.SCOPE_KEY) instanceof RenderScope scope) scope.fail(e);
        throw e;
    }

    /** The expression whose value an output tag is about to print (Jinjava resolves it, then asks for its string). */
    private String lastExpression;

    @Override
    public Object resolveELExpression(String expression, int lineNumber) {
        Object value = super.resolveELExpression(expression, lineNumber);
        lastExpression = expression;
        return value;
    }

    /**
     * {@code {{ value }}} as dbt's Jinja prints it: Python's {@code str()} ({@code True}, {@code None}, {@code [1, 'a']}),
     * while an undefined name, a missing key of a dict or an {@code x if c} whose condition fails print nothing.
     */
    @Override
    public String getAsString(Object value) {
        if (value != null) return PyRepr.str(value);
        String expression = lastExpression;
        lastExpression = null;
        if (getContext().get(JinjaFunctions.SCOPE_KEY) instanceof RenderScope scope && scope.noneAsEmpty) return "";
        return expression == null || undefinedValue(expression) ? "" : "None";
    }

    private static final Pattern PATH = Pattern.compile("^([A-Za-z_]\\w*)((?:\\s*\\.\\s*[A-Za-z_]\\w*|\\s*\\[\\s*(?:'[^']*'|\"[^\"]*\"|-?\\d+)\\s*])*)$");
    private static final Pattern LAST_SEGMENT = Pattern.compile("(?:\\.\\s*([A-Za-z_]\\w*)|\\[\\s*(?:'([^']*)'|\"([^\"]*)\"|(-?\\d+))\\s*])\\s*$");

    /** Whether an expression that gave none is Jinja's undefined rather than a none value (see {@link #getAsString}). */
    private boolean undefinedValue(String expression) {
        String e = expression.strip();
        int bar = topLevelBar(e);
        if (bar > 0) e = e.substring(0, bar).strip();
        else if (e.contains(" if ") && !e.contains(" else ")) return true;
        Matcher m = PATH.matcher(e);
        if (!m.matches()) return false;
        if (m.group(2).isEmpty()) return undefinedName(e);
        Matcher last = LAST_SEGMENT.matcher(e);
        if (!last.find()) return false;
        String prefix = e.substring(0, last.start()).strip();
        Object base = prefix.equals(m.group(1)) && !declared(prefix) ? null : super.resolveELExpression(prefix, getLineNumber());
        if (base == null) return true;
        if (!(base instanceof java.util.Map<?, ?> map)) return false;
        String key = last.group(1) != null ? last.group(1) : last.group(2) != null ? last.group(2) : last.group(3);
        return key != null && !map.containsKey(key);
    }

    /** Where the first filter bar of an expression stands outside strings and brackets; -1 when none. */
    private static int topLevelBar(String e) {
        return CallSyntax.topLevelIndex(e, i -> e.charAt(i) == '|' && (i + 1 >= e.length() || e.charAt(i + 1) != '|'));
    }

    /** Whether no scope defines name (and it is not a constant such as {@code none}). */
    boolean undefinedName(String name) {
        return !ALWAYS.contains(name) && !declared(name);
    }

    private boolean declared(String name) {
        for (Context c = getContext(); c != null; c = c.getParent()) {
            if (c.getScope().containsKey(name)) return true;
            if (c.getGlobalMacro(name) != null) return true;
        }
        return false;
    }
}
