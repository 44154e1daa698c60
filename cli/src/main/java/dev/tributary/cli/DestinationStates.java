package dev.tributary.cli;

import dev.tributary.project.Connectors;
import dev.tributary.project.Project;
import dev.tributary.project.Workspace;
import dev.tributary.spi.DestinationSession.StoredState;
import java.util.List;
import java.util.function.Supplier;

/**
 * The destination's committed states for serve's pages (connections, tables' freshness, the API), read through its own
 * session as {@code tributary state show} reads them: an Iceberg lakehouse keeps them in snapshot summaries, not in a
 * table. One session, opened on first use and kept until serve stops; a failed read closes it, the next opens anew.
 */
final class DestinationStates implements Supplier<List<StoredState>>, AutoCloseable {
    private final Project project;
    private final Connectors connectors;
    private Workspace workspace;

    DestinationStates(Project project, Connectors connectors) {
        this.project = project;
        this.connectors = connectors;
    }

    /**
     * Whether serve reads {@code project}'s states this way. Not for DuckDB: opening its destination takes the file's
     * writer lock, so a page view would stop a CLI sync; the pages read its state table read-only instead.
     */
    static boolean applies(Project project) {
        return !project.destinationType().equals("duckdb");
    }

    @Override
    public synchronized List<StoredState> get() {
        if (workspace == null) workspace = new Workspace(project, connectors);
        try {
            return workspace.destination().states();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (workspace == null) return;
        try {
            workspace.close();
        } finally {
            workspace = null;
        }
    }
}
