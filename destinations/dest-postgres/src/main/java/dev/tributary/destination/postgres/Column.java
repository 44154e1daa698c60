package dev.tributary.destination.postgres;

import static java.util.Objects.requireNonNull;

import dev.tributary.spi.DataType;

/**
 * A data column of a target table: the name the source gave it, its normalised column name, its type, and the type
 * PostgreSQL has for it as {@code format_type} names it (null for a column not yet in the database).
 */
record Column(String sourceName, String name, DataType type, String sqlType) {
    Column {
        requireNonNull(sourceName, "sourceName is null");
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }

    Column(String sourceName, String name, DataType type) {
        this(sourceName, name, type, null);
    }

    Column withType(DataType newType) {
        return new Column(sourceName, name, newType, null);
    }

    String quoted() {
        return Identifiers.quote(name);
    }
}
