package dev.tributary.source.jdbc;

import static java.util.Objects.requireNonNull;

import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.SyncMode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Something a stream reads: a table or view ({@code from} is its quoted name) or a named query ({@code from} is
 * the query as a derived table), with the columns it selects, the key rows are ordered and resumed by, and the
 * cursor incremental reads follow. {@code indexedKey}: the key is the table's own primary key, which the server
 * keeps an index for, so a page of rows after a key value is an index range scan.
 */
record Relation(StreamId id, String from, List<JdbcColumn> columns, List<String> primaryKey, boolean indexedKey, Optional<String> cursor,
        JdbcConfig.StreamOptions options) {
    Relation {
        requireNonNull(id, "id is null");
        requireNonNull(from, "from is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        primaryKey = List.copyOf(requireNonNull(primaryKey, "primaryKey is null"));
        requireNonNull(cursor, "cursor is null");
        requireNonNull(options, "options is null");
    }

    /** How records name where they came from: {@code public.users}, or the query's name. */
    String label() {
        return id.toString();
    }

    Schema schema() {
        return new Schema(columns.stream().map(JdbcColumn::field).toList(), primaryKey);
    }

    StreamDescriptor descriptor() {
        Set<SyncMode> modes = cursor.isPresent() ? Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL) : Set.of(SyncMode.FULL_REFRESH);
        return new StreamDescriptor(id, schema(), modes, cursor);
    }

    int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) return i;
        }
        return -1;
    }

    JdbcColumn column(String name) {
        int i = indexOf(name);
        if (i < 0) throw new IllegalArgumentException(label() + " has no column '" + name + "'");
        return columns.get(i);
    }
}
