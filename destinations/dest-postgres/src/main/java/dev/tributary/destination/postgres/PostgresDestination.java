package dev.tributary.destination.postgres;

import dev.tributary.destination.warehouse.Warehouse;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.ConnectorSpec.Setting;
import dev.tributary.spi.Destination;
import java.util.List;

/**
 * The PostgreSQL warehouse. Settings ({@link PostgresSettings}): {@code url}, or {@code host}, {@code port} and
 * {@code database}; {@code user}, {@code password} (secret), {@code schema_prefix} and {@code pool_size}.
 */
public final class PostgresDestination implements Destination {
    private static final ConnectorSpec SPEC = new ConnectorSpec("postgres",
            "PostgreSQL warehouse: bulk loads with COPY into staging tables, commits data and state in one transaction",
            List.of(new Setting("url", false, false,
                            "jdbc:postgresql://host:port/database[?user=...]; instead of host, port and database (keep the password out of it: use password)"),
                    new Setting("host", false, false, "server host name, when url is not given"),
                    new Setting("port", false, false, "server port (default " + PostgresSettings.DEFAULT_PORT + ")"),
                    new Setting("database", false, false, "database name, when url is not given"),
                    new Setting("user", false, false, "user name"),
                    new Setting("password", false, true, "password, such as ${PGPASSWORD}; never printed"),
                    new Setting("schema_prefix", false, false,
                            "written before each connection's schema name, such as dev_ (also before the metadata schema, tributary)"),
                    new Setting("pool_size", false, false, "connections at most (default " + PostgresSettings.DEFAULT_POOL_SIZE
                            + "): one per stream being written, plus one for the session")),
            Warehouse.CAPABILITIES);

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    public PostgresSession open(Config config) {
        return new PostgresSession(PostgresSettings.read(config));
    }
}
