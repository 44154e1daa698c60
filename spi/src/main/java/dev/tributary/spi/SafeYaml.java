package dev.tributary.spi;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The one way Tributary reads YAML (tributary.yml, dbt YAML, profiles.yml, packages, {@code --vars}): a node tree
 * composed under fixed limits, never constructed into arbitrary objects. Aliases share nodes, so a few dozen of them
 * can stand for billions of nodes once walked; the tree is measured as it would be expanded and refused when they
 * add more than {@link #MAX_ALIAS_EXPANSION} nodes, before anyone walks it. Every problem is a {@link ConfigException} naming the file.
 */
public final class SafeYaml {
    /** Nodes that aliases may add to a document when expanded (what is written is bounded by the code point limit). */
    public static final long MAX_ALIAS_EXPANSION = 1_000_000;
    public static final int MAX_ALIASES = 100;
    public static final int MAX_NESTING_DEPTH = 100;
    public static final int MAX_CODE_POINTS = 32 * 1024 * 1024;

    private SafeYaml() {}

    /**
     * Composes {@code text} into a node tree, or null for an empty document. Duplicate keys are left in the tree for
     * the caller to judge.
     *
     * @param fileLabel how errors name the source, such as {@code models/schema.yml} or {@code --vars}
     */
    public static Node compose(String text, String fileLabel) {
        Node root;
        try {
            root = new Yaml(options()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ConfigException(line > 0 ? fileLabel + ":" + line : fileLabel, "", "invalid YAML: " + firstLine(e.getProblem()));
        } catch (YAMLException e) {
            throw new ConfigException(fileLabel, "", "invalid YAML: " + firstLine(e.getMessage()));
        } catch (StackOverflowError e) {
            throw new ConfigException(fileLabel, "", "invalid YAML: nested too deeply");
        }
        if (root != null) checkExpandedSize(root, fileLabel);
        return root;
    }

    /**
     * Reads {@code text} into plain values: {@code LinkedHashMap<String, Object>}, {@code List}, {@code String},
     * {@code Long} (or {@code BigInteger} past its range), {@code Double}, {@code Boolean} and null. A key written
     * twice in one mapping is an error.
     */
    public static Object load(String text, String fileLabel) {
        Node root = compose(text, fileLabel);
        return root == null ? null : plain(root, fileLabel);
    }

    static LoaderOptions options() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(false);
        return options;
    }

    /**
     * Counts nodes as a walk would meet them (each alias counted in full); each distinct node is measured once, so
     * this costs what is written, not what it expands to. A cycle is an error.
     */
    private static void checkExpandedSize(Node root, String fileLabel) {
        Map<Node, Long> sizes = new IdentityHashMap<>();
        Map<Node, Boolean> onPath = new IdentityHashMap<>();
        long expanded = expandedSize(root, sizes, onPath, fileLabel);
        long written = sizes.size();
        if (expanded - written > MAX_ALIAS_EXPANSION) {
            throw new ConfigException(fileLabel, "", "YAML aliases expand this document past " + (written + MAX_ALIAS_EXPANSION)
                    + " values (" + written + " written); refusing to read it (an alias bomb?)");
        }
    }

    private static long expandedSize(Node node, Map<Node, Long> sizes, Map<Node, Boolean> onPath, String fileLabel) {
        Long known = sizes.get(node);
        if (known != null) return known;
        if (onPath.put(node, Boolean.TRUE) != null) {
            throw new ConfigException(fileLabel + ":" + (node.getStartMark().getLine() + 1), "",
                    "invalid YAML: an alias refers to a node that contains it (a recursive structure)");
        }
        long size = 1;
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                size = saturatedAdd(size, expandedSize(t.getKeyNode(), sizes, onPath, fileLabel));
                size = saturatedAdd(size, expandedSize(t.getValueNode(), sizes, onPath, fileLabel));
            }
        } else if (node instanceof SequenceNode s) {
            for (Node item : s.getValue()) size = saturatedAdd(size, expandedSize(item, sizes, onPath, fileLabel));
        }
        onPath.remove(node);
        sizes.put(node, size);
        return size;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static Object plain(Node node, String fileLabel) {
        if (node instanceof MappingNode m) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                String key = String.valueOf(plain(t.getKeyNode(), fileLabel));
                if (map.containsKey(key)) {
                    throw new ConfigException(fileLabel + ":" + (t.getKeyNode().getStartMark().getLine() + 1), key, "invalid YAML: duplicate key");
                }
                map.put(key, plain(t.getValueNode(), fileLabel));
            }
            return map;
        }
        if (node instanceof SequenceNode s) {
            List<Object> list = new ArrayList<>();
            for (Node item : s.getValue()) list.add(plain(item, fileLabel));
            return list;
        }
        ScalarNode scalar = (ScalarNode) node;
        String v = scalar.getValue();
        Tag tag = scalar.getTag();
        if (Tag.NULL.equals(tag)) return null;
        if (Tag.BOOL.equals(tag)) return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on");
        try {
            if (Tag.INT.equals(tag)) {
                java.math.BigInteger i = new java.math.BigInteger(v.replace("_", ""));
                return i.bitLength() < 64 ? (Object) i.longValue() : i;
            }
            if (Tag.FLOAT.equals(tag)) {
                double d = Double.parseDouble(v.replace("_", ""));
                // 1e400 would be Infinity and 1e-400 zero: a number a double cannot hold stays the text written
                boolean lost = Double.isInfinite(d) || (d == 0 && new java.math.BigDecimal(v.replace("_", "")).signum() != 0);
                return lost ? v : d;
            }
        } catch (NumberFormatException e) {
            return v;
        }
        return v;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
