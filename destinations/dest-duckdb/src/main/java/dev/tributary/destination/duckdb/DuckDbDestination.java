package dev.tributary.destination.duckdb;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.ConnectorSpec.Capability;
import dev.tributary.spi.ConnectorSpec.Setting;
import dev.tributary.spi.Destination;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The embedded warehouse: a DuckDB database file (or an in-memory database) in this JVM. Settings:
 * {@code path}, the database file (default {@value #DEFAULT_PATH}; {@value DuckDbSession#IN_MEMORY} for a database
 * that lives as long as its session).
 */
public final class DuckDbDestination implements Destination {
    static final String DEFAULT_PATH = "warehouse.duckdb";

    private static final ConnectorSpec SPEC = new ConnectorSpec("duckdb",
            "Embedded DuckDB warehouse: bulk loads through staging tables, commits data and state in one transaction",
            List.of(new Setting("path", false, false,
                    "database file, created when missing (default " + DEFAULT_PATH + "); " + DuckDbSession.IN_MEMORY + " for an in-memory database")),
            Set.of(Capability.MERGE, Capability.OVERWRITE, Capability.SOFT_DELETE, Capability.SCHEMA_EVOLUTION, Capability.REJECTS,
                    Capability.RECONCILE));

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    public DuckDbSession open(Config config) {
        String path = config.string("path", DEFAULT_PATH).trim();
        if (path.isEmpty()) throw config.error("path", "is empty; give a database file or " + DuckDbSession.IN_MEMORY);
        if (path.equals(DuckDbSession.IN_MEMORY)) return new DuckDbSession(DuckDbSession.IN_MEMORY);
        Path file;
        try {
            file = Path.of(path).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw config.error("path", "'" + path + "' is not a valid file path: " + e.getReason());
        }
        if (Files.isDirectory(file)) throw config.error("path", file + " is a directory; give a database file such as " + file.resolve(DEFAULT_PATH));
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw config.error("path", "cannot create the folder of " + file + ": " + e.getMessage());
        }
        return new DuckDbSession(file.toString());
    }
}
