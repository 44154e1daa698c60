package dev.tributary.scheduler;

import java.nio.file.Path;

/**
 * The embedded metadata store of a project is held by another process, most likely another {@code tributary serve}
 * on the same project: H2 lets one process open its file, so a second serve cannot run beside the first.
 */
public final class MetadataStoreInUseException extends IllegalStateException {
    public MetadataStoreInUseException(Path folder, boolean serveRunning, Throwable cause) {
        super((serveRunning
                ? "another tributary serve is running on this project: it holds the metadata store in " + folder.toAbsolutePath()
                : "the metadata store in " + folder.toAbsolutePath() + " is held by another process (another tributary serve on this project?)")
                + "; stop it first, or put the store in PostgreSQL (server.metadata.url) to run several serve processes", cause);
    }
}
