package dev.tributary.transform;

import dev.tributary.spi.ConfigException;
import dev.tributary.transform.dialect.Dialect;
import dev.tributary.transform.dialect.Dialect.RelationKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Loads a CSV seed: infers column types (integer, decimal, boolean, date, timestamp, text) unless column_types says. */
final class SeedLoader {
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})?");
    private static final int ROWS_PER_INSERT = 500;

    private final Dialect dialect;
    private final boolean fullRefresh;
    /** Asked right before the seed's commit (see {@link TransformRunner#useCommitGate}). */
    private final java.util.function.BooleanSupplier gate;

    SeedLoader(Dialect dialect, boolean fullRefresh, java.util.function.BooleanSupplier gate) {
        this.gate = gate;
        this.dialect = dialect;
        this.fullRefresh = fullRefresh;
    }

    String load(Node n, Path file, Connection c) throws SQLException {
        List<List<String>> rows;
        try {
            rows = CsvReader.parse(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(n.path, "", "cannot read seed: " + e.getMessage());
        }
        if (rows.isEmpty()) throw new ConfigException(n.path, "", "seed file is empty (a header row is required)");
        List<String> header = rows.get(0);
        List<List<String>> data = rows.subList(1, rows.size());
        List<String> types = new ArrayList<>();
        Map<?, ?> overrides = n.config.get("column_types") instanceof Map<?, ?> m ? m : Map.of();
        for (int i = 0; i < header.size(); i++) {
            Object override = overrides.get(header.get(i));
            types.add(override != null ? String.valueOf(override) : dialect.seedType(infer(data, i)));
        }
        String table = dialect.relation(n.schema, n.identifier);
        Optional<RelationKind> existing = dialect.relationKind(c, n.schema, n.identifier);
        boolean sameColumns = existing.isPresent() && sameColumns(c, n, header);
        StringBuilder create = new StringBuilder("create table " + table + " (");
        for (int i = 0; i < header.size(); i++) {
            if (i > 0) create.append(", ");
            create.append(dialect.quote(header.get(i))).append(' ').append(types.get(i));
        }
        create.append(")");
        c.setAutoCommit(false);
        try {
            if (existing.isPresent() && (fullRefresh || !sameColumns || existing.get() == RelationKind.VIEW)) {
                SqlRunner.execute(c, dialect.dropRelation(existing.get(), n.schema, n.identifier));
                SqlRunner.execute(c, create.toString());
            } else if (existing.isPresent()) {
                SqlRunner.execute(c, "delete from " + table);
            } else {
                SqlRunner.execute(c, create.toString());
            }
            insert(c, table, header, types, data);
            SqlRunner.requireGate(gate);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        return "INSERT " + data.size();
    }

    private boolean sameColumns(Connection c, Node n, List<String> header) throws SQLException {
        List<Dialect.Column> cols = dialect.columns(c, n.schema, n.identifier);
        if (cols.size() != header.size()) return false;
        for (int i = 0; i < cols.size(); i++) {
            if (!cols.get(i).name().equalsIgnoreCase(header.get(i))) return false;
        }
        return true;
    }

    private void insert(Connection c, String table, List<String> header, List<String> types, List<List<String>> data) throws SQLException {
        StringBuilder row = new StringBuilder("(");
        for (int i = 0; i < header.size(); i++) {
            if (i > 0) row.append(", ");
            row.append("cast(? as ").append(types.get(i)).append(")");
        }
        row.append(")");
        for (int start = 0; start < data.size(); start += ROWS_PER_INSERT) {
            List<List<String>> chunk = data.subList(start, Math.min(data.size(), start + ROWS_PER_INSERT));
            StringBuilder sql = new StringBuilder("insert into " + table + " values ");
            for (int r = 0; r < chunk.size(); r++) sql.append(r == 0 ? "" : ", ").append(row);
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (List<String> values : chunk) {
                    for (int i = 0; i < header.size(); i++) {
                        String v = i < values.size() ? values.get(i) : null;
                        ps.setString(p++, v == null || v.isEmpty() ? null : v);
                    }
                }
                ps.executeUpdate();
            }
        }
    }

    static String infer(List<List<String>> data, int col) {
        boolean allInt = true, allDec = true, allBool = true, allDate = true, allTs = true, any = false;
        for (List<String> row : data) {
            String v = col < row.size() ? row.get(col) : null;
            if (v == null || v.isEmpty()) continue;
            any = true;
            String t = v.trim();
            if (allInt && !INTEGER.matcher(t).matches()) allInt = false;
            if (allDec && !DECIMAL.matcher(t).matches()) allDec = false;
            if (allBool && !(t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false"))) allBool = false;
            if (allDate && !DATE.matcher(t).matches()) allDate = false;
            if (allTs && !TIMESTAMP.matcher(t).matches()) allTs = false;
        }
        if (!any) return "text";
        if (allInt) return "integer";
        if (allDec) return "decimal";
        if (allBool) return "boolean";
        if (allDate) return "date";
        if (allTs) return "timestamp";
        return "text";
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
