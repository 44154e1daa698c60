package dev.tributary.destination.duckdb;

/** A DuckDB operation failed; the message says on which database and what was being done. */
public final class DuckDbException extends RuntimeException {
    DuckDbException(String message, Throwable cause) {
        super(message, cause);
    }
}
