package dev.tributary.destination.postgres;

import static dev.tributary.destination.postgres.Identifiers.quote;

import dev.tributary.spi.RunId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/** Moves a writer's staged rows into its target table; runs inside the commit transaction. */
final class TargetLoader {
    private static final String SEQ = quote(StagingTables.SEQ);
    private static final String EXTRACTED_AT = quote(MetadataColumns.EXTRACTED_AT);
    private static final String RUN_ID = quote(MetadataColumns.RUN_ID);
    private static final String DELETED_AT = quote(MetadataColumns.DELETED_AT);

    private final Connection c;
    private final TableName target;
    private final String staging;
    private final List<Column> columns;
    private final RunId run;

    TargetLoader(Connection c, TableName target, String staging, List<Column> columns, RunId run) {
        this.c = c;
        this.target = target;
        this.staging = staging;
        this.columns = List.copyOf(columns);
        this.run = run;
    }

    /** Adds every staged row, deleted ones with their deletion time. */
    void append() throws SQLException {
        insert("");
    }

    /**
     * Removes every row of the target; the caller then appends, in the same transaction. DELETE rather than TRUNCATE:
     * readers keep seeing the old rows until the commit instead of waiting for it.
     */
    void deleteAll() throws SQLException {
        execute("DELETE FROM " + target.quoted());
    }

    /**
     * Upserts on {@code key}: the last staged row of each key wins. A row that is a deletion marks the stored row of
     * its key as deleted and keeps its values; a deletion of a key never stored is inserted as it came. Keys match
     * with {@code =} (staged keys are never null), so PostgreSQL can use the key index or a hash join.
     */
    void merge(List<Column> key) throws SQLException {
        String partition = key.stream().map(Column::quoted).collect(Collectors.joining(", "));
        String sameKey = key.stream().map(k -> "t." + k.quoted() + " = s." + k.quoted()).collect(Collectors.joining(" AND "));
        execute("DELETE FROM " + staging + " WHERE " + SEQ + " IN (SELECT " + SEQ + " FROM (SELECT " + SEQ
                + ", row_number() OVER (PARTITION BY " + partition + " ORDER BY " + SEQ + " DESC) AS n FROM " + staging + ") d WHERE n > 1)");
        try (PreparedStatement p = c.prepareStatement("UPDATE " + target.quoted() + " AS t SET " + DELETED_AT + " = s." + DELETED_AT + ", "
                + EXTRACTED_AT + " = s." + EXTRACTED_AT + ", " + RUN_ID + " = ? FROM " + staging + " AS s WHERE " + sameKey
                + " AND s." + DELETED_AT + " IS NOT NULL")) {
            p.setString(1, run.value());
            p.executeUpdate();
        }
        execute("DELETE FROM " + target.quoted() + " AS t USING " + staging + " AS s WHERE " + sameKey + " AND s." + DELETED_AT + " IS NULL");
        insert(" WHERE s." + DELETED_AT + " IS NULL OR NOT EXISTS (SELECT 1 FROM " + target.quoted() + " AS t WHERE " + sameKey + ")");
    }

    private void insert(String where) throws SQLException {
        String names = columns.stream().map(col -> col.quoted() + ", ").collect(Collectors.joining());
        String values = columns.stream().map(col -> "s." + col.quoted() + ", ").collect(Collectors.joining());
        String sql = "INSERT INTO " + target.quoted() + " (" + names + EXTRACTED_AT + ", " + RUN_ID + ", " + DELETED_AT + ") SELECT "
                + values + "s." + EXTRACTED_AT + ", ?, s." + DELETED_AT + " FROM " + staging + " AS s" + where;
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, run.value());
            p.executeUpdate();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
