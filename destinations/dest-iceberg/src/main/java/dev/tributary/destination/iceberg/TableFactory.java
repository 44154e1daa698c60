package dev.tributary.destination.iceberg;

import dev.tributary.destination.iceberg.IcebergConfig.TableSettings;
import dev.tributary.spi.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Types;

/** Loads lakehouse tables and creates them (format v2, Parquet, our metadata columns, the configured partition spec). */
final class TableFactory {
    static final String PRIMARY_KEY = "tributary.primary-key";
    /** Table properties Tributary sets and a project may not override, with why. */
    static final Map<String, String> OWNED_PROPERTIES = Map.of(
            TableProperties.COMMIT_NUM_RETRIES, "Tributary retries commits itself, re-reading the states; Iceberg's own retries would commit a stale state",
            TableProperties.FORMAT_VERSION, "merges need Iceberg format version 2",
            PRIMARY_KEY, "it is the stream's primary key",
            IcebergTypes.JSON_COLUMNS, "it lists the stream's JSON columns");

    private TableFactory() {}

    static Optional<Table> load(Catalog catalog, TableIdentifier id) {
        try {
            return Optional.of(catalog.loadTable(id));
        } catch (NoSuchTableException e) {
            return Optional.empty();
        }
    }

    /**
     * An existing table against the project's settings for it: changed {@code properties} are set on the table (one
     * metadata commit); a changed {@code partition_by} is an error saying what differs (Tributary does not evolve a
     * table's partitioning), as is a term naming a column the table lacks.
     */
    static Table matchSettings(Table table, TableIdentifier id, TableSettings settings) {
        TableShape shape = TableShape.of(table);
        List<String> terms = new ArrayList<>(settings.partitionBy());
        PartitionSpec wanted = PartitionSpecs.build(table.schema(), terms, source -> TributaryColumns.ALL.contains(source) ? source
                : shape.column(source).map(TableShape.Column::name).orElse(IcebergNames.RULE.normalise(source)), id.toString());
        if (!describe(wanted).equals(describe(table.spec()))) {
            throw new IllegalStateException("table " + id + " is partitioned by " + describe(table.spec()) + " but the project's partition_by"
                    + " gives " + describe(wanted) + ": Tributary does not change an existing "
                    + "table's partitioning; put partition_by back as it was, or write the stream to a new table (its table: setting)");
        }
        Map<String, String> changed = new HashMap<>();
        settings.properties().forEach((k, v) -> {
            if (!v.equals(table.properties().get(k))) changed.put(k, v);
        });
        if (changed.isEmpty()) return table;
        for (int attempt = 1; ; attempt++) {
            try {
                var update = table.updateProperties();
                changed.forEach(update::set);
                update.commit();
                return table;
            } catch (org.apache.iceberg.exceptions.CommitFailedException e) {
                if (attempt >= 5) throw new IllegalStateException("setting properties " + changed + " of table " + id + ": " + e.getMessage(), e);
                table.refresh();
            }
        }
    }

    /** A spec as its fields read: {@code [bucket[16](id), day(created_at)]}. */
    private static List<String> describe(PartitionSpec spec) {
        List<String> out = new ArrayList<>();
        for (org.apache.iceberg.PartitionField f : spec.fields()) {
            out.add(f.transform() + "(" + spec.schema().findColumnName(f.sourceId()) + ")");
        }
        return out;
    }

    /** The table {@code id}, created for {@code fields} when missing. */
    static Table loadOrCreate(Catalog catalog, TableIdentifier id, List<Field> fields, List<String> primaryKey,
            TableSettings settings) {
        Optional<Table> existing = load(catalog, id);
        if (existing.isPresent()) return matchSettings(existing.get(), id, settings);
        List<Types.NestedField> columns = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        Set<String> json = new HashSet<>();
        Map<String, String> columnOf = new HashMap<>();
        int nextId = 1;
        for (Field f : fields) {
            String name = IcebergNames.RULE.unique(IcebergNames.RULE.normalise(f.name()), taken);
            taken.add(name);
            columnOf.put(f.name(), name);
            if (f.type() == dev.tributary.spi.DataType.JSON) json.add(name);
            columns.add(Types.NestedField.optional(nextId++, name, IcebergTypes.icebergType(f.type()), f.name()));
        }
        columns.add(Types.NestedField.optional(nextId++, TributaryColumns.EXTRACTED_AT, Types.TimestampType.withZone()));
        columns.add(Types.NestedField.optional(nextId++, TributaryColumns.RUN_ID, Types.StringType.get()));
        columns.add(Types.NestedField.optional(nextId++, TributaryColumns.DELETED_AT, Types.TimestampType.withZone()));
        Schema schema = new Schema(columns);
        List<String> terms = new ArrayList<>(settings.partitionBy());
        PartitionSpec spec = PartitionSpecs.build(schema, terms,
                source -> TributaryColumns.ALL.contains(source) ? source : columnOf.getOrDefault(source, IcebergNames.RULE.normalise(source)),
                id.toString());
        Map<String, String> props = new HashMap<>(settings.properties());
        props.put(TableProperties.FORMAT_VERSION, "2");
        props.put(TableProperties.DEFAULT_FILE_FORMAT, "parquet");
        props.put(TableProperties.PARQUET_COMPRESSION, "zstd");
        // Tributary re-reads the snapshot's state before each try (see IcebergStreamWriter), so Iceberg must not retry on its own
        props.put(TableProperties.COMMIT_NUM_RETRIES, "0");
        if (!json.isEmpty()) props.put(IcebergTypes.JSON_COLUMNS, TableShape.jsonColumnsValue(json));
        if (!primaryKey.isEmpty()) props.put(PRIMARY_KEY, String.join(",", primaryKey.stream().map(k -> columnOf.getOrDefault(k, k)).toList()));
        // the first sync of a connection opens its streams' tables in parallel: the namespace and table may appear meanwhile
        return CatalogObjects.createTableIfAbsent(catalog, id, () -> catalog.createTable(id, schema, spec, props));
    }
}
