package dev.tributary.destination.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.spi.DataType;
import dev.tributary.spi.RunId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kit's merge on a real database (in-memory DuckDB, which has MERGE INTO): the one-statement MERGE that a
 * dialect may choose ({@link SqlDialect#mergeStatement}) leaves exactly the rows of the UPDATE/DELETE/INSERT plan:
 * the last staged row of a key wins, a deletion marks the stored row and keeps its values, a deletion of a key never
 * stored is inserted as it came.
 */
class TargetLoaderTest {
    private static final List<Column> COLUMNS = List.of(new Column("id", "id", DataType.INTEGER), new Column("name", "name", DataType.TEXT));

    @Test
    void mergeStatementLeavesWhatTheDefaultPlanLeaves() throws SQLException {
        List<String> plan = merged(false);
        List<String> statement = merged(true);
        assertThat(plan).containsExactly(
                "1|one v2|deleted=false|run=r2",
                "2|two|deleted=true|run=r2",
                "3|three|deleted=false|run=r1",
                "5|five|deleted=false|run=r2",
                "6|six|deleted=true|run=r2");
        assertThat(statement).isEqualTo(plan);
    }

    private static List<String> merged(boolean mergeStatement) throws SQLException {
        DuckTestDialect dialect = new DuckTestDialect("", mergeStatement, false);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            TableRef target = new TableRef(null, "main", "contacts");
            execute(c, "CREATE TABLE main.contacts (id BIGINT, name VARCHAR, " + MetadataColumns.definitions(dialect) + ")");
            execute(c, "INSERT INTO main.contacts VALUES (1, 'one', TIMESTAMPTZ '2026-01-01 00:00:00+00', 'r1', NULL), "
                    + "(2, 'two', TIMESTAMPTZ '2026-01-01 00:00:00+00', 'r1', NULL), (3, 'three', TIMESTAMPTZ '2026-01-01 00:00:00+00', 'r1', NULL)");
            StagingTables staging = new StagingTables(c, dialect);
            staging.create(COLUMNS);
            execute(c, "INSERT INTO " + staging.rows() + " VALUES "
                    + "(1, TIMESTAMPTZ '2026-02-01 00:00:00+00', NULL, 1, 'one v1'), "
                    + "(2, TIMESTAMPTZ '2026-02-01 00:00:00+00', TIMESTAMPTZ '2026-02-01 00:00:00+00', 2, 'gone'), "
                    + "(3, TIMESTAMPTZ '2026-02-01 00:00:00+00', NULL, 5, 'five'), "
                    + "(4, TIMESTAMPTZ '2026-02-01 00:00:00+00', NULL, 1, 'one v2'), "
                    + "(5, TIMESTAMPTZ '2026-02-01 00:00:00+00', TIMESTAMPTZ '2026-02-01 00:00:00+00', 6, 'six')");
            new TargetLoader(c, dialect, target, staging.rows(), COLUMNS, new RunId("r2")).merge(List.of(COLUMNS.get(0)));
            List<String> rows = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, name, _tributary_deleted_at IS NOT NULL, "
                    + "_tributary_run_id FROM main.contacts ORDER BY id")) {
                while (rs.next()) rows.add(rs.getLong(1) + "|" + rs.getString(2) + "|deleted=" + rs.getBoolean(3) + "|run=" + rs.getString(4));
            }
            return rows;
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
