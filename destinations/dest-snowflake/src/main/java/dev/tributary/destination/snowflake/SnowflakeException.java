package dev.tributary.destination.snowflake;

/** A Snowflake failure, naming the database and what was being done (never a secret). */
public final class SnowflakeException extends RuntimeException {
    SnowflakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
