package dev.tributary.scheduler;

/** The metadata store could not be read or written (the database is down, the disk is full...). */
public final class MetadataStoreException extends RuntimeException {
    public MetadataStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
