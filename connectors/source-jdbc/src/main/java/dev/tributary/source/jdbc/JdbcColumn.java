package dev.tributary.source.jdbc;

import static java.util.Objects.requireNonNull;

import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;

/**
 * A column as the source reads it: its name, the server's type (for messages), how values are read and bound
 * ({@link ValueKind}, which fixes the engine type), the SQL that selects it (the quoted name, or a conversion
 * such as {@code array_to_json("tags") AS "tags"}) and the SQL that stands for a parameter compared with it
 * ({@code ?}, or {@code CAST(? AS uuid)} where a string parameter would not compare).
 */
record JdbcColumn(String name, String nativeType, boolean nullable, ValueKind kind, String selectExpression, String placeholder,
        boolean converted) {
    JdbcColumn {
        requireNonNull(name, "name is null");
        requireNonNull(nativeType, "nativeType is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(selectExpression, "selectExpression is null");
        requireNonNull(placeholder, "placeholder is null");
    }

    /** A column selected as itself, compared with a plain parameter. */
    static JdbcColumn plain(String name, String nativeType, boolean nullable, ValueKind kind, String quotedName) {
        return new JdbcColumn(name, nativeType, nullable, kind, quotedName, "?", false);
    }

    DataType type() {
        return kind.type();
    }

    Field field() {
        return new Field(name, kind.type(), nullable);
    }

    /**
     * True when rows can be ordered and positioned by this column: its values bind back as parameters and it is
     * selected as itself (a converted column would compare as something else than what was read).
     */
    boolean keyable() {
        return kind.bindable() && !converted;
    }

    JdbcColumn notNull() {
        return new JdbcColumn(name, nativeType, false, kind, selectExpression, placeholder, converted);
    }
}
