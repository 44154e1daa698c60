package dev.tributary.exports;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Writes a relation as Hive-partitioned Parquet ({@code tenant=42/stream=contacts/part-<export id>-0.parquet}) to a
 * folder or S3, replacing each partition atomically for a reader that honours the partition's {@code _SUCCESS}
 * manifest: DuckDB's {@code COPY ... (FORMAT parquet, PARTITION_BY (...))} writes every file into a staging folder
 * first; then, partition by partition, the new files go in under fresh names, the manifest is replaced (the commit
 * point), and the files it no longer lists are deleted. Partitions the relation no longer has rows for are removed
 * (manifest first), unless {@link Options#keepOtherPartitions()}. A killed export leaves each partition either as it
 * was or as the new export made it; the next export deletes what a killed one left unlisted.
 */
public final class PartitionedExport {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /**
     * @param partitionBy          partition columns of the relation, outermost first (at least one)
     * @param keepOtherPartitions  leave partitions the relation has no rows for as they are (default: remove them)
     * @param s3                   how to reach S3, for an s3:// location
     * @param scratchDir           local folder for staging files before they go to S3
     */
    public record Options(List<String> partitionBy, boolean keepOtherPartitions, S3Settings s3, Path scratchDir) {
        public Options {
            partitionBy = List.copyOf(partitionBy);
            if (partitionBy.isEmpty()) throw new IllegalArgumentException("a partitioned export needs at least one partition_by column");
            requireNonNull(scratchDir, "scratchDir is null");
        }
    }

    private final Connection duckdb;
    private final Consumer<String> progress;
    private final Function<Path, PartitionStore> localStores;
    private volatile java.util.function.BooleanSupplier commitGate = () -> true;

    /** @param duckdb a DuckDB connection that can read the relation; @param progress receives a line per step */
    public PartitionedExport(Connection duckdb, Consumer<String> progress) {
        this(duckdb, progress, LocalPartitionStore::new);
    }

    PartitionedExport(Connection duckdb, Consumer<String> progress, Function<Path, PartitionStore> localStores) {
        this.duckdb = requireNonNull(duckdb, "duckdb is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.localStores = requireNonNull(localStores, "localStores is null");
    }

    /**
     * Asked before each partition's files are published, right before its commit (its manifest) and before each
     * removal: when it says false the export
     * stops there with an {@link IllegalStateException}; each partition is left as it was or as this export made it,
     * and files published under fresh names that no manifest lists are deleted by the next export (a scheduler's
     * worker that may no longer write for its run: another may be exporting the same location).
     */
    public PartitionedExport useCommitGate(java.util.function.BooleanSupplier gate) {
        this.commitGate = requireNonNull(gate, "gate is null");
        return this;
    }

    private void requireGate(String before) {
        if (!commitGate.getAsBoolean()) {
            throw new IllegalStateException("export stopped before " + before + ": the commit gate refused (this process may no longer write for the run)");
        }
    }

    /**
     * Exports {@code relation} (a quoted table or view name, or a parenthesised query) to {@code location}.
     *
     * @param label what the relation is called in messages (a model name)
     */
    public ExportResult run(String relation, String label, ExportLocation location, Options options) throws SQLException {
        List<String> partitionBy = partitionColumns(relation, label, options.partitionBy());
        String exportId = ID_TIME.format(Instant.now()) + "-" + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
        try (PartitionStore store = open(location, options)) {
            Path stagingRoot = location instanceof ExportLocation.LocalFolder local ? LocalPartitionStore.staging(local.root())
                    : options.scratchDir().resolve("export-staging").resolve(safeName(location.describe()));
            deleteTree(stagingRoot); // a killed export's staging files; no other export writes this location now (local: the lock)
            Path staging = stagingRoot.resolve(exportId);
            try {
                return export(relation, store, staging, partitionBy, exportId, options.keepOtherPartitions());
            } finally {
                deleteTree(stagingRoot);
            }
        }
    }

    private ExportResult export(String relation, PartitionStore store, Path staging, List<String> partitionBy, String exportId, boolean keepOthers)
            throws SQLException {
        int depth = partitionBy.size();
        Set<String> before = store.partitions(depth);
        // partitions of an export by other columns (another depth): left in place, a glob would read their rows too
        Set<String> otherLayout = new TreeSet<>(store.filledPartitions());
        otherLayout.removeIf(p -> p.split("/").length == depth);
        if (keepOthers && !otherLayout.isEmpty()) {
            throw new IllegalArgumentException(store.describe() + " holds partitions of an export by other columns (" + String.join(", ", otherLayout.stream().limit(3).toList())
                    + (otherLayout.size() > 3 ? ", ..." : "") + "), which keep_other_partitions would leave beside these; export without it to replace them, or to another location");
        }
        try {
            Files.createDirectories(staging.getParent());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + staging.getParent() + ": " + e.getMessage(), e);
        }
        String columns = String.join(", ", partitionBy.stream().map(PartitionedExport::quote).toList());
        try (Statement s = duckdb.createStatement()) {
            s.execute("COPY (SELECT * FROM " + relation + ") TO " + literal(staging.toString()) + " (FORMAT parquet, PARTITION_BY (" + columns + "), FILENAME_PATTERN "
                    + literal("part-" + exportId + "-{i}") + ")");
        }
        Map<String, List<Path>> staged = stagedFiles(staging, depth);
        Map<Path, Long> rowsByFile = rowsByFile(staging, staged);
        progress.accept(String.format(Locale.ROOT, "staged %,d rows in %d partition%s; replacing them in %s", rowsByFile.values().stream().mapToLong(Long::longValue).sum(),
                staged.size(), staged.size() == 1 ? "" : "s", store.describe()));
        int files = 0;
        long rows = 0;
        long bytes = 0;
        for (Map.Entry<String, List<Path>> e : staged.entrySet()) {
            String partition = e.getKey();
            List<String> names = new ArrayList<>();
            long partitionRows = 0;
            requireGate("publishing " + partition);
            for (Path file : e.getValue()) {
                bytes += size(file);
                partitionRows += rowsByFile.get(file);
                names.add(file.getFileName().toString());
                store.publish(file, partition, file.getFileName().toString());
            }
            List<String> old = store.dataFiles(partition);
            requireGate("committing " + partition);
            store.commit(partition, new PartitionManifest(exportId, names, partitionRows, Instant.now()));
            for (String name : old) {
                if (!names.contains(name)) store.delete(partition, name);
            }
            files += names.size();
            rows += partitionRows;
            progress.accept(String.format(Locale.ROOT, "%s: %,d row%s in %d file%s", partition, partitionRows, partitionRows == 1 ? "" : "s", names.size(),
                    names.size() == 1 ? "" : "s"));
        }
        int removed = 0;
        for (String partition : before) {
            if (staged.containsKey(partition)) continue;
            Set<String> keep = new HashSet<>();
            if (keepOthers) store.manifest(partition).ifPresent(m -> keep.addAll(m.files()));
            if (!keepOthers) {
                requireGate("removing " + partition);
                store.delete(partition, PartitionManifest.FILE_NAME); // gone for manifest readers first, then the files
                removed++;
                progress.accept(partition + ": removed (no rows now)");
            }
            for (String name : store.dataFiles(partition)) {
                if (!keep.contains(name)) store.delete(partition, name);
            }
        }
        for (String partition : otherLayout) {
            requireGate("removing " + partition);
            store.delete(partition, PartitionManifest.FILE_NAME);
            for (String name : store.dataFiles(partition)) store.delete(partition, name);
            removed++;
            progress.accept(partition + ": removed (partitioned by other columns before)");
        }
        return new ExportResult(exportId, store.describe(), staged.size(), removed, files, rows, bytes);
    }

    private PartitionStore open(ExportLocation location, Options options) {
        return switch (location) {
            case ExportLocation.LocalFolder f -> localStores.apply(f.root());
            case ExportLocation.S3Prefix p -> {
                if (options.s3() == null) throw new IllegalArgumentException("an s3:// export needs S3 settings");
                yield new S3PartitionStore(options.s3().client(), p);
            }
        };
    }

    /** The partition columns as the relation spells them; an unknown one is an error naming the relation's columns. */
    private List<String> partitionColumns(String relation, String label, List<String> wanted) throws SQLException {
        Map<String, String> byLowerName = new LinkedHashMap<>();
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
            while (rs.next()) byLowerName.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(1));
        }
        List<String> out = new ArrayList<>();
        for (String w : wanted) {
            String actual = byLowerName.get(w.toLowerCase(Locale.ROOT));
            if (actual == null) {
                throw new IllegalArgumentException("partition_by column '" + w + "' is not a column of " + label + " (its columns: "
                        + String.join(", ", byLowerName.values()) + ")");
            }
            if (out.contains(actual)) throw new IllegalArgumentException("partition_by names column '" + actual + "' twice");
            out.add(actual);
        }
        if (out.size() == byLowerName.size()) {
            throw new IllegalArgumentException("partition_by takes every column of " + label + ": the files would have no columns left");
        }
        return out;
    }

    /** Staged data files by partition path, files in name order. */
    private static Map<String, List<Path>> stagedFiles(Path staging, int depth) {
        Map<String, List<Path>> out = new TreeMap<>();
        if (!Files.isDirectory(staging)) return out;
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
                Path relative = staging.relativize(p.getParent());
                if (relative.getNameCount() != depth || !PartitionPaths.isDataFile(p.getFileName().toString())) {
                    throw new IllegalStateException("unexpected file in the staged export: " + p);
                }
                out.computeIfAbsent(relative.toString().replace('\\', '/'), k -> new ArrayList<>()).add(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + staging + ": " + e.getMessage(), e);
        }
        return out;
    }

    private Map<Path, Long> rowsByFile(Path staging, Map<String, List<Path>> staged) throws SQLException {
        Map<String, Long> byName = new HashMap<>();
        if (!staged.isEmpty()) {
            String glob = staging + "/" + "*/".repeat(staged.keySet().iterator().next().split("/").length) + "*.parquet";
            try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery("SELECT file_name, sum(row_group_num_rows) FROM (SELECT DISTINCT file_name, row_group_id,"
                    + " row_group_num_rows FROM parquet_metadata(" + literal(glob) + ")) GROUP BY file_name")) {
                while (rs.next()) byName.put(Path.of(rs.getString(1)).toAbsolutePath().normalize().toString(), rs.getLong(2));
            }
        }
        Map<Path, Long> out = new HashMap<>();
        for (List<Path> files : staged.values()) {
            for (Path f : files) out.put(f, byName.getOrDefault(f.toAbsolutePath().normalize().toString(), 0L));
        }
        return out;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String safeName(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
