package dev.tributary.destination.postgres;

import static dev.tributary.destination.postgres.Identifiers.quote;

import dev.tributary.destination.warehouse.Column;
import dev.tributary.destination.warehouse.MetadataColumns;
import dev.tributary.destination.warehouse.TableCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/** What PostgreSQL adds to the kit's {@link TableCatalog}: the binary-COPY type check and the merge key index. */
final class PostgresTables {
    private PostgresTables() {}

    /**
     * Whether every column of the table has exactly the type Tributary would give it (and the metadata columns
     * theirs), so that values can be sent in binary without a cast: a column made by hand as {@code integer} or
     * {@code varchar} cannot take a binary {@code bigint} or {@code text}.
     */
    static boolean holdsExactly(TableCatalog catalog, Connection c, TableName table) throws SQLException {
        for (Column column : catalog.allColumns(c, table.ref())) {
            String expected = MetadataColumns.isMetadata(column.name())
                    ? (column.name().equals(MetadataColumns.RUN_ID) ? "text" : "timestamp with time zone")
                    : PostgresTypes.formatType(column.type());
            if (!expected.equals(column.nativeType())) return false;
        }
        return true;
    }

    /**
     * Makes sure an index leads with the key columns, so that a merge finds the stored rows of its keys without
     * reading the whole table. Plain, not unique: the table may hold rows appended before it was merged into.
     */
    static void ensureKeyIndex(Connection c, TableName table, List<Column> key) throws SQLException {
        String name = Identifiers.fit(MetadataColumns.PREFIX + "_" + table.table() + "_"
                + key.stream().map(Column::name).collect(Collectors.joining("_")) + "_key");
        String columns = key.stream().map(k -> quote(k.name())).collect(Collectors.joining(", "));
        try (Statement s = c.createStatement()) {
            s.execute("CREATE INDEX IF NOT EXISTS " + quote(name) + " ON " + table.quoted() + " (" + columns + ")");
        }
    }
}
