package dev.tributary.cli;

import dev.tributary.engine.WriterLockPolicy;
import dev.tributary.project.ConnectionSettings;
import dev.tributary.project.Project;
import dev.tributary.project.TenantConnections;
import dev.tributary.project.Workspace;
import dev.tributary.scheduler.tenant.Tenants;
import dev.tributary.spi.DestinationSession;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops a removed tenant's data from the warehouse: for each multi-tenant connection, the tenant's schema with its
 * tables (and rejects), its sync state, and the warehouse's bookkeeping rows for them
 * ({@link DestinationSession#dropNamespace}). Other tenants' schemas and state are untouched.
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
                dropped.add(destination.dropNamespace(template.schema() + "_" + hubId, name) + " dropped with its state");
            }
        }
        return dropped.isEmpty() ? "no multi_tenant connection had data" : String.join("; ", dropped);
    }
}
