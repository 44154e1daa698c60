package dev.tributary.transform;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.transform.dialect.Dialect;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Measures data-quality checks and keeps their history in {@code <schema>_tributary.check_results}. */
final class CheckRunner {
    static final Set<String> KINDS = Set.of("row_count", "missing_count", "missing_percent", "duplicate_count", "invalid_count", "invalid_percent", "min", "max",
            "negative_count", "freshness");
    static final Map<String, String> FORMATS = Map.of(
            "email", "[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}",
            "uuid", "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            "date", "[0-9]{4}-[0-9]{2}-[0-9]{2}",
            "phone", "\\+?[0-9][0-9 ().-]{5,20}[0-9]");
    private static final int SAMPLES = 5;

    record Measured(NodeStatus status, double value, String message, List<Map<String, Object>> samples) {}

    private final Dialect dialect;

    CheckRunner(Dialect dialect) {
        this.dialect = dialect;
    }

    Measured run(CheckSpec spec, String relation, Connection c) throws SQLException {
        String from = spec.where() == null ? relation : "(select * from " + relation + " where " + spec.where() + ") __dq";
        String col = spec.columns().isEmpty() ? null : spec.columns().get(0);
        double value;
        String failing = null; // a predicate selecting failing rows, for samples
        String sampleSql = null;
        switch (spec.kind()) {
            case "row_count" -> value = number(c, "select count(*) from " + from);
            case "missing_count", "missing_percent" -> {
                failing = missingPredicate(col, spec.params());
                value = measureCount(c, from, failing, spec.kind().endsWith("percent"));
            }
            case "invalid_count", "invalid_percent" -> {
                failing = col + " is not null and not (" + validPredicate(col, spec.params()) + ")";
                value = measureCount(c, from, failing, spec.kind().endsWith("percent"));
            }
            case "negative_count" -> {
                failing = col + " < 0";
                value = measureCount(c, from, failing, false);
            }
            case "duplicate_count" -> {
                String keys = String.join(", ", spec.columns());
                value = number(c, "select coalesce(sum(n - 1), 0) from (select count(*) as n from " + from + " group by " + keys + " having count(*) > 1) __dups");
                sampleSql = "select " + keys + ", count(*) as duplicate_rows from " + from + " group by " + keys + " having count(*) > 1 order by count(*) desc limit " + SAMPLES;
            }
            case "min" -> value = number(c, "select min(" + col + ") from " + from);
            case "max" -> value = number(c, "select max(" + col + ") from " + from);
            case "freshness" -> value = ageSeconds(c, "select max(" + col + ") from " + from);
            default -> throw new IllegalStateException("unknown check " + spec.kind());
        }
        NodeStatus status = NodeStatus.PASS;
        String message = "value " + format(value);
        if (spec.fail() != null && spec.fail().matches(value)) {
            status = NodeStatus.FAIL;
            message += ", fails when " + spec.fail().text();
        } else if (spec.warn() != null && spec.warn().matches(value)) {
            status = NodeStatus.WARN;
            message += ", warns when " + spec.warn().text();
        }
        List<Map<String, Object>> samples = List.of();
        if (status != NodeStatus.PASS) {
            if (sampleSql == null && failing != null) sampleSql = "select * from " + from + " where " + failing + " limit " + SAMPLES;
            if (sampleSql == null && col != null && (spec.kind().equals("min") || spec.kind().equals("max"))) {
                sampleSql = "select * from " + from + " order by " + col + (spec.kind().equals("min") ? " asc" : " desc") + " limit " + SAMPLES;
            }
            if (sampleSql != null) samples = rows(c, sampleSql);
        }
        return new Measured(status, value, message, samples);
    }

    private String missingPredicate(String col, Map<String, Object> params) {
        StringBuilder p = new StringBuilder(col + " is null");
        for (String v : Node.stringList(params.get("missing_values"))) p.append(" or ").append(dialect.castText(col)).append(" = ").append(dialect.literal(v));
        return "(" + p + ")";
    }

    private String validPredicate(String col, Map<String, Object> params) {
        if (params.get("values") != null) {
            List<String> lits = new ArrayList<>();
            for (String v : Node.stringList(params.get("values"))) lits.add(dialect.literal(v));
            return dialect.castText(col) + " in (" + String.join(", ", lits) + ")";
        }
        String pattern = params.get("regex") != null ? String.valueOf(params.get("regex")) : FORMATS.get(String.valueOf(params.get("format")));
        return dialect.regexMatches(dialect.castText(col), pattern);
    }

    private static double measureCount(Connection c, String from, String predicate, boolean percent) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*), sum(case when " + predicate + " then 1 else 0 end) from " + from)) {
            rs.next();
            long total = rs.getLong(1);
            long bad = rs.getLong(2);
            return percent ? (total == 0 ? 0 : 100.0 * bad / total) : bad;
        }
    }

    private static double number(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            Object v = rs.getObject(1);
            if (v == null) return 0;
            if (v instanceof Number num) return num.doubleValue();
            return new BigDecimal(String.valueOf(v)).doubleValue();
        }
    }

    private static double ageSeconds(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            Instant latest = instant(rs.getObject(1));
            if (latest == null) return Double.POSITIVE_INFINITY;
            return (System.currentTimeMillis() - latest.toEpochMilli()) / 1000.0;
        }
    }

    static Instant instant(Object v) {
        if (v == null) return null;
        if (v instanceof Timestamp t) return t.toInstant();
        if (v instanceof LocalDateTime l) return l.atZone(ZoneId.systemDefault()).toInstant();
        if (v instanceof OffsetDateTime o) return o.toInstant();
        if (v instanceof java.sql.Date d) return d.toLocalDate().atStartOfDay(ZoneId.systemDefault()).toInstant();
        if (v instanceof LocalDate d) return d.atStartOfDay(ZoneId.systemDefault()).toInstant();
        return Timestamp.valueOf(String.valueOf(v)).toInstant();
    }

    private static List<Map<String, Object>> rows(Connection c, String sql) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next() && out.size() < SAMPLES) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.put(md.getColumnLabel(i), v == null || v instanceof Number || v instanceof Boolean ? v : String.valueOf(v));
                }
                out.add(row);
            }
        }
        return out;
    }

    static String format(double v) {
        if (Double.isInfinite(v)) return "none";
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(java.util.Locale.ROOT, "%.4f", v);
    }

    /** Appends the run's check results to {@code <schema>_tributary.check_results}, creating it on first use. */
    void store(Connection c, String schema, String runId, Instant runAt, List<NodeResult> results) throws SQLException {
        dialect.createSchema(c, schema);
        String table = dialect.relation(schema, "check_results");
        SqlRunner.execute(c, "create table if not exists " + table + " (run_id " + dialect.varcharType(64) + ", run_at " + dialect.timestampType()
                + ", check_name " + dialect.varcharType(500) + ", check_type " + dialect.varcharType(50) + ", table_name " + dialect.varcharType(500)
                + ", column_name " + dialect.varcharType(500) + ", status " + dialect.varcharType(10) + ", measured_value " + dialect.doubleType() + ","
                + " warn_threshold " + dialect.varcharType(100) + ", fail_threshold " + dialect.varcharType(100) + ", samples " + dialect.textType() + ", message " + dialect.textType() + ")");
        ObjectMapper json = new ObjectMapper();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("insert into " + table + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (NodeResult r : results) {
                CheckOutcome o = r.check();
                if (o == null || r.resourceType() != ResourceType.CHECK) continue;
                ps.setString(1, runId);
                ps.setTimestamp(2, Timestamp.from(runAt));
                ps.setString(3, o.checkName());
                ps.setString(4, o.checkType());
                ps.setString(5, o.table());
                ps.setString(6, o.column());
                ps.setString(7, r.status().label());
                if (o.value() == null || o.value().isInfinite() || o.value().isNaN()) ps.setNull(8, java.sql.Types.DOUBLE);
                else ps.setDouble(8, o.value());
                ps.setString(9, o.warnThreshold());
                ps.setString(10, o.failThreshold());
                ps.setString(11, json.writeValueAsString(o.samples()));
                ps.setString(12, r.message());
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            c.rollback();
            throw new SQLException("cannot write samples as JSON: " + e.getMessage(), e);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
