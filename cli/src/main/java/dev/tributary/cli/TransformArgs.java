package dev.tributary.cli;

import dev.tributary.project.Project;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.SafeYaml;
import dev.tributary.transform.TransformOptions;
import dev.tributary.transform.TransformProject;
import dev.tributary.transform.WarehouseTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * The options every transform command shares: where the project and its warehouse are ({@code --project-dir},
 * {@code --profiles-dir}, {@code -t/--target}, {@code --vars}), and how they find the project: a dbt project
 * (dbt_project.yml, with profiles.yml) or a Tributary project (tributary.yml) whose models run on its own
 * destination, without profiles.yml. The options only some commands take are the nested mixins
 * {@link Selection}, {@link Threads} and {@link FullRefresh}, so each command lists only what applies to it.
 */
final class TransformArgs {
    @Option(names = "--vars", paramLabel = "YAML", description = "Values for var(), as a YAML mapping: '{key: value, other: 3}'.")
    String vars;

    @Option(names = {"-t", "--target"}, description = "The profiles.yml target (default: the profile's target); on a tributary.yml project with an iceberg destination, spark runs the models on Spark.")
    String target;

    @Option(names = "--profiles-dir", paramLabel = "DIR",
            description = "Folder holding profiles.yml (default: DBT_PROFILES_DIR, the project folder, then ~/.dbt).")
    Path profilesDir;

    @Option(names = "--project-dir", paramLabel = "DIR", description = "Same as -p/--project: the dbt project or Tributary project folder.")
    Path projectDir;

    /**
     * Set for a pipeline step's {@code target:}: on a tributary.yml project, a target other than a lakehouse's
     * {@code spark} then runs on that profiles.yml target (found as dbt finds it), as {@code -t} with
     * {@code --profiles-dir} does, instead of being refused as {@code -t} alone is.
     */
    boolean targetFromStep;

    /** Set once the lakehouse views were brought up to date in this command (they are, before its first load). */
    boolean lakehouseViewsFresh;

    /** {@code -s/--select} and {@code --exclude}: for the commands that work on a set of nodes. */
    static final class Selection {
        @Option(names = {"-s", "--select"}, arity = "1..*", paramLabel = "SELECTOR",
                description = "Nodes to include: names, +/n+ on either side, tag:, path:, resource_type:, source:; space = union, comma = intersection.")
        List<String> select = new ArrayList<>();

        @Option(names = "--exclude", arity = "1..*", paramLabel = "SELECTOR", description = "Nodes to leave out (same syntax as --select).")
        List<String> exclude = new ArrayList<>();

        TransformOptions applyTo(TransformOptions options) {
            return options.withSelect(select.toArray(String[]::new)).withExclude(exclude.toArray(String[]::new));
        }
    }

    /** {@code --threads}: for the commands that run nodes on a pool of connections. */
    static final class Threads {
        @Option(names = "--threads", description = "How many nodes run at once (default: the profile's threads; 4 on a Tributary destination).")
        Integer threads;
    }

    /** {@code --full-refresh}: for the commands that build seeds or models (and compile, where it decides is_incremental()). */
    static final class FullRefresh {
        @Option(names = "--full-refresh", description = "Rebuild incremental models and seeds from scratch.")
        boolean fullRefresh;
    }

    /** Loads the project in dir (or --project-dir) with no selection; throws ConfigException or ProjectException (exit 2). */
    TransformProject load(Path rootDir, TributaryCommand root) {
        return load(rootDir, root, UnaryOperator.identity());
    }

    /**
     * Loads the project in dir (or --project-dir), with {@code more} applied to the options (selection, threads,
     * full refresh); throws ConfigException or ProjectException (exit 2).
     */
    TransformProject load(Path rootDir, TributaryCommand root, UnaryOperator<TransformOptions> more) {
        Path dir = dir(rootDir);
        TransformOptions options = more.apply(TransformOptions.defaults()
                .withProfilesDir(profilesDir)
                .withTarget(target)
                .withVars(parseVars()));
        boolean tributaryProject = Files.isRegularFile(dir.resolve(Project.FILE_NAME));
        String sparkHint = "";
        if (tributaryProject && profilesDir == null) {
            if (!hasModels(dir)) {
                throw new ConfigException(dir.toString(), "", "no models/ folder (nor dbt_project.yml) next to " + Project.FILE_NAME + ": nothing to build");
            }
            Project project = Project.load(dir, root.environment, root.connectors);
            boolean onSpark = SPARK.equals(target) && project.destinationType().equals("iceberg");
            if (target == null || onSpark) {
                options = onDestination(options, project);
                if (onSpark) {
                    options = options.withWarehouse(sparkOnLakehouse(project));
                } else {
                    if (!lakehouseViewsFresh) LakehouseSources.refresh(project, System.err::println);
                    lakehouseViewsFresh = true;
                }
                return TransformProject.load(dir, options);
            }
            // a lakehouse's target: spark mistyped (sparkk, Spark) reads as a profiles.yml target: say which was meant
            if (project.destinationType().equals("iceberg")) {
                boolean close = !Config.didYouMean(target, List.of(SPARK)).isEmpty();
                sparkHint = close ? "; did you mean '" + SPARK + "'? it runs them on Spark over this lakehouse" : "; on this lakehouse, target: spark runs them on Spark";
            }
            if (!targetFromStep) {
                throw new ConfigException(Project.FILE_NAME, "", "--target picks a profiles.yml target; this project's models run on its tributary.yml destination"
                        + " (pass --profiles-dir to use profiles.yml instead" + (project.destinationType().equals("iceberg")
                        ? "; on this lakehouse, --target spark runs them on Spark)" : ")"));
            }
        }
        if (!Files.isRegularFile(dir.resolve("dbt_project.yml"))) {
            throw new ConfigException(dir.toString(), "", !tributaryProject ? "no dbt_project.yml or " + Project.FILE_NAME + " here (pass --project-dir DIR)"
                    : targetFromStep ? "the step's target '" + target + "' names a profiles.yml target, which runs the dbt project of dbt_project.yml (naming its"
                    + " profile), and there is none here (leave target out to run models/ on the tributary.yml destination" + sparkHint + ")"
                    : "--profiles-dir runs a dbt project, and there is no dbt_project.yml here (leave it out to run models/ on the tributary.yml destination)");
        }
        return TransformProject.load(dir, options);
    }

    /** The project folder these options point at: --project-dir, else the root's -p. */
    Path dir(Path rootDir) {
        return (projectDir != null ? projectDir : rootDir).toAbsolutePath().normalize();
    }

    /** Whether a Tributary project folder has models to load (a models/ folder or a dbt_project.yml). */
    static boolean hasModels(Path dir) {
        return Files.isDirectory(dir.resolve("models")) || Files.isRegularFile(dir.resolve("dbt_project.yml"));
    }

    /** Options running the models of a Tributary project on its destination, under its name. */
    static TransformOptions onDestination(TransformOptions options, Project project) {
        options = options.withWarehouse(warehouseOf(project)).withProjectName(project.name());
        if (project.destinationType().startsWith("postgres") && !options.vars().containsKey(TransformOptions.SCHEMA_PREFIX_VAR)) {
            // Connection X loads schema <schema_prefix>X; sources named after connections find it through this var.
            Map<String, Object> withPrefix = new LinkedHashMap<>(options.vars());
            withPrefix.put(TransformOptions.SCHEMA_PREFIX_VAR, project.destinationConfig().string("schema_prefix", "").toLowerCase(java.util.Locale.ROOT));
            options = options.withVars(withPrefix);
        }
        return options;
    }

    /** The warehouse of a Tributary project: its destination, models in main (DuckDB) or schema_prefix + public (PostgreSQL). */
    static WarehouseTarget warehouseOf(Project project) {
        Config d = project.destinationConfig();
        String where = project.locate(d.path());
        return switch (project.destinationType()) {
            case "duckdb" -> {
                String path = d.string("path", project.dir().resolve("warehouse.duckdb").toString());
                yield WarehouseTarget.of("duckdb", path, "main", null, null);
            }
            case "iceberg" -> LakehouseSources.target(project);
            case "postgres", "postgresql" -> {
                String url = d.optString("url").map(String::trim).orElse(null);
                if (url == null) {
                    String host = d.optString("host").orElseThrow(() -> new ConfigException(where, "destination.host", "is required (or give url)"));
                    String database = d.optString("database").orElseThrow(() -> new ConfigException(where, "destination.database", "is required (or give url)"));
                    url = "jdbc:postgresql://" + host.trim() + ":" + d.intValue("port", 5432) + "/" + database.trim();
                }
                // as the destination does for tables without a namespace: schema_prefix + public
                String schema = (d.string("schema_prefix", "") + "public").toLowerCase(java.util.Locale.ROOT);
                yield WarehouseTarget.of("postgres", url, schema, d.optString("user").orElse(null), d.optString("password").orElse(null));
            }
            default -> throw new ConfigException(where, "destination.type",
                    "models run on a duckdb, postgres or iceberg destination, not '" + project.destinationType() + "'");
        };
    }

    /** The target name that runs a lakehouse project's models on Spark instead of DuckDB ({@code build -t spark}). */
    static final String SPARK = "spark";

    /**
     * An Iceberg lakehouse destination with {@code --target spark}: models run as Spark SQL over the same catalog and
     * warehouse the syncs write (embedded SQLite or a JDBC catalog), in schema {@code analytics}, on an in-process Spark
     * {@code local[2]}. Another master, Spark Connect or more settings: a profiles.yml spark target (--profiles-dir).
     * Without --target the models run on DuckDB over the lakehouse views ({@link LakehouseSources}).
     */
    static WarehouseTarget sparkOnLakehouse(Project project) {
        Config d = project.destinationConfig();
        String where = project.locate(d.path());
        String warehouse = d.string("warehouse", "lakehouse");
        if (warehouse.startsWith("s3://") || warehouse.startsWith("s3a://")) {
            throw new ConfigException(where, "destination.warehouse", "models on an s3:// lakehouse are not supported yet (Spark would need the S3 file IO and"
                    + " credentials): run them on a Spark target in profiles.yml (--profiles-dir) whose catalog settings reach the bucket");
        }
        Config catalog = d.child("catalog");
        String type = catalog.string("type", "embedded").toLowerCase(java.util.Locale.ROOT);
        String name = catalog.string("name", "tributary");
        java.nio.file.Path dir = project.dir().resolve(warehouse).toAbsolutePath().normalize();
        Map<String, String> settings = new LinkedHashMap<>();
        switch (type) {
            case "embedded" -> settings.putAll(dev.tributary.transform.SparkTargets.icebergCatalog(name, "embedded", dir, null, null));
            case "jdbc" -> settings.putAll(dev.tributary.transform.SparkTargets.icebergCatalog(name, "jdbc", dir,
                    catalog.optString("url").orElseThrow(() -> new ConfigException(where, "destination.catalog.url", "is required for a jdbc catalog")),
                    catalog.optString("user").orElse(null)));
            default -> throw new ConfigException(where, "destination.catalog.type", "models run on an embedded or jdbc Iceberg catalog, not '" + type + "'");
        }
        return WarehouseTarget.spark("local[2]", "analytics", 2, settings, catalog.optString("password").orElse(null));
    }

    /** Vars a serve run was started with (the UI's or API's): they override {@link #vars}. */
    Map<String, String> runVars = Map.of();

    private Map<String, Object> parseVars() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (vars != null && !vars.isBlank()) {
            Object parsed = SafeYaml.load(vars, "--vars");
            if (!(parsed instanceof Map<?, ?> m)) throw new ConfigException("--vars", "", "expected a YAML mapping such as '{key: value}', got '" + vars + "'");
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
        }
        out.putAll(runVars);
        return out;
    }
}
