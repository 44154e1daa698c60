package dev.tributary.source.jdbc;

import dev.tributary.spi.Catalog;
import dev.tributary.spi.CheckResult;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.Source;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads tables, views and named queries of a relational database: one stream per table ({@code schema.table})
 * or query, full reads in key order and incremental reads by a cursor column, both resumable after the last
 * row stored. One implementation; {@link Dialect} holds what differs between PostgreSQL, Redshift and MySQL.
 */
public class JdbcSource implements Source {
    private final Dialect dialect;
    private final ConnectorSpec spec;

    JdbcSource(Dialect dialect, String description) {
        this.dialect = dialect;
        this.spec = new ConnectorSpec(dialect.type(), description, List.of(
                new ConnectorSpec.Setting("url", false, true, "JDBC URL, e.g. " + dialect.url("db.internal", dialect.defaultPort(), "app")
                        + " (secret: it may hold a password); or host, port, database"),
                new ConnectorSpec.Setting("host", false, false, "server host name, instead of url"),
                new ConnectorSpec.Setting("port", false, false, "server port (default " + dialect.defaultPort() + ")"),
                new ConnectorSpec.Setting("database", false, false, "database to connect to"),
                new ConnectorSpec.Setting("user", false, false, "user name"),
                new ConnectorSpec.Setting("password", false, true, "password"),
                new ConnectorSpec.Setting("properties", false, true, "driver properties, such as sslmode (secret: they may hold keys)"),
                new ConnectorSpec.Setting("schemas", false, false, "schemas to read (default: " + (dialect instanceof MySqlDialect
                        ? "the URL's database" : "public") + ")"),
                new ConnectorSpec.Setting("tables", false, false, "tables and views to read: names or globs, table or schema.table (default: all)"),
                new ConnectorSpec.Setting("queries", false, false, "named queries: name, sql, primary_key, cursor"),
                new ConnectorSpec.Setting("overrides", false, false, "per table: cursor, primary_key, batch_size, fetch_size, cursor_lag"),
                new ConnectorSpec.Setting("batch_size", false, false, "rows per batch and checkpoint (default " + JdbcConfig.DEFAULT_BATCH_SIZE + ")"),
                new ConnectorSpec.Setting("fetch_size", false, false, "rows per round trip to the server (default " + JdbcConfig.DEFAULT_FETCH_SIZE + ")")),
                Set.of(ConnectorSpec.Capability.INCREMENTAL));
    }

    @Override
    public ConnectorSpec spec() {
        return spec;
    }

    /** Reads every setting (nothing is opened or listed). */
    @Override
    public void validate(Config config) {
        JdbcConfig.from(config, dialect);
    }

    @Override
    public CheckResult check(Config config) {
        try {
            JdbcConfig jdbc = JdbcConfig.from(config, dialect);
            try (JdbcSession session = JdbcSession.open(dialect, jdbc.connection())) {
                String server;
                List<String> schemas;
                int visible;
                List<Relation> relations;
                try {
                    server = dialect.server(session.connection());
                    JdbcDiscovery discovery = new JdbcDiscovery(jdbc, session);
                    schemas = discovery.schemas();
                    visible = dialect.tables(session.connection(), schemas, Optional.empty()).size();
                    relations = discovery.all();
                } catch (SQLException e) {
                    throw session.failure("reading the catalog", e);
                }
                long queries = relations.stream().filter(r -> r.id().namespace().isEmpty()).count();
                long tables = relations.size() - queries;
                StringBuilder sb = new StringBuilder("connected to ").append(server)
                        .append(" at ").append(jdbc.connection().location()).append("; ")
                        .append(count(visible, "table or view", "tables and views")).append(" visible in ")
                        .append(schemas.size() == 1 ? "schema " : "schemas ").append(String.join(", ", schemas));
                if (tables != visible) sb.append(", ").append(tables).append(" selected");
                if (queries > 0) sb.append("; ").append(count(queries, "named query", "named queries"));
                return CheckResult.ok(sb.toString());
            }
        } catch (RuntimeException e) {
            return CheckResult.failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    @Override
    public Catalog discover(Config config) {
        JdbcConfig jdbc = JdbcConfig.from(config, dialect);
        try (JdbcSession session = JdbcSession.open(dialect, jdbc.connection())) {
            try {
                List<StreamDescriptor> streams = new ArrayList<>();
                for (Relation r : new JdbcDiscovery(jdbc, session).all()) streams.add(r.descriptor());
                return new Catalog(streams);
            } catch (SQLException e) {
                throw session.failure("reading the catalog", e);
            }
        }
    }

    @Override
    public StreamReader read(Config config, ConfiguredStream stream, Optional<StreamState> resumeFrom) {
        JdbcConfig jdbc = JdbcConfig.from(config, dialect);
        Optional<JdbcState> resume = resumeFrom.map(JdbcStateCodec.INSTANCE::fromState);
        JdbcSession session = JdbcSession.open(dialect, jdbc.connection());
        try {
            Relation relation;
            try {
                relation = new JdbcDiscovery(jdbc, session).find(stream.id());
            } catch (SQLException e) {
                throw session.failure("reading the catalog for " + stream.id(), e);
            }
            return new JdbcStreamReader(session, relation, stream.syncMode(), resume);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
