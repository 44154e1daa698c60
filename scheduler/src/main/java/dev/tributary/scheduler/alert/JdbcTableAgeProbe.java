package dev.tributary.scheduler.alert;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads {@code select max("column") from "schema"."table"} over JDBC. Identifiers are quoted as written, so names
 * match exactly (lower case in PostgreSQL and DuckDB). Timestamps without a time zone are taken as UTC, which is
 * how Tributary writes {@code _tributary_extracted_at}. Each check takes a connection from the supplier and
 * closes it.
 */
public final class JdbcTableAgeProbe implements TableAgeProbe {
    private final Supplier<Connection> connections;

    public JdbcTableAgeProbe(Supplier<Connection> connections) {
        this.connections = requireNonNull(connections, "connections is null");
    }

    @Override
    public Optional<Instant> newest(String table, String column) {
        requireNonNull(table, "table is null");
        requireNonNull(column, "column is null");
        String sql = "select max(" + quote(column) + ") from " + qualified(table);
        try (Connection c = requireNonNull(connections.get(), "the connection supplier returned null");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) return Optional.empty();
            return read(rs);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the newest " + column + " of " + table + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Instant> read(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int type = meta.getColumnType(1);
        String typeName = String.valueOf(meta.getColumnTypeName(1)).toLowerCase(Locale.ROOT);
        // PostgreSQL reports timestamptz as Types.TIMESTAMP; its type name tells the truth.
        boolean withZone = type == Types.TIMESTAMP_WITH_TIMEZONE || typeName.contains("tz") || typeName.contains("time zone");
        if (withZone) {
            OffsetDateTime v = rs.getObject(1, OffsetDateTime.class);
            return Optional.ofNullable(v).map(OffsetDateTime::toInstant);
        }
        if (type == Types.TIMESTAMP) {
            LocalDateTime v = rs.getObject(1, LocalDateTime.class);
            return Optional.ofNullable(v).map(t -> t.toInstant(ZoneOffset.UTC));
        }
        if (type == Types.DATE) {
            LocalDate v = rs.getObject(1, LocalDate.class);
            return Optional.ofNullable(v).map(d -> d.atStartOfDay().toInstant(ZoneOffset.UTC));
        }
        Object v = rs.getObject(1);
        if (v == null) return Optional.empty();
        if (v instanceof OffsetDateTime o) return Optional.of(o.toInstant());
        if (v instanceof LocalDateTime l) return Optional.of(l.toInstant(ZoneOffset.UTC));
        if (v instanceof Instant i) return Optional.of(i);
        if (v instanceof java.util.Date d) return Optional.of(d.toInstant());
        String text = v.toString().strip();
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException notOffset) {
            try {
                return Optional.of(LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                throw new SQLException("the newest value '" + text + "' is not a timestamp (type " + typeName + ")");
            }
        }
    }

    /** {@code schema.table} as {@code "schema"."table"}. */
    static String qualified(String table) {
        List<String> parts = new ArrayList<>();
        for (String part : table.split("\\.", -1)) {
            if (part.isBlank()) throw new IllegalArgumentException("invalid table name '" + table + "'");
            parts.add(quote(part.strip()));
        }
        return String.join(".", parts);
    }

    static String quote(String identifier) {
        if (identifier.isBlank()) throw new IllegalArgumentException("empty identifier");
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
