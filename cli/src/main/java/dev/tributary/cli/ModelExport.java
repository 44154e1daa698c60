package dev.tributary.cli;

import dev.tributary.exports.ExportLocation;
import dev.tributary.exports.ExportResult;
import dev.tributary.exports.PartitionedExport;
import dev.tributary.exports.S3Settings;
import dev.tributary.project.Project;
import dev.tributary.spi.ConfigException;
import dev.tributary.transform.WarehouseTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Exports a model or table of a project's DuckDB warehouse (or of a lakehouse project's {@code lakehouse.duckdb}):
 * to one Parquet or CSV file, written beside it and moved into place, or, with partition_by, as Hive-partitioned
 * Parquet in a folder or under s3:// (see {@link PartitionedExport}). The export step and {@code tributary export}
 * share it; {@code options} are the step's (model, path, format, partition_by, keep_other_partitions, s3.*).
 */
final class ModelExport {
    private ModelExport() {
    }

    /**
     * Runs the export; returns its one-line summary, which {@code log} (progress: views refreshed, partitions written)
     * does not repeat. {@code where} names the step or command in configuration errors. {@code gate} is asked right
     * before the file is moved into place (each partition's commit for a partitioned export): when it says false
     * nothing more is replaced and the export fails (serve's step: a worker that may no longer write for its run).
     */
    static String run(Project project, Map<String, String> options, String where, Consumer<String> log, BooleanSupplier gate) throws SQLException {
        String model = options.get("model");
        String path = options.get("path");
        // a pipeline's step is configuration in tributary.yml; the export command's arguments are not
        String configFile = where.equals("export") ? "" : "pipelines";
        if (model == null || path == null) throw new ConfigException(configFile, where, "an export needs model and path");
        WarehouseTarget target = TransformArgs.warehouseOf(project);
        if (!target.type().equals("duckdb")) {
            throw new ConfigException(configFile, where, "export runs on a DuckDB warehouse (this project's is " + target.type() + ")");
        }
        LakehouseSources.refresh(project, log);
        String relation = relation(target, model);
        String partitionBy = options.get("partition_by");
        try (Connection c = target.connect()) {
            requireRelation(c, target, model);
            if (partitionBy == null) return toFile(project, c, relation, model, path, options.getOrDefault("format", "parquet"), gate);
            ExportLocation location = ExportLocation.parse(path, project.dir());
            S3Settings s3 = location instanceof ExportLocation.S3Prefix
                    ? S3Settings.from(project::variable, options.get("s3.endpoint"), options.get("s3.region"),
                    options.containsKey("s3.path_style") ? Boolean.valueOf(options.get("s3.path_style")) : null)
                    : null;
            PartitionedExport.Options exportOptions = new PartitionedExport.Options(Arrays.stream(partitionBy.split(",")).map(String::trim).toList(),
                    Boolean.parseBoolean(options.getOrDefault("keep_other_partitions", "false")), s3, project.dir().resolve(".tributary"));
            ExportResult r = new PartitionedExport(c, log).useCommitGate(gate).run(relation, model, location, exportOptions);
            String summary = String.format(Locale.ROOT, "%,d rows in %d partition%s (%d file%s, %,d bytes) to %s%s", r.rows(), r.partitionsWritten(),
                    r.partitionsWritten() == 1 ? "" : "s", r.files(), r.files() == 1 ? "" : "s", r.bytes(), r.location(),
                    r.partitionsRemoved() == 0 ? "" : "; " + r.partitionsRemoved() + " partition" + (r.partitionsRemoved() == 1 ? "" : "s") + " removed (no rows now, or of an earlier partitioning)");
            return summary; // the caller prints it once: the command on stdout, the step as its outcome
        } catch (IllegalArgumentException e) {
            throw new ConfigException(configFile, where, e.getMessage());
        }
    }

    /** An unknown name is a configuration error naming what there is, not DuckDB's catalog error from inside a COPY. */
    private static void requireRelation(Connection c, WarehouseTarget target, String name) throws SQLException {
        int dot = name.indexOf('.');
        String schema = dot < 0 ? target.schema() : name.substring(0, dot);
        String table = dot < 0 ? name : name.substring(dot + 1);
        List<String> known = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT DISTINCT table_schema, table_name FROM information_schema.tables WHERE table_catalog = current_database()"
                     + " ORDER BY 1, 2")) {
            while (rs.next()) {
                if (rs.getString(1).equalsIgnoreCase(schema) && rs.getString(2).equalsIgnoreCase(table)) return;
                known.add(rs.getString(1).equalsIgnoreCase(target.schema()) ? rs.getString(2) : rs.getString(1) + "." + rs.getString(2));
            }
        }
        known.removeIf(n -> n.startsWith("_tributary") || n.contains("._tributary"));
        throw new IllegalArgumentException("no model or table " + name + " in the warehouse (build the model, or name a synced table as connection.table)"
                + dev.tributary.spi.Config.didYouMean(name, known));
    }

    /** {@code name} as a model of the warehouse's schema, or {@code schema.table} (a synced table: connection.table). */
    private static String relation(WarehouseTarget target, String name) {
        int dot = name.indexOf('.');
        List<String> parts = dot < 0 ? List.of(target.schema(), name) : List.of(name.substring(0, dot), name.substring(dot + 1));
        return quote(parts.get(0)) + "." + quote(parts.get(1));
    }

    private static String toFile(Project project, Connection c, String relation, String model, String path, String format, BooleanSupplier gate)
            throws SQLException {
        Path file = project.dir().resolve(path).normalize();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the folder of " + file + ": " + e.getMessage(), e);
        }
        String tmp = file + ".tmp";
        try (Statement s = c.createStatement()) {
            // written beside the target then moved, so readers never see half a file
            s.execute("COPY (SELECT * FROM " + relation + ") TO '" + tmp.replace("'", "''") + "' (FORMAT " + format + (format.equals("csv") ? ", HEADER" : "") + ")");
            long rows;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + relation)) {
                rs.next();
                rows = rs.getLong(1);
            }
            if (!gate.getAsBoolean()) {
                Files.deleteIfExists(Path.of(tmp));
                throw new IllegalStateException("export of " + model + " not moved into place at " + project.dir().relativize(file)
                        + ": the commit gate refused (this process may no longer write for the run)");
            }
            Files.move(Path.of(tmp), file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return String.format(Locale.ROOT, "%,d rows to %s (%s)", rows, project.dir().relativize(file), format);
        } catch (IOException e) {
            throw new IllegalStateException("cannot move " + tmp + " to " + file + ": " + e.getMessage(), e);
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
