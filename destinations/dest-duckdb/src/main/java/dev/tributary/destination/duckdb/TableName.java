package dev.tributary.destination.duckdb;

import static java.util.Objects.requireNonNull;

import dev.tributary.destination.warehouse.TableRef;
import dev.tributary.spi.ConfiguredStream;

/**
 * A table's catalog (the database, {@code current_database()}), schema and name, all as stored. Always used fully
 * qualified: DuckDB reads {@code "a"."b"} as catalog.table when a schema shares the database's name.
 */
public record TableName(String catalog, String schema, String table) {
    public TableName {
        requireNonNull(catalog, "catalog is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(table, "table is null");
    }

    /** Where a stream lands: its target namespace (or {@code main} when it has none) and its target, normalised. */
    static TableName of(String catalog, ConfiguredStream stream) {
        String schema = stream.targetNamespace().isBlank() ? "main" : Identifiers.normalise(stream.targetNamespace());
        return new TableName(catalog, schema, Identifiers.normalise(stream.target()));
    }

    /** Another table in the same schema. */
    TableName sibling(String name) {
        return new TableName(catalog, schema, name);
    }

    /** The same table as the warehouse kit addresses it. */
    TableRef ref() {
        return new TableRef(catalog, schema, table);
    }

    /** The fully qualified, quoted name to use in SQL. */
    public String quoted() {
        return quotedSchema() + "." + Identifiers.quote(table);
    }

    /** The catalog-qualified, quoted schema name. */
    String quotedSchema() {
        return Identifiers.quote(catalog) + "." + Identifiers.quote(schema);
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
