package dev.tributary.lakehouse.duckdb;

import dev.tributary.lakehouse.duckdb.SnapshotScan.FileRef;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * The DuckDB query that reads exactly a table's current snapshot: its data files through {@code read_parquet} with
 * the columns matched by Iceberg field id and named as the current schema names them (NULL where a file predates a
 * column), minus the rows position deletes name (an anti-join on the file's place in the list and the row number,
 * for deletes not older than the file) and minus the rows equality deletes match (an anti-join on the equality
 * columns, NULLs matching NULLs, with deletes newer than the data file, in its partition or written unpartitioned).
 * Data columns are read as {@code c<field id>} so no column name can clash with the helper columns.
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
        String dataRead = "read_parquet(" + files(scan.data()) + ", schema = " + schemaMap(schema, schema.columns().stream().map(Types.NestedField::fieldId).toList(), scan.table()) + ")";
        if (scan.positionDeletes().isEmpty() && scan.equalityDeletes().isEmpty()) return "SELECT " + select + "\nFROM " + dataRead + " AS d";
        // file_index (the file's place in the list) and file_row_number are read_parquet's virtual columns: rows are
        // told apart by two integers, and each file's sequence number, spec and partition are looked up by its index
        StringBuilder sql = new StringBuilder("SELECT ").append(select).append("\nFROM (SELECT *, file_index::BIGINT AS fi, file_row_number AS pos");
        if (!scan.equalityDeletes().isEmpty()) {
            sql.append(", ").append(lookup(scan.data(), f -> Long.toString(f.sequence()))).append(" AS seq, ")
                    .append(lookup(scan.data(), f -> Integer.toString(f.specId()))).append(" AS spec, ")
                    .append(lookup(scan.data(), f -> literal(f.partition()))).append(" AS part");
        }
        sql.append(" FROM ").append(dataRead).append(") AS d");
        if (!scan.positionDeletes().isEmpty()) {
            StringJoiner dataFiles = new StringJoiner(", ");
            for (int i = 0; i < scan.data().size(); i++) {
                FileRef f = scan.data().get(i);
                dataFiles.add("(" + i + ", " + literal(f.location()) + ", " + f.sequence() + ")");
            }
            sql.append("\nANTI JOIN (SELECT f.fi, p.pos FROM (SELECT file_path, pos, ").append(lookup(scan.positionDeletes(), f -> Long.toString(f.sequence())))
                    .append(" AS seq FROM read_parquet(").append(files(scan.positionDeletes())).append(")) AS p JOIN (VALUES ").append(dataFiles)
                    .append(") AS f(fi, location, seq) ON f.location = p.file_path WHERE p.seq >= f.seq) AS pd ON pd.fi = d.fi AND pd.pos = d.pos");
        }
        int group = 0;
        for (Map.Entry<List<Integer>, List<FileRef>> g : scan.equalityGroups().entrySet()) {
            // global deletes and partition-scoped ones apart: an OR in the join condition would make DuckDB loop
            for (boolean global : List.of(true, false)) {
                List<FileRef> deletes = g.getValue().stream().filter(f -> f.global() == global).toList();
                if (deletes.isEmpty()) continue;
                String e = "e" + group++;
                // struct equality is NULL-safe (NULL matches NULL, as Iceberg's equality deletes do) and, unlike IS NOT
                // DISTINCT FROM beside the other conditions, makes DuckDB plan a hash join
                StringJoiner left = new StringJoiner(", ", "{", "}");
                StringJoiner right = new StringJoiner(", ", "{", "}");
                for (int id : g.getKey()) {
                    left.add("'k" + id + "': " + e + "." + column(id));
                    right.add("'k" + id + "': d." + column(id));
                }
                sql.append("\nANTI JOIN (SELECT *, ").append(lookup(deletes, f -> Long.toString(f.sequence()))).append(" AS seq");
                if (!global) {
                    sql.append(", ").append(lookup(deletes, f -> Integer.toString(f.specId()))).append(" AS spec, ")
                            .append(lookup(deletes, f -> literal(f.partition()))).append(" AS part");
                }
                sql.append(" FROM read_parquet(").append(files(deletes)).append(", schema = ").append(schemaMap(schema, g.getKey(), scan.table()))
                        .append(")) AS ").append(e).append(" ON ").append(left).append(" = ").append(right).append(" AND ").append(e).append(".seq > d.seq");
                if (!global) sql.append(" AND ").append(e).append(".spec = d.spec AND ").append(e).append(".part = d.part");
            }
        }
        return sql.toString();
    }

    /** The value of each file, picked by the row's {@code file_index}: a constant list indexed per row. */
    private static String lookup(List<FileRef> files, java.util.function.Function<FileRef, String> value) {
        StringJoiner list = new StringJoiner(", ", "[", "]");
        for (FileRef f : files) list.add(value.apply(f));
        return list + "[file_index::BIGINT + 1]";
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
