package dev.tributary.source.jdbc;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A table or view as the server's catalog describes it: columns in their order, and the primary key if any. */
record CatalogTable(String schema, String name, String kind, List<JdbcColumn> columns, List<String> primaryKey) {
    CatalogTable {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        primaryKey = List.copyOf(requireNonNull(primaryKey, "primaryKey is null"));
    }

    String qualifiedName() {
        return schema + "." + name;
    }
}
