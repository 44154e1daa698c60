package dev.tributary.source.jdbc;

import static java.util.Objects.requireNonNull;

import dev.tributary.spi.DataType;
import java.util.List;
import java.util.Optional;

/**
 * Where a read of one table or query stands: the mode it was read in, and the position after the last row
 * stored, as the values of the columns rows are ordered by (the cursor first in an incremental read, then the
 * key). {@code inclusive} marks a position rows are read again from ({@code >=}: a cursor without a key);
 * {@code complete} marks a full read that reached the end.
 */
record JdbcState(Mode mode, Optional<String> cursor, List<PositionValue> position, boolean inclusive, boolean complete) {
    enum Mode { FULL, INCREMENTAL }

    /** One ordering column's value, with the engine type it was read as, so it decodes to the same Java type. */
    record PositionValue(String column, DataType type, Object value) {
        PositionValue {
            requireNonNull(column, "column is null");
            requireNonNull(type, "type is null");
            requireNonNull(value, "value is null");
        }
    }

    JdbcState {
        requireNonNull(mode, "mode is null");
        requireNonNull(cursor, "cursor is null");
        position = List.copyOf(requireNonNull(position, "position is null"));
        if (mode == Mode.INCREMENTAL && cursor.isEmpty()) throw new IllegalArgumentException("an incremental state needs its cursor");
        if (complete && !position.isEmpty()) throw new IllegalArgumentException("a complete read has no position");
    }

    static JdbcState fullAt(List<PositionValue> position) {
        return new JdbcState(Mode.FULL, Optional.empty(), position, false, false);
    }

    static JdbcState fullComplete() {
        return new JdbcState(Mode.FULL, Optional.empty(), List.of(), false, true);
    }

    static JdbcState incremental(String cursor, List<PositionValue> position, boolean inclusive) {
        return new JdbcState(Mode.INCREMENTAL, Optional.of(cursor), position, inclusive, false);
    }

    List<String> positionColumns() {
        return position.stream().map(PositionValue::column).toList();
    }
}
