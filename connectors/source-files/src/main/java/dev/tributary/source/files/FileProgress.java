package dev.tributary.source.files;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The file being read at a checkpoint: which one (path, and size and modification time as seen when reading
 * began) and how many of its rows are in the data up to that checkpoint.
 */
record FileProgress(String path, long size, Instant modified, long rows) {
    FileProgress {
        requireNonNull(path, "path is null");
        requireNonNull(modified, "modified is null");
        if (rows < 0) throw new IllegalArgumentException("rows must not be negative");
    }

    boolean sameFile(FileMatcher.MatchedFile file) {
        return path.equals(file.relativePath()) && size == file.size() && modified.equals(file.modified());
    }
}
