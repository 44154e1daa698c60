package dev.tributary.destination.postgres;

/** A PostgreSQL operation failed; the message says on which database and what was being done, never a password. */
public final class PostgresException extends RuntimeException {
    PostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
