package dev.tributary.destination.warehouse;

import static java.util.Objects.requireNonNull;

/** A schema as the kit addresses it: catalog (null where names have none) and schema, as stored. */
public record SchemaRef(String catalog, String schema) {
    public SchemaRef {
        requireNonNull(schema, "schema is null");
    }

    /** A table of this schema. */
    public TableRef table(String name) {
        return new TableRef(catalog, schema, name);
    }
}
