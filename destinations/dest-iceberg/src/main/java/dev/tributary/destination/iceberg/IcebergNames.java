package dev.tributary.destination.iceberg;

import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.IdentifierRule;
import java.util.Optional;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Where a stream lands in the lakehouse: one namespace per connection, one table per stream, both normalised like
 * every warehouse's identifiers (lower case, {@code _} for other characters, at most 120 characters).
 *
 * <p>Tenants: a connection that serves several accounts names each tenant's logical connection {@code base@tenant}
 * (such as {@code hubspot_app@12345}). All tenants share the namespace {@code base} and its tables; every row carries
 * the tenant in {@value #TENANT_COLUMN}, tables of such connections are partitioned by it (identity), merge keys and
 * overwrites are per tenant, and each tenant's state and writer lock are its own. A namespace per tenant would
 * multiply tables (and catalog entries) by the number of tenants; a partition column keeps one table per stream for
 * downstream jobs, which select {@code where _tributary_tenant = ...} and read only that partition's files.
 */
public final class IcebergNames {
    public static final IdentifierRule RULE = IdentifierRule.characters(120);
    /** The metadata column holding the tenant of each row, on tables of multi-tenant connections. */
    public static final String TENANT_COLUMN = "_tributary_tenant";
    /** Separates a connection from its tenant in a logical connection name: {@code base@tenant}. */
    public static final char TENANT_SEPARATOR = '@';

    private IcebergNames() {}

    /** The table of {@code stream} of {@code connection} (the connection's namespace, the stream's name), tenant or not. */
    public static TableIdentifier tableFor(String connection, String stream) {
        return TableIdentifier.of(namespaceOf(baseConnection(connection)), RULE.normalise(stream));
    }

    /** The table a tenant's rows of {@code stream} land in: the same as the connection's, rows told apart by {@value #TENANT_COLUMN}. */
    public static TableIdentifier tableFor(String connection, String stream, String tenant) {
        return tableFor(baseConnection(connection), stream);
    }

    /** The table of a configured stream: its target namespace (the connection unless the project says otherwise) and target. */
    public static TableIdentifier tableFor(ConfiguredStream stream) {
        String ns = stream.targetNamespace().isBlank() ? stream.connection() : stream.targetNamespace();
        return TableIdentifier.of(namespaceOf(baseConnection(ns)), RULE.normalise(stream.target()));
    }

    public static Namespace namespaceOf(String connection) {
        return Namespace.of(RULE.normalise(connection));
    }

    /** {@code hubspot_app} of {@code hubspot_app@12345}; the connection itself when it has no tenant. */
    public static String baseConnection(String connection) {
        int at = connection.indexOf(TENANT_SEPARATOR);
        return at < 0 ? connection : connection.substring(0, at);
    }

    /** {@code 12345} of {@code hubspot_app@12345}; empty for a connection without tenants. */
    public static Optional<String> tenantOf(String connection) {
        int at = connection.indexOf(TENANT_SEPARATOR);
        return at < 0 || at == connection.length() - 1 ? Optional.empty() : Optional.of(connection.substring(at + 1));
    }
}
