package dev.tributary.destination.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.LockHolder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The writer lock on a real PostgreSQL, in a schema of its own. */
class WriterLocksTest {
    /** Recording the holder fails after the advisory lock was taken: the lock's session must end, not leak. */
    @Test
    void aFailureAfterTakingTheLockLetsGoOfIt() throws Exception {
        try (TestWarehouse warehouse = TestWarehouse.create()) {
            String schema = warehouse.prefix() + "tributary";
            warehouse.execute("CREATE SCHEMA \"" + schema + "\""); // no _tributary_writers table: the insert fails
            WriterLocks locks = new WriterLocks(schema);
            Connection dedicated = warehouse.connect();
            assertThatThrownBy(() -> locks.lock(dedicated, "hubspot", LockHolder.thisProcess("tributary sync hubspot"), "the test warehouse"))
                    .isInstanceOf(SQLException.class).hasMessageContaining(WriterLocks.TABLE);
            assertThat(dedicated.isClosed()).isTrue();
            try (Connection other = warehouse.connect();
                    PreparedStatement p = other.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?), hashtext(?))")) {
                p.setString(1, "tributary-writer:" + schema);
                p.setString(2, "hubspot");
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as("the advisory lock is free again").isTrue();
                }
            }
        }
    }
}
