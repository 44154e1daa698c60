package dev.tributary.spark;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.SQLException;

/**
 * What the connection, statement and result set proxies share: {@code close}, {@code isClosed}, identity
 * {@code equals} / {@code hashCode}, {@code toString}, and refusing any other call once closed.
 */
abstract class JdbcHandler implements InvocationHandler {
    private boolean closed;

    /** What the object is, for its {@code toString}. */
    abstract String describe();

    /** Any other call, on an open object. */
    abstract Object call(Object proxy, Method method, String name, Object[] args) throws Throwable;

    @Override
    public final Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        return switch (name) {
            case "close" -> {
                closed = true;
                yield null;
            }
            case "isClosed" -> closed;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> describe();
            default -> {
                if (closed) throw new SQLException(describe() + " is closed");
                yield call(proxy, method, name, args);
            }
        };
    }
}
