package dev.tributary.sandbox.snowflake;

import static java.util.Objects.requireNonNull;

/**
 * An error the simulator answers in Snowflake's shape ({@code code}, {@code data.sqlState}, {@code message}), which the
 * driver raises as a SQLException with that vendor code and SQL state.
 */
final class SnowflakeError extends RuntimeException {
    private final String code;
    private final String sqlState;

    SnowflakeError(String code, String sqlState, String message) {
        super(requireNonNull(message, "message is null"));
        this.code = requireNonNull(code, "code is null");
        this.sqlState = requireNonNull(sqlState, "sqlState is null");
    }

    String code() {
        return code;
    }

    String sqlState() {
        return sqlState;
    }

    /** 002003: an object that does not exist (or is not authorised), as Snowflake words it. */
    static SnowflakeError doesNotExist(String kind, String name) {
        return new SnowflakeError("002003", "02000", "SQL compilation error:\n" + kind + " '" + name + "' does not exist or not authorized.");
    }

    /** 001003: a statement that does not parse. */
    static SnowflakeError syntax(String detail) {
        return new SnowflakeError("001003", "42000", "SQL compilation error:\n" + detail);
    }
}
