package dev.tributary.transform;

import dev.tributary.spi.ConfigException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The graph of nodes: parents, children, cycle detection and the ancestors/descendants selectors need. */
final class DagBuilder {
    private final Map<String, Node> nodes;
    private final Map<String, Set<String>> children = new LinkedHashMap<>();

    DagBuilder(Map<String, Node> nodes) {
        this.nodes = nodes;
        for (Node n : nodes.values()) children.computeIfAbsent(n.uniqueId, k -> new LinkedHashSet<>());
        for (Node n : nodes.values()) {
            for (String p : n.dependsOn) children.computeIfAbsent(p, k -> new LinkedHashSet<>()).add(n.uniqueId);
        }
    }

    Set<String> parents(String id) {
        Node n = nodes.get(id);
        return n == null ? Set.of() : n.dependsOn;
    }

    Set<String> children(String id) {
        return children.getOrDefault(id, Set.of());
    }

    Map<String, Set<String>> childMap() {
        return Collections.unmodifiableMap(children);
    }

    /** Ancestors (up) or descendants (down) within depth hops; depth < 0 means unlimited. */
    Set<String> walk(String start, boolean up, int depth) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> frontier = new ArrayDeque<>(List.of(start));
        int level = 0;
        while (!frontier.isEmpty() && (depth < 0 || level < depth)) {
            Deque<String> next = new ArrayDeque<>();
            for (String id : frontier) {
                for (String o : up ? parents(id) : children(id)) {
                    if (seen.add(o)) next.add(o);
                }
            }
            frontier = next;
            level++;
        }
        return seen;
    }

    /** Throws naming the cycle, such as {@code model.p.a -> model.p.b -> model.p.a}. */
    void requireAcyclic() {
        Map<String, Integer> state = new HashMap<>();
        for (String id : nodes.keySet()) {
            List<String> cycle = visit(id, state, new ArrayList<>());
            if (cycle != null) {
                Node first = nodes.get(cycle.get(0));
                throw new ConfigException(first.path, "", "Found a cycle: " + String.join(" --> ", cycle));
            }
        }
    }

    private List<String> visit(String id, Map<String, Integer> state, List<String> stack) {
        Integer s = state.get(id);
        if (s != null && s == 2) return null;
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(id), stack.size()));
            cycle.add(id);
            return cycle;
        }
        if (!nodes.containsKey(id)) return null;
        state.put(id, 1);
        stack.add(id);
        for (String p : nodes.get(id).dependsOn) {
            List<String> c = visit(p, state, stack);
            if (c != null) return c;
        }
        stack.remove(stack.size() - 1);
        state.put(id, 2);
        return null;
    }
}
