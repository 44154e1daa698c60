package dev.tributary.server;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Logs a request the server answered 500: method, path (never the query string) and the exception with its causes and
 * stack, each message with the request's parameter values (query and form: an OAuth callback's code and state, a
 * login's password) replaced by {@code ***}. The page or JSON shown to the client is unchanged.
 */
final class ServerErrors {
    private static final System.Logger LOG = System.getLogger(TributaryServer.class.getName());
    /** Parameter values shorter than this are not secrets worth the noise of replacing them ("1", "yes"). */
    private static final int SHORTEST_SECRET = 4;

    private ServerErrors() {
    }

    static void log(Context ctx, Exception e) {
        List<String> values = parameterValues(ctx);
        Throwable shown = redacted(e, values, Collections.newSetFromMap(new IdentityHashMap<>()));
        LOG.log(System.Logger.Level.ERROR, ctx.method().name() + " " + ctx.path() + " answered 500: " + shown, shown);
    }

    private static List<String> parameterValues(Context ctx) {
        List<String> values = new ArrayList<>();
        ctx.queryParamMap().values().forEach(values::addAll);
        try {
            String type = ctx.contentType();
            if (type != null && type.startsWith("application/x-www-form-urlencoded")) ctx.formParamMap().values().forEach(values::addAll);
        } catch (RuntimeException unreadable) {
            // a body that cannot be read as a form has no form values to hide
        }
        values.removeIf(v -> v == null || v.length() < SHORTEST_SECRET);
        values.sort(Comparator.comparingInt(String::length).reversed()); // a value inside a longer one is replaced with it
        return values;
    }

    static String scrub(String message, List<String> secrets) {
        if (message == null) return null;
        String out = message;
        for (String s : secrets) out = out.replace(s, "***");
        return out;
    }

    /** A copy of {@code e} and its causes (same classes named, same stacks) whose messages hide {@code secrets}. */
    static Throwable redacted(Throwable e, List<String> secrets, Set<Throwable> seen) {
        if (e == null || !seen.add(e)) return null; // a cause chain that loops back ends there
        Throwable cause = e.getCause() == e ? null : redacted(e.getCause(), secrets, seen);
        Redacted copy = new Redacted(e.getClass().getName(), scrub(e.getMessage(), secrets), cause);
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    /** Prints as the original exception would (its class name and message), with the message redacted. */
    private static final class Redacted extends RuntimeException {
        private final String className;

        Redacted(String className, String message, Throwable cause) {
            super(message, cause, false, true);
            this.className = className;
        }

        @Override
        public String toString() {
            return getMessage() == null ? className : className + ": " + getMessage();
        }
    }
}
