package dev.tributary.destination.postgres;

import static java.util.Objects.requireNonNull;

import dev.tributary.spi.DataType;

/** A data column of a target table: the name the source gave it, its normalised column name, and its type. */
record Column(String sourceName, String name, DataType type) {
    Column {
        requireNonNull(sourceName, "sourceName is null");
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }

    Column withType(DataType newType) {
        return new Column(sourceName, name, newType);
    }

    String quoted() {
        return Identifiers.quote(name);
    }
}
