package dev.tributary.destination.warehouse;

import java.sql.Connection;
import java.sql.SQLException;

/** The kit's tables in a warehouse's metadata schema, and forgetting a namespace. */
public final class Bookkeeping {
    private Bookkeeping() {}

    /**
     * Drops {@code schema} with everything in it and forgets its column names and the connection's reconciliation
     * passes (state rows are the caller's: {@code resetState}). Runs on {@code c} as the caller's transaction has it.
     */
    public static void dropSchema(Connection c, SqlDialect dialect, SchemaRef metadata, SchemaRef schema, String connectionName) throws SQLException {
        dialect.lockName(c, schema.schema()); // as creating it does: no writer makes it again halfway through
        Sql.execute(c, "DROP SCHEMA IF EXISTS " + dialect.qualifiedSchema(schema) + " CASCADE");
        deleteWhere(c, dialect, metadata.table(TableCatalog.MAPPING_TABLE), "schema_name", schema.schema());
        deleteWhere(c, dialect, metadata.table(Reconciler.KEYS), "connection", connectionName);
        deleteWhere(c, dialect, metadata.table(Reconciler.PASSES), "connection", connectionName);
    }

    /** Deletes bookkeeping rows; a table never created (nothing of its kind written yet) is fine. */
    private static void deleteWhere(Connection c, SqlDialect dialect, TableRef table, String column, String value) throws SQLException {
        if (!dialect.tableExists(c, table)) return;
        Sql.update(c, "DELETE FROM " + dialect.qualified(table) + " WHERE " + dialect.quote(column) + " = ?", value);
    }
}
