package dev.tributary.destination.warehouse;

import dev.tributary.spi.ConnectorSpec.Capability;
import dev.tributary.spi.StreamWriter;
import java.sql.Connection;
import java.util.Set;

/**
 * What a {@link WarehouseStreamWriter} needs from its session: the dialect, where the bookkeeping lives, how a
 * transaction runs (the session may serialise commits), and how failures are reported.
 */
public interface Warehouse {
    /** What a destination on the kit supports: merge, overwrite, soft deletes, schema evolution, rejects, reconciliation. */
    Set<Capability> CAPABILITIES = Set.of(Capability.MERGE, Capability.OVERWRITE, Capability.SOFT_DELETE, Capability.SCHEMA_EVOLUTION,
            Capability.REJECTS, Capability.RECONCILE);

    SqlDialect dialect();

    /** The schema of {@code _tributary_state}, {@code _tributary_columns} and the reconciliation tables. */
    SchemaRef metadataSchema();

    StateStore stateStore();

    TableCatalog catalog();

    /**
     * Runs {@code work} as one transaction on {@code c}: all of it or nothing; a failure says {@code what}. By default
     * nothing serialises commits beyond the warehouse's own locks; a session that must (DuckDB) overrides this.
     */
    default void inTransaction(Connection c, String what, Sql.Work<Void> work) {
        try {
            Sql.inTransaction(c, work);
        } catch (java.sql.SQLException e) {
            throw failure(what, e);
        }
    }

    /** The exception to throw when {@code what} failed: names the warehouse, never a secret. */
    RuntimeException failure(String what, Exception cause);

    /** The writer closed (its connection is closed or given back by the writer's {@link BulkLoad#close}). */
    void writerClosed(StreamWriter writer);
}
