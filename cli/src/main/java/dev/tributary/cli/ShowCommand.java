package dev.tributary.cli;

import dev.tributary.project.Project;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.transform.Node;
import dev.tributary.transform.ResourceType;
import dev.tributary.transform.TransformProject;
import dev.tributary.transform.WarehouseTarget;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tributary show NAME... | --inline SQL}: the row count and first rows of built models (or seeds, snapshots),
 * of any table in the warehouse ({@code connection.table}, as the sync summary names it, or {@code schema.table}), or
 * the first rows of a query. Reads the warehouse read-only. Exit code 0; 1 when a relation cannot be read (a model
 * not built yet) or the query fails; 2 for an unknown name (with a did-you-mean).
 */
@Command(name = "show", description = {"Print the row count and first rows of a model, seed, snapshot or any table, or of a query.",
        "A table is named connection.table, as the sync summary names it; --inline runs a read-only query."})
final class ShowCommand implements Callable<Integer> {
    private static final Set<ResourceType> SHOWN = Set.of(ResourceType.MODEL, ResourceType.SEED, ResourceType.SNAPSHOT);

    @CommandLine.ParentCommand
    TributaryCommand root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TransformArgs args;

    @Parameters(arity = "0..*", paramLabel = "NAME",
            description = "Models, seeds or snapshots, or tables: connection.table (e.g. hubspot.contacts) or schema.table.")
    List<String> names = new ArrayList<>();

    @Option(names = "--inline", paramLabel = "SQL", description = "Run this query (read-only) and print its first rows, e.g. \"select count(*) from hubspot.contacts\".")
    String inline;

    @Option(names = "--limit", defaultValue = "10", description = "Rows to print per relation (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--order-by", paramLabel = "SQL", description = "An ORDER BY expression for the rows shown, e.g. 'total desc'.")
    String orderBy;

    /** What to read: a label for the heading, the quoted relation, and what to advise when it cannot be read. */
    private record Shown(String label, String relation, String advice) {}

    @Override
    public Integer call() throws SQLException {
        if (names.isEmpty() == (inline == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), names.isEmpty()
                    ? "name a model or a table to show (e.g. 'show hubspot.contacts'), or give --inline SQL"
                    : "give either names or --inline SQL, not both");
        }
        if (limit < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--limit: expected 0 or more rows, got " + limit);
        Warehouse warehouse = warehouse();
        Optional<WarehouseReader> opened = WarehouseReader.open(warehouse.target);
        if (opened.isEmpty() && inline != null) {
            throw new ConfigException(warehouse.target.jdbcUrl().substring("jdbc:duckdb:".length()), "",
                    "the warehouse does not exist yet: run 'tributary sync' or 'tributary build' first");
        }
        try (WarehouseReader reader = opened.orElse(null)) {
            PrintWriter out = spec.commandLine().getOut();
            if (inline != null) return showQuery(reader, out);
            List<WarehouseReader.TableRef> tables = reader == null ? List.of() : reader.tables();
            List<Shown> shown = new ArrayList<>();
            for (String name : names) shown.add(resolve(name, warehouse, tables));
            if (reader == null) {
                for (Shown s : shown) {
                    spec.commandLine().getErr().println("tributary show: cannot read " + s.label + ": the warehouse does not exist yet; " + s.advice);
                }
                return ExitCode.FAILED;
            }
            return showRelations(reader, shown, out);
        }
    }

    private int showRelations(WarehouseReader reader, List<Shown> shown, PrintWriter out) throws SQLException {
        int code = ExitCode.OK;
        try (Statement s = reader.connection().createStatement()) {
            for (Shown one : shown) {
                try {
                    long count;
                    try (ResultSet rs = s.executeQuery("select count(*) from " + one.relation)) {
                        rs.next();
                        count = rs.getLong(1);
                    }
                    out.println(one.label + ": " + Table.count(count) + (count == 1 ? " row" : " rows"));
                    try (ResultSet rs = s.executeQuery("select * from " + one.relation + orderBy() + " limit " + Math.max(0, limit))) {
                        WarehouseReader.print(rs, out, 0);
                    }
                } catch (SQLException e) {
                    if (OperationalFailure.of(e).isPresent()) throw e;
                    reader.recover();
                    spec.commandLine().getErr().println("tributary show: cannot read " + one.label + ": "
                            + WarehouseReader.problem(e) + "; " + one.advice);
                    code = ExitCode.FAILED;
                }
                out.println();
            }
        }
        return code;
    }

    private int showQuery(WarehouseReader reader, PrintWriter out) throws SQLException {
        String sql = inline.strip();
        while (sql.endsWith(";")) sql = sql.substring(0, sql.length() - 1).strip();
        if (hasStatementSeparator(sql)) {
            // a second statement could end the read-only transaction (commit; ...) and write
            throw new dev.tributary.spi.ConfigException("--inline", "", "give one query; ';' separates statements and only one runs here");
        }
        try (Statement s = reader.connection().createStatement();
             ResultSet rs = s.executeQuery("select * from (" + sql + "\n) as inline_query" + orderBy() + " limit " + Math.max(0, limit))) {
            WarehouseReader.print(rs, out, 0);
        } catch (SQLException e) {
            if (OperationalFailure.of(e).isPresent()) throw e;
            spec.commandLine().getErr().println("tributary show: the query failed: " + WarehouseReader.problem(e));
            return ExitCode.FAILED;
        }
        return ExitCode.OK;
    }

    private String orderBy() {
        return orderBy == null || orderBy.isBlank() ? "" : " order by " + orderBy;
    }

    /** A model, seed or snapshot by name; else a table by connection.table, schema.table, or a name in the default schema. */
    private Shown resolve(String name, Warehouse warehouse, List<WarehouseReader.TableRef> tables) {
        TransformProject models = name.contains(".") ? warehouse.modelsIfLoadable() : warehouse.models();
        if (models != null && !name.contains(".")) {
            Optional<Node> node = models.nodes().values().stream().filter(n -> SHOWN.contains(n.resourceType()) && n.name().equals(name)).findFirst();
            if (node.isPresent()) {
                if ("ephemeral".equals(node.get().materialized())) {
                    throw new ConfigException(node.get().path(), name, "is ephemeral: it has no relation in the warehouse to show");
                }
                String relation = models.target().dialect().relation(node.get().schema(), node.get().identifier());
                return new Shown(name + " (" + relation + ")", relation, "build it first (tributary build -s " + name + ")");
            }
        }
        Optional<WarehouseReader.TableRef> table = findTable(name, warehouse, tables);
        if (table.isPresent()) {
            WarehouseReader.TableRef t = table.get();
            return new Shown(t.display(), WarehouseReader.relation(warehouse.target, t), "sync it first");
        }
        List<String> suggestions = new ArrayList<>();
        if (models != null) {
            models.nodes().values().stream().filter(n -> SHOWN.contains(n.resourceType()) && !"ephemeral".equals(n.materialized()))
                    .map(Node::name).forEach(suggestions::add);
        }
        for (WarehouseReader.TableRef t : tables) {
            if (t.table().startsWith("_tributary")) continue;
            suggestions.add(t.display());
            if (!warehouse.prefix.isEmpty() && t.schema().startsWith(warehouse.prefix)) {
                suggestions.add(t.schema().substring(warehouse.prefix.length()) + "." + t.table());
            }
        }
        String hint = Config.didYouMean(name, suggestions);
        if (hint.isEmpty()) {
            hint = tables.isEmpty() ? "; the warehouse has no tables yet (run 'tributary sync' first)"
                    : "; tables look like connection.table, as the sync summary names them (e.g. " + suggestions.stream()
                            .filter(s -> s.contains(".")).findFirst().orElse(tables.get(0).display()) + ")";
        }
        throw new ConfigException(warehouse.dir.toString(), name, "no " + (models != null ? "model, seed, snapshot or " : "") + "table of that name" + hint);
    }

    /** {@code a.b}: table b of schema {@code <schema_prefix>a} or a; a bare name: a table of the default schema. */
    private static Optional<WarehouseReader.TableRef> findTable(String name, Warehouse warehouse, List<WarehouseReader.TableRef> tables) {
        int dot = name.lastIndexOf('.');
        String table = name.substring(dot + 1);
        Set<String> schemas = new LinkedHashSet<>();
        if (dot < 0) {
            schemas.add(warehouse.target.schema());
        } else {
            String schema = name.substring(0, dot);
            schemas.add(warehouse.prefix + schema);
            schemas.add(schema);
        }
        for (String schema : schemas) {
            for (WarehouseReader.TableRef t : tables) {
                if (t.schema().equals(schema) && t.table().equals(table)) return Optional.of(t);
            }
            for (WarehouseReader.TableRef t : tables) {
                if (same(t.schema(), schema) && same(t.table(), table)) return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static boolean same(String stored, String given) {
        return stored.equalsIgnoreCase(given) || stored.equals(WarehouseReader.normalise(given));
    }

    /** Where to read: the project's destination (a Tributary project) or the profiles.yml target (a dbt project). */
    private Warehouse warehouse() {
        Path dir = args.dir(root.projectDir);
        if (Files.isRegularFile(dir.resolve(Project.FILE_NAME)) && args.profilesDir == null) {
            if (args.target != null) {
                throw new ConfigException(Project.FILE_NAME, "", "--target picks a profiles.yml target; this project's tables are in its tributary.yml destination"
                        + " (pass --profiles-dir to use profiles.yml instead)");
            }
            Project project = Project.load(dir, root.environment, root.connectors);
            WarehouseTarget target = TransformArgs.warehouseOf(project);
            LakehouseSources.refresh(project, spec.commandLine().getErr()::println);
            args.lakehouseViewsFresh = true; // the models load later, while the warehouse is open to read
            String prefix = target.type().equals("postgres") ? project.destinationConfig().string("schema_prefix", "").toLowerCase(Locale.ROOT) : "";
            return new Warehouse(dir, target, prefix, TransformArgs.hasModels(dir) ? this::loadModels : null);
        }
        TransformProject models = loadModels();
        return new Warehouse(dir, models.target(), "", () -> models);
    }

    private TransformProject loadModels() {
        return args.load(root.projectDir, root);
    }

    /** The warehouse to read, the schema prefix of a PostgreSQL destination, and the models when the project has any. */
    private static final class Warehouse {
        final Path dir;
        final WarehouseTarget target;
        final String prefix;
        private final java.util.function.Supplier<TransformProject> loader;
        private TransformProject models;
        private boolean loaded;

        Warehouse(Path dir, WarehouseTarget target, String prefix, java.util.function.Supplier<TransformProject> loader) {
            this.dir = dir;
            this.target = target;
            this.prefix = prefix;
            this.loader = loader;
        }

        /** The project's models (null when it has none); a project error stops the command. */
        TransformProject models() {
            if (!loaded && loader != null) models = loader.get();
            loaded = true;
            return models;
        }

        /** The models for suggestions only: null when there are none or they do not load. */
        TransformProject modelsIfLoadable() {
            try {
                return models();
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    /** Whether {@code sql} has a ';' outside quotes and comments, that is more than one statement. */
    static boolean hasStatementSeparator(String sql) {
        char quote = 0;
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (quote != 0) {
                if (ch == quote) quote = 0;
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
            } else if (ch == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                if (end < 0) return false;
                i = end;
            } else if (ch == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) return false;
                i = end + 1;
            } else if (ch == ';') {
                return true;
            }
        }
        return false;
    }
}
