package dev.tributary.destination.warehouse;

import static java.util.Objects.requireNonNull;

import dev.tributary.spi.DataType;

/**
 * A data column of a target table: the name the source gave it, its normalised column name, its type, and its type
 * as the warehouse names it (null for a column not yet in the database).
 */
public record Column(String sourceName, String name, DataType type, String nativeType) {
    public Column {
        requireNonNull(sourceName, "sourceName is null");
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }

    public Column(String sourceName, String name, DataType type) {
        this(sourceName, name, type, null);
    }

    public Column withType(DataType newType) {
        return new Column(sourceName, name, newType, null);
    }
}
