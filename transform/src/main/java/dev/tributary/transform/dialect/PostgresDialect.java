package dev.tributary.transform.dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** PostgreSQL: transactional DDL, regex with {@code ~}. */
public final class PostgresDialect extends Dialect {
    @Override
    public String type() {
        return "postgres";
    }

    /**
     * The columns with their sizes in the type, as dbt-postgres gives {@code data_type}: information_schema reports
     * {@code character varying} and {@code numeric} apart from their length and precision, so a varchar(3) read as
     * {@code character varying} had no {@code char_size}, and a cast to it (union_relations) lost nothing visible.
     */
    @Override
    public List<Column> columns(Connection c, String schema, String name) throws SQLException {
        String sql = "select column_name, data_type, character_maximum_length, numeric_precision, numeric_scale"
                + " from information_schema.columns where table_schema = ? and table_name = ? order by ordinal_position";
        List<Column> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    Object length = rs.getObject(3);
                    Object precision = rs.getObject(4);
                    Object scale = rs.getObject(5);
                    if ((type.equals("character varying") || type.equals("character")) && length != null) type = type + "(" + length + ")";
                    else if (type.equals("numeric") && precision != null) type = "numeric(" + precision + "," + (scale == null ? 0 : scale) + ")";
                    out.add(new Column(rs.getString(1), type));
                }
            }
        }
        return out;
    }

    @Override
    public String seedType(String inferred) {
        return switch (inferred) {
            case "integer" -> "bigint";
            case "decimal" -> "numeric";
            case "boolean" -> "boolean";
            case "date" -> "date";
            case "timestamp" -> "timestamp";
            default -> "text";
        };
    }

    @Override
    public String regexMatches(String expression, String pattern) {
        return "(" + expression + " ~ " + literal("^(?:" + pattern + ")$") + ")";
    }

    @Override
    public String castText(String expression) {
        return "cast(" + expression + " as text)";
    }

    @Override
    public String currentTimestamp() {
        return "localtimestamp";
    }
}
