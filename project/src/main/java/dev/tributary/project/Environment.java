package dev.tributary.project;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Variables for {@code ${VAR}} substitution: the process environment, then the project's {@code .env} file for
 * what the environment does not set (a real environment variable always wins, as with docker compose and dbt).
 */
public final class Environment {
    private final Map<String, String> variables;

    private Environment(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    public static Environment of(Map<String, String> variables) {
        return new Environment(variables);
    }

    /** The process environment layered over {@code dir/.env} when that file exists. */
    public static Environment forProject(Path dir, Map<String, String> processEnvironment) {
        Map<String, String> merged = new HashMap<>(readDotEnv(dir.resolve(".env")));
        merged.putAll(processEnvironment);
        return new Environment(merged);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    /** Parses KEY=VALUE lines; '#' comments, an optional 'export ', and single or double quotes are understood. */
    static Map<String, String> readDotEnv(Path file) {
        if (!Files.isRegularFile(file)) return Map.of();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProjectException(file.getFileName() + ": cannot be read: " + e.getMessage());
        }
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("export ")) line = line.substring(7).strip();
            int eq = line.indexOf('=');
            if (eq <= 0) throw new ProjectException(".env:" + (i + 1) + ": expected KEY=VALUE");
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                boolean doubleQuoted = value.charAt(0) == '"';
                value = value.substring(1, value.length() - 1);
                if (doubleQuoted) value = value.replace("\\n", "\n").replace("\\\"", "\"");
            } else {
                int comment = value.indexOf(" #");
                if (comment >= 0) value = value.substring(0, comment).strip();
            }
            out.put(key, value);
        }
        return out;
    }
}
