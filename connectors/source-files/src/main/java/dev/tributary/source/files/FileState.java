package dev.tributary.source.files;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A file loaded completely: its path relative to the base folder, size, modification time and SHA-256 (hex). */
record FileState(String path, long size, Instant modified, String sha256) {
    FileState {
        requireNonNull(path, "path is null");
        requireNonNull(modified, "modified is null");
        requireNonNull(sha256, "sha256 is null");
    }
}
