package dev.tributary.lakehouse.duckdb;

import dev.tributary.lakehouse.duckdb.SnapshotScan.FileRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * The DuckDB query that reads exactly a table's current snapshot: its data files through {@code read_parquet} with
 * the columns matched by Iceberg field id and named as the current schema names them (NULL where a file predates a
 * column), minus the rows position deletes name (file and row number, when the delete is not older than the file)
 * and minus the rows equality deletes match (NULLs match NULLs; only deletes newer than the data file, in its
 * partition or written unpartitioned). Data columns are read as {@code c<field id>} so no column name can clash with
 * {@code filename} and {@code file_row_number}.
 */
final class SnapshotSql {
    private SnapshotSql() {
    }

    static String of(SnapshotScan scan) {
        Schema schema = scan.schema();
        StringJoiner select = new StringJoiner(", ");
        for (Types.NestedField f : schema.columns()) select.add("d." + column(f.fieldId()) + " AS " + quote(f.name()));
        if (scan.data().isEmpty()) {
            StringJoiner typed = new StringJoiner(", ");
            for (Types.NestedField f : schema.columns()) typed.add("CAST(NULL AS " + DuckDbTypes.of(f.type(), scan.table(), f.name()) + ") AS " + quote(f.name()));
            return "SELECT " + typed + " WHERE false";
        }
        boolean deletes = !scan.positionDeletes().isEmpty() || !scan.equalityDeletes().isEmpty();
        StringBuilder sql = new StringBuilder("SELECT ").append(select).append("\nFROM read_parquet(").append(files(scan.data())).append(", schema = ")
                .append(schemaMap(schema, schema.columns().stream().map(Types.NestedField::fieldId).toList(), scan.table()))
                .append(deletes ? ", filename = true, file_row_number = true" : "").append(") AS d");
        if (!deletes) return sql.toString();
        sql.append("\nJOIN (VALUES ");
        StringJoiner rows = new StringJoiner(", ");
        for (FileRef f : scan.data()) {
            rows.add("(" + literal(f.path()) + ", " + literal(f.location()) + ", " + f.sequence() + ", " + f.specId() + ", " + literal(f.partition()) + ")");
        }
        sql.append(rows).append(") AS f(path, location, seq, spec, part) ON f.path = d.filename");
        List<String> conditions = new ArrayList<>();
        if (!scan.positionDeletes().isEmpty()) {
            conditions.add("NOT EXISTS (SELECT 1 FROM read_parquet(" + files(scan.positionDeletes()) + ", filename = true) AS p JOIN " + deleteFiles(scan.positionDeletes())
                    + " ON pf.path = p.filename WHERE p.file_path = f.location AND p.pos = d.file_row_number AND pf.seq >= f.seq)");
        }
        for (Map.Entry<List<Integer>, List<FileRef>> group : scan.equalityGroups().entrySet()) {
            StringJoiner match = new StringJoiner(" AND ");
            for (int id : group.getKey()) match.add("e." + column(id) + " IS NOT DISTINCT FROM d." + column(id));
            conditions.add("NOT EXISTS (SELECT 1 FROM read_parquet(" + files(group.getValue()) + ", schema = " + schemaMap(schema, group.getKey(), scan.table())
                    + ", filename = true) AS e JOIN " + deleteFiles(group.getValue()) + " ON pf.path = e.filename WHERE pf.seq > f.seq"
                    + " AND (pf.global OR (pf.spec = f.spec AND pf.part = f.part)) AND " + match + ")");
        }
        return sql.append("\nWHERE ").append(String.join("\n  AND ", conditions)).toString();
    }

    private static String deleteFiles(List<FileRef> files) {
        StringJoiner rows = new StringJoiner(", ");
        for (FileRef f : files) rows.add("(" + literal(f.path()) + ", " + f.sequence() + ", " + f.specId() + ", " + literal(f.partition()) + ", " + f.global() + ")");
        return "(VALUES " + rows + ") AS pf(path, seq, spec, part, global)";
    }

    /** read_parquet's schema argument: field id to the name we read it as and the type of the current schema. */
    private static String schemaMap(Schema schema, List<Integer> ids, String table) {
        StringJoiner entries = new StringJoiner(", ");
        for (int id : ids) {
            Types.NestedField f = schema.findField(id);
            entries.add(id + ": {name: " + literal(column(id).replace("\"", "")) + ", type: " + literal(DuckDbTypes.of(f.type(), table, f.name())) + ", default_value: NULL}");
        }
        return "MAP {" + entries + "}";
    }

    private static String files(List<FileRef> files) {
        StringJoiner list = new StringJoiner(", ", "[", "]");
        for (FileRef f : files) list.add(literal(f.path()));
        return list.toString();
    }

    private static String column(int fieldId) {
        return "\"c" + fieldId + "\"";
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
