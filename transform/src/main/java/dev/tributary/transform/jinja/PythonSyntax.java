package dev.tributary.transform.jinja;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.ext.AstDict;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.util.LinkedHashMap;
import java.util.Map;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.ast.AstIdentifier;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstNumber;
import jinjava.de.odysseus.el.tree.impl.ast.AstString;
import jinjava.javax.el.ELContext;

/**
 * Jinjava's expression syntax with Python's dict literals: a key may be any expression ({@code {col.column: col}},
 * {@code {key.lower(): v}}), and a bare name is its variable's value (Jinjava's own dicts accept only strings, names
 * and numbers as keys). A name no scope defines stays the name, as Jinjava had it. Named by class in
 * {@link JinjaEngine}'s expression factory, so it needs a public no-argument constructor.
 */
public final class PythonSyntax extends ExtendedSyntaxBuilder {
    public PythonSyntax() {
        super();
    }

    public PythonSyntax(jinjava.de.odysseus.el.tree.impl.Builder.Feature... features) {
        super(features);
    }

    @Override
    protected Parser createParser(String expression) {
        return new ExtendedParser(this, expression) {
            {
                putExtensionHandler(com.hubspot.jinjava.el.ext.StringConcatOperator.TOKEN, new Parser.ExtensionHandler(Parser.ExtensionPoint.ADD) {
                    @Override
                    public AstNode createAstNode(AstNode... children) {
                        return new jinjava.de.odysseus.el.tree.impl.ast.AstBinary(children[0], children[1], PyConcat.OP);
                    }
                });
            }

            /** Filters are evaluated as one chain (Jinjava's own option), so an unknown one is caught below. */
            @Override
            protected boolean shouldUseFilterChainOptimization() {
                return true;
            }

            /** A filter Jinjava does not know is an error naming it, as in Jinja (Jinjava gave none silently). */
            @Override
            protected com.hubspot.jinjava.el.ext.AstFilterChain createAstFilterChain(AstNode input, java.util.List<com.hubspot.jinjava.el.ext.FilterSpec> specs) {
                return new com.hubspot.jinjava.el.ext.AstFilterChain(input, specs) {
                    @Override
                    public Object eval(Bindings bindings, ELContext context) {
                        JinjavaInterpreter in = getInterpreter(context);
                        for (com.hubspot.jinjava.el.ext.FilterSpec spec : filterSpecs) {
                            if (in != null && in.getContext().getFilter(spec.getName()) == null) throw new TemplateException("no filter named '" + spec.getName() + "'");
                        }
                        return super.eval(bindings, context);
                    }
                };
            }

            /**
             * A name followed by a colon is just that name: Jinja has no namespaced functions, and Jinjava read
             * {@code name:f(...)} as one. Its {@code else} is a colon token too, so {@code a if name else f(x)}
             * (dbt-date's {@code tz if tz else var("dbt_date:time_zone")}) failed with "Could not resolve function
             * 'tz:var'", as did a dict literal {@code {key: f(x)}} with a variable key and a slice {@code xs[i:f(n)]}.
             */
            @Override
            protected AstNode nonliteral() throws jinjava.de.odysseus.el.tree.impl.Scanner.ScanException, jinjava.de.odysseus.el.tree.impl.Parser.ParseException {
                if (getToken().getSymbol() == jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.IDENTIFIER
                        && lookahead(0).getSymbol() == jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.COLON) {
                    return identifier(consumeToken().getImage());
                }
                return super.nonliteral();
            }

            @Override
            protected AstDict createAstDict(Map<AstNode, AstNode> dict) {
                return new PyDict(dict);
            }

            /**
             * Python's {@code not} binds looser than comparisons, membership and tests, tighter than {@code and}:
             * {@code not a == b} is {@code not (a == b)}, {@code not x in xs} is {@code not (x in xs)}. Jinjava parsed
             * a leading {@code not} as a unary operator on the next operand alone ({@code (not a) == b}).
             */
            @Override
            protected AstNode eq(boolean required) throws jinjava.de.odysseus.el.tree.impl.Scanner.ScanException, jinjava.de.odysseus.el.tree.impl.Parser.ParseException {
                if (getToken().getSymbol() == jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.NOT) {
                    consumeToken();
                    return createAstUnary(eq(true), jinjava.de.odysseus.el.tree.impl.ast.AstUnary.NOT);
                }
                return super.eq(required);
            }

            @Override
            protected jinjava.de.odysseus.el.tree.impl.ast.AstBinary createAstBinary(AstNode left, AstNode right, jinjava.de.odysseus.el.tree.impl.ast.AstBinary.Operator operator) {
                if (operator == com.hubspot.jinjava.el.ext.AdditionOperator.OP) operator = PyAddition.OP;
                else if (operator == jinjava.de.odysseus.el.tree.impl.ast.AstBinary.AND) operator = PyAnd.OP;
                else if (operator == jinjava.de.odysseus.el.tree.impl.ast.AstBinary.MUL) operator = PyMultiply.OP;
                else if (operator == jinjava.de.odysseus.el.tree.impl.ast.AstBinary.SUB) operator = PySubtraction.OP;
                return super.createAstBinary(left, right, operator);
            }
        };
    }

    /**
     * {@code a ~ b} with Python's {@code str()} of each side ({@code 'x' ~ true} is {@code xTrue}, {@code 'x' ~ none}
     * is {@code xNone}), where an undefined name or a dict's missing key adds nothing, as Jinja's undefined does.
     */
    static final class PyConcat extends com.hubspot.jinjava.el.ext.StringConcatOperator {
        static final PyConcat OP = new PyConcat();

        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            return super.apply(bindings, text(left, bindings, context), text(right, bindings, context));
        }

        private static String text(AstNode node, Bindings bindings, ELContext context) {
            Object v = node.eval(bindings, context);
            if (v != null) return PyRepr.str(v);
            return undefined(node, bindings, context) ? "" : "None";
        }

        /** Whether a node that gave none names something undefined: an unset name, or a key its dict lacks. */
        private static boolean undefined(AstNode node, Bindings bindings, ELContext context) {
            if (node instanceof AstIdentifier id) {
                return JinjavaInterpreter.getCurrent() instanceof StrictInterpreter in && in.undefinedName(id.getName());
            }
            if (node instanceof jinjava.de.odysseus.el.tree.impl.ast.AstDot || node instanceof jinjava.de.odysseus.el.tree.impl.ast.AstBracket) {
                AstNode prefix = ((jinjava.de.odysseus.el.tree.impl.ast.AstProperty) node).getChild(0);
                Object base = prefix.eval(bindings, context);
                if (base == null) return true;
                if (!(base instanceof Map<?, ?> map)) return false;
                Object key = node instanceof jinjava.de.odysseus.el.tree.impl.ast.AstBracket b ? b.getChild(1).eval(bindings, context)
                        : node.toString().replaceFirst("^\\.\\s*", "").strip();
                return !map.containsKey(key);
            }
            return false;
        }
    }

    /** Python's {@code a and b}: a when it is falsy, else b (Jinjava gave a boolean). */
    static final class PyAnd implements jinjava.de.odysseus.el.tree.impl.ast.AstBinary.Operator {
        static final PyAnd OP = new PyAnd();

        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            return Boolean.TRUE.equals(bindings.convert(a, Boolean.class)) ? right.eval(bindings, context) : a;
        }

        @Override
        public String toString() {
            return "&&";
        }
    }

    /** {@code *} with Python's repetition of a string or list by an integer ({@code '-' * 3}), else Jinjava's. */
    static final class PyMultiply extends jinjava.de.odysseus.el.tree.impl.ast.AstBinary.SimpleOperator {
        static final PyMultiply OP = new PyMultiply();

        @Override
        protected Object apply(jinjava.de.odysseus.el.misc.TypeConverter converter, Object a, Object b) {
            if (isInteger(b) && (a instanceof String || a instanceof java.util.List<?>)) return repeat(a, ((Number) b).intValue());
            if (isInteger(a) && (b instanceof String || b instanceof java.util.List<?>)) return repeat(b, ((Number) a).intValue());
            return jinjava.de.odysseus.el.misc.NumberOperations.mul(converter, a, b);
        }

        private static boolean isInteger(Object v) {
            return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof java.math.BigInteger;
        }

        private static Object repeat(Object v, int times) {
            if (v instanceof String s) {
                long size = (long) s.length() * Math.max(times, 0);
                if (size > JinjaEngine.MAX_RENDERED_CHARS) throw new TemplateException("a string repeated " + times + " times grows past " + JinjaEngine.MAX_RENDERED_CHARS + " characters");
                return s.repeat(Math.max(times, 0));
            }
            java.util.List<?> list = (java.util.List<?>) v;
            if ((long) list.size() * Math.max(times, 0) > JinjaEngine.MAX_RANGE) throw new TemplateException("a list repeated " + times + " times grows past " + JinjaEngine.MAX_RANGE + " items");
            java.util.List<Object> out = new java.util.ArrayList<>();
            for (int i = 0; i < times; i++) out.addAll(list);
            return out;
        }

        @Override
        public String toString() {
            return "*";
        }
    }

    /** {@code +} with Python's datetime + timedelta arithmetic, else Jinjava's. */
    static final class PyAddition extends com.hubspot.jinjava.el.ext.AdditionOperator {
        static final PyAddition OP = new PyAddition();

        @Override
        protected Object apply(jinjava.de.odysseus.el.misc.TypeConverter converter, Object a, Object b) {
            Object dated = PyDatetimeModule.arithmetic(a, b, false);
            return dated != null ? dated : super.apply(converter, a, b);
        }
    }

    /** {@code -} with Python's datetime - timedelta and datetime - datetime, else Jinjava's. */
    static final class PySubtraction extends jinjava.de.odysseus.el.tree.impl.ast.AstBinary.SimpleOperator {
        static final PySubtraction OP = new PySubtraction();

        @Override
        protected Object apply(jinjava.de.odysseus.el.misc.TypeConverter converter, Object a, Object b) {
            Object dated = PyDatetimeModule.arithmetic(a, b, true);
            return dated != null ? dated : jinjava.de.odysseus.el.misc.NumberOperations.sub(converter, a, b);
        }

        @Override
        public String toString() {
            return "-";
        }
    }

    static final class PyDict extends AstDict {
        PyDict(Map<AstNode, AstNode> dict) {
            super(dict);
        }

        @Override
        public Object eval(Bindings bindings, ELContext context) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<AstNode, AstNode> e : dict.entrySet()) {
                AstNode k = e.getKey();
                Object key;
                if (k instanceof AstString || k instanceof AstNumber) {
                    key = java.util.Objects.toString(k.eval(bindings, context));
                } else if (k instanceof AstIdentifier id) {
                    Object v = id.eval(bindings, context);
                    key = v == null ? id.getName() : v instanceof String || v instanceof Number ? v.toString() : v;
                } else {
                    Object v = k.eval(bindings, context);
                    key = v instanceof String || v instanceof Number || v == null ? java.util.Objects.toString(v, "None") : v;
                }
                out.put(key, e.getValue().eval(bindings, context));
            }
            JinjavaInterpreter in = (JinjavaInterpreter) context.getELResolver().getValue(context, null, "____int3rpr3t3r____");
            @SuppressWarnings({"unchecked", "rawtypes"})
            Map<String, Object> typed = (Map) out;
            return new com.hubspot.jinjava.objects.collections.SizeLimitingPyMap(typed, in == null ? Integer.MAX_VALUE : in.getConfig().getMaxMapSize());
        }
    }
}
