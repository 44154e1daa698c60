package dev.tributary.destination.duckdb;

import dev.tributary.destination.warehouse.Warehouse;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.ConnectorSpec.Setting;
import dev.tributary.spi.Destination;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The embedded warehouse: a DuckDB database file (or an in-memory database) in this JVM. Settings:
 * {@code path}, the database file (default {@value #DEFAULT_PATH}; {@value DuckDbSession#IN_MEMORY} for a database
 * that lives as long as its session); {@code memory_limit}, the most memory DuckDB's buffer pool takes (default
 * {@value #DEFAULT_MEMORY_LIMIT}, not DuckDB's own 80% of the machine's RAM: a server runs beside other processes, and
 * DuckDB spills larger work to disk); {@code threads}, DuckDB's worker threads (default: one per core).
 */
public final class DuckDbDestination implements Destination {
    static final String DEFAULT_PATH = "warehouse.duckdb";
    static final String DEFAULT_MEMORY_LIMIT = "1GB";
    private static final java.util.regex.Pattern MEMORY = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    private static final ConnectorSpec SPEC = new ConnectorSpec("duckdb",
            "Embedded DuckDB warehouse: bulk loads through staging tables, commits data and state in one transaction",
            List.of(new Setting("path", false, false,
                    "database file, created when missing (default " + DEFAULT_PATH + "); " + DuckDbSession.IN_MEMORY + " for an in-memory database"),
                    new Setting("memory_limit", false, false, "most memory DuckDB uses, e.g. 512MB or 4GB (default " + DEFAULT_MEMORY_LIMIT
                            + "; larger work spills to disk)"),
                    new Setting("threads", false, false, "DuckDB's worker threads, 1 to 1024 (default: one per core)")),
            Warehouse.CAPABILITIES);

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    public DuckDbSession open(Config config) {
        String path = config.string("path", DEFAULT_PATH).trim();
        if (path.isEmpty()) throw config.error("path", "is empty; give a database file or " + DuckDbSession.IN_MEMORY);
        DuckDbSession.Resources resources = resources(config);
        if (path.equals(DuckDbSession.IN_MEMORY)) return new DuckDbSession(DuckDbSession.IN_MEMORY, resources);
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
        return new DuckDbSession(file.toString(), resources);
    }

    /** {@code memory_limit} and {@code threads}, checked here: DuckDB's own errors would not name the setting or the file. */
    static DuckDbSession.Resources resources(Config config) {
        String memory = config.string("memory_limit", DEFAULT_MEMORY_LIMIT).trim();
        java.util.regex.Matcher m = MEMORY.matcher(memory);
        if (!m.matches()) throw config.error("memory_limit", "'" + memory + "' is not an amount of memory; write e.g. 512MB, 2GB or 1.5GiB");
        if (Double.parseDouble(m.group(1)) <= 0) throw config.error("memory_limit", "must be more than 0, got " + memory);
        Integer threads = null;
        if (config.has("threads")) {
            long t = config.longValue("threads", 0);
            if (t < 1 || t > 1024) throw config.error("threads", "expected a whole number of threads from 1 to 1024, got " + t);
            threads = (int) t;
        }
        return new DuckDbSession.Resources(m.group(1) + m.group(2).toUpperCase(java.util.Locale.ROOT).replace("IB", "iB"), threads);
    }
}
