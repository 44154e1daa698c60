package dev.tributary.source.singer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Takes the tap's settings out of the lines it writes to stderr before they are logged or kept for errors: a tap
 * may print its config or quote a password in a traceback. Every string value of the config (nested ones too) of at
 * least {@link #MIN_LENGTH} characters is replaced by {@code ****}, also as it appears inside JSON text. Shorter
 * values are left: they are too common to tell from ordinary words (and too short to be secrets worth the name).
 */
final class SecretRedactor {
    static final int MIN_LENGTH = 6;
    static final String MASK = "****";

    private final List<String> secrets;

    SecretRedactor(JsonNode config) {
        Set<String> found = new LinkedHashSet<>();
        collect(config, found);
        List<String> all = new ArrayList<>(found);
        all.sort(Comparator.comparingInt(String::length).reversed()); // a value inside a longer one must not break it up
        this.secrets = List.copyOf(all);
    }

    private static void collect(JsonNode node, Set<String> out) {
        if (node == null) return;
        if (node.isTextual()) {
            String v = node.asText();
            if (v.length() >= MIN_LENGTH) {
                out.add(v);
                String quoted = JsonNodeFactory.instance.textNode(v).toString();
                String escaped = quoted.substring(1, quoted.length() - 1);
                if (!escaped.equals(v)) out.add(escaped); // as json.dumps of the config prints it
            }
        } else if (node.isContainerNode()) {
            node.forEach(child -> collect(child, out));
        }
    }

    String redact(String line) {
        if (line == null || secrets.isEmpty()) return line;
        String out = line;
        for (String s : secrets) {
            if (out.contains(s)) out = out.replace(s, MASK);
        }
        return out;
    }
}
