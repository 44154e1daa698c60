package dev.tributary.lakehouse.duckdb;

import static java.util.Objects.requireNonNull;

import dev.tributary.destination.iceberg.IcebergCatalogs;
import dev.tributary.destination.iceberg.IcebergConfig;
import dev.tributary.destination.iceberg.LakehouseCatalog;
import dev.tributary.spi.Config;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Makes every table of a lakehouse catalog a view in a DuckDB database, {@code "namespace"."table"}, reading exactly
 * the table's current snapshot (see {@link SnapshotSql}); so {@code source('hubspot', 'contacts')} and
 * {@code show hubspot.contacts} read the lakehouse. A view is rewritten only when its table's metadata file changed
 * (each commit writes a new one); views of dropped tables are dropped. A table this reader cannot read exactly
 * becomes a view that fails, when queried, with the reason: models on other tables still run. For a lakehouse on
 * {@code s3://}, which this DuckDB cannot read, the views read a {@link LakehouseMirror} of the files instead.
 */
public final class LakehouseViews {
    /** Marks our views (their comment), with the version of the SQL they were made by and the metadata file they read. */
    static final String MARK = "tributary iceberg view v1: ";

    /**
     * What a refresh did.
     *
     * @param created    views written (new or changed tables)
     * @param unchanged  views whose table did not change
     * @param dropped    views of tables that are gone
     * @param unreadable tables this reader refused, each with its reason
     * @param downloaded      files the mirror of an object-store lakehouse downloaded (0 for a local folder)
     * @param downloadedBytes their bytes
     * @param evicted         files the mirror deleted because no current snapshot needs them any more
     */
    public record Refresh(int created, int unchanged, int dropped, List<String> unreadable, int downloaded, long downloadedBytes, int evicted) {
        public Refresh {
            unreadable = List.copyOf(unreadable);
        }
    }

    /** Where the mirror of an object-store lakehouse lives, under the project. */
    public static final String MIRROR_FOLDER = ".tributary/lakehouse-cache";

    private final Catalog catalog;
    private final LakehouseMirror mirror;
    private final String warehouse;
    private final Consumer<String> log;

    /** Views over a catalog whose files are local (a folder warehouse). */
    public LakehouseViews(Catalog catalog, Consumer<String> log) {
        this(catalog, null, null, log);
    }

    /**
     * Views over a catalog whose files are read through {@code mirror} (null: files are local); {@code warehouse}
     * names the store in errors.
     */
    public LakehouseViews(Catalog catalog, LakehouseMirror mirror, String warehouse, Consumer<String> log) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.mirror = mirror;
        this.warehouse = warehouse;
        this.log = requireNonNull(log, "log is null");
    }

    /**
     * Opens the lakehouse a {@code type: iceberg} destination names ({@code destination}, relative paths against
     * {@code projectDir}) and brings the views in {@code duckdb} up to its tables' current snapshots.
     */
    public static Refresh refresh(Config destination, Path projectDir, Connection duckdb, Consumer<String> log) throws SQLException {
        IcebergConfig config = IcebergConfig.parse(destination, projectDir);
        try (LakehouseCatalog lake = IcebergCatalogs.open(config, projectDir)) {
            LakehouseMirror mirror = config.isS3() ? new LakehouseMirror(lake.io(), projectDir.resolve(MIRROR_FOLDER), log) : null;
            return new LakehouseViews(lake.catalog(), mirror, config.warehouse(), log).refresh(duckdb);
        }
    }

    /** Brings the views in {@code duckdb} up to the catalog's current snapshots. */
    public Refresh refresh(Connection duckdb) throws SQLException {
        if (mirror == null) return refreshViews(duckdb);
        try (AutoCloseable cache = mirror.lock()) {
            mirror.begin();
            return refreshViews(duckdb);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("releasing the lakehouse cache " + mirror.folder() + ": " + e.getMessage(), e);
        }
    }

    private Refresh refreshViews(Connection duckdb) throws SQLException {
        Map<String, String> existing = existingViews(duckdb);
        Set<String> seen = new HashSet<>();
        int created = 0;
        int unchanged = 0;
        List<String> unreadable = new ArrayList<>();
        if (mirror != null) fromStore("reach it", () -> { mirror.probe(warehouse); return null; });
        for (TableIdentifier id : fromStore("list the tables", this::tables)) {
            String name = id.namespace() + "." + id.name();
            seen.add(name);
            Table table = fromStore("load table " + name, () -> catalog.loadTable(id));
            String mark = MARK + TableUtil.metadataFileLocation(table);
            boolean same = mark.equals(existing.get(name));
            if (same && mirror == null) {
                unchanged++;
                continue;
            }
            String relation = SnapshotSql.quote(id.namespace().toString()) + "." + SnapshotSql.quote(id.name());
            String body;
            try {
                SnapshotScan scan = mirror == null ? SnapshotScan.plan(table, name) : fromStore("plan the scan of " + name, () -> SnapshotScan.plan(table, name, mirror::localPath));
                if (mirror != null) {
                    for (SnapshotScan.FileRef f : scan.files()) fromStore("download " + f.location(), () -> { mirror.fetch(f.location(), f.path(), f.size()); return null; });
                }
                if (same) {
                    unchanged++;
                    continue;
                }
                body = viewSql(scan, duckdb);
            } catch (UnreadableTableException e) {
                if (same) {
                    unchanged++;
                    continue;
                }
                unreadable.add(e.getMessage());
                log.accept(e.getMessage());
                body = "SELECT * FROM (SELECT error(" + SnapshotSql.literal(e.getMessage()) + ") AS unreadable) WHERE unreadable IS NULL";
            }
            try (Statement s = duckdb.createStatement()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + SnapshotSql.quote(id.namespace().toString()));
                s.execute("CREATE OR REPLACE VIEW " + relation + " AS " + body);
                s.execute("COMMENT ON VIEW " + relation + " IS " + SnapshotSql.literal(mark));
            }
            created++;
        }
        int dropped = 0;
        for (String name : existing.keySet()) {
            if (seen.contains(name)) continue;
            int dot = name.indexOf('.');
            try (Statement s = duckdb.createStatement()) {
                s.execute("DROP VIEW IF EXISTS " + SnapshotSql.quote(name.substring(0, dot)) + "." + SnapshotSql.quote(name.substring(dot + 1)));
            }
            dropped++;
        }
        if (mirror == null) return new Refresh(created, unchanged, dropped, unreadable, 0, 0, 0);
        int evicted = mirror.prune();
        return new Refresh(created, unchanged, dropped, unreadable, mirror.downloadedFiles(), mirror.downloadedBytes(), evicted);
    }

    /**
     * Runs {@code work}, which reads the object store; its failure (the store unreachable, access denied...) becomes an
     * error naming the warehouse and what was being done. Without a mirror the work runs as it is.
     */
    private <T> T fromStore(String what, Supplier<T> work) {
        if (mirror == null) return work.get();
        try {
            return work.get();
        } catch (UnreadableTableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read the lakehouse " + warehouse + " to " + what + " (is the store reachable, and are the"
                    + " credentials right?): " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String first = e.getMessage();
        return t == e || t.getMessage() == null ? String.valueOf(first) : first + " (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")";
    }

    /** The query reading the snapshot {@code scan} planned; also checks that its data files carry Iceberg field ids. */
    private static String viewSql(SnapshotScan scan, Connection duckdb) throws SQLException {
        requireFieldIds(scan, duckdb);
        return SnapshotSql.of(scan);
    }

    /**
     * Refuses what would read as NULLs: a data file without Iceberg field ids (added with a name mapping), or one
     * without an identity partition column (whose values then live only in the metadata).
     */
    private static void requireFieldIds(SnapshotScan scan, Connection duckdb) throws SQLException {
        if (scan.data().isEmpty()) return;
        Map<String, SnapshotScan.FileRef> byPath = new HashMap<>();
        scan.data().forEach(f -> byPath.put(f.path(), f));
        List<String> files = new ArrayList<>();
        scan.data().forEach(f -> files.add(SnapshotSql.literal(f.path())));
        scan.equalityDeletes().forEach(f -> files.add(SnapshotSql.literal(f.path())));
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery("SELECT file_name, list(field_id) FILTER (WHERE field_id IS NOT NULL)"
                + " FROM parquet_schema([" + String.join(", ", files) + "]) GROUP BY file_name")) {
            while (rs.next()) {
                String file = rs.getString(1);
                Set<Integer> ids = new HashSet<>();
                for (Object id : (Object[]) rs.getArray(2).getArray()) ids.add(((Number) id).intValue());
                if (ids.isEmpty()) {
                    throw new UnreadableTableException(scan.table(), file + " has no Iceberg field ids (a file added with a name mapping?); columns are matched by field id here");
                }
                SnapshotScan.FileRef data = byPath.get(file);
                if (data == null) continue;
                for (int source : scan.identitySourcesBySpec().getOrDefault(data.specId(), Set.of())) {
                    if (!ids.contains(source) && scan.schema().findField(source) != null) {
                        throw new UnreadableTableException(scan.table(), file + " lacks the identity partition column " + scan.schema().findField(source).name()
                                + " (its values are only in the table's metadata), which this reader does not fill in");
                    }
                }
            }
        }
    }

    private List<TableIdentifier> tables() {
        List<TableIdentifier> out = new ArrayList<>();
        if (!(catalog instanceof SupportsNamespaces namespaces)) throw new IllegalStateException("the lakehouse catalog cannot list namespaces");
        for (Namespace ns : namespaces.listNamespaces(Namespace.empty())) out.addAll(catalog.listTables(ns));
        out.removeIf(id -> id.namespace().levels().length != 1);
        return out;
    }

    /** Our views now in the database, {@code schema.view} to comment. */
    private static Map<String, String> existingViews(Connection duckdb) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery("SELECT schema_name, view_name, comment FROM duckdb_views() WHERE NOT internal"
                + " AND database_name = current_database() AND starts_with(comment, " + SnapshotSql.literal(MARK) + ")")) {
            while (rs.next()) out.put(rs.getString(1) + "." + rs.getString(2), rs.getString(3));
        }
        return out;
    }
}
