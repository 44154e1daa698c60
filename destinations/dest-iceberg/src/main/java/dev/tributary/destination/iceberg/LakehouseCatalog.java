package dev.tributary.destination.iceberg;

import static java.util.Objects.requireNonNull;

import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.io.FileIO;

/**
 * An open Iceberg catalog of a Tributary lakehouse with the {@link FileIO} that reads and writes its files
 * ({@link NioFileIO} for a local folder, Iceberg's {@code S3FileIO} for S3), and where new tables go. Close it when done.
 */
public record LakehouseCatalog(Catalog catalog, FileIO io, IcebergConfig config) implements AutoCloseable {
    public LakehouseCatalog {
        requireNonNull(catalog, "catalog is null");
        requireNonNull(io, "io is null");
        requireNonNull(config, "config is null");
    }

    /** A short description for messages: the warehouse and the catalog kind. Never holds secrets. */
    public String describe() {
        return "Iceberg lakehouse " + config.warehouse() + " (" + config.catalog().type().name().toLowerCase(java.util.Locale.ROOT) + " catalog)";
    }

    @Override
    public void close() {
        try {
            if (catalog instanceof AutoCloseable c) c.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the Iceberg catalog: " + e.getMessage(), e);
        } finally {
            io.close();
        }
    }
}
