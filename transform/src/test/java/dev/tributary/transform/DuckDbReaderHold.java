package dev.tributary.transform;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;

/**
 * Another process reading a DuckDB file, as a scrape of {@code tributary serve} does: {@code DuckDbReaderHold <file>
 * <millis>} opens it read-only, prints "holding", and lets go after the given time.
 */
public final class DuckDbReaderHold {
    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0], p)) {
            System.out.println("holding");
            System.out.flush();
            Thread.sleep(Long.parseLong(args[1])); // holding the file for this long is this helper process's job
        }
    }
}
