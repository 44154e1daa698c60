package dev.tributary.cli;

import dev.tributary.destination.duckdb.DuckDbSession;
import dev.tributary.destination.postgres.PostgresSession;
import dev.tributary.engine.WriterLockPolicy;
import dev.tributary.project.ConnectionSettings;
import dev.tributary.project.Project;
import dev.tributary.project.TenantConnections;
import dev.tributary.project.Workspace;
import dev.tributary.scheduler.tenant.Tenants;
import dev.tributary.spi.DestinationSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Drops a removed tenant's data from the warehouse: for each multi-tenant connection, the tenant's schema with its
 * tables (and rejects), its sync state, and the warehouse's bookkeeping rows for them (column names, reconcile
 * passes). Other tenants' schemas and state are untouched: every statement names this tenant's schema or connection.
 */
final class TenantDataRemover implements Tenants.DataRemover {
    private final TributaryCommand root;

    TenantDataRemover(TributaryCommand root) {
        this.root = root;
    }

    @Override
    public String remove(long hubId) {
        Project project = Project.load(root.projectDir, root.environment, root.connectors);
        List<String> dropped = new ArrayList<>();
        try (Workspace workspace = new Workspace(project, root.connectors)) {
            workspace.useLockPolicy(WriterLockPolicy.waitFor("tributary serve (removing a tenant)", line -> { }));
            DestinationSession destination = workspace.destination();
            for (ConnectionSettings template : project.connections().values()) {
                if (!template.multiTenant()) continue;
                String name = TenantConnections.tenantConnectionName(template.name(), hubId);
                int states = destination.resetState(name, Optional.empty());
                String schema = dropSchema(destination, template.schema() + "_" + hubId, name);
                dropped.add(schema + " dropped, " + states + " stream state" + (states == 1 ? "" : "s") + " forgotten");
            }
        }
        return dropped.isEmpty() ? "no multi_tenant connection had data" : String.join("; ", dropped);
    }

    private static String dropSchema(DestinationSession destination, String schema, String connection) {
        try {
            if (destination instanceof PostgresSession pg) {
                String physical = pg.schemaOf(schema);
                try (Connection c = pg.newConnection()) {
                    c.setAutoCommit(true);
                    run(c, "DROP SCHEMA IF EXISTS " + quote(physical) + " CASCADE");
                    String meta = quote(pg.metadataSchema());
                    deleteWhere(c, meta + ".\"_tributary_columns\"", "schema_name", physical);
                    deleteWhere(c, meta + ".\"_tributary_reconcile_keys\"", "connection", connection);
                    deleteWhere(c, meta + ".\"_tributary_reconcile_passes\"", "connection", connection);
                }
                return physical;
            }
            if (destination instanceof DuckDbSession duck) {
                try (Connection c = duck.newConnection()) {
                    run(c, "DROP SCHEMA IF EXISTS " + quote(schema) + " CASCADE");
                    deleteWhere(c, "main.\"_tributary_columns\"", "schema_name", schema);
                    deleteWhere(c, "main.\"_tributary_reconcile_keys\"", "connection", connection);
                    deleteWhere(c, "main.\"_tributary_reconcile_passes\"", "connection", connection);
                }
                return schema;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the tenant's schema " + schema + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException("removing a tenant's data is supported on DuckDB and PostgreSQL, not on " + destination.describe());
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Deletes bookkeeping rows; a table that does not exist yet (nothing of that kind ever written) is fine. */
    private static void deleteWhere(Connection c, String table, String column, String value) throws SQLException {
        boolean exists;
        String bare = table.substring(table.lastIndexOf('.') + 1).replace("\"", "");
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM information_schema.tables WHERE table_name = ?")) {
            p.setString(1, bare);
            try (var rs = p.executeQuery()) {
                exists = rs.next();
            }
        }
        if (!exists) return;
        try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE " + column + " = ?")) {
            p.setString(1, value);
            p.executeUpdate();
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
