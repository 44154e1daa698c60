package dev.tributary.transform.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.util.ForLoop;
import com.hubspot.jinjava.util.ObjectIterator;

/** Jinja's filters that print values, with Python's {@code str()} of them (see {@link PyRepr}) instead of Java's. */
final class PyFilters {
    private PyFilters() {}

    /** {@code x | string}: {@code True}, {@code None}, {@code [1, 'a']}. */
    static final class StringFilter implements Filter {
        @Override
        public String getName() {
            return "string";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return PyRepr.str(var);
        }
    }

    /** {@code xs | join(sep, attribute=None)}: each item (or its attribute) as Python's {@code str()}. */
    static final class JoinFilter implements Filter {
        @Override
        public String getName() {
            return "join";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            String separator = args.length > 0 && args[0] != null ? args[0] : "";
            String attribute = args.length > 1 ? args[1] : null;
            StringBuilder out = new StringBuilder();
            ForLoop loop = ObjectIterator.getLoop(var);
            boolean first = true;
            while (loop.hasNext()) {
                Object item = loop.next();
                if (attribute != null) item = interpreter.resolveProperty(item, attribute);
                if (!first) out.append(separator);
                first = false;
                out.append(PyRepr.str(item));
            }
            return out.toString();
        }
    }
}
