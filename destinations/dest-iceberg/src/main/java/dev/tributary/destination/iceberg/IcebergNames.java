package dev.tributary.destination.iceberg;

import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.IdentifierRule;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Where a stream lands in the lakehouse: one namespace per connection, one table per stream, both normalised like
 * every warehouse's identifiers (lower case, {@code _} for other characters, at most 120 characters).
 *
 * <p>Tenants of a multi-tenant connection each have their own namespace ({@code crm_12345}, from the tenant's
 * connection name and schema), as each has its own schema on PostgreSQL: a query, a page or an engine reading one
 * tenant's tables cannot see another's rows, removing a tenant drops its namespace, and its state rides in its own
 * tables. A shared table per stream partitioned by tenant (once named {@code base@tenant} here, never used by the
 * tenant expansion) was removed: isolation would rest on every reader's filter, and removing a tenant would mean
 * deleting rows from tables the other tenants write.
 * The Parquet exports give file consumers {@code tenant=<hub_id>/stream=<name>/} partitions.
 */
public final class IcebergNames {
    public static final IdentifierRule RULE = IdentifierRule.characters(120);

    private IcebergNames() {}

    /** The table of {@code stream} of {@code connection}: the connection's namespace, the stream's name. */
    public static TableIdentifier tableFor(String connection, String stream) {
        return TableIdentifier.of(namespaceOf(connection), RULE.normalise(stream));
    }

    /** The table of a configured stream: its target namespace (the connection unless the project says otherwise) and target. */
    public static TableIdentifier tableFor(ConfiguredStream stream) {
        String ns = stream.targetNamespace().isBlank() ? stream.connection() : stream.targetNamespace();
        return TableIdentifier.of(namespaceOf(ns), RULE.normalise(stream.target()));
    }

    public static Namespace namespaceOf(String connection) {
        return Namespace.of(RULE.normalise(connection));
    }
}
