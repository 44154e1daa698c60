package dev.tributary.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.SafeYaml;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML file read into a JSON tree that remembers the line of every key, with {@code ${VAR}} and
 * {@code ${VAR:-default}} substituted in values ({@code $${...}} stays literal). Errors name file and line.
 */
public final class YamlDocument {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    private final String fileName;
    private final JsonNode root;
    private final Map<String, Integer> lines;
    /** Paths whose whole value is one {@code ${VAR}} the environment or .env set (not its written default). */
    private final java.util.Set<String> fromEnvironment;

    private YamlDocument(String fileName, JsonNode root, Map<String, Integer> lines, java.util.Set<String> fromEnvironment) {
        this.fileName = fileName;
        this.root = root;
        this.lines = lines;
        this.fromEnvironment = fromEnvironment;
    }

    public static YamlDocument parse(String fileName, String text, Environment env) {
        Node node = SafeYaml.compose(text, fileName);
        Map<String, Integer> lines = new HashMap<>();
        java.util.Set<String> fromEnvironment = new java.util.HashSet<>();
        if (node == null) return new YamlDocument(fileName, JsonNodeFactory.instance.objectNode(), lines, fromEnvironment);
        JsonNode root = new Converter(fileName, env, lines, fromEnvironment).convert(node, "");
        return new YamlDocument(fileName, root, lines, fromEnvironment);
    }

    /**
     * Whether the value at a dotted path is written as one {@code ${VAR}} that the environment or {@code .env} set: a
     * secret must be, never written in the file (a {@code ${VAR:-default}} whose default was used is written in it).
     */
    public boolean fromEnvironment(String path) {
        return fromEnvironment.contains(path);
    }

    public JsonNode root() {
        return root;
    }

    public String fileName() {
        return fileName;
    }

    /** The whole document as a {@link Config} whose errors point at this file's lines. */
    public Config config() {
        return Config.of(root, "", this::locate);
    }

    /** {@code file:line} of a dotted path, or of its nearest written ancestor. */
    public String locate(String path) {
        String p = path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) return fileName + ":" + line;
            if (p.isEmpty()) return fileName;
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }

    private record Converter(String fileName, Environment env, Map<String, Integer> lines, java.util.Set<String> fromEnvironment) {
        JsonNode convert(Node node, String path) {
            lines.putIfAbsent(path, node.getStartMark().getLine() + 1);
            if (node instanceof MappingNode m) {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                for (NodeTuple t : m.getValue()) {
                    if (!(t.getKeyNode() instanceof ScalarNode k)) {
                        throw new ConfigException(fileName + ":" + (t.getKeyNode().getStartMark().getLine() + 1), path, "keys must be plain names");
                    }
                    String childPath = path.isEmpty() ? k.getValue() : path + "." + k.getValue();
                    if (o.has(k.getValue())) {
                        throw new ConfigException(fileName + ":" + (k.getStartMark().getLine() + 1), childPath,
                                "invalid YAML: duplicate key (first written on line " + lines.get(childPath) + ")");
                    }
                    lines.put(childPath, k.getStartMark().getLine() + 1);
                    o.set(k.getValue(), convert(t.getValueNode(), childPath));
                }
                return o;
            }
            if (node instanceof SequenceNode s) {
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                for (int i = 0; i < s.getValue().size(); i++) a.add(convert(s.getValue().get(i), path + "[" + i + "]"));
                return a;
            }
            ScalarNode scalar = (ScalarNode) node;
            Tag tag = scalar.getTag();
            String value = scalar.getValue();
            int line = scalar.getStartMark().getLine() + 1;
            if (Tag.NULL.equals(tag)) return JsonNodeFactory.instance.nullNode();
            if (Tag.BOOL.equals(tag)) return JsonNodeFactory.instance.booleanNode(value.equalsIgnoreCase("true") || value.equalsIgnoreCase("yes") || value.equalsIgnoreCase("on"));
            if (Tag.INT.equals(tag)) {
                try {
                    return JsonNodeFactory.instance.numberNode(new BigInteger(value.replace("_", "")));
                } catch (NumberFormatException e) {
                    return JsonNodeFactory.instance.textNode(value);
                }
            }
            if (Tag.FLOAT.equals(tag)) {
                try {
                    return JsonNodeFactory.instance.numberNode(new BigDecimal(value.replace("_", "")));
                } catch (NumberFormatException e) {
                    return JsonNodeFactory.instance.textNode(value);
                }
            }
            return JsonNodeFactory.instance.textNode(substitute(value, path, line));
        }

        String substitute(String value, String path, int line) {
            if (value.indexOf('$') < 0) return value;
            Matcher m = VARIABLE.matcher(value);
            if (m.matches() && m.group(1) != null && env.get(m.group(1)).filter(v -> m.group(2) == null || !v.isEmpty()).isPresent()) {
                fromEnvironment.add(path);
            }
            m.reset();
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String replacement;
                if (m.group().equals("$${")) {
                    replacement = "${";
                } else {
                    String name = m.group(1);
                    String fallback = m.group(2);
                    replacement = env.get(name).filter(v -> fallback == null || !v.isEmpty()).orElse(fallback);
                    if (replacement == null) {
                        throw new ConfigException(fileName + ":" + line, path, "environment variable " + name
                                + " is not set (set it, put it in .env, or give a default with ${" + name + ":-value})");
                    }
                }
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            return out.toString();
        }
    }
}
