package dev.tributary.destination.warehouse;

import dev.tributary.spi.RunId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code <schema>._tributary_rejects}: input that could not become a record, one table per target schema, shared by
 * its streams. Columns: connection, stream, run_id, origin, reason, raw, rejected_at.
 */
public final class RejectsTable {
    public static final String NAME = "_tributary_rejects";

    private RejectsTable() {}

    /** The rejects table of a target's schema. */
    public static TableRef of(TableRef target) {
        return target.sibling(NAME);
    }

    /** Creates the table when missing; streams of one schema share it, so call it under {@link SqlDialect#lockName}. */
    public static void create(Connection c, SqlDialect dialect, TableRef rejects) throws SQLException {
        String text = dialect.textType();
        String columns = String.join(" " + text + ", ", List.of("connection", "stream", "run_id", "origin", "reason", "raw").stream()
                .map(dialect::quote).toList());
        Sql.execute(c, "CREATE TABLE IF NOT EXISTS " + dialect.qualified(rejects) + " (" + columns + " " + text + ", "
                + dialect.quote("rejected_at") + " " + dialect.timestampTzType() + ")");
    }

    /** Moves staged rejections in; runs inside the commit transaction, after the table exists. */
    public static void insertStaged(Connection c, SqlDialect dialect, TableRef rejects, String staging, String connection, String stream,
            RunId run) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + dialect.qualified(rejects)
                + " SELECT ?, ?, ?, " + dialect.quoteAll(StagingTables.REJECTION_COLUMNS) + " FROM " + staging + " ORDER BY " + dialect.quote(StagingTables.SEQ))) {
            p.setString(1, connection);
            p.setString(2, stream);
            p.setString(3, run.value());
            p.executeUpdate();
        }
    }
}
