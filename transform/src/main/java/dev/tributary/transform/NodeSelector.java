package dev.tributary.transform;

import dev.tributary.spi.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dbt's node selection: names, {@code tag:}, {@code path:}, {@code resource_type:}, {@code source:},
 * {@code config.x:}, with {@code +} / {@code n+} graph operators on either side; spaces unite, commas intersect.
 */
final class NodeSelector {
    private static final Pattern ATOM = Pattern.compile("^(\\d*\\+)?([^+]+?)(\\+\\d*)?$");

    private final TransformProject project;
    private final DagBuilder dag;
    private final List<String> unmatched = new ArrayList<>();
    private boolean selecting;

    NodeSelector(TransformProject project, DagBuilder dag) {
        this.project = project;
        this.dag = dag;
    }

    /** The selected unique ids (nodes and sources); tests and checks of selected nodes join them (eager). */
    Set<String> select(List<String> select, List<String> exclude) {
        Set<String> chosen = new LinkedHashSet<>();
        if (select.isEmpty()) {
            chosen.addAll(project.nodes.keySet());
            chosen.addAll(project.sources.keySet());
        } else {
            selecting = true;
            try {
                for (String s : select) chosen.addAll(expression(s));
            } finally {
                selecting = false;
            }
        }
        addAttached(chosen);
        Set<String> dropped = new LinkedHashSet<>();
        for (String e : exclude) dropped.addAll(expression(e));
        addAttached(dropped);
        chosen.removeAll(dropped);
        return chosen;
    }

    /** The --select criteria of the last {@link #select} that matched no node or source (a misspelt name, say). */
    List<String> unmatched() {
        return List.copyOf(unmatched);
    }

    private void addAttached(Set<String> ids) {
        for (Node n : project.nodes.values()) {
            if ((n.type == ResourceType.TEST || n.type == ResourceType.CHECK) && !ids.contains(n.uniqueId)) {
                for (String p : n.dependsOn) {
                    if (ids.contains(p)) {
                        ids.add(n.uniqueId);
                        break;
                    }
                }
            }
        }
    }

    private Set<String> expression(String expr) {
        Set<String> union = new LinkedHashSet<>();
        for (String item : expr.trim().split("\\s+")) {
            if (item.isEmpty()) continue;
            Set<String> inter = null;
            for (String atom : item.split(",")) {
                Set<String> s = atom(atom);
                if (inter == null) inter = s;
                else inter.retainAll(s);
            }
            if (inter != null) union.addAll(inter);
        }
        return union;
    }

    private Set<String> atom(String atom) {
        Matcher m = ATOM.matcher(atom);
        if (!m.matches()) throw new ConfigException("", "select", "cannot read selector '" + atom + "'");
        Set<String> base = match(m.group(2));
        if (base.isEmpty() && selecting) unmatched.add(atom);
        Set<String> out = new LinkedHashSet<>(base);
        if (m.group(1) != null) {
            int depth = m.group(1).length() > 1 ? Integer.parseInt(m.group(1).substring(0, m.group(1).length() - 1)) : -1;
            for (String id : base) out.addAll(dag.walk(id, true, depth));
        }
        if (m.group(3) != null) {
            int depth = m.group(3).length() > 1 ? Integer.parseInt(m.group(3).substring(1)) : -1;
            for (String id : base) out.addAll(dag.walk(id, false, depth));
        }
        return out;
    }

    private Set<String> match(String spec) {
        Set<String> out = new LinkedHashSet<>();
        int colon = spec.indexOf(':');
        String method = colon < 0 ? (spec.contains("/") || spec.endsWith(".sql") ? "path" : "fqn") : spec.substring(0, colon);
        String value = colon < 0 ? spec : spec.substring(colon + 1);
        for (Node n : project.nodes.values()) {
            boolean hit = switch (method) {
                case "fqn" -> fqnMatches(n, value);
                case "tag" -> n.tags().stream().anyMatch(t -> glob(value, t));
                case "path", "file" -> pathMatches(n.path, value);
                case "resource_type" -> n.type.label().equals(value.toLowerCase(Locale.ROOT));
                case "test_type" -> n.type == ResourceType.TEST && switch (value) {
                    case "unit" -> n.unitTest != null;
                    case "generic" -> n.genericTest != null;
                    default -> n.genericTest == null && n.unitTest == null; // singular (and data, dbt's older name)
                };
                case "test_name" -> n.genericTest != null && n.genericTest.testName().equals(value);
                case "source" -> false;
                default -> {
                    if (method.startsWith("config.")) {
                        Object v = n.config.get(method.substring(7));
                        yield v != null && (Node.stringList(v).contains(value) || String.valueOf(v).equalsIgnoreCase(value));
                    }
                    throw new ConfigException("", "select", "unknown selector method '" + method + "'");
                }
            };
            if (hit) out.add(n.uniqueId);
        }
        for (SourceTable s : project.sources.values()) {
            boolean hit = switch (method) {
                case "source" -> value.equals(s.sourceName()) || value.equals(s.sourceName() + "." + s.tableName()) || glob(value, s.sourceName() + "." + s.tableName());
                case "resource_type" -> value.equals("source");
                case "tag" -> s.tags().contains(value);
                default -> false;
            };
            if (hit) out.add(s.uniqueId());
        }
        return out;
    }

    private boolean fqnMatches(Node n, String value) {
        if (glob(value, n.name)) return true;
        String[] parts = value.split("\\.");
        List<String> fqn = n.fqn;
        return prefix(parts, fqn) || (fqn.size() > 1 && prefix(parts, fqn.subList(1, fqn.size())));
    }

    private static boolean prefix(String[] parts, List<String> fqn) {
        if (parts.length > fqn.size()) return false;
        for (int i = 0; i < parts.length; i++) {
            if (!glob(parts[i], fqn.get(i))) return false;
        }
        return true;
    }

    private static boolean pathMatches(String path, String value) {
        String v = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        return path.equals(v) || path.startsWith(v + "/") || glob(v, path);
    }

    static boolean glob(String pattern, String text) {
        if (!pattern.contains("*") && !pattern.contains("?")) return pattern.equals(text);
        StringBuilder re = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            re.append(ch == '*' ? ".*" : ch == '?' ? "." : Pattern.quote(String.valueOf(ch)));
        }
        return text.matches(re.toString());
    }

    static Map<String, Node> only(Map<String, Node> nodes, Set<String> ids) {
        Map<String, Node> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Node> e : nodes.entrySet()) if (ids.contains(e.getKey())) out.put(e.getKey(), e.getValue());
        return out;
    }

    static List<String> ids(Set<String> s) {
        return new ArrayList<>(s);
    }
}
