package dev.tributary.lakehouse.duckdb;

/**
 * An Iceberg table uses something the DuckDB reading cannot reproduce exactly (a v3 deletion vector, an unknown
 * partition transform, a nested or new type, files on S3 without DuckDB's httpfs...). The message names the table.
 */
public final class UnreadableTableException extends RuntimeException {
    private final String table;

    public UnreadableTableException(String table, String problem) {
        super("lakehouse table " + table + " cannot be read from DuckDB: " + problem);
        this.table = table;
    }

    /** The table, as {@code namespace.table}. */
    public String table() {
        return table;
    }
}
