package dev.tributary.destination.postgres;

import static java.util.Objects.requireNonNull;

import dev.tributary.destination.warehouse.TableRef;
import dev.tributary.spi.ConfiguredStream;

/** A table's schema and name, both as stored (normalised, at most 63 bytes). */
public record TableName(String schema, String table) {
    /** The schema of a stream whose target namespace is blank, before the schema prefix. */
    static final String DEFAULT_NAMESPACE = "public";

    public TableName {
        requireNonNull(schema, "schema is null");
        requireNonNull(table, "table is null");
    }

    /** Where a stream lands: the schema prefix and its target namespace ({@code public} when blank), and its target, normalised. */
    static TableName of(String schemaPrefix, ConfiguredStream stream) {
        return new TableName(schema(schemaPrefix, stream.targetNamespace()), Identifiers.normalise(stream.target()));
    }

    /**
     * The schema a namespace lands in: prefix and namespace written together, then normalised as a whole. PostgreSQL
     * keeps schema names starting with {@code pg_} for itself, so such a name gets a leading {@code _}.
     */
    static String schema(String schemaPrefix, String namespace) {
        String schema = Identifiers.normalise(schemaPrefix + (namespace.isBlank() ? DEFAULT_NAMESPACE : namespace));
        return schema.startsWith("pg_") ? Identifiers.fit("_" + schema) : schema;
    }

    /** Another table in the same schema. */
    TableName sibling(String name) {
        return new TableName(schema, name);
    }

    /** The same table as the warehouse kit addresses it (no catalog in names). */
    TableRef ref() {
        return new TableRef(null, schema, table);
    }

    /** The qualified, quoted name to use in SQL. */
    public String quoted() {
        return quotedSchema() + "." + Identifiers.quote(table);
    }

    String quotedSchema() {
        return Identifiers.quote(schema);
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
