package dev.tributary.destination.warehouse;

import dev.tributary.spi.DataType;
import dev.tributary.spi.IdentifierRule;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What one SQL warehouse says differently: identifier limits and quoting, types, temporary tables, DDL batching, the
 * catalog queries and the merge plan's two warehouse-specific statements. Everything else (state rows, staging,
 * merge/overwrite/append, soft deletes, reconciliation, rejects, schema evolution, bookkeeping tables) is the kit's
 * and is written once against this interface. Identifiers reach a dialect as the kit names them: normalised, lower
 * case; {@link #quote} decides how they appear in SQL.
 */
public interface SqlDialect {
    /** The warehouse's name, for messages: {@code DuckDB}, {@code PostgreSQL}. */
    String name();

    /** How source names become identifiers here: the shared rule within this warehouse's length limit. */
    IdentifierRule identifiers();

    /** An identifier in SQL. The default is standard double quotes; a warehouse that folds case may change it here. */
    default String quote(String identifier) {
        return IdentifierRule.quote(identifier);
    }

    /** Identifiers quoted and joined with commas: every column name the kit writes goes through {@link #quote}, so reserved words work. */
    default String quoteAll(String... identifiers) {
        return java.util.Arrays.stream(identifiers).map(this::quote).collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * Whether DDL commits the open transaction (Snowflake). The kit's writer then runs every DDL of a commit (schema,
     * target columns, rejects and reconciliation tables) before it opens the data transaction, so rows and state still
     * commit together.
     */
    default boolean ddlCommits() {
        return false;
    }

    /** A table in SQL, fully qualified (with its catalog where it has one). */
    default String qualified(TableRef table) {
        return (table.catalog() == null ? "" : quote(table.catalog()) + ".") + quote(table.schema()) + "." + quote(table.table());
    }

    /** A schema in SQL, qualified with its catalog where it has one. */
    default String qualifiedSchema(SchemaRef schema) {
        return (schema.catalog() == null ? "" : quote(schema.catalog()) + ".") + quote(schema.schema());
    }

    /** The key by which two stored names count as the same: the name itself, or its lower case where the catalog ignores case. */
    default String nameKey(String identifier) {
        return identifier;
    }

    /** The column type that stores an engine type. */
    String sqlType(DataType type);

    /** The engine type of a column as {@link #columns} names its type; TEXT for anything unfamiliar. */
    DataType dataType(String nativeType);

    /** The type of the kit's own text columns (state, rejects, bookkeeping), e.g. {@code VARCHAR} or {@code text}. */
    default String textType() {
        return sqlType(DataType.TEXT);
    }

    /** The type of the kit's own time columns. */
    default String timestampTzType() {
        return sqlType(DataType.TIMESTAMP_TZ);
    }

    /** The type of the staging sequence number and other whole numbers of the kit. */
    default String bigintType() {
        return sqlType(DataType.INTEGER);
    }

    /** Whether the kit's bookkeeping tables declare primary keys (PostgreSQL: yes; DuckDB and Snowflake: no). */
    default boolean declaresPrimaryKeys() {
        return false;
    }

    /** How SQL names the writer's temporary table {@code name} (e.g. {@code temp.main."x"}, {@code pg_temp."x"}). */
    String tempTable(String name);

    /** Statements that (re)create the temporary table {@code name}, empty, with these column definitions. */
    List<String> createTempTable(String name, String columnDefinitions);

    /**
     * The type of a staging column for values of {@code type}: the target's by default. A warehouse whose bulk load
     * cannot fill a column of the target's type directly stages it as another (Snowflake: JSON as text from its CSV
     * files) and converts it on the way into the target ({@link #fromStaging}).
     */
    default String stagingType(DataType type) {
        return sqlType(type);
    }

    /**
     * The value a target column takes from its staged value {@code staged} (such as {@code s."x"}): the staged value
     * itself by default; Snowflake parses JSON staged as text ({@code PARSE_JSON(s."X")}).
     */
    default String fromStaging(Column column, String staged) {
        return staged;
    }

    /** The statement that empties a table inside the commit transaction. */
    default String emptyTable(String table) {
        return "DELETE FROM " + table;
    }

    /** One ALTER TABLE action that widens {@code column} (already of its new type) from {@code from}. */
    default String alterColumnType(Column column, DataType from) {
        return "ALTER COLUMN " + quote(column.name()) + " TYPE " + sqlType(column.type());
    }

    /**
     * Statements that widen {@code column} (already of its new type) of {@code table} by themselves, for a warehouse
     * that cannot change a column's type in place (Snowflake cannot turn NUMBER into VARCHAR: a new column, the values
     * cast into it, the old one dropped, the new one renamed). Empty, the default: the widening is the ALTER TABLE action
     * {@link #alterColumnType}, batched with the others by {@link #alterTable}.
     */
    default List<String> widenOnItsOwn(String table, Column column, DataType from) {
        return List.of();
    }

    /** The suffix of the column {@link #widenOnItsOwn} fills before it takes the old one's place: {@code amount__tributary_widen}. */
    String WIDENING_SUFFIX = "__tributary_widen";

    /**
     * Statements that settle a widening {@link #widenOnItsOwn} left half-done in {@code table} (a crash between its
     * statements, each committed by itself): {@code leftover} is the column it fills ({@code column} +
     * {@link #WIDENING_SUFFIX}); {@code columnKept}, whether {@code column} is still there. Kept: the widening never
     * finished, so the leftover goes (the next evolution widens again from the column's values). Gone: the leftover holds
     * the values, already cast, and takes the column's name. Empty, the default: a warehouse that widens in place
     * leaves no such column, and a column of that name is the user's.
     */
    default List<String> settleWidening(String table, String column, String leftover, boolean columnKept) {
        return List.of();
    }

    /**
     * Whether an append inserts the staged rows {@code ORDER BY _tributary_seq}: where scanning the staging table need
     * not give arrival order (Snowflake), so rows land in the target as they came. DuckDB keeps insertion order by
     * itself and needs no sort.
     */
    default boolean appendsInOrder() {
        return false;
    }

    /** Statements that apply {@code actions} (ADD COLUMN ..., ALTER COLUMN ...) to a table: together, or one by one. */
    default List<String> alterTable(String table, List<String> actions) {
        return actions.isEmpty() ? List.of() : List.of("ALTER TABLE " + table + " " + String.join(", ", actions));
    }

    /** Whether the table exists (a base table, not a view). */
    boolean tableExists(Connection c, TableRef table) throws SQLException;

    /** The table's columns in table order, metadata columns included, with their type as the warehouse names it. */
    List<StoredColumn> columns(Connection c, TableRef table) throws SQLException;

    /** A stored column as the catalog lists it. */
    record StoredColumn(String name, String nativeType) {}

    /** A condition that a key column matches: {@code l IS NOT DISTINCT FROM r}, or {@code l = r} where keys are never null. */
    default String sameKey(String left, String right) {
        return left + " IS NOT DISTINCT FROM " + right;
    }

    /**
     * The statement that leaves in staging table {@code staging} only the last row (highest {@code seq}) of each key
     * ({@code partition}, a comma-separated column list). The default uses a window in a subquery; a warehouse with
     * QUALIFY may say it more briefly.
     */
    default String keepLastPerKey(String staging, String partition, String seq) {
        return "DELETE FROM " + staging + " WHERE " + seq + " IN (SELECT " + seq + " FROM (SELECT " + seq
                + ", row_number() OVER (PARTITION BY " + partition + " ORDER BY " + seq + " DESC) AS n FROM " + staging + ") d WHERE n > 1)";
    }

    /**
     * Whether keyed writes use one {@code MERGE} statement ({@link TargetLoader#merge}) rather than the default
     * UPDATE/DELETE/INSERT plan. Both leave the same rows.
     */
    default boolean mergeStatement() {
        return false;
    }

    /**
     * Serialises, until the current transaction ends, work that creates shared tables (a schema, the rejects and
     * reconciliation tables) under {@code name}. PostgreSQL takes an advisory lock; a warehouse whose session
     * already serialises commits does nothing.
     */
    default void lockName(Connection c, String name) throws SQLException {}

    /**
     * Bulk-loads reconciliation keys (each already as text) into the writer's temporary table {@code tempTable}
     * (columns seq, pass_id, key). The default is a batched INSERT; DuckDB uses its appender, PostgreSQL one array.
     */
    default void stageKeys(Connection c, String tempTable, long seq, String passId, List<String> keys) throws SQLException {
        try (java.sql.PreparedStatement p = c.prepareStatement("INSERT INTO " + tempTable(tempTable) + " VALUES (?, ?, ?)")) {
            for (String key : keys) {
                p.setLong(1, seq);
                p.setString(2, passId);
                p.setString(3, key);
                p.addBatch();
            }
            p.executeBatch();
        }
    }
}
