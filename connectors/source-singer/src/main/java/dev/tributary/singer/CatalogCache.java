package dev.tributary.singer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a singer connection's discovered catalog is cached: {@code <base_path>/.tributary/singer/<connection>.catalog.json}. */
public final class CatalogCache {
    private CatalogCache() {}

    public static Path file(Path basePath, String connection) {
        return basePath.resolve(".tributary").resolve("singer").resolve(connection + ".catalog.json");
    }

    /** Forgets the cached catalog, so the next use discovers again; true when there was one. */
    public static boolean forget(Path basePath, String connection) {
        try {
            return Files.deleteIfExists(file(basePath, connection));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the cached catalog " + file(basePath, connection) + ": " + e.getMessage(), e);
        }
    }
}
