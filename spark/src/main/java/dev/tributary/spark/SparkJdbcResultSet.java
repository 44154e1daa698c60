package dev.tributary.spark;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The collected rows of a Spark query as a forward-only {@link ResultSet}. Values are plain Java: numbers,
 * {@code String}, {@code Boolean}, {@code BigDecimal}, {@code java.sql.Date} / {@code LocalDateTime} /
 * {@code java.sql.Timestamp}, lists and maps for arrays and maps, text for structs.
 */
final class SparkJdbcResultSet extends JdbcHandler {
    private final StructType schema;
    private final List<Row> rows;
    private int position = -1;
    private boolean wasNull;

    private SparkJdbcResultSet(StructType schema, List<Row> rows) {
        this.schema = schema;
        this.rows = rows;
    }

    static ResultSet of(StructType schema, List<Row> rows) {
        return (ResultSet) Proxy.newProxyInstance(SparkJdbcResultSet.class.getClassLoader(), new Class<?>[] {ResultSet.class},
                new SparkJdbcResultSet(schema, rows));
    }

    @Override
    String describe() {
        return "Spark result set (" + rows.size() + " rows)";
    }

    @Override
    Object call(Object proxy, Method method, String name, Object[] args) throws Throwable {
        if (name.startsWith("get") && args != null && args.length >= 1 && (args[0] instanceof Integer || args[0] instanceof String)) {
            if (!name.equals("getObject") || args.length == 1) return get(name, column(args[0]));
        }
        return switch (name) {
            case "next" -> ++position < rows.size();
            case "wasNull" -> wasNull;
            case "getMetaData" -> metaData();
            case "findColumn" -> column(args[0]);
            case "isBeforeFirst" -> position < 0 && !rows.isEmpty();
            case "isAfterLast" -> position >= rows.size() && !rows.isEmpty();
            case "getRow" -> position >= 0 && position < rows.size() ? position + 1 : 0;
            case "getType" -> ResultSet.TYPE_FORWARD_ONLY;
            case "getConcurrency" -> ResultSet.CONCUR_READ_ONLY;
            case "getWarnings" -> null;
            case "clearWarnings", "setFetchSize" -> null;
            case "unwrap" -> throw new SQLException("not a wrapper for " + args[0]);
            case "isWrapperFor" -> false;
            default -> throw new SQLFeatureNotSupportedException("Spark result set: " + name + " is not supported");
        };
    }

    private int column(Object nameOrIndex) throws SQLException {
        if (nameOrIndex instanceof Integer i) {
            if (i < 1 || i > schema.fields().length) throw new SQLException("no column " + i + " (of " + schema.fields().length + ")");
            return i;
        }
        String wanted = (String) nameOrIndex;
        StructField[] fields = schema.fields();
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].name().equalsIgnoreCase(wanted)) return i + 1;
        }
        throw new SQLException("no column named " + wanted);
    }

    private Object get(String getter, int column) throws SQLException {
        if (position < 0 || position >= rows.size()) throw new SQLException("no current row");
        Row row = rows.get(position);
        Object v = SparkValues.toJava(row.get(column - 1));
        wasNull = v == null;
        return switch (getter) {
            case "getObject" -> v;
            case "getString", "getNString" -> v == null ? null : SparkValues.text(v);
            case "getInt" -> v == null ? 0 : ((Number) v).intValue();
            case "getLong" -> v == null ? 0L : ((Number) v).longValue();
            case "getShort" -> v == null ? (short) 0 : ((Number) v).shortValue();
            case "getByte" -> v == null ? (byte) 0 : ((Number) v).byteValue();
            case "getDouble" -> v == null ? 0d : ((Number) v).doubleValue();
            case "getFloat" -> v == null ? 0f : ((Number) v).floatValue();
            case "getBoolean" -> v != null && (v instanceof Boolean b ? b : ((Number) v).intValue() != 0);
            case "getBigDecimal" -> v == null ? null : v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
            case "getBytes" -> v == null ? null : v instanceof byte[] b ? b : v.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            case "getTimestamp" -> v == null ? null : v instanceof java.time.LocalDateTime t ? java.sql.Timestamp.valueOf(t)
                    : v instanceof java.time.Instant i ? java.sql.Timestamp.from(i) : (java.sql.Timestamp) v;
            case "getDate" -> v == null ? null : v instanceof java.time.LocalDate d ? java.sql.Date.valueOf(d) : (java.sql.Date) v;
            default -> throw new SQLFeatureNotSupportedException("Spark result set: " + getter + " is not supported");
        };
    }

    private ResultSetMetaData metaData() {
        StructField[] fields = schema.fields();
        return (ResultSetMetaData) Proxy.newProxyInstance(SparkJdbcResultSet.class.getClassLoader(), new Class<?>[] {ResultSetMetaData.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getColumnCount" -> fields.length;
                    case "getColumnName", "getColumnLabel" -> fields[(Integer) a[0] - 1].name();
                    case "getColumnTypeName" -> fields[(Integer) a[0] - 1].dataType().sql();
                    case "getColumnType" -> jdbcType(fields[(Integer) a[0] - 1].dataType());
                    case "isNullable" -> fields[(Integer) a[0] - 1].nullable() ? ResultSetMetaData.columnNullable : ResultSetMetaData.columnNoNulls;
                    case "getPrecision" -> fields[(Integer) a[0] - 1].dataType() instanceof DecimalType d ? d.precision() : 0;
                    case "getScale" -> fields[(Integer) a[0] - 1].dataType() instanceof DecimalType d ? d.scale() : 0;
                    case "getSchemaName", "getTableName", "getCatalogName" -> "";
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    case "toString" -> "SparkResultSetMetaData" + schema.simpleString();
                    default -> throw new SQLFeatureNotSupportedException("Spark result set metadata: " + m.getName() + " is not supported");
                });
    }

    static int jdbcType(DataType t) {
        Map<DataType, Integer> simple = new LinkedHashMap<>();
        simple.put(DataTypes.BooleanType, Types.BOOLEAN);
        simple.put(DataTypes.ByteType, Types.TINYINT);
        simple.put(DataTypes.ShortType, Types.SMALLINT);
        simple.put(DataTypes.IntegerType, Types.INTEGER);
        simple.put(DataTypes.LongType, Types.BIGINT);
        simple.put(DataTypes.FloatType, Types.REAL);
        simple.put(DataTypes.DoubleType, Types.DOUBLE);
        simple.put(DataTypes.StringType, Types.VARCHAR);
        simple.put(DataTypes.DateType, Types.DATE);
        simple.put(DataTypes.TimestampType, Types.TIMESTAMP_WITH_TIMEZONE);
        simple.put(DataTypes.TimestampNTZType, Types.TIMESTAMP);
        simple.put(DataTypes.BinaryType, Types.VARBINARY);
        simple.put(DataTypes.NullType, Types.NULL);
        Integer type = simple.get(t);
        if (type != null) return type;
        if (t instanceof DecimalType) return Types.DECIMAL;
        String name = t.typeName().toLowerCase(Locale.ROOT);
        return name.startsWith("array") ? Types.ARRAY : name.startsWith("string") || name.startsWith("varchar") ? Types.VARCHAR : Types.OTHER;
    }

    static List<Object> values(Row row) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) out.add(SparkValues.toJava(row.get(i)));
        return out;
    }
}
