package dev.tributary.cli;

import dev.tributary.project.Project;
import dev.tributary.transform.WarehouseTarget;
import dev.tributary.lakehouse.duckdb.LakehouseViews;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * Models of a project whose destination is {@code type: iceberg}: they run on DuckDB in {@value #MODELS_FILE} in the
 * project folder, where every lakehouse table is a view {@code "connection"."stream"} reading its current snapshot;
 * the views are brought up to date before each command that reads them (build, run, test, show, export...).
 */
final class LakehouseSources {
    static final String MODELS_FILE = "lakehouse.duckdb";

    private LakehouseSources() {
    }

    static boolean applies(Project project) {
        return project.destinationType().equals("iceberg");
    }

    /** The DuckDB file the models of a lakehouse project are built in, models in {@code main}. */
    static WarehouseTarget target(Project project) {
        return WarehouseTarget.duckdb(project.dir().resolve(MODELS_FILE), "main", 4);
    }

    /** For a lakehouse project, makes the views read the tables' current snapshots; nothing for other projects. */
    static void refresh(Project project, Consumer<String> log) {
        if (!applies(project)) return;
        try (Connection duckdb = target(project).connect()) {
            LakehouseViews.refresh(project.destinationConfig(), project.dir(), duckdb, log);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update the lakehouse views in " + project.dir().resolve(MODELS_FILE) + ": " + e.getMessage(), e);
        }
    }
}
