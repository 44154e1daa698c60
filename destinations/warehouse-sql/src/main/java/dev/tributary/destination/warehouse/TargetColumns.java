package dev.tributary.destination.warehouse;

import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Field;
import dev.tributary.spi.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Schema evolution decisions for one target: which columns a batch's schema adds (named by the warehouse's identifier
 * rule, a clash getting {@code _2}, {@code _3}...) and which it widens ({@code DataType.widen}); never a drop or a
 * narrowing. Also what the writer tells the engine about the table, and the key columns of a stream.
 */
public final class TargetColumns {
    private TargetColumns() {}

    /** A schema change: the columns after it, those added, those widened (with their types after) and the same before. */
    public record Evolution(List<Column> columns, List<Column> added, List<Column> widened, List<Column> before) {
        public boolean isEmpty() {
            return added.isEmpty() && widened.isEmpty();
        }
    }

    /** What {@code schema} changes in {@code columns}; empty when it needs nothing new. */
    public static Evolution evolve(SqlDialect dialect, List<Column> columns, Schema schema) {
        List<Column> evolved = new ArrayList<>(columns);
        Set<String> taken = new HashSet<>();
        for (Column c : evolved) taken.add(dialect.nameKey(c.name()));
        List<Column> added = new ArrayList<>();
        List<Column> widened = new ArrayList<>();
        List<Column> before = new ArrayList<>();
        for (Field f : schema.fields()) {
            int i = indexOfSource(evolved, f.name());
            if (i < 0) {
                Column c = new Column(f.name(), f.name().equals(MetadataColumns.TENANT) ? MetadataColumns.TENANT
                        : dialect.identifiers().unique(dialect.identifiers().normalise(f.name()), taken), f.type());
                taken.add(dialect.nameKey(c.name()));
                evolved.add(c);
                added.add(c);
            } else if (!evolved.get(i).type().canHold(f.type())) {
                Column c = evolved.get(i).withType(evolved.get(i).type().widen(f.type()));
                before.add(evolved.get(i));
                evolved.set(i, c);
                widened.add(c);
            }
        }
        return new Evolution(List.copyOf(evolved), added, widened, before);
    }

    /** The table as the engine sees it: the source names and types, and the stream's key when every key field is there. */
    public static Optional<Schema> tableSchema(ConfiguredStream stream, List<Column> columns, boolean tableExists) {
        if (!tableExists && columns.isEmpty()) return Optional.empty();
        List<Field> fields = columns.stream().map(c -> Field.of(c.sourceName(), c.type())).toList();
        Set<String> names = new HashSet<>(fields.stream().map(Field::name).toList());
        List<String> key = names.containsAll(stream.primaryKey()) ? stream.primaryKey() : List.of();
        return Optional.of(new Schema(fields, key));
    }

    /** The columns of the stream's primary key; an error naming the field when one is missing. */
    public static List<Column> keyColumns(ConfiguredStream stream, List<Column> columns, Object target) {
        List<Column> key = new ArrayList<>();
        for (String name : stream.primaryKey()) {
            int i = indexOfSource(columns, name);
            if (i < 0) throw new IllegalStateException("stream " + stream.id() + ": primary key field '" + name + "' is not a column of " + target);
            key.add(columns.get(i));
        }
        return key;
    }

    public static Map<String, Column> bySource(List<Column> columns) {
        Map<String, Column> out = new HashMap<>();
        for (Column c : columns) out.put(c.sourceName(), c);
        return out;
    }

    private static int indexOfSource(List<Column> columns, String sourceName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).sourceName().equals(sourceName)) return i;
        }
        return -1;
    }
}
