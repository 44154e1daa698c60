package dev.tributary.transform.jinja;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.fn.MacroFunction;
import com.hubspot.jinjava.lib.tag.MacroTag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code macro} tag, building macros that honour dbt's {@code {{ return(x) }}}: the call then evaluates to x (a
 * list, dict, boolean... as is) instead of the rendered text. Jinjava cannot unwind a render from inside an
 * expression, so what the macro renders after its return is discarded rather than skipped; the side effects after
 * it (macro calls, run_query, statement, log, raise_compiler_error) are skipped, see {@link #returned()}.
 */
final class ReturningMacroTag extends MacroTag {
    /** One frame per macro call being evaluated on this thread: where {@code return(x)} stores x. */
    private static final ThreadLocal<Deque<Frame>> FRAMES = ThreadLocal.withInitial(ArrayDeque::new);

    private static final class Frame {
        boolean returned;
        Object value;
    }

    private static final java.util.regex.Pattern SIGNATURE = java.util.regex.Pattern.compile("^\\s*([A-Za-z_]\\w*)\\s*\\((.*)\\)\\s*$", java.util.regex.Pattern.DOTALL);

    /**
     * Defines the macro. Jinjava's own parser ends the argument list at the first ')' and splits it at every comma,
     * so defaults such as {@code order_by='count(*) desc'} or {@code delimiter="','"} (common in dbt packages) broke
     * it; here the list is split at top-level commas only, outside strings and brackets.
     */
    @Override
    public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
        java.util.regex.Matcher m = SIGNATURE.matcher(tagNode.getHelpers());
        if (!m.matches()) {
            throw new com.hubspot.jinjava.interpret.TemplateSyntaxException(tagNode.getMaster().getImage(),
                    "Unable to parse macro definition: " + tagNode.getHelpers(), tagNode.getLineNumber(), tagNode.getStartPosition());
        }
        LinkedHashMap<String, Object> args = new LinkedHashMap<>();
        for (String arg : splitTopLevel(m.group(2))) {
            int eq = topLevelEquals(arg);
            if (eq < 0) {
                args.put(arg.strip(), null);
            } else {
                String expression = arg.substring(eq + 1).strip();
                boolean refersToEarlier = args.keySet().stream()
                        .anyMatch(p -> java.util.regex.Pattern.compile("(?<![\\w.'\"])" + java.util.regex.Pattern.quote(p) + "\\b").matcher(expression).find());
                args.put(arg.substring(0, eq).strip(), refersToEarlier ? new LateDefault(expression, tagNode.getLineNumber())
                        : interpreter.resolveELExpression(expression, tagNode.getLineNumber()));
            }
        }
        StringBuilder body = new StringBuilder();
        for (Node child : tagNode.getChildren()) body.append(child.reconstructImage());
        boolean catchKwargs = CATCH_KWARGS.matcher(body).find();
        boolean catchVarargs = CATCH_VARARGS.matcher(body).find();
        guard(tagNode.getChildren());
        MacroFunction macro = new ReturningMacroFunction(tagNode.getChildren(), m.group(1), args, interpreter.getContext(), interpreter.getLineNumber(), interpreter.getPosition(),
                catchKwargs, catchVarargs);
        interpreter.getContext().addGlobalMacro(macro);
        return "";
    }

    /** Jinja's rule: a macro takes extra keyword / positional arguments only when its body uses {@code kwargs} / {@code varargs}. */
    private static final java.util.regex.Pattern CATCH_KWARGS = java.util.regex.Pattern.compile("(?<![\\w.])kwargs\\b");
    private static final java.util.regex.Pattern CATCH_VARARGS = java.util.regex.Pattern.compile("(?<![\\w.])varargs\\b");

    /** A default that refers to an earlier parameter ({@code b=a ~ '_x'}): evaluated at call time, as Jinja does. */
    record LateDefault(String expression, int line) {}

    /**
     * Wraps each node of a macro's body (nested bodies too) so that once the macro has returned the rest renders and
     * evaluates nothing, as in dbt where {@code return()} ends the macro; a template's own nodes are wrapped too, so
     * that nothing renders after a {@code raise_compiler_error}. {@code else} / {@code elif} tags stay as they
     * are: their {@code if} looks for them among its children.
     */
    static void guard(java.util.LinkedList<Node> nodes) {
        for (java.util.ListIterator<Node> it = nodes.listIterator(); it.hasNext(); ) {
            Node n = it.next();
            if (n instanceof GuardNode) continue;
            if (n instanceof TagNode t) {
                guard(t.getChildren());
                String tag = t.getTag().getName();
                if (tag.equals("else") || tag.equals("elif") || tag.equals("elseif") || tag.equals("macro")) continue;
            }
            it.set(new GuardNode(n));
        }
    }

    /** Whether the render under way has failed ({@code raise_compiler_error}, an undefined object): nothing more renders. */
    private static boolean aborted(JinjavaInterpreter interpreter) {
        return interpreter.getContext().get(JinjaFunctions.SCOPE_KEY) instanceof RenderScope scope && scope.failure != null;
    }

    /** A node that renders nothing once the innermost macro call has returned or the render has failed. */
    static final class GuardNode extends Node {
        private final Node inner;

        GuardNode(Node inner) {
            super(inner.getMaster(), inner.getLineNumber(), inner.getStartPosition());
            this.inner = inner;
            setParent(inner.getParent());
        }

        @Override
        public com.hubspot.jinjava.tree.output.OutputNode render(JinjavaInterpreter interpreter) {
            if (returned() || aborted(interpreter)) return new com.hubspot.jinjava.tree.output.RenderedOutputNode("");
            return inner.render(interpreter);
        }

        @Override
        public String getName() {
            return inner.getName();
        }

        @Override
        public java.util.LinkedList<Node> getChildren() {
            return inner.getChildren();
        }

        @Override
        public String reconstructImage() {
            return inner.reconstructImage();
        }
    }

    /** The comma-separated parts of text that are outside quotes and brackets, trimmed; empty parts dropped. */
    static List<String> splitTopLevel(String text) {
        List<String> parts = new java.util.ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts.stream().map(String::strip).filter(p -> !p.isEmpty()).toList();
    }

    /** The index of the '=' separating an argument's name from its default, or -1. */
    private static int topLevelEquals(String arg) {
        int eq = arg.indexOf('=');
        return eq > 0 && arg.substring(0, eq).strip().matches("\\w+") ? eq : -1;
    }

    /** Backs {@code return(x)}: the innermost macro call evaluates to x; the first return of a call wins, as dbt stops there. */
    static void returnValue(Object value) {
        Frame frame = FRAMES.get().peek();
        if (frame == null) throw new TemplateException("return() is only valid inside a macro");
        if (frame.returned) return;
        frame.returned = true;
        frame.value = value;
    }

    /**
     * Backs {@code exceptions.raise_compiler_error}: dbt stops rendering there, so every macro call under way ends at
     * once (Jinjava records the error and goes on rendering; nothing after the raise may run a query or log).
     */
    static void abortAll() {
        for (Frame frame : FRAMES.get()) {
            if (!frame.returned) {
                frame.returned = true;
                frame.value = "";
            }
        }
    }

    /** Whether the innermost macro call has already returned (its further output is discarded). */
    static boolean returned() {
        Frame frame = FRAMES.get().peek();
        return frame != null && frame.returned;
    }

    static final class ReturningMacroFunction extends MacroFunction {
        private final boolean catchKwargs;
        private final boolean catchVarargs;

        ReturningMacroFunction(List<Node> content, String name, LinkedHashMap<String, Object> args, Context scope, int line, int position,
                boolean catchKwargs, boolean catchVarargs) {
            super(content, name, args, false, scope, line, position);
            this.catchKwargs = catchKwargs;
            this.catchVarargs = catchVarargs;
        }

        private ReturningMacroFunction(ReturningMacroFunction source, String name) {
            super(source, name);
            this.catchKwargs = source.catchKwargs;
            this.catchVarargs = source.catchVarargs;
        }

        /**
         * As Jinja (so dbt): an argument the macro does not declare is an error unless its body reads {@code kwargs}
         * / {@code varargs} (Jinjava put it there silently, so a misspelt keyword, or a generic test's argument the
         * test does not take, was ignored).
         */
        @Override
        public Object doEvaluate(Map<String, Object> argMap, Map<String, Object> kwargMap, List<Object> varArgs) {
            // the calling macro already returned: dbt would have stopped before this call
            if (returned()) return "";
            if (!catchKwargs && kwargMap != null && !kwargMap.isEmpty()) {
                throw fail("macro '" + getName() + "' takes no keyword argument '" + kwargMap.keySet().iterator().next() + "'");
            }
            if (!catchVarargs && varArgs != null && !varArgs.isEmpty()) {
                throw fail("macro '" + getName() + "' takes not more than " + argMap.size() + " argument(s)");
            }
            if (argMap.values().stream().anyMatch(v -> v instanceof LateDefault)) argMap = lateDefaults(argMap);
            Frame frame = new Frame();
            FRAMES.get().push(frame);
            try {
                Object rendered = super.doEvaluate(argMap, kwargMap, varArgs);
                return frame.returned ? frame.value : rendered;
            } finally {
                FRAMES.get().pop();
            }
        }

        /** The error, recorded as the render's failure so that its message is the one reported (not Jinjava's wrapper). */
        private static TemplateException fail(String message) {
            TemplateException e = new TemplateException(message);
            JinjavaInterpreter in = JinjavaInterpreter.getCurrent();
            if (in != null && in.getContext().get(JinjaFunctions.SCOPE_KEY) instanceof RenderScope s) s.fail(e);
            return e;
        }

        /** Evaluates the late defaults in order, each seeing the parameters before it. */
        private static Map<String, Object> lateDefaults(Map<String, Object> argMap) {
            JinjavaInterpreter in = JinjavaInterpreter.getCurrent();
            Map<String, Object> out = new LinkedHashMap<>();
            try (var scope = in.enterScope()) {
                for (Map.Entry<String, Object> e : argMap.entrySet()) {
                    Object v = e.getValue() instanceof LateDefault d ? in.resolveELExpression(d.expression(), d.line()) : e.getValue();
                    out.put(e.getKey(), v);
                    in.getContext().put(e.getKey(), v);
                }
            }
            return out;
        }

        @Override
        public MacroFunction cloneWithNewName(String name) {
            return new ReturningMacroFunction(this, name);
        }
    }
}
