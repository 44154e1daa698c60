package dev.tributary.destination.iceberg;

import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;

/**
 * A lakehouse table's data columns as the source named them: each column's doc holds the source name (so a name
 * collision resolves the same way on every run), and the table property {@value IcebergTypes#JSON_COLUMNS} lists
 * the columns that hold JSON text.
 */
final class TableShape {
    /** A data column: table name, source name, engine type. */
    record Column(String name, String source, DataType type) {}

    private final Map<String, Column> bySource = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();

    private TableShape() {}

    static TableShape of(Schema schema, Map<String, String> properties) {
        Set<String> json = jsonColumns(properties);
        TableShape shape = new TableShape();
        for (Types.NestedField f : schema.columns()) {
            shape.names.add(f.name());
            if (TributaryColumns.isMetadata(f.name())) continue;
            String source = f.doc() == null || f.doc().isEmpty() ? f.name() : f.doc();
            shape.bySource.put(source, new Column(f.name(), source, IcebergTypes.dataType(f.type(), json.contains(f.name()))));
        }
        return shape;
    }

    static TableShape of(Table table) {
        return of(table.schema(), table.properties());
    }

    static Set<String> jsonColumns(Map<String, String> properties) {
        String v = properties.getOrDefault(IcebergTypes.JSON_COLUMNS, "");
        return v.isEmpty() ? Set.of() : new HashSet<>(Arrays.asList(v.split(",")));
    }

    static String jsonColumnsValue(Set<String> columns) {
        return columns.stream().sorted().collect(Collectors.joining(","));
    }

    Optional<Column> column(String source) {
        return Optional.ofNullable(bySource.get(source));
    }

    List<Column> columns() {
        return List.copyOf(bySource.values());
    }

    /** The columns as the engine sees them, with {@code primaryKey}. */
    dev.tributary.spi.Schema spiSchema(List<String> primaryKey) {
        List<Field> fields = new ArrayList<>();
        for (Column c : bySource.values()) fields.add(Field.of(c.source(), c.type()));
        List<String> key = primaryKey.stream().filter(bySource::containsKey).toList();
        return new dev.tributary.spi.Schema(fields, key.size() == primaryKey.size() ? primaryKey : List.of());
    }

    /** What {@code batch} needs: new columns (with unique normalised names) and columns whose type must widen. */
    Changes changesFor(dev.tributary.spi.Schema batch) {
        List<Column> added = new ArrayList<>();
        List<Column> widened = new ArrayList<>();
        Set<String> taken = new HashSet<>(names);
        for (Field f : batch.fields()) {
            Column existing = bySource.get(f.name());
            if (existing == null) {
                String name = IcebergNames.RULE.unique(IcebergNames.RULE.normalise(f.name()), taken);
                taken.add(name);
                added.add(new Column(name, f.name(), f.type()));
            } else if (existing.type() != f.type() && !existing.type().canHold(f.type())) {
                widened.add(new Column(existing.name(), existing.source(), existing.type().widen(f.type())));
            }
        }
        return new Changes(added, widened);
    }

    /** Columns to add and columns to widen. */
    record Changes(List<Column> added, List<Column> widened) {
        boolean isEmpty() {
            return added.isEmpty() && widened.isEmpty();
        }
    }
}
