package dev.tributary.spi;

import static java.util.Objects.requireNonNull;

/** A column of a stream, named as the source names it (destinations normalise names themselves). */
public record Field(String name, DataType type, boolean nullable) {
    public Field {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }

    public static Field of(String name, DataType type) {
        return new Field(name, type, true);
    }

    public Field withType(DataType newType) {
        return new Field(name, newType, nullable);
    }
}
