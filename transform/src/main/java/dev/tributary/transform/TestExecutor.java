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

    Outcome run(Node n, String sql, Connection c) throws SQLException {
        String body = NodeCompiler.stripTrailingSemicolon(sql);
        Object limit = n.config.get("limit");
        if (limit != null) body = "select * from (\n" + body + "\n) dbt_limit limit " + limit;
        long failures;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from (\n" + body + "\n) dbt_internal_test")) {
            rs.next();
            failures = rs.getLong(1);
        }
        if (Boolean.parseBoolean(n.string("store_failures", "false"))) {
            dialect.createSchema(c, n.schema);
            SqlRunner.inTransaction(c, dialect.dropRelation(RelationKind.TABLE, n.schema, n.identifier),
                    "create table " + dialect.relation(n.schema, n.identifier) + " as (\n" + body + "\n)");
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
}
