package dev.tributary.destination.duckdb;

import dev.tributary.spi.DataType;
import java.util.Locale;

/** How engine types are stored in DuckDB, and which engine type a DuckDB column holds. */
final class DuckDbTypes {
    private DuckDbTypes() {}

    static String sqlType(DataType type) {
        return switch (type) {
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "BIGINT";
            case DECIMAL -> "DECIMAL(38,9)";
            case NUMBER -> "DOUBLE";
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMP_TZ -> "TIMESTAMPTZ";
            case TEXT -> "VARCHAR";
            case JSON -> "JSON";
        };
    }

    /** The engine type of a column as {@code duckdb_columns().data_type} names it; TEXT for anything unfamiliar. */
    static DataType dataType(String duckDbType) {
        String t = duckDbType.trim().toUpperCase(Locale.ROOT);
        if (t.startsWith("DECIMAL") || t.startsWith("NUMERIC")) return DataType.DECIMAL;
        if (t.startsWith("TIMESTAMP WITH TIME ZONE") || t.equals("TIMESTAMPTZ")) return DataType.TIMESTAMP_TZ;
        if (t.startsWith("TIMESTAMP")) return DataType.TIMESTAMP; // also TIMESTAMP_S, _MS, _NS
        return switch (t) {
            case "BOOLEAN" -> DataType.BOOLEAN;
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER" -> DataType.INTEGER;
            case "HUGEINT", "UBIGINT", "UHUGEINT" -> DataType.DECIMAL;
            case "FLOAT", "DOUBLE", "REAL" -> DataType.NUMBER;
            case "DATE" -> DataType.DATE;
            case "JSON" -> DataType.JSON;
            default -> DataType.TEXT;
        };
    }
}
