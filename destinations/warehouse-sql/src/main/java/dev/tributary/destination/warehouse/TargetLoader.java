package dev.tributary.destination.warehouse;

import dev.tributary.spi.RunId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Moves a writer's staged rows into its target table (append, overwrite, merge with soft deletes); runs inside the
 * commit transaction. Staged rows carry {@code _tributary_extracted_at} and {@code _tributary_deleted_at}; the loader
 * adds the run id.
 */
public final class TargetLoader {
    private final Connection c;
    private final SqlDialect dialect;
    private final String target;
    private final String staging;
    private final List<Column> columns;
    private final RunId run;
    private final String seq;
    private final String extractedAt;
    private final String runId;
    private final String deletedAt;

    public TargetLoader(Connection c, SqlDialect dialect, TableRef target, String staging, List<Column> columns, RunId run) {
        this.c = c;
        this.dialect = dialect;
        this.target = dialect.qualified(target);
        this.staging = staging;
        this.columns = List.copyOf(columns);
        this.run = run;
        this.seq = dialect.quote(StagingTables.SEQ);
        this.extractedAt = dialect.quote(MetadataColumns.EXTRACTED_AT);
        this.runId = dialect.quote(MetadataColumns.RUN_ID);
        this.deletedAt = dialect.quote(MetadataColumns.DELETED_AT);
    }

    /** Adds every staged row, deleted ones with their deletion time. */
    public void append() throws SQLException {
        insert(dialect.appendsInOrder() ? " ORDER BY s." + seq : "");
    }

    /**
     * Removes every row of the target; the caller then appends, in the same transaction. DELETE rather than TRUNCATE:
     * readers keep seeing the old rows until the commit instead of waiting for it.
     */
    public void deleteAll() throws SQLException {
        Sql.execute(c, "DELETE FROM " + target);
    }

    /**
     * Upserts on {@code key}: the last staged row of each key wins. A row that is a deletion marks the stored row of
     * its key as deleted and keeps its values; a deletion of a key never stored is inserted as it came.
     */
    public void merge(List<Column> key) throws SQLException {
        String partition = key.stream().map(k -> dialect.quote(k.name())).collect(Collectors.joining(", "));
        String sameKey = key.stream().map(k -> dialect.sameKey("t." + dialect.quote(k.name()), "s." + dialect.quote(k.name())))
                .collect(Collectors.joining(" AND "));
        Sql.execute(c, dialect.keepLastPerKey(staging, partition, seq));
        if (dialect.mergeStatement()) {
            mergeStatement(sameKey);
            return;
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE " + target + " AS t SET " + deletedAt + " = s." + deletedAt + ", "
                + extractedAt + " = s." + extractedAt + ", " + runId + " = ? FROM " + staging + " AS s WHERE " + sameKey
                + " AND s." + deletedAt + " IS NOT NULL")) {
            p.setString(1, run.value());
            p.executeUpdate();
        }
        Sql.execute(c, "DELETE FROM " + target + " AS t USING " + staging + " AS s WHERE " + sameKey + " AND s." + deletedAt + " IS NULL");
        insert(" WHERE s." + deletedAt + " IS NULL OR NOT EXISTS (SELECT 1 FROM " + target + " AS t WHERE " + sameKey + ")");
    }

    /** The same as the UPDATE/DELETE/INSERT plan, as one MERGE (rows a key matches twice in the target are both updated). */
    private void mergeStatement(String sameKey) throws SQLException {
        String set = columns.stream().map(col -> dialect.quote(col.name()) + " = " + staged(col) + ", ").collect(Collectors.joining());
        String sql = "MERGE INTO " + target + " AS t USING " + staging + " AS s ON " + sameKey
                + " WHEN MATCHED AND s." + deletedAt + " IS NOT NULL THEN UPDATE SET " + deletedAt + " = s." + deletedAt + ", "
                + extractedAt + " = s." + extractedAt + ", " + runId + " = ?"
                + " WHEN MATCHED THEN UPDATE SET " + set + extractedAt + " = s." + extractedAt + ", " + runId + " = ?, " + deletedAt + " = NULL"
                + " WHEN NOT MATCHED THEN INSERT (" + names() + ") VALUES (" + values() + ")";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, run.value());
            p.setString(2, run.value());
            p.setString(3, run.value());
            p.executeUpdate();
        }
    }

    private void insert(String where) throws SQLException {
        String sql = "INSERT INTO " + target + " (" + names() + ") SELECT " + values() + " FROM " + staging + " AS s" + where;
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, run.value());
            p.executeUpdate();
        }
    }

    private String names() {
        return columns.stream().map(col -> dialect.quote(col.name()) + ", ").collect(Collectors.joining()) + extractedAt + ", " + runId + ", " + deletedAt;
    }

    /** The staged values, the run id as the one parameter. */
    private String values() {
        return columns.stream().map(col -> staged(col) + ", ").collect(Collectors.joining()) + "s." + extractedAt + ", ?, s." + deletedAt;
    }

    /** A column's value from the staged row {@code s}, as the dialect converts it on the way in. */
    private String staged(Column col) {
        return dialect.fromStaging(col, "s." + dialect.quote(col.name()));
    }
}
