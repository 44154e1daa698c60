package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cancelled build runs no statement after the cancel, also not one whose statement object existed before it. */
class ConnectionPoolCancelTest {
    @Test
    void aStatementCreatedBeforeTheCancelDoesNotRunAfterIt(@TempDir Path dir) throws Exception {
        try (ConnectionPool pool = new ConnectionPool(WarehouseTarget.duckdb(dir.resolve("w.duckdb"), "main", 1), 1)) {
            Connection c = pool.borrow();
            Statement st = c.createStatement();
            pool.cancelStatements();
            assertThatThrownBy(() -> st.execute("CREATE TABLE after_cancel AS SELECT 1 AS x")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("cancelled");
            assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class).hasMessageContaining("cancelled");
            pool.release(c);
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("w.duckdb"));
             java.sql.ResultSet rs = c.getMetaData().getTables(null, null, "after_cancel", null)) {
            assertThat(rs.next()).as("the statement after the cancel did not run").isFalse();
        }
    }
}
