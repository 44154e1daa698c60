package dev.tributary.destination.iceberg;

import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;

/**
 * Namespaces and tables created if absent and dropped if present, safe when several threads or processes do it at once
 * (parallel streams of one connection on an empty lakehouse, two processes on one catalog). Iceberg's {@code JdbcCatalog}
 * checks and then inserts, so the loser of a race gets {@code AlreadyExistsException} or, for a namespace, the database's
 * constraint violation ({@code SQLITE_CONSTRAINT_PRIMARYKEY}, PostgreSQL's unique violation) wrapped in an
 * {@code UncheckedSQLException}. Whatever the failure, the object is looked up again: there, the race was lost and that is
 * success; missing, the failure is real and thrown.
 */
final class CatalogObjects {
    private CatalogObjects() {}

    /** Creates {@code namespace} unless it exists (catalogs without namespaces: nothing to do). */
    static void createNamespaceIfAbsent(Catalog catalog, Namespace namespace) {
        if (!(catalog instanceof SupportsNamespaces namespaces) || namespaces.namespaceExists(namespace)) return;
        try {
            namespaces.createNamespace(namespace);
        } catch (RuntimeException e) {
            if (!namespaces.namespaceExists(namespace)) throw e;
            // another stream or process created it meanwhile
        }
    }

    /** The table {@code id} as {@code create} makes it, or as another thread or process made it meanwhile. */
    static Table createTableIfAbsent(Catalog catalog, TableIdentifier id, Supplier<Table> create) {
        createNamespaceIfAbsent(catalog, id.namespace());
        try {
            return create.get();
        } catch (RuntimeException e) {
            try {
                return TableFactory.load(catalog, id).orElseThrow(() -> e);
            } catch (RuntimeException lookup) {
                if (lookup != e) e.addSuppressed(lookup);
                throw e;
            }
        }
    }

    /**
     * Drops {@code namespace} with its tables, each through {@code dropTable} (true when it dropped the table, false
     * when it was gone already). Returns how many tables this call dropped; a namespace another caller removed
     * meanwhile (or never there) is no error.
     */
    static int dropNamespace(Catalog catalog, Namespace namespace, Predicate<TableIdentifier> dropTable) {
        if (!(catalog instanceof SupportsNamespaces namespaces)) return 0;
        int tables = 0;
        try {
            for (TableIdentifier id : catalog.listTables(namespace)) {
                if (dropTable.test(id)) tables++;
            }
            namespaces.dropNamespace(namespace);
        } catch (NoSuchNamespaceException gone) {
            // removed by another caller meanwhile
        }
        return tables;
    }

    static int dropNamespace(Catalog catalog, Namespace namespace) {
        return dropNamespace(catalog, namespace, id -> catalog.dropTable(id, true));
    }
}
