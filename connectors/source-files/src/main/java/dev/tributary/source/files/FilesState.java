package dev.tributary.source.files;

import static java.util.Objects.requireNonNull;

import dev.tributary.spi.DataType;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a files stream stands: every file loaded completely (sorted by path), the file in progress if a
 * checkpoint fell inside one, and the column types the reads found beyond the discovered schema (so that a
 * resumed read never narrows what an earlier one emitted).
 */
record FilesState(List<FileState> files, Optional<FileProgress> current, Map<String, DataType> columns) {
    static final FilesState EMPTY = new FilesState(List.of(), Optional.empty(), Map.of());

    FilesState {
        files = requireNonNull(files, "files is null").stream().sorted(Comparator.comparing(FileState::path)).toList();
        requireNonNull(current, "current is null");
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(columns, "columns is null")));
    }
}
