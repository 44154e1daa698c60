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
        if (!(outputs.get(tName) instanceof LineMap out)) throw new ConfigException(outputs.location(), profileName + ".outputs", "target '" + tName + "' not found"
                + dev.tributary.spi.Config.didYouMean(tName, java.util.List.copyOf(outputs.keySet())) + "; targets: " + String.join(", ", outputs.keySet()));
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
            case "spark" -> {
                return spark(projectDir, out, where, threads).withName(tName);
            }
            case "snowflake" -> {
                return snowflake(projectDir, out, where, threads).withName(tName);
            }
            default -> throw new ConfigException(out.location("type"), where + ".type", "unsupported type '" + type + "' (duckdb, postgres, spark, snowflake)");
        }
    }

    /**
     * dbt-spark's profile: {@code method: session} (in-process; {@code master}, default {@code local[<threads>]}) or
     * {@code method: connect} ({@code host: sc://host:15002}, or host and port); {@code schema}; for a session the
     * Iceberg {@code catalog:} ({@code type: embedded} in {@code warehouse}, default {@code lakehouse}; {@code jdbc}
     * with url, user, password; {@code hadoop}; {@code rest} with uri; {@code name}, default {@code tributary});
     * {@code server_side_parameters:} are further Spark settings.
     */
    private static WarehouseTarget spark(Path projectDir, LineMap out, String where, int threads) {
        String method = str(out, "method", "session").toLowerCase(Locale.ROOT);
        String master;
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        String password = null;
        switch (method) {
            case "session" -> {
                master = str(out, "master", "local[" + threads + "]");
                if (!master.startsWith("local")) throw new ConfigException(out.location("master"), where + ".master", "method: session runs Spark in-process: master must be local[N] (got '" + master + "'); use method: connect for a cluster");
                LineMap catalog = out.get("catalog") instanceof LineMap m ? m : null;
                String type = catalog == null ? "embedded" : str(catalog, "type", "embedded").toLowerCase(Locale.ROOT);
                String name = catalog == null ? "tributary" : str(catalog, "name", "tributary");
                Path warehouse = Path.of(catalog == null ? "lakehouse" : str(catalog, "warehouse", "lakehouse"));
                if (!warehouse.isAbsolute()) warehouse = projectDir.resolve(warehouse);
                String url = catalog == null ? null : str(catalog, "url", str(catalog, "uri", null));
                if ((type.equals("jdbc") || type.equals("rest")) && url == null) throw new ConfigException(catalog.location(), where + ".catalog.url", "catalog type " + type + " needs url");
                try {
                    settings.putAll(SparkTargets.icebergCatalog(name, type, warehouse, url, catalog == null ? null : str(catalog, "user", null)));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(catalog.location("type"), where + ".catalog.type", e.getMessage());
                }
                password = catalog == null ? null : str(catalog, "password", null);
            }
            case "connect" -> {
                String host = str(out, "host", null);
                if (host == null) throw new ConfigException(out.location(), where + ".host", "method: connect needs host (sc://host:15002)");
                master = host.startsWith("sc://") ? host : "sc://" + host + ":" + str(out, "port", "15002");
            }
            default -> throw new ConfigException(out.location("method"), where + ".method", "unsupported method '" + method + "' (session, connect)");
        }
        if (out.get("server_side_parameters") instanceof LineMap params) {
            for (Map.Entry<String, Object> e : params.entrySet()) settings.put(e.getKey(), String.valueOf(e.getValue()));
        }
        return WarehouseTarget.spark(master, str(out, "schema", "analytics"), threads, settings, password);
    }

    /**
     * dbt-snowflake's profile: account, user, password or private_key_path (+ private_key_passphrase), role,
     * warehouse, database, schema; host, port and protocol for a non-default endpoint (the local sandbox:
     * {@code host: 127.0.0.1, port: 8085, protocol: http}). Secrets come from {@code env_var()}.
     */
    private static WarehouseTarget snowflake(Path projectDir, LineMap out, String where, int threads) {
        for (String required : new String[] {"account", "user", "database", "schema"}) {
            if (str(out, required, null) == null) throw new ConfigException(out.location(), where + "." + required, "missing " + required + " (a snowflake target needs account, user, database and schema)");
        }
        String password = str(out, "password", null);
        String keyPath = str(out, "private_key_path", null);
        if (str(out, "private_key", null) != null) throw new ConfigException(out.location("private_key"), where + ".private_key", "an inline private_key is not supported: write it to a file and set private_key_path");
        if (password == null && keyPath == null) throw new ConfigException(out.location(), where + ".password", "a snowflake target needs password or private_key_path");
        if (password != null && keyPath != null) throw new ConfigException(out.location("private_key_path"), where + ".private_key_path", "set password or private_key_path, not both");
        String authenticator = str(out, "authenticator", null);
        if (authenticator != null && !authenticator.equalsIgnoreCase("snowflake") && !authenticator.equalsIgnoreCase("snowflake_jwt"))
            throw new ConfigException(out.location("authenticator"), where + ".authenticator", "unsupported authenticator '" + authenticator + "' (password or key pair: snowflake, snowflake_jwt)");
        if (keyPath != null) {
            Path key = Path.of(keyPath);
            if (!key.isAbsolute()) key = projectDir.resolve(key);
            if (!Files.isRegularFile(key)) throw new ConfigException(out.location("private_key_path"), where + ".private_key_path", "private key file not found: " + key);
            keyPath = key.toString();
        }
        String protocol = str(out, "protocol", "https").toLowerCase(Locale.ROOT);
        if (!protocol.equals("https") && !protocol.equals("http")) throw new ConfigException(out.location("protocol"), where + ".protocol", "protocol must be https or http, got '" + protocol + "'");
        String port = str(out, "port", null);
        Integer portNumber;
        try {
            portNumber = port == null ? null : Integer.valueOf(port);
        } catch (NumberFormatException e) {
            throw new ConfigException(out.location("port"), where + ".port", "port must be a number, got '" + port + "'");
        }
        return WarehouseTarget.snowflake(str(out, "account", null), str(out, "host", null), portNumber, protocol, str(out, "user", null),
                keyPath != null ? str(out, "private_key_passphrase", null) : password, keyPath, str(out, "role", null), str(out, "warehouse", null),
                str(out, "database", null), str(out, "schema", null), threads);
    }

    private static String str(LineMap m, String key, String fallback) {
        Object v = m.get(key);
        return v == null ? fallback : String.valueOf(v);
    }
}
