package dev.tributary.destination.postgres;

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

    /** Creates the table when missing; streams of one schema share it, so the session runs this under a lock. */
    static void create(Connection c, TableName rejects) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + rejects.quoted() + " (connection text, stream text, run_id text, "
                    + "origin text, reason text, raw text, rejected_at timestamptz)");
        }
    }

    /** Moves staged rejections in; runs inside the commit transaction. */
    static void insertStaged(Connection c, TableName rejects, String staging, String connection, String stream, RunId run)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + rejects.quoted()
                + " SELECT ?, ?, ?, origin, reason, raw, rejected_at FROM " + staging + " ORDER BY " + Identifiers.quote(StagingTables.SEQ))) {
            p.setString(1, connection);
            p.setString(2, stream);
            p.setString(3, run.value());
            p.executeUpdate();
        }
    }
}
