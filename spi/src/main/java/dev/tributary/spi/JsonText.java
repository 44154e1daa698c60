package dev.tributary.spi;

import static java.util.Objects.requireNonNull;

/**
 * A JSON value already written as JSON text, for {@link DataType#JSON} columns. Sources that read JSON pass
 * nested objects and arrays this way, so they are neither built as maps nor written out again.
 * The text must be valid JSON; sources take it from a parser that has just read it.
 */
public record JsonText(String json) {
    public JsonText {
        requireNonNull(json, "json is null");
    }

    @Override
    public String toString() {
        return json;
    }
}
