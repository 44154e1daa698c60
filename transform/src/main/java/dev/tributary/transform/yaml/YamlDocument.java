package dev.tributary.transform.yaml;

import dev.tributary.spi.ConfigException;
import dev.tributary.spi.SafeYaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Parses YAML into plain maps and lists that remember the line each key and item came from, for errors. */
public final class YamlDocument {
    private YamlDocument() {}

    /** A map that remembers its own line and the line of each key (1-based). */
    public static final class LineMap extends LinkedHashMap<String, Object> {
        private final String file;
        private final int line;
        private final Map<String, Integer> keyLines = new LinkedHashMap<>();

        public LineMap(String file, int line) {
            this.file = file;
            this.line = line;
        }

        public String location() {
            return file + ":" + line;
        }

        public String location(String key) {
            Integer l = keyLines.get(key);
            return file + ":" + (l == null ? line : l);
        }

        public String file() {
            return file;
        }

        public int line() {
            return line;
        }

        /** The line a key is on (the map's own line when unknown). */
        public int line(String key) {
            return keyLines.getOrDefault(key, line);
        }
    }

    /** Parses text (may be empty: an empty map results); top level must be a mapping. */
    public static LineMap parse(String text, String fileLabel) {
        Node root = SafeYaml.compose(text, fileLabel);
        if (root == null) return new LineMap(fileLabel, 1);
        Object value = convert(root, fileLabel);
        if (!(value instanceof LineMap map)) {
            throw new ConfigException(fileLabel + ":" + (root.getStartMark().getLine() + 1), "", "expected a mapping at the top level");
        }
        return map;
    }

    public static LineMap parse(Path file, String fileLabel) {
        try {
            return parse(java.nio.file.Files.readString(file), fileLabel);
        } catch (java.io.IOException e) {
            throw new ConfigException(fileLabel, "", "cannot read: " + e.getMessage());
        }
    }

    private static Object convert(Node node, String file) {
        int line = node.getStartMark().getLine() + 1;
        if (node instanceof MappingNode m) {
            LineMap map = new LineMap(file, line);
            for (NodeTuple t : m.getValue()) {
                Object k = convert(t.getKeyNode(), file);
                String key = String.valueOf(k);
                map.put(key, convert(t.getValueNode(), file));
                map.keyLines.put(key, t.getKeyNode().getStartMark().getLine() + 1);
            }
            return map;
        }
        if (node instanceof SequenceNode s) {
            List<Object> list = new ArrayList<>();
            for (Node item : s.getValue()) list.add(convert(item, file));
            return list;
        }
        ScalarNode scalar = (ScalarNode) node;
        String v = scalar.getValue();
        Tag tag = scalar.getTag();
        if (Tag.NULL.equals(tag)) return null;
        if (Tag.BOOL.equals(tag)) return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on");
        if (Tag.INT.equals(tag)) {
            try {
                return Long.parseLong(v.replace("_", ""));
            } catch (NumberFormatException e) {
                return v;
            }
        }
        if (Tag.FLOAT.equals(tag)) {
            try {
                return Double.parseDouble(v.replace("_", ""));
            } catch (NumberFormatException e) {
                return v;
            }
        }
        return v;
    }
}
