package dev.tributary.destination.warehouse;

import static java.util.Objects.requireNonNull;

/**
 * A table as the kit addresses it: catalog (null where the warehouse has none in its names), schema and table, all
 * as stored. {@link SqlDialect#qualified} writes it in SQL.
 */
public record TableRef(String catalog, String schema, String table) {
    public TableRef {
        requireNonNull(schema, "schema is null");
        requireNonNull(table, "table is null");
    }

    /** Another table in the same schema. */
    public TableRef sibling(String name) {
        return new TableRef(catalog, schema, name);
    }

    /** The schema of this table. */
    public SchemaRef schemaRef() {
        return new SchemaRef(catalog, schema);
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
