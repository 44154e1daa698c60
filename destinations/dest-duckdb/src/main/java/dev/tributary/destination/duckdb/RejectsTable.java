package dev.tributary.destination.duckdb;

import dev.tributary.spi.RunId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * {@code <schema>._tributary_rejects}: input that could not become a record, one table per target schema, shared by
 * its streams. Columns: connection, stream, run_id, origin, reason, raw, rejected_at.
 */
final class RejectsTable {
    static final String NAME = "_tributary_rejects";

    private RejectsTable() {}

    /** The rejects table of a target's schema. */
    static TableName of(TableName target) {
        return target.sibling(NAME);
    }

    /** Moves staged rejections in; runs inside the commit transaction, after the target schema exists. */
    static void insertStaged(Connection c, TableName rejects, String staging, String connection, String stream, RunId run)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + rejects.quoted() + " (connection VARCHAR, stream VARCHAR, run_id VARCHAR, "
                    + "origin VARCHAR, reason VARCHAR, raw VARCHAR, rejected_at TIMESTAMPTZ)");
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + rejects.quoted()
                + " SELECT ?, ?, ?, origin, reason, raw, rejected_at FROM " + staging + " ORDER BY " + Identifiers.quote(StagingTables.SEQ))) {
            p.setString(1, connection);
            p.setString(2, stream);
            p.setString(3, run.value());
            p.executeUpdate();
        }
    }
}
