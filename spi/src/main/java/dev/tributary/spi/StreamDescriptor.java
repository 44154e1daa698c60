package dev.tributary.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;

/** What discovery says of a stream: its schema, the sync modes it supports and its cursor, if any. */
public record StreamDescriptor(StreamId id, Schema schema, Set<SyncMode> modes, Optional<String> cursorField) {
    public StreamDescriptor {
        requireNonNull(id, "id is null");
        requireNonNull(schema, "schema is null");
        modes = Set.copyOf(requireNonNull(modes, "modes is null"));
        requireNonNull(cursorField, "cursorField is null");
        if (modes.isEmpty()) throw new IllegalArgumentException("stream " + id + " supports no sync mode");
    }

    public boolean supports(SyncMode mode) {
        return modes.contains(mode);
    }
}
