package dev.tributary.lakehouse.duckdb;

import java.util.Locale;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** The DuckDB type a column of an Iceberg type reads as; types without an exact DuckDB reading are refused. */
final class DuckDbTypes {
    private DuckDbTypes() {
    }

    static String of(Type type, String table, String column) {
        return switch (type.typeId()) {
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "INTEGER";
            case LONG -> "BIGINT";
            case FLOAT -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case DECIMAL -> {
                Types.DecimalType d = (Types.DecimalType) type;
                yield "DECIMAL(" + d.precision() + "," + d.scale() + ")";
            }
            case DATE -> "DATE";
            case TIME -> "TIME";
            case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC() ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
            case TIMESTAMP_NANO -> {
                if (((Types.TimestampNanoType) type).shouldAdjustToUTC()) throw refused(type, table, column);
                yield "TIMESTAMP_NS";
            }
            case STRING -> "VARCHAR";
            case UUID -> "UUID";
            case FIXED, BINARY -> "BLOB";
            default -> throw refused(type, table, column);
        };
    }

    private static UnreadableTableException refused(Type type, String table, String column) {
        return new UnreadableTableException(table, "column " + column + " has type " + type.toString().toLowerCase(Locale.ROOT)
                + ", which this reader does not map to DuckDB (supported: boolean, int, long, float, double, decimal, date, time, timestamp, timestamptz,"
                + " timestamp_ns, string, uuid, fixed, binary)");
    }
}
