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
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Types;

/** Loads lakehouse tables and creates them (format v2, Parquet, our metadata columns, the configured partition spec). */
final class TableFactory {
    static final String PRIMARY_KEY = "tributary.primary-key";

    private TableFactory() {}

    static Optional<Table> load(Catalog catalog, TableIdentifier id) {
        try {
            return Optional.of(catalog.loadTable(id));
        } catch (NoSuchTableException e) {
            return Optional.empty();
        }
    }

    /** The table {@code id}, created for {@code fields} when missing. */
    static Table loadOrCreate(Catalog catalog, TableIdentifier id, List<Field> fields, List<String> primaryKey, boolean tenant,
            TableSettings settings) {
        Optional<Table> existing = load(catalog, id);
        if (existing.isPresent()) return existing.get();
        if (catalog instanceof SupportsNamespaces ns && !ns.namespaceExists(id.namespace())) {
            try {
                ns.createNamespace(id.namespace());
            } catch (AlreadyExistsException raced) {
                // another writer made it
            }
        }
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
        if (tenant) columns.add(Types.NestedField.optional(nextId++, TributaryColumns.TENANT, Types.StringType.get()));
        Schema schema = new Schema(columns);
        List<String> terms = new ArrayList<>();
        if (tenant) terms.add(TributaryColumns.TENANT);
        terms.addAll(settings.partitionBy());
        PartitionSpec spec = PartitionSpecs.build(schema, terms,
                source -> TributaryColumns.ALL.contains(source) ? source : columnOf.getOrDefault(source, IcebergNames.RULE.normalise(source)),
                id.toString());
        Map<String, String> props = new HashMap<>();
        props.put(TableProperties.FORMAT_VERSION, "2");
        props.put(TableProperties.DEFAULT_FILE_FORMAT, "parquet");
        props.put(TableProperties.PARQUET_COMPRESSION, "zstd");
        // Tributary re-reads the snapshot's state before each try (see IcebergStreamWriter), so Iceberg must not retry on its own
        props.put(TableProperties.COMMIT_NUM_RETRIES, "0");
        if (!json.isEmpty()) props.put(IcebergTypes.JSON_COLUMNS, TableShape.jsonColumnsValue(json));
        if (!primaryKey.isEmpty()) props.put(PRIMARY_KEY, String.join(",", primaryKey.stream().map(k -> columnOf.getOrDefault(k, k)).toList()));
        props.putAll(settings.properties());
        try {
            return catalog.createTable(id, schema, spec, props);
        } catch (AlreadyExistsException raced) {
            return catalog.loadTable(id);
        }
    }
}
