package dev.tributary.cli;

import dev.tributary.project.Project;
import dev.tributary.project.Workspace;
import dev.tributary.scheduler.MetadataStores;
import dev.tributary.scheduler.PipelineDef;
import dev.tributary.scheduler.PipelinesConfig;
import dev.tributary.scheduler.SchedulerOptions;
import dev.tributary.scheduler.StepDef;
import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.alert.AlertsConfig;
import dev.tributary.server.ChartDef;
import dev.tributary.server.DashboardDef;
import dev.tributary.server.ServerSettings;
import dev.tributary.spi.CheckResult;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.DataException;
import dev.tributary.transform.Node;
import dev.tributary.transform.ResourceType;
import dev.tributary.transform.TransformOptions;
import dev.tributary.transform.TransformProject;
import dev.tributary.transform.TransformRunner;
import java.io.PrintWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tributary check [connection]}: validates the whole project before touching anything (connector settings,
 * pipelines, alerts, scheduler, server and dashboards, and the models: parsed, refs and sources resolved), lists
 * every problem with its file and line, then compiles the models and tests the destination and each connection.
 * Exit code 0 when all pass, 1 when a connection or the destination cannot be reached, 2 on configuration problems.
 */
@Command(name = "check", description = "Validate the whole project (settings, pipelines, server, models) and test every connection (or one).")
final class CheckCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    TributaryCommand root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", description = "Connection to check (default: all).")
    String connection;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Project project = Project.loadWithoutConnectorValidation(root.projectDir, root.environment, root.connectors);
        if (connection != null) project.connection(connection);
        out.println("ok      project " + project.name() + " (" + project.dir() + ")");
        List<String> problems = new ArrayList<>();

        // with one connection named, the other connections' settings count only for keys no connector takes (as in sync)
        List<ConfigException> connectorProblems = project.connectorProblems().stream()
                .filter(e -> connection == null || !e.path().startsWith("connections.") || e.path().startsWith("connections." + connection + ".")
                        || e.getMessage().contains(": unknown key")).toList();
        connectorProblems.forEach(e -> problems.add(e.getMessage()));
        if (connectorProblems.isEmpty()) {
            out.println("ok      settings of the destination and " + count(project.connections().size(), "connection"));
        }
        Optional<TransformProject> models = validate(problems, () -> loadModels(project, out));
        Optional<Map<String, PipelineDef>> pipelines = validatePipelines(project, problems);
        pipelines.ifPresent(p -> {
            int before = problems.size();
            checkStepTargets(project, p, nodeNames(project, models), problems);
            checkLakehouseSteps(project, p, problems);
            checkStepWarehouses(project, p, problems);
            if (problems.size() == before) out.println("ok      pipelines: " + (p.isEmpty() ? "none" : String.join(", ", p.keySet())));
        });
        validate(problems, () -> AlertsConfig.parse(project.section("alerts"))).ifPresent(a -> out.println("ok      alerts"));
        validate(problems, () -> dev.tributary.scheduler.tenant.AppSettings.parse(project.section("app")))
                .ifPresent(app -> app.ifPresent(a -> out.println("ok      app: client " + a.clientId() + ", " + count(a.scopes().size(), "scope")
                        + ", installs come back to " + a.redirectUrl())));
        validate(problems, () -> {
            Config scheduler = project.section("scheduler");
            SchedulerOptions options = SchedulerOptions.from(scheduler);
            if (!scheduler.unknownKeys().isEmpty()) throw scheduler.unknownKeys().get(0);
            return options;
        }).ifPresent(s -> out.println("ok      scheduler"));
        validate(problems, () -> {
            MetadataStores.validate(project.section("server"));
            return ServerSettings.parse(project.section("server"), Map.of(ServerSettings.ENV_ADMIN_PASSWORD, "not-read-by-check"));
        }).ifPresent(s -> {
            int before = problems.size();
            checkChartModels(project, s.dashboards(), nodeNames(project, models), problems);
            if (problems.size() == before) out.println("ok      server: " + count(s.dashboards().size(), "dashboard"));
        });

        if (!problems.isEmpty()) {
            err.println("tributary: " + count(problems.size(), "configuration problem") + " (nothing was opened or tested):");
            problems.forEach(p -> err.println("  " + p));
            return ExitCode.CONFIG;
        }

        boolean allOk = true;
        try (Workspace workspace = new Workspace(project, root.connectors)) {
            try {
                out.println("ok      destination " + project.destinationType() + ": " + workspace.destination().describe());
            } catch (RuntimeException e) {
                if (e instanceof ConfigException) throw e;
                out.println("FAILED  destination " + project.destinationType() + ": " + e.getMessage());
                allOk = false;
            }
            if (allOk && models.isPresent()) {
                // Compiling renders every model for real (introspective macros may read the warehouse).
                int compiled = new TransformRunner(models.get(), null).compile().size();
                out.println("ok      compiled " + count(compiled, "node") + " into " + models.get().targetPath().resolve("compiled"));
            }
            List<String> names = connection != null ? List.of(connection) : List.copyOf(project.connections().keySet());
            for (String name : names) {
                if (project.connection(name).multiTenant()) {
                    out.println("ok      connection " + name + ": multi_tenant (each installed account is tested when serve syncs it)");
                    continue;
                }
                CheckResult r;
                try {
                    r = workspace.check(name);
                } catch (DataException e) {
                    r = CheckResult.failed(e.getMessage());
                }
                out.println((r.ok() ? "ok      " : "FAILED  ") + "connection " + name + ": " + r.message());
                allOk &= r.ok();
            }
        }
        return allOk ? ExitCode.OK : ExitCode.FAILED;
    }

    /** The models part, parsed with every ref and source resolved; empty when the project has none. */
    private static TransformProject loadModels(Project project, PrintWriter out) {
        if (!Files.isDirectory(project.dir().resolve("models")) && !Files.isRegularFile(project.dir().resolve("dbt_project.yml"))) {
            out.println("ok      models: none (no models/ folder)");
            return null;
        }
        TransformProject models = TransformProject.load(project.dir(), TransformArgs.onDestination(TransformOptions.defaults(), project));
        long modelCount = models.nodes().values().stream().filter(n -> n.resourceType() == ResourceType.MODEL).count();
        out.println("ok      models: " + count((int) modelCount, "model") + ", " + count(models.nodes().size() - (int) modelCount, "other node")
                + " and " + count(models.sources().size(), "source table") + " parsed, every ref and source found");
        return models;
    }

    /** Each pipeline parsed on its own, so every broken one is listed; empty when any is. */
    private static Optional<Map<String, PipelineDef>> validatePipelines(Project project, List<String> problems) {
        Config section = project.section("pipelines");
        if (!section.isPresent() || !section.json().isObject()) {
            return validate(problems, () -> PipelinesConfig.parse(section, project.connections().keySet()));
        }
        Map<String, PipelineDef> all = new java.util.LinkedHashMap<>();
        boolean ok = true;
        for (String name : section.keys()) {
            com.fasterxml.jackson.databind.node.ObjectNode one = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            one.set(name, section.json().get(name));
            Optional<Map<String, PipelineDef>> parsed = validate(problems,
                    () -> PipelinesConfig.parse(Config.of(one, section.path(), project::locate), project.connections().keySet()));
            if (parsed.isPresent()) all.putAll(parsed.get());
            else ok = false;
        }
        return ok ? Optional.of(all) : Optional.empty();
    }

    /** Build, run and test steps that name a model (plainly, or with + around it) must name one that exists. */
    private static void checkStepTargets(Project project, Map<String, PipelineDef> pipelines, Optional<Set<String>> known, List<String> problems) {
        if (known.isEmpty()) return;
        Set<String> names = known.get();
        for (PipelineDef p : pipelines.values()) {
            for (int i = 0; i < p.steps().size(); i++) {
                StepDef step = p.steps().get(i);
                if (step.kind() != StepKind.BUILD && step.kind() != StepKind.RUN && step.kind() != StepKind.TEST) continue;
                for (String target : step.targets()) {
                    for (String selector : target.split("[\\s,]+")) {
                        String name = selector.replaceAll("^[0-9]*\\+|\\+[0-9]*$", "");
                        if (name.isEmpty() || name.contains(":") || name.contains("*") || name.contains("/") || names.contains(name)) continue;
                        String path = "pipelines." + p.name() + ".steps[" + i + "]";
                        problems.add(new ConfigException(project.locate(path), path + "." + step.kind().name().toLowerCase(java.util.Locale.ROOT),
                                "no model, seed or snapshot named '" + name + "'" + Config.didYouMean(name, List.copyOf(names))).getMessage());
                    }
                }
            }
        }
    }

    /** Lakehouse steps maintain an Iceberg destination: on any other they could only fail at run time. */
    private static void checkLakehouseSteps(Project project, Map<String, PipelineDef> pipelines, List<String> problems) {
        if (project.destinationType().equals("iceberg")) return;
        for (PipelineDef p : pipelines.values()) {
            for (int i = 0; i < p.steps().size(); i++) {
                if (p.steps().get(i).kind() != StepKind.LAKEHOUSE) continue;
                String path = "pipelines." + p.name() + ".steps[" + i + "].lakehouse";
                problems.add(new ConfigException(project.locate(path), path, "a lakehouse step maintains an iceberg destination; this project's destination is "
                        + project.destinationType()).getMessage());
            }
        }
    }

    /**
     * A step's {@code target:} must be what {@code build -t} would take: spark on an iceberg destination, or a target of
     * the profile in profiles.yml (the models loaded on it, as the step will).
     */
    private void checkStepWarehouses(Project project, Map<String, PipelineDef> pipelines, List<String> problems) {
        for (PipelineDef p : pipelines.values()) {
            for (int i = 0; i < p.steps().size(); i++) {
                String target = p.steps().get(i).options().get("target");
                if (target == null || (target.equals(TransformArgs.SPARK) && project.destinationType().equals("iceberg"))) continue;
                String path = "pipelines." + p.name() + ".steps[" + i + "].target";
                TransformArgs args = new TransformArgs();
                args.target = target;
                args.targetFromStep = true;
                validate(problems, () -> {
                    try {
                        return args.load(project.dir(), root);
                    } catch (ConfigException | dev.tributary.project.ProjectException e) {
                        throw new ConfigException(project.locate(path), path, e.getMessage());
                    }
                });
            }
        }
    }

    /** A chart drawn from a model must name one that exists. */
    private static void checkChartModels(Project project, List<DashboardDef> dashboards, Optional<Set<String>> known, List<String> problems) {
        if (known.isEmpty()) return;
        Set<String> names = known.get();
        for (DashboardDef d : dashboards) {
            for (int i = 0; i < d.charts().size(); i++) {
                ChartDef chart = d.charts().get(i);
                if (chart.model().isPresent() && !names.contains(chart.model().get())) {
                    String path = "server.dashboards." + d.name() + ".charts[" + i + "].model";
                    problems.add(new ConfigException(project.locate(path), path, "no model named '" + chart.model().get() + "'"
                            + Config.didYouMean(chart.model().get(), List.copyOf(names))).getMessage());
                }
            }
        }
    }

    /**
     * The names of the models, seeds and snapshots: from the loaded project, or when it did not load (a problem listed
     * already) from the .sql and .csv files of a Tributary project's models/ and seeds/ folders; empty when unknown.
     */
    private static Optional<Set<String>> nodeNames(Project project, Optional<TransformProject> models) {
        Set<String> names = new TreeSet<>();
        if (models.isPresent()) {
            for (Node n : models.get().nodes().values()) {
                if (n.resourceType() == ResourceType.MODEL || n.resourceType() == ResourceType.SEED || n.resourceType() == ResourceType.SNAPSHOT) names.add(n.name());
            }
            return Optional.of(names);
        }
        if (Files.isRegularFile(project.dir().resolve("dbt_project.yml")) || !Files.isDirectory(project.dir().resolve("models"))) return Optional.empty();
        for (String folder : List.of("models", "seeds", "snapshots")) {
            Path dir = project.dir().resolve(folder);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> files = Files.walk(dir)) {
                files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".sql") || f.endsWith(".csv"))
                        .forEach(f -> names.add(f.substring(0, f.lastIndexOf('.'))));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.of(names);
    }

    /** Runs one validation; a configuration error becomes a listed problem instead of ending the check. */
    private static <T> Optional<T> validate(List<String> problems, Supplier<T> validation) {
        try {
            return Optional.ofNullable(validation.get());
        } catch (ConfigException | dev.tributary.project.ProjectException e) {
            problems.add(e.getMessage());
            return Optional.empty();
        }
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
