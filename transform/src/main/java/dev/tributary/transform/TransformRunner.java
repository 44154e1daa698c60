package dev.tributary.transform;

import dev.tributary.spi.ConfigException;
import dev.tributary.transform.dialect.Dialect;
import dev.tributary.transform.jinja.CompilationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the commands of a loaded project: build, run, test, seed, snapshot, checks, source freshness, compile, ls.
 * Nodes run in DAG order on a pool of {@code threads} connections; a node whose upstream failed is skipped.
 */
public final class TransformRunner {
    private final TransformProject project;
    private final ProgressListener listener;
    private final Dialect dialect;
    private final DagBuilder dag;
    private final NodeCompiler compiler;
    private final Map<String, String> compiled = new ConcurrentHashMap<>();
    private final String invocationId = UUID.randomUUID().toString();
    private volatile boolean cancelled;
    private volatile ConnectionPool activePool;
    private volatile java.util.function.BooleanSupplier commitGate = () -> true;

    public TransformRunner(TransformProject project, ProgressListener listener) {
        this.project = project;
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.dialect = project.dialect();
        this.dag = new DagBuilder(project.nodes);
        this.compiler = new NodeCompiler(project, project.options.fullRefresh());
    }

    /**
     * Stops a running command from another thread: statements running in the warehouse are cancelled (their nodes end
     * in error) and nodes not started yet are skipped. The command then returns as usual, with those results.
     */
    public void cancel() {
        cancelled = true;
        ConnectionPool pool = activePool;
        if (pool != null) pool.cancelStatements();
    }

    public boolean cancelled() {
        return cancelled;
    }

    /**
     * Asked right before each commit that changes a seed, model or snapshot (a table's or view's swap, an incremental
     * insert or merge, a snapshot's update), before on_schema_change alters a table, and before a node starts: when it
     * says false, that node commits nothing (its work is rolled back) and ends in error, and the command stops as if
     * cancelled. Spark and Snowflake commit each statement themselves: there the gate is asked before it. Tests, checks
     * and hooks are not gated (a hook's statement runs after its node's commit).
     */
    public void useCommitGate(java.util.function.BooleanSupplier gate) {
        this.commitGate = java.util.Objects.requireNonNull(gate, "gate is null");
    }

    /** The gate, which also stops the command the first time it refuses. */
    private boolean mayCommit() {
        if (commitGate.getAsBoolean()) return true;
        cancel();
        return false;
    }

    /** Seeds, snapshots, models, their tests and checks, in DAG order; a failing test skips its model's children. */
    public RunSummary build() {
        return execute("build", EnumSet.of(ResourceType.SEED, ResourceType.SNAPSHOT, ResourceType.MODEL, ResourceType.TEST, ResourceType.CHECK));
    }

    public RunSummary run() {
        return execute("run", EnumSet.of(ResourceType.MODEL));
    }

    public RunSummary test() {
        return execute("test", EnumSet.of(ResourceType.TEST));
    }

    public RunSummary seed() {
        return execute("seed", EnumSet.of(ResourceType.SEED));
    }

    public RunSummary snapshot() {
        return execute("snapshot", EnumSet.of(ResourceType.SNAPSHOT));
    }

    /** Data-quality checks only; {@link RunSummary#checkExitCode()} tells warnings, failures and errors apart. */
    public RunSummary checks() {
        return execute("checks", EnumSet.of(ResourceType.CHECK));
    }

    /** The exit code for an exception thrown by {@link TransformProject#load} or a command: 2 (project or config error). */
    public static int exitCodeFor(Throwable error) {
        return 2;
    }

    /** The --select criteria that match no node or source, for a warning (dbt's: a typo selects nothing, silently otherwise). */
    public List<String> unmatchedSelectors() {
        NodeSelector selector = new NodeSelector(project, dag);
        selector.select(project.options.select(), project.options.exclude());
        return selector.unmatched();
    }

    /** Lists selected nodes as dbt ls does: {@code project.folder.model}, and {@code source:project.src.table}. */
    public List<String> ls() {
        Set<String> selected = new NodeSelector(project, dag).select(project.options.select(), project.options.exclude());
        List<String> out = new ArrayList<>();
        for (Node n : project.nodes.values()) if (selected.contains(n.uniqueId)) out.add(String.join(".", n.fqn));
        for (SourceTable s : project.sources.values()) {
            if (selected.contains(s.uniqueId())) out.add("source:" + s.uniqueId().split("\\.")[1] + "." + s.sourceName() + "." + s.tableName());
        }
        return out;
    }

    /** Renders every selected model, snapshot and test; also writes target/compiled and target/manifest.json. */
    public List<CompiledNode> compile() {
        return finishingCompiledFiles(this::compileSelected);
    }

    /** Runs a command; when it fails midway, the compiled files queued so far are still written (and their thread ends). */
    private <T> T finishingCompiledFiles(java.util.function.Supplier<T> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            try {
                awaitCompiledFiles();
            } catch (RuntimeException w) {
                e.addSuppressed(w);
            }
            throw e;
        }
    }

    private List<CompiledNode> compileSelected() {
        Set<String> selected = new NodeSelector(project, dag).select(project.options.select(), project.options.exclude());
        Set<String> compiling = new LinkedHashSet<>();
        for (String id : selected) if (project.nodes.containsKey(id) && project.nodes.get(id).type != ResourceType.SEED) compiling.add(id);
        begin("compile", compiling);
        List<CompiledNode> out = new ArrayList<>();
        JdbcTimer timer = listener instanceof JdbcTimer t ? t : null;
        long connecting = System.nanoTime();
        try (Connection raw = project.target.connect()) {
            if (timer != null) timer.jdbcCall(System.nanoTime() - connecting);
            // macros' introspection queries (run_query, get_columns_in_relation...) are timed as in a build
            Connection c = timer == null ? raw : ConnectionPool.timed(raw, Connection.class, timer);
            for (String id : topologicalOrder(project.nodes.keySet())) {
                Node n = project.nodes.get(id);
                if (!selected.contains(id) || n.type == ResourceType.SEED) continue;
                String sql;
                try {
                    sql = compiler.compile(n, c);
                } catch (CompilationException e) {
                    throw new ConfigException(e.file() + (e.line() > 0 ? ":" + e.line() : ""), "", "Compilation Error in " + n.type.label() + " " + n.name + ": " + e.problem());
                }
                compiled.put(id, sql);
                writeCompiled(n, sql);
                out.add(new CompiledNode(id, n.name, n.type, n.path, sql));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + project.target + ": " + e.getMessage(), e);
        }
        writeManifest();
        return out;
    }

    /** {@code dbt source freshness}: age of max(loaded_at_field) against warn_after / error_after. */
    public RunSummary sourceFreshness() {
        Set<String> selected = new NodeSelector(project, dag).select(project.options.select(), project.options.exclude());
        Instant started = Instant.now();
        List<NodeResult> results = new ArrayList<>();
        List<SourceTable> tables = new ArrayList<>();
        for (SourceTable s : project.sources.values()) {
            if (selected.contains(s.uniqueId()) && s.loadedAtField() != null && (s.warnAfterSeconds() != null || s.errorAfterSeconds() != null)) tables.add(s);
        }
        try (Connection c = project.target.connect()) {
            int index = 0;
            for (SourceTable s : tables) {
                index++;
                Node display = new Node(s.uniqueId(), ResourceType.SOURCE, s.sourceName() + "." + s.tableName(), s.path(), "", 0);
                display.schema = s.schema();
                display.identifier = s.identifier();
                listener.nodeStarted(display, index, tables.size());
                Instant t0 = Instant.now();
                NodeStatus status;
                String message;
                Double age = null;
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("select max(" + s.loadedAtField() + ") from " + dialect.relation(s.schema(), s.identifier()))) {
                    rs.next();
                    Instant latest = CheckRunner.instant(rs.getObject(1));
                    age = latest == null ? Double.POSITIVE_INFINITY : (System.currentTimeMillis() - latest.toEpochMilli()) / 1000.0;
                    if (s.errorAfterSeconds() != null && age > s.errorAfterSeconds()) status = NodeStatus.ERROR;
                    else if (s.warnAfterSeconds() != null && age > s.warnAfterSeconds()) status = NodeStatus.WARN;
                    else status = NodeStatus.PASS;
                    message = latest == null ? "no rows" : "max(" + s.loadedAtField() + ") = " + latest + ", " + CheckRunner.format(age) + "s ago";
                } catch (SQLException e) {
                    status = NodeStatus.ERROR;
                    message = "Database Error in source " + display.name + " (" + s.path() + ")\n  " + databaseMessage(e);
                }
                Instant t1 = Instant.now();
                CheckOutcome outcome = new CheckOutcome(display.name, "source_freshness", display.name, s.loadedAtField(), age,
                        s.warnAfterSeconds() == null ? null : "> " + s.warnAfterSeconds() + "s", s.errorAfterSeconds() == null ? null : "> " + s.errorAfterSeconds() + "s", List.of());
                NodeResult r = new NodeResult(s.uniqueId(), display.name, ResourceType.SOURCE, "source", status, message, null, seconds(t0, t1), t0, t1, null,
                        dialect.relation(s.schema(), s.identifier()), Thread.currentThread().getName(), outcome);
                results.add(r);
                listener.nodeFinished(display, r, index, tables.size());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + project.target + ": " + e.getMessage(), e);
        }
        RunSummary summary = new RunSummary("source freshness", results, seconds(started, Instant.now()));
        writeArtifacts(summary);
        return summary;
    }

    // ------------------------------------------------------------------ execution

    /** Tells the Jinja context which command runs ({@code flags.WHICH}) and what it selected ({@code selected_resources}). */
    private void begin(String command, Set<String> selected) {
        project.engine.putGlobal("flags", Map.of("FULL_REFRESH", project.options.fullRefresh(), "WHICH", command));
        project.engine.putGlobal("selected_resources", List.copyOf(selected));
    }

    private RunSummary execute(String command, Set<ResourceType> types) {
        return finishingCompiledFiles(() -> executeSelected(command, types));
    }

    private RunSummary executeSelected(String command, Set<ResourceType> types) {
        Instant started = Instant.now();
        Set<String> selected = new NodeSelector(project, dag).select(project.options.select(), project.options.exclude());
        Set<String> runSet = new LinkedHashSet<>();
        for (String id : topologicalOrder(project.nodes.keySet())) {
            Node n = project.nodes.get(id);
            if (selected.contains(id) && types.contains(n.type) && !(n.type == ResourceType.MODEL && n.materialized().equals("ephemeral"))) runSet.add(id);
        }
        begin(command, runSet);
        Map<String, Set<String>> deps = executionDependencies(runSet, command.equals("build"));
        List<NodeResult> results = new ArrayList<>();
        if (!runSet.isEmpty()) {
            int threads = Math.max(1, Math.min(project.target.threads(), runSet.size()));
            try (ConnectionPool pool = new ConnectionPool(project.target, threads, listener instanceof JdbcTimer t ? t : null)) {
                activePool = pool;
                if (cancelled) pool.cancelStatements();
                List<String> schemas = createSchemas(pool, runSet);
                boolean hooks = !command.equals("checks");
                NodeResult startFailure = hooks ? runOperations("on-run-start", project.onRunStart, pool, schemas) : null;
                if (startFailure != null) {
                    results = new ArrayList<>(List.of(startFailure));
                } else {
                    results = new ArrayList<>(schedule(runSet, deps, pool, threads));
                    if (results.stream().anyMatch(r -> r.resourceType() == ResourceType.CHECK)) storeChecks(pool, results, started);
                    NodeResult endFailure = hooks ? runOperations("on-run-end", project.onRunEnd, pool, schemas) : null;
                    if (endFailure != null) results.add(endFailure);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot connect to " + project.target + ": " + e.getMessage(), e);
            }
        }
        RunSummary summary = new RunSummary(command, results, seconds(started, Instant.now()));
        writeArtifacts(summary);
        return summary;
    }

    private List<String> createSchemas(ConnectionPool pool, Set<String> runSet) throws SQLException {
        Set<String> schemas = new TreeSet<>();
        Set<String> audit = new TreeSet<>();
        Map<String, Node> quotedApart = new LinkedHashMap<>(); // a schema a node's own quoting config names otherwise
        for (String id : runSet) {
            Node n = project.nodes.get(id);
            if (n.type == ResourceType.MODEL || n.type == ResourceType.SEED || n.type == ResourceType.SNAPSHOT) {
                schemas.add(n.schema);
                Dialect own;
                try {
                    own = n.dialect(dialect);
                } catch (ConfigException e) {
                    continue; // the node fails with it when it runs
                }
                if (own != dialect) quotedApart.putIfAbsent(own.relation(n.schema, "x"), n);
            }
            // a test storing its failures writes to the audit schema; created here once, not by tests running side by side
            // (hooks' `schemas` stays the relations' schemas)
            if (n.type == ResourceType.TEST && !TestExecutor.storeFailuresAs(n).equals("ephemeral")) audit.add(n.schema);
        }
        Connection c = pool.borrow();
        try {
            for (String s : schemas) dialect.createSchema(c, s);
            for (String s : audit) if (!schemas.contains(s)) dialect.createSchema(c, s);
            for (Node n : quotedApart.values()) n.dialect(dialect).createSchema(c, n.schema);
        } finally {
            pool.release(c);
        }
        return new ArrayList<>(schemas);
    }

    private void storeChecks(ConnectionPool pool, List<NodeResult> results, Instant runAt) {
        Connection c = pool.borrow();
        try {
            new CheckRunner(dialect).store(c, project.target.schema() + "_tributary", invocationId, runAt, results);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store check results: " + e.getMessage(), e);
        } finally {
            pool.release(c);
        }
    }

    /** For each node to run, the nodes to run that it must wait for (through nodes that do not run). */
    private Map<String, Set<String>> executionDependencies(Set<String> runSet, boolean build) {
        Map<String, Set<String>> deps = new LinkedHashMap<>();
        for (String id : runSet) {
            Set<String> found = new LinkedHashSet<>();
            Deque<String> todo = new ArrayDeque<>(project.nodes.get(id).dependsOn);
            Set<String> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                String p = todo.pop();
                if (!seen.add(p)) continue;
                if (runSet.contains(p)) found.add(p);
                else if (project.nodes.containsKey(p)) todo.addAll(project.nodes.get(p).dependsOn);
            }
            deps.put(id, found);
        }
        if (build) {
            // like dbt build: the children of a model also wait for the model's tests and checks
            for (String id : runSet) {
                Node t = project.nodes.get(id);
                if ((t.type != ResourceType.TEST && t.type != ResourceType.CHECK) || t.attachedNode == null) continue;
                Set<String> testAncestors = dag.walk(id, true, -1);
                for (String child : runSet) {
                    Node cn = project.nodes.get(child);
                    if (cn.type == ResourceType.TEST || cn.type == ResourceType.CHECK) continue;
                    if (deps.get(child).contains(t.attachedNode) && !testAncestors.contains(child)) deps.get(child).add(id);
                }
            }
        }
        return deps;
    }

    private List<NodeResult> schedule(Set<String> runSet, Map<String, Set<String>> deps, ConnectionPool pool, int threads) {
        Map<String, Set<String>> remaining = new LinkedHashMap<>();
        Map<String, List<String>> children = new LinkedHashMap<>();
        for (String id : runSet) {
            remaining.put(id, new LinkedHashSet<>(deps.get(id)));
            for (String d : deps.get(id)) children.computeIfAbsent(d, k -> new ArrayList<>()).add(id);
        }
        int total = runSet.size();
        AtomicInteger counter = new AtomicInteger();
        Deque<String> ready = new ArrayDeque<>();
        for (String id : runSet) if (remaining.get(id).isEmpty()) ready.add(id);
        Map<String, String> blockedBy = new LinkedHashMap<>();
        List<NodeResult> results = new ArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "Thread-" + counter.get());
            t.setDaemon(true);
            return t;
        });
        CompletionService<NodeResult> done = new ExecutorCompletionService<>(executor);
        int inFlight = 0;
        try {
            while (results.size() < total) {
                while (!ready.isEmpty()) {
                    String id = ready.poll();
                    Node n = project.nodes.get(id);
                    int index = counter.incrementAndGet();
                    if (cancelled && !blockedBy.containsKey(id)) blockedBy.put(id, "(cancelled)");
                    if (blockedBy.containsKey(id)) {
                        Instant now = Instant.now();
                        NodeResult skip = new NodeResult(id, n.name, n.type, n.materialized(), NodeStatus.SKIP, (cancelled ? "SKIP (the command was cancelled)" : "SKIP (upstream " + blockedBy.get(id) + " did not succeed)"),
                                null, 0, now, now, null, relation(n), "main", null);
                        listener.nodeFinished(n, skip, index, total);
                        finish(skip, results, children, remaining, ready, blockedBy);
                        continue;
                    }
                    done.submit(() -> runNode(n, pool, index, total));
                    inFlight++;
                }
                if (inFlight == 0) break;
                NodeResult r = done.take().get();
                inFlight--;
                finish(r, results, children, remaining, ready, blockedBy);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("node execution failed: " + e.getCause(), e.getCause());
        } finally {
            executor.shutdownNow();
        }
        return results;
    }

    private static void finish(NodeResult r, List<NodeResult> results, Map<String, List<String>> children, Map<String, Set<String>> remaining,
                               Deque<String> ready, Map<String, String> blockedBy) {
        results.add(r);
        for (String child : children.getOrDefault(r.uniqueId(), List.of())) {
            if (r.status().blocksChildren()) blockedBy.putIfAbsent(child, blockedBy.getOrDefault(r.uniqueId(), r.name()));
            Set<String> rem = remaining.get(child);
            rem.remove(r.uniqueId());
            if (rem.isEmpty()) ready.add(child);
        }
    }

    private NodeResult runNode(Node n, ConnectionPool pool, int index, int total) {
        listener.nodeStarted(n, index, total);
        Instant t0 = Instant.now();
        Connection c = pool.borrow();
        NodeStatus status;
        String message;
        Long failures = null;
        String sql = null;
        CheckOutcome outcome = null;
        SnowflakeModels.Session session = null;
        SQLException restoreFailure = null;
        try {
            if (SnowflakeModels.applies(dialect) && n.type != ResourceType.CHECK) session = SnowflakeModels.enter(n, c, project.target.urlParameter("warehouse"));
            switch (n.type) {
                case SEED -> {
                    SqlRunner.requireGate(this::mayCommit);
                    runHooks(n, Node.PRE_HOOK, c);
                    message = new SeedLoader(n.dialect(dialect), project.options.fullRefresh(), this::mayCommit).load(n, project.root.resolve(n.path), c);
                    runHooks(n, Node.POST_HOOK, c);
                    status = NodeStatus.SUCCESS;
                }
                case MODEL -> {
                    sql = compileFor(n, c);
                    SqlRunner.requireGate(this::mayCommit);
                    runHooks(n, Node.PRE_HOOK, c);
                    message = new ModelMaterializer(n.dialect(dialect), project.options.fullRefresh(), this::mayCommit).materialize(n, sql, c);
                    runHooks(n, Node.POST_HOOK, c);
                    status = NodeStatus.SUCCESS;
                }
                case SNAPSHOT -> {
                    sql = compileFor(n, c);
                    SqlRunner.requireGate(this::mayCommit);
                    runHooks(n, Node.PRE_HOOK, c);
                    message = new SnapshotBuilder(n.dialect(dialect), this::mayCommit).build(n, sql, c);
                    runHooks(n, Node.POST_HOOK, c);
                    status = NodeStatus.SUCCESS;
                }
                case TEST -> {
                    sql = compileFor(n, c);
                    TestExecutor.Outcome o = new TestExecutor(dialect).run(n, sql, c);
                    status = o.status();
                    failures = o.failures();
                    message = o.message();
                }
                case CHECK -> {
                    sql = compileFor(n, c);
                    CheckRunner.Measured m = new CheckRunner(dialect).run(n.check, sql.strip(), c);
                    status = m.status();
                    message = m.message();
                    outcome = outcome(n, m.value(), m.samples());
                }
                default -> throw new IllegalStateException("cannot run " + n.type);
            }
        } catch (CompilationException e) {
            status = NodeStatus.ERROR;
            message = "Compilation Error in " + n.type.label() + " " + n.name + " (" + e.file() + (e.line() > 0 ? ":" + e.line() : "") + ")\n  " + e.problem();
        } catch (SqlRunner.CommitRefused e) {
            status = NodeStatus.ERROR;
            message = "Not committed: " + n.type.label() + " " + n.name + " (" + n.path + ")\n  " + e.getMessage();
        } catch (HookFailure e) {
            status = NodeStatus.ERROR;
            message = "Database Error in " + n.type.label() + " " + n.name + " (" + n.path + ", " + e.hook + ")\n  " + databaseMessage(e)
                    + "\n  hook: " + e.sql;
        } catch (SQLException e) {
            status = NodeStatus.ERROR;
            String compiledFile = sql == null ? null : project.root.relativize(compiledPath(n)).toString();
            message = "Database Error in " + n.type.label() + " " + n.name + " (" + n.path + ")"
                    + (sql == null ? "" : SqlErrorLine.describe(e.getMessage(), sql, n, compiledFile).map(where -> "\n  " + where).orElse(""))
                    + "\n  " + databaseMessage(e)
                    + (sql == null ? "" : "\n  compiled code at " + compiledFile);
        } catch (ConfigException e) {
            status = NodeStatus.ERROR;
            message = "Compilation Error in " + n.type.label() + " " + n.name + " (" + n.path + ")\n  " + e.getMessage();
        } catch (RuntimeException e) {
            status = NodeStatus.ERROR;
            message = "Runtime Error in " + n.type.label() + " " + n.name + " (" + n.path + ")\n  " + e;
        } finally {
            try {
                SnowflakeModels.restore(session, c);
            } catch (SQLException e) {
                restoreFailure = e;
            } finally {
                pool.release(c);
            }
        }
        if (restoreFailure != null) {
            status = NodeStatus.ERROR;
            message = "Database Error in " + n.type.label() + " " + n.name + " (" + n.path + ")\n  cannot put back the session's query_tag / warehouse after it: "
                    + databaseMessage(restoreFailure);
        }
        if (n.type == ResourceType.CHECK && outcome == null) outcome = outcome(n, null, List.of());
        Instant t1 = Instant.now();
        NodeResult r = new NodeResult(n.uniqueId, n.name, n.type, n.materialized(), status, message, failures, seconds(t0, t1), t0, t1, sql, relation(n),
                Thread.currentThread().getName(), outcome);
        listener.nodeFinished(n, r, index, total);
        return r;
    }

    /** A pre- or post-hook that failed: which one, its rendered SQL, and the database's message. */
    static final class HookFailure extends SQLException {
        final String hook;
        final String sql;

        HookFailure(String hook, String sql, SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
            this.hook = hook;
            this.sql = sql;
        }
    }

    /** Renders and runs a node's pre- or post-hooks on its connection, in order; the first failure fails the node. */
    private void runHooks(Node n, String key, Connection c) throws SQLException {
        List<String> hooks = n.hooks(key);
        for (int i = 0; i < hooks.size(); i++) {
            String label = key + " " + (i + 1);
            String sql = compiler.renderHook(n, n.path + " (" + label + ")", hooks.get(i), c);
            runHookStatement(label, sql, c);
        }
    }

    private void runHookStatement(String label, String sql, Connection c) throws HookFailure {
        if (sql.isBlank()) return;
        try {
            if (project.target.type().equals("duckdb")) createCopyTargetFolder(sql);
            SqlRunner.execute(c, sql);
        } catch (SQLException e) {
            throw new HookFailure(label, sql, e);
        }
    }

    private static final java.util.regex.Pattern COPY_TO = java.util.regex.Pattern.compile(
            "^\\s*copy\\b.*\\bto\\s+'((?:[^']|'')+)'[^']*$", java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.DOTALL);

    /**
     * DuckDB's {@code COPY ... TO 'dir/file'} does not create dir: for a local file target, the folder is created first
     * (a relative path resolves against the working directory, as DuckDB resolves it).
     */
    static void createCopyTargetFolder(String sql) throws SQLException {
        java.util.regex.Matcher m = COPY_TO.matcher(NodeCompiler.stripTrailingSemicolon(sql));
        if (!m.matches()) return;
        String file = m.group(1).replace("''", "'");
        if (file.contains("://")) return;
        try {
            Path parent = Path.of(file).toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException | RuntimeException e) {
            throw new SQLException("cannot create the folder of " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs dbt_project.yml's on-run-start or on-run-end statements; returns an error result for the first that
     * fails (on-run-start failing stops the command before any node runs), or null.
     */
    private NodeResult runOperations(String which, List<TransformProject.RunHook> statements, ConnectionPool pool, List<String> schemas) {
        if (statements.isEmpty()) return null;
        Connection c = pool.borrow();
        try {
            for (int i = 0; i < statements.size(); i++) {
                TransformProject.RunHook hook = statements.get(i);
                String name = hook.packageName() + "-" + which + "-" + hook.index();
                String file = hook.packageName().equals(project.name) ? "dbt_project.yml" : "dbt_project.yml of package " + hook.packageName();
                Node display = new Node("operation." + hook.packageName() + "." + name, ResourceType.OPERATION, name, "dbt_project.yml", "", 0);
                listener.nodeStarted(display, i + 1, statements.size());
                Instant t0 = Instant.now();
                String sql = null;
                NodeStatus status = NodeStatus.SUCCESS;
                String message = "OK";
                try {
                    Object statement = hook.statement() instanceof Map<?, ?> m ? m.get("sql") : hook.statement();
                    sql = compiler.renderOperation(file + " (" + which + " " + (hook.index() + 1) + ")", hook.packageName(), String.valueOf(statement), schemas, c);
                    runHookStatement(which + " " + (hook.index() + 1), sql, c);
                } catch (CompilationException e) {
                    status = NodeStatus.ERROR;
                    message = "Compilation Error in " + which + " hook " + (hook.index() + 1) + " (" + e.file() + (e.line() > 0 ? ":" + e.line() : "") + ")\n  " + e.problem();
                } catch (SQLException e) {
                    status = NodeStatus.ERROR;
                    message = "Database Error in " + which + " hook " + (hook.index() + 1) + " (" + file + ")\n  " + databaseMessage(e) + "\n  hook: " + sql;
                }
                Instant t1 = Instant.now();
                NodeResult r = new NodeResult(display.uniqueId, name, ResourceType.OPERATION, "hook", status, message, null, seconds(t0, t1), t0, t1, sql, "",
                        Thread.currentThread().getName(), null);
                listener.nodeFinished(display, r, i + 1, statements.size());
                if (status == NodeStatus.ERROR) return r;
            }
            return null;
        } finally {
            pool.release(c);
        }
    }

    private static CheckOutcome outcome(Node n, Double value, List<Map<String, Object>> samples) {
        CheckSpec s = n.check;
        return new CheckOutcome(n.name, s.kind(), s.tableLabel(), s.columns().isEmpty() ? null : String.join(",", s.columns()), value,
                s.warn() == null ? null : s.warn().text(), s.fail() == null ? null : s.fail().text(), samples);
    }

    private String compileFor(Node n, Connection c) throws SQLException {
        String sql = compiler.compile(n, c);
        compiled.put(n.uniqueId, sql);
        writeCompiled(n, sql);
        return sql;
    }

    private String relation(Node n) {
        return n.schema == null ? "" : n.schema + "." + n.identifier;
    }

    private Path compiledPath(Node n) {
        String file = n.type == ResourceType.TEST && n.genericTest != null ? n.path.replaceAll("[^/]+$", "") + n.name + ".sql"
                : n.type == ResourceType.CHECK ? "checks/" + n.name + ".sql" : n.path;
        // as dbt: target/compiled/<package>/<path in the package> for a package's nodes
        if (n.unitTest != null) return project.targetPath.resolve("compiled").resolve(project.name).resolve("unit_tests").resolve(n.packageName()).resolve(n.fqn.get(1)).resolve(n.name + ".sql");
        if (n.packageFilePath != null && n.genericTest != null) return project.targetPath.resolve("compiled").resolve(n.packageFilePath);
        if (n.packageFilePath != null) return project.targetPath.resolve("compiled").resolve(n.packageName()).resolve(n.packageFilePath);
        return project.targetPath.resolve("compiled").resolve(project.name).resolve(file);
    }

    /**
     * Compiled SQL files are written by one background thread, off the nodes' path (creating files is slow on a busy
     * disk); {@link #writeManifest()}, which every command ends with, waits for them and fails on the first that
     * could not be written.
     */
    private java.util.concurrent.ExecutorService compiledWriter;
    private final List<java.util.concurrent.Future<?>> compiledWrites = new ArrayList<>();
    private final Set<Path> compiledDirs = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private synchronized void writeCompiled(Node n, String sql) {
        Path p = compiledPath(n);
        if (compiledWriter == null) {
            compiledWriter = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "tributary-compiled-writer");
                t.setDaemon(true);
                return t;
            });
        }
        compiledWrites.add(compiledWriter.submit(() -> {
            if (compiledDirs.add(p.getParent())) Files.createDirectories(p.getParent());
            Files.writeString(p, sql);
            return null;
        }));
    }

    private synchronized void awaitCompiledFiles() {
        if (compiledWriter == null) return;
        try {
            for (java.util.concurrent.Future<?> f : compiledWrites) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the compiled SQL files", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? new UncheckedIOException("cannot write a compiled SQL file: " + io.getMessage(), io)
                    : new IllegalStateException("cannot write a compiled SQL file: " + e.getCause(), e.getCause());
        } finally {
            compiledWrites.clear();
            compiledWriter.shutdown();
            compiledWriter = null;
        }
    }

    private void writeManifest() {
        awaitCompiledFiles();
        try {
            ArtifactWriter.writeManifest(project, compiled, invocationId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeArtifacts(RunSummary summary) {
        writeManifest();
        try {
            ArtifactWriter.writeRunResults(project, summary, invocationId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> topologicalOrder(Set<String> ids) {
        List<String> out = new ArrayList<>();
        Set<String> visited = new HashSet<>();
        for (String id : ids) visit(id, visited, out);
        return out;
    }

    private void visit(String id, Set<String> visited, List<String> out) {
        if (!visited.add(id) || !project.nodes.containsKey(id)) return;
        for (String p : project.nodes.get(id).dependsOn) visit(p, visited, out);
        out.add(id);
    }

    private static double seconds(Instant a, Instant b) {
        return Duration.between(a, b).toNanos() / 1e9;
    }

    /**
     * What the database said, indented for the summary: DuckDB's JDBC wrapper line ("Attempting to execute an
     * unsuccessful or closed pending query result") hides the real error behind it, so it is left out.
     */
    static String databaseMessage(SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        List<String> lines = message.strip().lines()
                .filter(l -> !l.contains("Attempting to execute an unsuccessful or closed pending query result"))
                .map(l -> l.startsWith("Error: ") ? l.substring("Error: ".length()) : l)
                .toList();
        return lines.isEmpty() ? message.strip() : String.join("\n  ", lines);
    }
}
