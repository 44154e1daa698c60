package dev.tributary.transform;

import dev.tributary.transform.dialect.Dialect;
import dev.tributary.transform.dialect.Dialect.RelationKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** Runs a test's query, counts failing rows, applies severity / warn_if / error_if, stores failures if asked. */
final class TestExecutor {
    record Outcome(NodeStatus status, long failures, String message) {}

    private final Dialect dialect;

    TestExecutor(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The kinds of relation {@code store_failures_as} may name ({@code ephemeral}: not stored). */
    static final java.util.Set<String> STORE_FAILURES_AS = java.util.Set.of("table", "view", "ephemeral");

    Outcome run(Node n, String sql, Connection c) throws SQLException {
        String body = NodeCompiler.stripTrailingSemicolon(sql);
        Object limit = n.config.get("limit");
        String limited = limit == null ? body : "select * from (\n" + body + "\n) dbt_limit limit " + limit;
        // as dbt's get_test_sql: fail_calc over the (limited) failing rows; no rows under sum() etc. is null, i.e. 0
        String failCalc = n.string("fail_calc", "count(*)");
        long failures;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select " + failCalc + " as failures from (\n" + limited + "\n) dbt_internal_test")) {
            rs.next();
            Object v = rs.getObject(1);
            if (v == null) failures = 0;
            else if (v instanceof Number num) failures = num.longValue();
            else {
                try {
                    failures = new java.math.BigDecimal(v.toString().strip()).longValue();
                } catch (NumberFormatException e) {
                    throw new SQLException("fail_calc '" + failCalc + "' gave '" + v + "', not a number");
                }
            }
        }
        String kind = storeFailuresAs(n);
        if (!kind.equals("ephemeral")) {
            // the audit schema was created before the tests ran (TransformRunner): two tests creating it at once conflict
            java.util.Optional<RelationKind> existing = dialect.relationKind(c, n.schema, n.identifier);
            String drop = existing.isPresent() ? dialect.dropRelation(existing.get(), n.schema, n.identifier) : null;
            SqlRunner.inTransaction(c, drop, "create " + (kind.equals("view") ? "view" : "table") + " " + dialect.relation(n.schema, n.identifier) + " as (\n" + limited + "\n)");
        }
        String severity = n.string("severity", "error").toLowerCase(Locale.ROOT);
        Threshold errorIf = Threshold.parse(n.string("error_if", "!= 0"));
        Threshold warnIf = Threshold.parse(n.string("warn_if", "!= 0"));
        NodeStatus status;
        if (severity.equals("error") && errorIf.matches(failures)) {
            status = NodeStatus.FAIL;
        } else if (warnIf.matches(failures)) {
            status = NodeStatus.WARN;
        } else {
            status = NodeStatus.PASS;
        }
        String message = status == NodeStatus.PASS ? "PASS" : "Got " + failures + " result" + (failures == 1 ? "" : "s") + ", configured to "
                + (status == NodeStatus.FAIL ? "fail if " + errorIf.text() : "warn if " + warnIf.text());
        return new Outcome(status, failures, message);
    }

    /** How a test keeps its failing rows: {@code store_failures_as} (table / view / ephemeral) wins over {@code store_failures}, as in dbt. */
    static String storeFailuresAs(Node n) {
        Object storeAs = n.config.get("store_failures_as");
        return storeAs != null ? String.valueOf(storeAs).toLowerCase(Locale.ROOT)
                : Boolean.parseBoolean(n.string("store_failures", "false")) ? "table" : "ephemeral";
    }
}
