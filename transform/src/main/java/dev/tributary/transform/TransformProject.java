package dev.tributary.transform;

import dev.tributary.spi.ConfigException;
import dev.tributary.transform.dialect.Dialect;
import dev.tributary.transform.jinja.CompilationException;
import dev.tributary.transform.jinja.JinjaEngine;
import dev.tributary.transform.jinja.RelationRef;
import dev.tributary.transform.jinja.RenderScope;
import dev.tributary.transform.yaml.YamlDocument;
import dev.tributary.transform.yaml.YamlDocument.LineMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A loaded dbt-style project: its nodes (models, seeds, snapshots, tests, checks) with their final config and
 * dependencies, its sources, and the warehouse target it runs on. Loading parses every file and renders every
 * model once (capturing refs and config), so any project error surfaces here as a {@link ConfigException}
 * naming the file and line.
 */
public final class TransformProject {
    private static final Pattern DOCS_BLOCK = Pattern.compile("\\{%-?\\s*docs\\s+([\\w.]+)\\s*-?%}(.*?)\\{%-?\\s*enddocs\\s*-?%}", Pattern.DOTALL);

    final Path root;
    final String name;
    final WarehouseTarget target;
    final TransformOptions options;
    final JinjaEngine engine;
    final Map<String, Object> vars = new LinkedHashMap<>();
    final Map<String, String> docs = new LinkedHashMap<>();
    final Map<String, Node> nodes = new LinkedHashMap<>();
    final Map<String, SourceTable> sources = new LinkedHashMap<>();
    final Path targetPath;
    /** dbt_project.yml's on-run-start / on-run-end statements, unrendered. */
    final List<RunHook> onRunStart = new ArrayList<>();
    final List<RunHook> onRunEnd = new ArrayList<>();
    /** Each installed package's vars, with the root project's (and --vars) overriding the package's own, as in dbt. */
    final Map<String, Map<String, Object>> packageVars = new LinkedHashMap<>();

    /** An on-run-start / on-run-end statement of the root project or of a package (index within its project). */
    record RunHook(String packageName, int index, Object statement) {}

    /** The vars a node or macro of package pkg sees (the root project's for the root project). */
    Map<String, Object> varsFor(String pkg) {
        return packageVars.getOrDefault(pkg, vars);
    }

    TransformProject(Path root, String name, WarehouseTarget target, TransformOptions options, JinjaEngine engine, Path targetPath) {
        this.root = root;
        this.name = name;
        this.target = target;
        this.options = options;
        this.engine = engine;
        this.targetPath = targetPath;
    }

    /**
     * Loads the project in projectDir: a dbt project (dbt_project.yml), or a Tributary project folder whose
     * {@code models/} and {@code seeds/} follow the dbt layout (then options must carry a warehouse).
     *
     * @throws ConfigException for any project, profile, YAML or Jinja error (exit code 2)
     */
    public static TransformProject load(Path projectDir, TransformOptions options) {
        return new ProjectLoader(projectDir.toAbsolutePath().normalize(), options).load();
    }

    public String name() {
        return name;
    }

    public Path root() {
        return root;
    }

    public WarehouseTarget target() {
        return target;
    }

    public TransformOptions options() {
        return options;
    }

    /** All enabled nodes by unique id, in load order. */
    public Map<String, Node> nodes() {
        return Collections.unmodifiableMap(nodes);
    }

    public Map<String, SourceTable> sources() {
        return Collections.unmodifiableMap(sources);
    }

    /** The directory artifacts are written to ({@code target/} by default). */
    public Path targetPath() {
        return targetPath;
    }

    Dialect dialect() {
        return engine.dialect();
    }

    private Map<String, List<Node>> modelsByName = Map.of();
    private int indexedNodes = -1;

    /** The models, seeds and snapshots named n, of every package (indexed; rebuilt while loading adds nodes). */
    synchronized List<Node> nodesNamed(String n) {
        if (indexedNodes != nodes.size()) {
            Map<String, List<Node>> index = new java.util.HashMap<>();
            for (Node node : nodes.values()) {
                if (node.type == ResourceType.MODEL || node.type == ResourceType.SEED || node.type == ResourceType.SNAPSHOT) {
                    index.computeIfAbsent(node.name, k -> new ArrayList<>()).add(node);
                }
            }
            modelsByName = index;
            indexedNodes = nodes.size();
        }
        return modelsByName.getOrDefault(n, List.of());
    }

    /** The first model, seed or snapshot named n (the root project's first). */
    Node modelByName(String n) {
        return resolveRef(null, n, name);
    }

    /**
     * dbt's ref resolution: {@code ref('pkg', 'm')} looks in pkg only; {@code ref('m')} in the root project, then in the
     * referring node's package, then in any package. Several candidates in other packages are an error naming them
     * (dbt would take one of them silently): the two-argument ref says which. Null when nothing is named so.
     */
    Node resolveRef(String targetPackage, String n, String fromPackage) {
        List<Node> candidates = nodesNamed(n);
        if (candidates.isEmpty()) return null;
        if (targetPackage != null) {
            for (Node c : candidates) if (c.packageName().equals(targetPackage)) return c;
            return null;
        }
        for (String pkg : new String[] {name, fromPackage}) {
            for (Node c : candidates) if (c.packageName().equals(pkg)) return c;
        }
        if (candidates.size() == 1) return candidates.get(0);
        throw new dev.tributary.transform.jinja.TemplateException("ref('" + n + "') is ambiguous: " + candidates.stream().map(c -> c.uniqueId + " (" + c.path + ")").toList()
                + "; name the package with ref('<package>', '" + n + "')");
    }

    /** A source table: the referring package's own first, then the root project's, then any package's. */
    /**
     * Where a node calls {@code ref(...)} or {@code source(...)} with these arguments: {@code models/x.sql:12}, found in
     * its raw code (the first such call); just the file when the call is built by a macro or a variable.
     */
    String locateCall(Node n, String function, List<String> args) {
        StringBuilder pattern = new StringBuilder("\\b").append(function).append("\\s*\\(\\s*");
        if (function.equals("ref") && args.size() == 1) pattern.append("(?:['\"][^'\"]*['\"]\\s*,\\s*)?");
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) pattern.append("\\s*,\\s*");
            pattern.append("['\"]").append(Pattern.quote(args.get(i))).append("['\"]");
        }
        Matcher m = Pattern.compile(pattern.toString()).matcher(n.rawCode == null ? "" : n.rawCode);
        if (!m.find()) return n.path;
        int line = n.lineOffset + 1;
        for (int i = 0; i < m.start(); i++) if (n.rawCode.charAt(i) == '\n') line++;
        return n.path + ":" + line;
    }

    /** " (did you mean 'x'?)" for the closest model, seed or snapshot name, else "". */
    String didYouMeanNode(String name) {
        List<String> names = new ArrayList<>();
        for (Node node : nodes.values()) {
            if (node.type == ResourceType.MODEL || node.type == ResourceType.SEED || node.type == ResourceType.SNAPSHOT) names.add(node.name);
        }
        return dev.tributary.spi.Config.didYouMean(name, names);
    }

    /** " (did you mean source('a', 'b')?)" for the closest declared source table, else "". */
    String didYouMeanSource(String sourceName, String table) {
        List<String> names = new ArrayList<>();
        for (SourceTable s : sources.values()) names.add(s.sourceName() + "." + s.tableName());
        String hint = dev.tributary.spi.Config.didYouMean(sourceName + "." + table, names);
        if (hint.isEmpty()) return "";
        String best = hint.substring(hint.indexOf('\'') + 1, hint.lastIndexOf('\''));
        int dot = best.indexOf('.');
        return " (did you mean source('" + best.substring(0, dot) + "', '" + best.substring(dot + 1) + "')?)";
    }

    SourceTable source(String sourceName, String table, String fromPackage) {
        for (String pkg : new String[] {fromPackage, name}) {
            SourceTable s = sources.get("source." + pkg + "." + sourceName + "." + table);
            if (s != null) return s;
        }
        for (SourceTable s : sources.values()) {
            if (s.sourceName().equals(sourceName) && s.tableName().equals(table)) return s;
        }
        return null;
    }

    static Map<String, String> readDocs(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = DOCS_BLOCK.matcher(text);
        while (m.find()) out.put(m.group(1), m.group(2).strip());
        return out;
    }

    /** A resolver for parse renders: records references, renders placeholders. */
    static final class RecordingResolver implements RenderScope.Resolver {
        final List<List<String>> refs = new ArrayList<>();
        final List<List<String>> sources = new ArrayList<>();
        private final Dialect dialect;
        /** The project whose declared sources a parse-time source() gives (rendered database, schema, identifier); may be null. */
        private final TransformProject project;
        private final String fromPackage;

        RecordingResolver(Dialect dialect) {
            this(dialect, null, null);
        }

        RecordingResolver(Dialect dialect, TransformProject project, String fromPackage) {
            this.dialect = dialect;
            this.project = project;
            this.fromPackage = fromPackage;
        }

        @Override
        public RelationRef ref(String packageName, String name) {
            refs.add(packageName == null ? List.of(name) : List.of(packageName, name));
            return new RelationRef(null, "__parse__", name, dialect.quote(name));
        }

        @Override
        public RelationRef source(String sourceName, String tableName) {
            sources.add(List.of(sourceName, tableName));
            SourceTable declared = project == null ? null : project.source(sourceName, tableName, fromPackage);
            if (declared != null) return new RelationRef(declared.database(), declared.schema(), declared.identifier(), dialect.relation(declared.database(), declared.schema(), declared.identifier()));
            return new RelationRef(null, sourceName, tableName, dialect.relation(sourceName, tableName));
        }

        @Override
        public List<Dialect.Column> columns(String schema, String identifier) {
            return List.of();
        }

        @Override
        public boolean relationExists(String schema, String identifier) {
            return false;
        }
    }

    static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException(dir.toString(), "", "cannot list: " + e.getMessage());
        }
    }

    String relative(Path p) {
        return root.relativize(p.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    static String read(Path p, String label) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new ConfigException(label, "", "cannot read: " + e.getMessage());
        }
    }

    static ConfigException asConfigError(CompilationException e, String what) {
        return new ConfigException(e.file() + (e.line() > 0 ? ":" + e.line() : ""), "", "Compilation Error in " + what + ": " + e.problem());
    }

    static LineMap yaml(Path p, String label) {
        return YamlDocument.parse(read(p, label), label);
    }
}
