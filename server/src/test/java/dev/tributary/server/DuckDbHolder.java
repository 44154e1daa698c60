package dev.tributary.server;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;

/**
 * Another process holding a DuckDB file for writing, for tests: {@code DuckDbHolder <file> [announce]} opens it
 * read-write (with {@code announce}, first takes the lock file a Tributary writer takes), prints "holding", and
 * lets go when its standard input closes.
 */
public final class DuckDbHolder {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        FileChannel announcement = null;
        if (args.length > 1) {
            announcement = FileChannel.open(file.resolveSibling(file.getFileName() + ".tributary-lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            announcement.lock();
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
            System.out.println("holding");
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our input
            }
        }
        if (announcement != null) announcement.close();
    }
}
