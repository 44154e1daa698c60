package dev.tributary.destination.postgres;

import dev.tributary.destination.warehouse.Column;
import dev.tributary.spi.DataType;
import java.util.Locale;

/** How engine types are stored in PostgreSQL, which engine type a column holds, and how a column widens. */
final class PostgresTypes {
    private PostgresTypes() {}

    static String sqlType(DataType type) {
        return switch (type) {
            case BOOLEAN -> "boolean";
            case INTEGER -> "bigint";
            case DECIMAL -> "numeric(38,9)";
            case NUMBER -> "double precision";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMP_TZ -> "timestamptz";
            case TEXT -> "text";
            case JSON -> "jsonb";
        };
    }

    /** How {@code format_type()} names {@link #sqlType}. */
    static String formatType(DataType type) {
        return switch (type) {
            case TIMESTAMP -> "timestamp without time zone";
            case TIMESTAMP_TZ -> "timestamp with time zone";
            default -> sqlType(type);
        };
    }

    /** The engine type of a column as {@code format_type()} names it; TEXT for anything unfamiliar (uuid, arrays...). */
    static DataType dataType(String formatType) {
        String t = formatType.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("numeric") || t.startsWith("decimal")) return DataType.DECIMAL;
        if (t.startsWith("timestamp") && t.endsWith("with time zone")) return DataType.TIMESTAMP_TZ;
        if (t.startsWith("timestamp")) return DataType.TIMESTAMP; // also timestamp(3) without time zone
        return switch (t) {
            case "boolean" -> DataType.BOOLEAN;
            case "smallint", "integer", "bigint" -> DataType.INTEGER;
            case "real", "double precision" -> DataType.NUMBER;
            case "date" -> DataType.DATE;
            case "json", "jsonb" -> DataType.JSON;
            default -> DataType.TEXT;
        };
    }

    /**
     * The USING expression that turns {@code column} of type {@code from} into {@code to}. Times without a zone are
     * UTC; json becomes its JSON text.
     */
    static String widening(String quotedColumn, DataType from, DataType to) {
        if (to == DataType.TIMESTAMP_TZ && (from == DataType.TIMESTAMP || from == DataType.DATE)) {
            return quotedColumn + "::timestamp AT TIME ZONE 'UTC'";
        }
        return quotedColumn + "::" + sqlType(to);
    }

    /** {@code ALTER COLUMN ... TYPE ... USING ...}, one action of an ALTER TABLE. */
    static String alterType(Column column, DataType from) {
        String quoted = Identifiers.quote(column.name());
        return "ALTER COLUMN " + quoted + " TYPE " + sqlType(column.type()) + " USING " + widening(quoted, from, column.type());
    }
}
