package dev.tributary.transform.jinja;

import jinjava.de.odysseus.el.misc.LocalMessages;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.TagNode;
import dev.tributary.transform.dialect.Dialect;
import java.util.Map;

/**
 * One Jinjava environment per project: the dbt functions, the project's macros (rendered once into a root
 * context that every model's context inherits), and a render call that turns Jinjava's collected errors
 * into a {@link CompilationException} naming the file and line. Renders are serialised: Jinjava contexts
 * are not meant to be shared across threads, and rendering is cheap next to the SQL it produces.
 */
public final class JinjaEngine {
    private final Jinjava jinjava;
    private final Context root;
    private final Dialect dialect;
    private final MacroDispatcher dispatcher;
    /** Names some template or macro tests with {@code is defined} or gives a {@code default}: they may be undefined. */
    private final java.util.Set<String> mayBeUndefined = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Names some macro file uses as an object ({@code x.attr}, {@code x[i]}): undefined, they are errors, not empty. */
    private final java.util.Set<String> dereferenced = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * The most characters one render may produce, and the longest string it may build: a runaway loop or doubling
     * string becomes a compilation error naming the file instead of an OutOfMemoryError.
     */
    public static final int MAX_RENDERED_CHARS = 32 * 1024 * 1024;
    /** The most items {@code range()} gives; more is an error (Jinjava's default of 1,000 silently cut longer ranges short). */
    public static final int MAX_RANGE = 1_000_000;
    /**
     * How deeply scopes (macro calls, loops) may nest when a macro calls itself; deeper is an error naming the macro,
     * as Jinja's RecursionError, instead of a StackOverflowError.
     */
    public static final int MAX_MACRO_DEPTH = 200;

    static {
        // Jinjava's EL builds the message of a failed macro call from a resource bundle loaded on first use: loaded at a
        // stack running out (a runaway recursion), its class would fail to initialise and stay unusable in this JVM
        LocalMessages.get("error.function.invocation", "");
    }

    public JinjaEngine(Dialect dialect) {
        this.dialect = dialect;
        jinjava.javax.el.CompositeELResolver resolvers = new jinjava.javax.el.CompositeELResolver();
        resolvers.add(new PythonMethods());
        resolvers.add(JinjavaConfig.newBuilder().build().getElResolver());
        this.jinjava = new PythonJinjava(JinjavaConfig.newBuilder()
                .withElResolver(resolvers)
                .withFailOnUnknownTokens(false)
                .withMaxOutputSize(MAX_RENDERED_CHARS)
                .withMaxStringLength(MAX_RENDERED_CHARS)
                .withRangeLimit(MAX_RANGE)
                // Jinjava pushes a macro's name on its call stack before evaluating the call's arguments, so without
                // recursion an argument calling the same macro ({{ m(m(x)) }}) was taken for a cycle: a warning, and
                // the inner call evaluated to '' (upper(upper('c')) compiled to upper()). Jinja allows recursion.
                .withEnableRecursiveMacroCalls(true)
                .withMaxMacroRecursionDepth(MAX_MACRO_DEPTH)
                .withLegacyOverrides(com.hubspot.jinjava.LegacyOverrides.newBuilder()
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        // the text either side of a comment stays two nodes: merged, the first one's trim flags
                        // applied to both (see commentsTrimmed)
                        .withAllowAdjacentTextNodes(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .build());
        Context g = jinjava.getGlobalContext();
        register(g, "ref", "ref");
        register(g, "source", "source");
        register(g, "var", "var");
        register(g, "config", "config");
        register(g, "env_var", "envVar");
        register(g, "doc", "doc");
        register(g, "log", "log");
        register(g, "run_query", "runQuery");
        register(g, "load_result", "loadResult");
        register(g, "before_begin", "beforeBegin");
        register(g, "after_commit", "afterCommit");
        g.registerFunction(new ELFunctionDefinition("", "tributary_statement", JinjaFunctions.class, "statementCall", Object.class, Object.class, Object.class));
        g.registerFunction(new ELFunctionDefinition("", "is_incremental", JinjaFunctions.class, "isIncremental"));
        g.registerFunction(new ELFunctionDefinition("", "range", JinjaFunctions.class, "range", Object.class, Object[].class));
        g.registerFilter(new PyFilters.StringFilter());
        g.registerFilter(new PyFilters.JoinFilter());
        g.registerFilter(new PyFilters.SortFilter());
        g.registerFilter(new PyFilters.ExtremeFilter(false));
        g.registerFilter(new PyFilters.ExtremeFilter(true));
        g.registerFilter(new PyFilters.TrimFilter());
        g.registerFilter(new PyFilters.ToJsonFilter());
        for (String kind : java.util.List.of("as_bool", "as_text", "as_number", "as_native")) g.registerFilter(new PyFilters.NativeFilter(kind));
        g.registerFilter(new PyFilters.TruthFilter(new com.hubspot.jinjava.lib.filter.SelectFilter(), true));
        g.registerFilter(new PyFilters.TruthFilter(new com.hubspot.jinjava.lib.filter.RejectFilter(), false));
        g.registerTag(new ForElseTag());
        g.registerTag(new SilentBlockTag("docs", "enddocs"));
        g.registerTag(new ReturningMacroTag());
        registerStatic(g, "return", "returnValue", Object.class);
        registerStatic(g, "tributary_dispatch", "dispatch", Object[].class);
        registerStatic(g, "tributary_dispatch_call", "dispatchCall", Object[].class);
        registerStatic(g, "tributary_relation_create", "relationCreate", Object[].class);
        registerStatic(g, "zip", "zip", Object[].class);
        registerStatic(g, "dict", "dict", Object[].class);
        g.registerFunction(new ELFunctionDefinition("", "tributary_loop_filter", CallSyntax.class, "loopFilter", Object.class, Object.class, Object.class));
        g.registerFunction(new ELFunctionDefinition("", "tributary_splat", CallSyntax.class, "splatCall", Object[].class));
        g.registerFunction(new ELFunctionDefinition("", "tributary_splat_on", CallSyntax.class, "splatOnCall", Object[].class));
        g.registerFunction(new ELFunctionDefinition("", "tributary_varargs", CallSyntax.class, "varargs", Object.class));
        g.registerFunction(new ELFunctionDefinition("", "tributary_kwargs", CallSyntax.class, "kwargs", Object.class));
        registerStatic(g, "set", "set", Object[].class);
        registerStatic(g, "tributary_pyformat", "pyformat", Object[].class);
        registerStatic(g, "tojson", "tojson", Object[].class);
        registerStatic(g, "fromyaml", "fromyaml", Object[].class);
        registerStatic(g, "toyaml", "toyaml", Object[].class);
        registerStatic(g, "print", "print", Object[].class);
        registerStatic(g, "fromjson", "fromjson", Object[].class);
        registerStatic(g, "load_relation", "loadRelation", Object.class);
        registerStatic(g, "tributary_list_relations", "listRelationsTable", Object.class);
        registerStatic(g, "local_md5", "localMd5", Object.class);
        g.registerFunction(new ELFunctionDefinition("", "should_store_failures", DbtContextObjects.class, "shouldStoreFailures"));
        g.registerFunction(new ELFunctionDefinition("", "should_full_refresh", DbtContextObjects.class, "shouldFullRefresh"));
        this.root = new Context(g);
        this.dispatcher = new MacroDispatcher(dialect.type(), root);
        root.put(DbtContextObjects.DISPATCHER_KEY, new DbtContextObjects.EngineHandle(dispatcher, dialect));
        root.put("adapter", new JinjaAdapter(dialect));
        root.put("api", DbtContextObjects.api(dialect));
        root.put("exceptions", new DbtContextObjects.Exceptions());
        root.put("modules", DbtContextObjects.modules());
        root.put("dbt_version", DBT_VERSION);
        putGlobal("flags", Map.of());
        putGlobal("run_started_at", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).toString());
        loadPackageMacros("dbt", "<dbt macros>", builtinMacros(), new RenderScope(null, false, Map.of(), Map.of()));
        // dbt's statement macro: {% call statement('x', fetch_result=True) %}sql{% endcall %} runs only when executing
        render("<builtin statement macro>", STATEMENT_MACRO, 0, new RenderScope(null, false, Map.of(), Map.of()), Map.of(), root);
    }

    private static final String STATEMENT_MACRO = "{% macro statement(name=None, fetch_result=False, auto_begin=True, language='sql') -%}"
            + "{%- if execute -%}{%- do tributary_statement(name, caller(), fetch_result) -%}{%- endif -%}{%- endmacro %}";
    private static final java.util.regex.Pattern TEST_START = java.util.regex.Pattern.compile("\\{%(-?)\\s*test\\s+(\\w+)\\s*\\(");
    private static final java.util.regex.Pattern TEST_END = java.util.regex.Pattern.compile("\\{%(-?)\\s*endtest\\s*(-?)%}");

    /** Whether text defines a custom generic test ({@code {% test name(model, ...) %}}). */
    public static boolean definesTests(String text) {
        return TEST_START.matcher(text).find();
    }

    /** dbt compiles {@code {% test x(...) %}...{% endtest %}} into the macro {@code test_x}; so do we (lines kept). */
    static String testBlocksAsMacros(String text) {
        if (!text.contains("test")) return text;
        String s = TEST_START.matcher(text).replaceAll("{%$1 macro test_$2(");
        return TEST_END.matcher(s).replaceAll("{%$1 endmacro $2%}");
    }

    private static void registerStatic(Context g, String name, String method, Class<?> parameter) {
        g.registerFunction(new ELFunctionDefinition("", name, DbtContextObjects.class, method, parameter));
    }

    private static String builtinMacros() {
        try (java.io.InputStream in = JinjaEngine.class.getResourceAsStream("dbt_macros.sql")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("the built-in dbt macros are missing from the jar", e);
        }
    }

    /** The root project's name (its macros are dispatch's first candidates) and its {@code dispatch:} search orders. */
    public synchronized void setRootProject(String name, Map<String, java.util.List<String>> searchOrders) {
        dispatcher.setRootProject(name);
        dispatcher.setSearchOrders(searchOrders);
    }

    private static void register(Context g, String name, String method) {
        g.registerFunction(new ELFunctionDefinition("", name, JinjaFunctions.class, method, Object[].class));
    }

    /** The dbt version {@code dbt_version} reports: the dbt-core behaviour this module follows. */
    public static final String DBT_VERSION = "1.8.0";

    /**
     * Variables every render sees, such as {@code target}. {@code run_started_at} given as text becomes a Python
     * datetime (with {@code strftime}, {@code astimezone}); {@code flags} gets dbt's other flags' defaults.
     */
    public synchronized void putGlobal(String name, Object value) {
        if (name.equals("run_started_at") && value != null) value = DbtContextObjects.runStartedAt(value);
        if (name.equals("flags") && value instanceof Map<?, ?> given) {
            Map<String, Object> flags = new java.util.LinkedHashMap<>();
            flags.put("FULL_REFRESH", false);
            flags.put("STORE_FAILURES", false);
            flags.put("WHICH", "run");
            flags.put("FAIL_FAST", false);
            flags.put("WARN_ERROR", false);
            flags.put("USE_COLORS", false);
            flags.put("DEBUG", false);
            flags.put("INTROSPECT", true);
            for (Map.Entry<?, ?> e : given.entrySet()) flags.put(String.valueOf(e.getKey()), e.getValue());
            value = flags;
        }
        root.put(name, value);
    }

    /** Renders a macro file into the root context so its macros are callable from every model. */
    public synchronized void loadMacros(String file, String text, RenderScope scope) {
        StrictInterpreter.collectTestedNames(text, mayBeUndefined);
        collectDereferenced(text, dereferenced);
        Context ctx = new Context(root);
        render(file, testBlocksAsMacros(text), 0, scope, Map.of(), ctx);
        for (com.hubspot.jinjava.lib.fn.MacroFunction m : ctx.getGlobalMacros().values()) {
            root.addGlobalMacro(m);
            if (rootProject() != null) dispatcher.add(rootProject(), m);
        }
    }

    private String rootProject() {
        return root.get("project_name") instanceof String s ? s : null;
    }

    /**
     * Loads a package's macro file: its macros are callable unprefixed (the project's own, loaded later, win) and
     * as {@code package.macro()}.
     */
    @SuppressWarnings("unchecked")
    public synchronized void loadPackageMacros(String packageName, String file, String text, RenderScope scope) {
        StrictInterpreter.collectTestedNames(text, mayBeUndefined);
        collectDereferenced(text, dereferenced);
        Context ctx = new Context(root);
        render(file, testBlocksAsMacros(text), 0, scope, Map.of(), ctx);
        Object existing = root.get(packageName);
        Map<String, Object> ns = existing instanceof Map<?, ?> m ? (Map<String, Object>) m : new java.util.LinkedHashMap<>();
        for (Map.Entry<String, com.hubspot.jinjava.lib.fn.MacroFunction> e : ctx.getGlobalMacros().entrySet()) {
            ns.put(e.getKey(), e.getValue());
            root.addGlobalMacro(e.getValue());
            dispatcher.add(packageName, e.getValue());
        }
        root.put(packageName, ns);
    }

    public synchronized boolean hasMacro(String name) {
        return root.getGlobalMacro(name) != null;
    }

    /** Renders text from file; lineOffset is added to Jinjava's line numbers (for blocks cut from a file). */
    public synchronized String render(String file, String text, int lineOffset, RenderScope scope, Map<String, Object> bindings) {
        return render(file, text, lineOffset, scope, bindings, new Context(root));
    }

    private String render(String file, String text, int lineOffset, RenderScope scope, Map<String, Object> bindings, Context context) {
        context.put(JinjaFunctions.SCOPE_KEY, scope);
        context.putAll(bindings);
        java.util.Set<String> tolerated = new java.util.HashSet<>(mayBeUndefined);
        StrictInterpreter.collectTestedNames(text, tolerated);
        java.util.Set<String> objects = new java.util.HashSet<>(dereferenced);
        collectDereferenced(text, objects);
        JinjavaInterpreter interpreter = new StrictInterpreter(jinjava, context, jinjava.getGlobalConfig(), tolerated, objects);
        JinjavaInterpreter.pushCurrent(interpreter);
        String out;
        try {
            com.hubspot.jinjava.tree.Node tree = interpreter.parse(pythonSyntax(percentFormats(rewriteCalls(withoutTrailingCommas(keywordValuesGrouped(spacedBinaryPlus(commentsTrimmed(text))))))));
            // raise_compiler_error ends the whole render, as in dbt: the template's own text after it renders nothing
            ReturningMacroTag.guard(tree.getChildren());
            out = interpreter.render(tree);
        } catch (RuntimeException e) {
            // Jinjava wraps a StackOverflowError thrown in a macro into its own exceptions, layer upon layer
            if (ranOutOfStack(e)) throw new CompilationException(file, 0, TOO_DEEP);
            RuntimeException cause = scope.failure != null ? scope.failure : e;
            int line = cause instanceof StrictInterpreter.UndefinedNameException u ? u.line : interpreter.getLineNumber();
            throw new CompilationException(file, lineOffset + line, message(cause));
        } catch (OutOfMemoryError e) {
            // a last resort: the limits above should stop a runaway render long before memory runs out
            throw new CompilationException(file, lineOffset + interpreter.getLineNumber(), TOO_LARGE);
        } catch (StackOverflowError e) {
            // the same last resort for the stack: MAX_MACRO_DEPTH leaves a margin, but a thread's stack can be small
            throw new CompilationException(file, 0, TOO_DEEP);
        } finally {
            JinjavaInterpreter.popCurrent();
            if (context == root) root.remove(JinjaFunctions.SCOPE_KEY);
        }
        if (scope.failure instanceof StrictInterpreter.UndefinedNameException u) throw new CompilationException(file, lineOffset + u.line, message(u));
        for (TemplateError error : interpreter.getErrors()) {
            // Jinjava only warns about a stray {% endif %} or {% endfor %}, and about a string it cut short at the
            // length limit; Jinja (and dbt) reject the first, and the second would be SQL other than what was written
            boolean truncated = error.getMessage() != null && error.getMessage().contains("truncated to the max String length");
            // Jinjava only warns at a macro recursion past the limit (or an include cycle) and renders '' there
            boolean cycle = error.getCategory() == com.hubspot.jinjava.interpret.errorcategory.BasicTemplateErrorCategory.CYCLE_DETECTED;
            // a macro that ran out of stack: Jinjava keeps it as an error of the call
            if (ranOutOfStack(error.getException()) || error.getMessage() != null && error.getMessage().contains("StackOverflowError")) {
                throw new CompilationException(file, 0, TOO_DEEP);
            }
            if (!truncated && !cycle && error.getSeverity() != TemplateError.ErrorType.FATAL && error.getReason() != TemplateError.ErrorReason.SYNTAX_ERROR) continue;
            String problem = scope.failure != null ? message(scope.failure)
                    : truncated || tooLarge(error) ? TOO_LARGE
                    : cycle ? error.getMessage() + " (a macro calling itself without end?)" : error.getMessage();
            // a cycle's line is in the macro's file, not in this one
            throw new CompilationException(file, error.getLineno() > 0 && !cycle ? error.getLineno() + lineOffset : 0, problem);
        }
        if (scope.failure != null) throw new CompilationException(file, 0, message(scope.failure));
        return out;
    }

    private static final String TOO_DEEP = "macros nested too deeply: the thread's stack ran out before " + MAX_MACRO_DEPTH
            + " nested macro calls (a macro calling itself without end?)";

    private static boolean ranOutOfStack(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StackOverflowError) return true;
        }
        return false;
    }

    private static final String TOO_LARGE = "the rendered text grew past " + MAX_RENDERED_CHARS
            + " characters (a runaway loop or string?); a model's SQL must be smaller than that";

    private static boolean tooLarge(TemplateError error) {
        String m = error.getMessage();
        return error.getReason() == TemplateError.ErrorReason.OUTPUT_TOO_BIG
                || m != null && (m.contains("OutputTooBigException") || m.contains("exceeds maximum allowed length"));
    }

    /**
     * A comment, a raw block, or a Jinja expression or statement; the rewrites below change only the last two, so
     * text in comments and raw blocks stays as written.
     */
    private static final java.util.regex.Pattern EXPRESSION = java.util.regex.Pattern.compile(
            "\\{#.*?#}|\\{%-?\\s*raw\\s*-?%}.*?\\{%-?\\s*endraw\\s*-?%}|\\{\\{.*?}}|\\{%.*?%}", java.util.regex.Pattern.DOTALL);

    /** The names the Jinja expressions and tags of text use as objects. */
    private static void collectDereferenced(String text, java.util.Set<String> into) {
        java.util.regex.Matcher m = EXPRESSION.matcher(text);
        while (m.find()) {
            String found = m.group();
            if (!found.startsWith("{#") && !RAW_START.matcher(found).lookingAt()) StrictInterpreter.collectDereferenced(found, into);
        }
    }

    /** Applies rewrite to each Jinja expression and statement of text, leaving comments and raw blocks alone. */
    private static String rewriteExpressions(String text, java.util.function.UnaryOperator<String> rewrite) {
        java.util.regex.Matcher m = EXPRESSION.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String found = m.group();
            boolean code = !found.startsWith("{#") && !RAW_START.matcher(found).lookingAt();
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(code ? rewrite.apply(found) : found));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static final java.util.regex.Pattern RAW_START = java.util.regex.Pattern.compile("\\{%-?\\s*raw\\s*-?%}");

    /**
     * Comments' whitespace control as Jinja2 applies it: {@code {#-} strips the whitespace just before the comment,
     * {@code -#}} the whitespace just after it, and nothing else. Jinjava gets this wrong: it ignores {@code -#}}
     * after a text-less start, reads {@code {#-} as trimming the text after the comment too, and merges the text
     * either side of a comment into one node that inherits those flags, so a comment's {@code {#-} also stripped the
     * space before the next expression ({@code then {{ datediff(..) }}} compiled to {@code thendate_diff(..)}). So
     * each comment becomes a comment without dashes holding the newlines of what it and its stripping removed, so
     * that the lines after it keep their numbers. Raw blocks, and comment markers inside tags, stay as written.
     */
    static String commentsTrimmed(String text) {
        if (!text.contains("{#")) return text;
        java.util.regex.Matcher m = EXPRESSION.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        int copied = 0;
        while (m.find()) {
            if (!m.group().startsWith("{#")) continue;
            int start = m.start();
            int end = m.end();
            boolean before = text.charAt(start + 2) == '-';
            // {#-#} has its dash on the left only, as Jinja2's lexer reads it
            boolean after = end - 3 >= start + (before ? 3 : 2) && text.charAt(end - 3) == '-';
            sb.append(text, copied, start);
            int newlines = newlines(text, start, end);
            if (before) {
                int keep = sb.length();
                while (keep > 0 && Character.isWhitespace(sb.charAt(keep - 1))) keep--;
                newlines += newlines(sb, keep, sb.length());
                sb.setLength(keep);
            }
            if (after) {
                int next = end;
                while (next < text.length() && Character.isWhitespace(text.charAt(next))) next++;
                newlines += newlines(text, end, next);
                end = next;
            }
            sb.append("{#").append("\n".repeat(newlines)).append("#}");
            copied = end;
        }
        return sb.append(text, copied, text.length()).toString();
    }

    private static int newlines(CharSequence s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) if (s.charAt(i) == '\n') n++;
        return n;
    }
    private static final java.util.Set<String> KEYWORDS = java.util.Set.of("and", "or", "not", "in", "is", "if", "else");

    /**
     * Jinjava scans {@code +} followed by a digit as the unary plus, wherever it stands, so {@code x+1} and
     * {@code g(1+1)} fail to parse while {@code x + 1} works. A {@code +} that follows an operand (a name, a number,
     * a closing bracket or quote) is the binary plus in Jinja: a space after it makes Jinjava read it so. Strings,
     * comments, raw blocks and exponents ({@code 1e+5}) are left alone.
     */
    static String spacedBinaryPlus(String text) {
        if (text.indexOf('+') < 0) return text;
        return rewriteExpressions(text, JinjaEngine::spaceBinaryPlus);
    }

    private static String spaceBinaryPlus(String expr) {
        StringBuilder out = null;
        int copied = 0;
        char quote = 0;
        for (int i = 2; i < expr.length() - 1; i++) {
            char c = expr.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '+' && Character.isDigit(expr.charAt(i + 1)) && followsOperand(expr, i)) {
                if (out == null) out = new StringBuilder(expr.length() + 8);
                out.append(expr, copied, i + 1).append(' ');
                copied = i + 1;
            }
        }
        return out == null ? expr : out.append(expr, copied, expr.length()).toString();
    }

    /** Whether what stands before position i of an expression ends an operand, making a + there binary. */
    private static boolean followsOperand(String expr, int i) {
        int j = i - 1;
        while (j >= 2 && Character.isWhitespace(expr.charAt(j))) j--;
        if (j < 2) return false;
        char p = expr.charAt(j);
        if (p == ')' || p == ']' || p == '}' || p == '\'' || p == '"') return true;
        if (!Character.isLetterOrDigit(p) && p != '_') return false;
        int k = j;
        while (k > 0 && (Character.isLetterOrDigit(expr.charAt(k - 1)) || expr.charAt(k - 1) == '_')) k--;
        String word = expr.substring(k, j + 1);
        if (KEYWORDS.contains(word)) return false;
        // 1e+5 and 2.5E+3: the + belongs to the number's exponent
        boolean exponent = Character.isDigit(word.charAt(0)) && (p == 'e' || p == 'E') && j == i - 1;
        return !exponent;
    }
    /** {@code f(k=a and b)}: the keyword gets {@code a and b} as in Python (see {@link KeywordArguments}). */
    static String keywordValuesGrouped(String text) {
        if (!text.contains("=")) return text;
        return rewriteExpressions(text, KeywordArguments::parenthesize);
    }

    private static final java.util.regex.Pattern TRAILING_COMMA = java.util.regex.Pattern.compile(",(\\s*)([)\\]])");

    /** Jinjava rejects a trailing comma in a call such as config(a=1,), which dbt's Jinja accepts; newlines are kept. */
    static String withoutTrailingCommas(String text) {
        if (!text.contains(",")) return text;
        return rewriteExpressions(text, e -> TRAILING_COMMA.matcher(e).replaceAll("$1$2"));
    }

    /**
     * Python's {@code 'fmt' % args}: Jinjava reads {@code %} as the modulo of numbers only, so a string literal followed
     * by {@code %} and an operand (a parenthesised tuple, a literal, or a name with its attributes, indexes and calls)
     * becomes {@code tributary_pyformat('fmt', args)}. A {@code %} after anything other than a string literal stays
     * Jinjava's modulo.
     */
    static String percentFormats(String text) {
        if (!text.contains("%")) return text;
        return rewriteExpressions(text, JinjaEngine::percentFormat);
    }

    private static String percentFormat(String expr) {
        int body = 2;
        int end = expr.length() - 2;
        StringBuilder out = new StringBuilder();
        int copied = 0;
        for (int i = body; i < end; i++) {
            char c = expr.charAt(i);
            if (c != '\'' && c != '"') continue;
            int close = i + 1;
            while (close < end && expr.charAt(close) != c) close += expr.charAt(close) == '\\' ? 2 : 1;
            if (close >= end) break;
            int p = close + 1;
            while (p < end && Character.isWhitespace(expr.charAt(p))) p++;
            if (p >= end || expr.charAt(p) != '%' || p + 1 < expr.length() && expr.charAt(p + 1) == '}') {
                i = close;
                continue;
            }
            int operandStart = p + 1;
            while (operandStart < end && Character.isWhitespace(expr.charAt(operandStart))) operandStart++;
            int operandEnd = operandEnd(expr, operandStart, end);
            if (operandEnd <= operandStart) {
                i = close;
                continue;
            }
            String operand = expr.substring(operandStart, operandEnd);
            // Jinjava has no empty tuple
            if (operand.replaceAll("\\s", "").equals("()")) operand = "[]";
            out.append(expr, copied, i).append("tributary_pyformat(").append(expr, i, close + 1).append(", ").append(operand).append(')');
            copied = operandEnd;
            i = operandEnd - 1;
        }
        if (copied == 0) return expr;
        return out.append(expr, copied, expr.length()).toString();
    }

    /** Where the operand starting at i ends: a bracketed group, a quoted string, or a dotted name with calls and indexes. */
    private static int operandEnd(String s, int i, int end) {
        if (i >= end) return i;
        char c = s.charAt(i);
        int j;
        if (c == '(' || c == '[' || c == '{') {
            j = matchingBracket(s, i);
            if (j < 0) return i;
            j++;
        } else if (c == '\'' || c == '"') {
            j = i + 1;
            while (j < end && s.charAt(j) != c) j += s.charAt(j) == '\\' ? 2 : 1;
            j++;
        } else if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
            j = i + 1;
            while (j < end && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '.')) j++;
        } else {
            return i;
        }
        while (j < end && (s.charAt(j) == '(' || s.charAt(j) == '[' || s.charAt(j) == '.')) {
            if (s.charAt(j) == '.') {
                j++;
                while (j < end && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
            } else {
                int k = matchingBracket(s, j);
                if (k < 0) return j;
                j = k + 1;
            }
        }
        return Math.min(j, end);
    }

    private static int matchingBracket(String s, int open) {
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

    /** {@code for ... if} filters and {@code *args} / {@code **kwargs} at call sites (see {@link CallSyntax}). */
    static String pythonSyntax(String text) {
        if (!text.contains("*") && !text.contains(" if ")) return text;
        return rewriteExpressions(text, e -> CallSyntax.splat(e.startsWith("{%") ? CallSyntax.loopFilter(e) : e));
    }

    /** Jinjava whose expressions parse with {@link PythonSyntax} (Python's dict literals). */
    private static final class PythonJinjava extends Jinjava {
        private final jinjava.javax.el.ExpressionFactory factory;

        PythonJinjava(JinjavaConfig config) {
            super(config);
            java.util.Properties props = new java.util.Properties();
            props.setProperty(jinjava.de.odysseus.el.tree.TreeBuilder.class.getName(), PythonSyntax.class.getName());
            // parsed expressions are kept (keyed by their text; the trees hold no state), as Jinjava does by default
            props.setProperty("jinjava.javax.el.cacheSize", "5000");
            this.factory = new jinjava.de.odysseus.el.ExpressionFactoryImpl(props, new com.hubspot.jinjava.el.TruthyTypeConverter());
        }

        @Override
        public jinjava.javax.el.ExpressionFactory getExpressionFactory() {
            return factory;
        }
    }

    private static final String DISPATCH = "adapter.dispatch(";
    private static final String RELATION_CREATE = "api.Relation.create(";

    /**
     * Jinjava's grammar has no call of a call result, and passes Java methods' keyword arguments by position: rewrite
     * {@code adapter.dispatch(a)(b)} to {@code tributary_dispatch_call(tributary_dispatch(a), b)} and
     * {@code api.Relation.create(..)} to a function that reads keywords, inside Jinja expressions only.
     */
    static String rewriteCalls(String text) {
        if (!text.contains(DISPATCH) && !text.contains(RELATION_CREATE)) return text;
        return rewriteExpressions(text, e -> rewriteDispatch(e.replace(RELATION_CREATE, "tributary_relation_create(")));
    }

    private static String rewriteDispatch(String s) {
        int from = 0;
        int i;
        while ((i = s.indexOf(DISPATCH, from)) >= 0) {
            int open = i + DISPATCH.length() - 1;
            int close = matchingParen(s, open);
            if (close < 0) return s;
            int next = close + 1;
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) next++;
            String lookup = "tributary_dispatch(" + s.substring(open + 1, close) + ")";
            if (next < s.length() && s.charAt(next) == '(') {
                int close2 = matchingParen(s, next);
                if (close2 < 0) return s;
                String callArgs = s.substring(next + 1, close2);
                String call = "tributary_dispatch_call(" + lookup + (callArgs.isBlank() ? "" : ", " + callArgs) + ")";
                s = s.substring(0, i) + call + s.substring(close2 + 1);
            } else {
                s = s.substring(0, i) + lookup + s.substring(close + 1);
            }
            from = i + "tributary_dispatch".length();
        }
        return s;
    }

    /** The index of the parenthesis closing the one at open, skipping quoted strings; -1 when unbalanced. */
    private static int matchingParen(String s, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.hubspot.jinjava.interpret.OutputTooBigException) return TOO_LARGE;
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    public Dialect dialect() {
        return dialect;
    }

    /** A block tag whose content renders to nothing, such as {@code {% docs %}} (docs are read from the text). */
    static final class SilentBlockTag implements Tag {
        private final String name;
        private final String end;

        SilentBlockTag(String name, String end) {
            this.name = name;
            this.end = end;
        }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            return "";
        }

        @Override
        public String getEndTagName() {
            return end;
        }

        @Override
        public String getName() {
            return name;
        }
    }
}
