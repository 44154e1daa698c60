package dev.tributary.destination.snowflake;

import static java.util.Objects.requireNonNull;

import dev.tributary.spi.DataType;

/** A data column of a target: its Snowflake name, the source's name for it, and its engine type. */
record Column(String name, String sourceName, DataType type) {
    Column {
        requireNonNull(name, "name is null");
        requireNonNull(sourceName, "sourceName is null");
        requireNonNull(type, "type is null");
    }

    Column withType(DataType t) {
        return new Column(name, sourceName, t);
    }
}
