package dev.tributary.destination.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Finds the stored rows of a set of keys: the data files of the current snapshot that may hold them (pruned by the
 * files' column bounds when the first key column is a number or text), then each file's key columns with row
 * positions, so a merge can delete them by position.
 */
final class KeyPositions {
    /** A stored row: its data file (with the file's partition) and position in it. */
    record Position(String path, long position, PartitionSpec spec, StructLike partition) {}

    private KeyPositions() {}

    /**
     * The filter that prunes files by their column bounds: the first key column's values
     * (or, past {@value KeyRange#MAX_VALUES} of them, their range) when it is a number or text.
     */
    static Expression filter(Table table, List<String> keyColumns, KeyRange firstKeyValues) {
        Expression e = Expressions.alwaysTrue();
        Type.TypeID first = table.schema().findField(keyColumns.get(0)).type().typeId();
        boolean prunable = first == Type.TypeID.LONG || first == Type.TypeID.STRING;
        if (!prunable || firstKeyValues.isEmpty() || firstKeyValues.sawNull()) return e;
        String column = keyColumns.get(0);
        if (firstKeyValues.values() != null) return Expressions.and(e, Expressions.in(column, firstKeyValues.values()));
        return Expressions.and(e, Expressions.and(Expressions.greaterThanOrEqual(column, firstKeyValues.min()),
                Expressions.lessThanOrEqual(column, firstKeyValues.max())));
    }

    /** Positions of the stored rows (live or already deleted: deleting twice is harmless) whose key is in {@code keys}. */
    static List<Position> find(Table table, List<String> keyColumns, Map<String, ?> keys, Expression filter) {
        if (keys.isEmpty()) return new ArrayList<>();
        return find(table, keyColumns, r -> keys.containsKey(keyOf(r, keyColumns)), filter);
    }

    /** Positions of the stored rows (live or already deleted) that {@code wanted} accepts (it sees the key columns only). */
    static List<Position> find(Table table, List<String> keyColumns, Predicate<Record> wanted, Expression filter) {
        List<Position> out = new ArrayList<>();
        if (table.currentSnapshot() == null) return out;
        Schema projection = table.schema().select(keyColumns);
        try (CloseableIterable<FileScanTask> tasks = table.newScan().filter(filter).planFiles()) {
            for (FileScanTask task : tasks) {
                String path = task.file().location();
                try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(path)).project(projection)
                        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(projection, fileSchema)).build()) {
                    long pos = 0;
                    for (Record r : rows) {
                        if (wanted.test(r)) out.add(new Position(path, pos, task.spec(), task.file().partition()));
                        pos++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the keys of " + table.name() + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The live stored rows (deletes applied) whose key is in {@code keys}, whole. */
    static List<Record> liveRows(Table table, List<String> keyColumns, Set<String> keys, Expression filter) {
        List<Record> out = new ArrayList<>();
        if (table.currentSnapshot() == null || keys.isEmpty()) return out;
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).where(filter).build()) {
            for (Record r : rows) {
                if (keys.contains(keyOf(r, keyColumns))) out.add(r.copy());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + table.name() + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Reads the key of staged rows ({@link TableRow}s of a schema) as the same text {@link #keyOf} makes of a stored row. */
    record RowKey(int[] positions, Type[] types) {
        static RowKey of(Schema schema, List<String> columns) {
            int[] positions = new int[columns.size()];
            Type[] types = new Type[columns.size()];
            List<Types.NestedField> fields = schema.columns();
            for (int i = 0; i < columns.size(); i++) {
                Types.NestedField f = schema.findField(columns.get(i));
                if (f == null) throw new IllegalStateException("column " + columns.get(i) + " is missing from the table");
                positions[i] = fields.indexOf(f);
                types[i] = f.type();
            }
            return new RowKey(positions, types);
        }

        String of(TableRow row) {
            if (positions.length == 1) return IcebergTypes.keyText(IcebergTypes.generic(row.get(positions[0]), types[0]));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < positions.length; i++) {
                if (i > 0) sb.append('\u001f');
                sb.append(IcebergTypes.keyText(IcebergTypes.generic(row.get(positions[i]), types[i])));
            }
            return sb.toString();
        }

        /** The first key column's value, as {@link KeyRange} takes it (a number or text: the same internal and generic). */
        Object first(TableRow row) {
            return row.get(positions[0]);
        }
    }

    /** A row's key as text: each key column's value, joined by U+001F. */
    static String keyOf(Record r, List<String> keyColumns) {
        StringBuilder sb = new StringBuilder();
        for (String c : keyColumns) {
            if (!sb.isEmpty()) sb.append('\u001f');
            sb.append(IcebergTypes.keyText(r.getField(c)));
        }
        return sb.toString();
    }
}
