package dev.tributary.transform;

import dev.tributary.spi.ConfigException;
import dev.tributary.transform.jinja.CompilationException;
import dev.tributary.transform.jinja.JinjaEngine;
import dev.tributary.transform.jinja.RenderScope;
import dev.tributary.transform.yaml.YamlDocument;
import dev.tributary.transform.yaml.YamlDocument.LineMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Reads the target from profiles.yml: profile, then target, then outputs; {@code env_var()} is rendered first. */
final class ProfileReader {
    private ProfileReader() {}

    static Path findProfilesDir(Path projectDir, Path explicit) {
        if (explicit != null) return explicit;
        String env = System.getenv("DBT_PROFILES_DIR");
        if (env != null && !env.isBlank() && Files.isRegularFile(Path.of(env, "profiles.yml"))) return Path.of(env);
        if (Files.isRegularFile(projectDir.resolve("profiles.yml"))) return projectDir;
        return Path.of(System.getProperty("user.home"), ".dbt");
    }

    static WarehouseTarget read(Path projectDir, Path profilesDir, String profileName, String targetName, JinjaEngine engine) {
        Path file = profilesDir.resolve("profiles.yml");
        String label = file.toString();
        if (!Files.isRegularFile(file)) throw new ConfigException(label, "", "profiles.yml not found (pass a profiles dir, or a warehouse)");
        String text;
        try {
            text = engine.render(label, Files.readString(file), 0, new RenderScope(null, false, Map.of(), Map.of()).forConfiguration(), Map.of());
        } catch (CompilationException e) {
            throw new ConfigException(e.file() + ":" + e.line(), "", e.problem());
        } catch (java.io.IOException e) {
            throw new ConfigException(label, "", e.getMessage());
        }
        LineMap root = YamlDocument.parse(text, label);
        if (!(root.get(profileName) instanceof LineMap profile)) throw new ConfigException(label, profileName, "profile '" + profileName + "' not found");
        String tName = targetName != null ? targetName : String.valueOf(profile.getOrDefault("target", "dev"));
        if (!(profile.get("outputs") instanceof LineMap outputs)) throw new ConfigException(profile.location(), profileName + ".outputs", "missing outputs");
        if (!(outputs.get(tName) instanceof LineMap out)) throw new ConfigException(outputs.location(), profileName + ".outputs", "target '" + tName + "' not found");
        String type = str(out, "type", null);
        if (type == null) throw new ConfigException(out.location(), profileName + ".outputs." + tName + ".type", "missing type");
        int threads = Integer.parseInt(str(out, "threads", "1"));
        String where = profileName + ".outputs." + tName;
        switch (type.toLowerCase(Locale.ROOT)) {
            case "duckdb" -> {
                String path = str(out, "path", str(out, "database", null));
                if (path == null || path.equals(":memory:")) throw new ConfigException(out.location(), where + ".path", "a DuckDB file path is required (in-memory databases cannot be shared by threads)");
                Path p = Path.of(path);
                if (!p.isAbsolute()) p = projectDir.resolve(p);
                return WarehouseTarget.duckdb(p, str(out, "schema", "main"), threads).withName(tName);
            }
            case "postgres", "postgresql" -> {
                String host = str(out, "host", "localhost");
                String port = str(out, "port", "5432");
                String db = str(out, "dbname", str(out, "database", null));
                if (db == null) throw new ConfigException(out.location(), where + ".dbname", "missing dbname");
                String url = "jdbc:postgresql://" + host + ":" + port + "/" + db;
                return new WarehouseTarget(tName, "postgres", url, str(out, "schema", "public"), str(out, "user", null),
                        str(out, "password", str(out, "pass", null)), threads);
            }
            default -> throw new ConfigException(out.location("type"), where + ".type", "unsupported type '" + type + "' (duckdb, postgres)");
        }
    }

    private static String str(LineMap m, String key, String fallback) {
        Object v = m.get(key);
        return v == null ? fallback : String.valueOf(v);
    }
}
