package dev.tributary.sandbox.snowflake;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the Snowflake simulator starts.
 *
 * @param port the HTTP port on 127.0.0.1 (0 picks a free one)
 * @param dataDir where each database is kept as a DuckDB file ({@code <DB>.duckdb}); null keeps everything in memory
 * @param account the account name logins must name (upper-cased, as Snowflake does)
 * @param users login name (upper-case) to password; a user without a password (empty string) can only log in by key pair
 * @param publicKeys login name (upper-case) to RSA public key for key-pair (JWT) logins
 * @param databases databases that exist at start (each with schema PUBLIC)
 * @param sessionTokenTtlSeconds how long a session token lives before the driver must renew it with the master token
 */
public record SnowflakeSandboxOptions(int port, Path dataDir, String account, Map<String, String> users, Map<String, PublicKey> publicKeys,
                                      List<String> databases, long sessionTokenTtlSeconds) {
    public static final String DEFAULT_ACCOUNT = "SANDBOX";
    public static final String DEFAULT_USER = "TRIBUTARY";
    public static final String DEFAULT_PASSWORD = "tributary";
    public static final String DEFAULT_DATABASE = "TRIBUTARY";

    public SnowflakeSandboxOptions {
        requireNonNull(account, "account is null");
        requireNonNull(users, "users is null");
        requireNonNull(publicKeys, "publicKeys is null");
        requireNonNull(databases, "databases is null");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, got " + port);
        if (sessionTokenTtlSeconds < 1) throw new IllegalArgumentException("session token TTL must be at least 1 second, got " + sessionTokenTtlSeconds);
        account = account.toUpperCase(Locale.ROOT);
        Map<String, String> u = new LinkedHashMap<>();
        users.forEach((k, v) -> u.put(k.toUpperCase(Locale.ROOT), v));
        users = Map.copyOf(u);
        Map<String, PublicKey> k = new LinkedHashMap<>();
        publicKeys.forEach((name, key) -> k.put(name.toUpperCase(Locale.ROOT), key));
        publicKeys = Map.copyOf(k);
        databases = databases.stream().map(d -> d.toUpperCase(Locale.ROOT)).toList();
    }

    /** Port 0, in memory, account SANDBOX, user TRIBUTARY / tributary, database TRIBUTARY, tokens for an hour. */
    public static SnowflakeSandboxOptions defaults() {
        return new SnowflakeSandboxOptions(0, null, DEFAULT_ACCOUNT, Map.of(DEFAULT_USER, DEFAULT_PASSWORD), Map.of(), List.of(DEFAULT_DATABASE), 3600);
    }

    public SnowflakeSandboxOptions withPort(int p) {
        return new SnowflakeSandboxOptions(p, dataDir, account, users, publicKeys, databases, sessionTokenTtlSeconds);
    }

    public SnowflakeSandboxOptions withDataDir(Path dir) {
        return new SnowflakeSandboxOptions(port, dir, account, users, publicKeys, databases, sessionTokenTtlSeconds);
    }

    public SnowflakeSandboxOptions withUser(String name, String password) {
        Map<String, String> u = new LinkedHashMap<>(users);
        u.put(name.toUpperCase(Locale.ROOT), password);
        return new SnowflakeSandboxOptions(port, dataDir, account, u, publicKeys, databases, sessionTokenTtlSeconds);
    }

    /** Lets name log in with a JWT signed by the private key of publicKey (adds the user without a password if new). */
    public SnowflakeSandboxOptions withPublicKey(String name, PublicKey publicKey) {
        Map<String, PublicKey> k = new LinkedHashMap<>(publicKeys);
        k.put(name.toUpperCase(Locale.ROOT), publicKey);
        Map<String, String> u = new LinkedHashMap<>(users);
        u.putIfAbsent(name.toUpperCase(Locale.ROOT), "");
        return new SnowflakeSandboxOptions(port, dataDir, account, u, k, databases, sessionTokenTtlSeconds);
    }

    public SnowflakeSandboxOptions withDatabases(List<String> names) {
        return new SnowflakeSandboxOptions(port, dataDir, account, users, publicKeys, names, sessionTokenTtlSeconds);
    }

    public SnowflakeSandboxOptions withSessionTokenTtlSeconds(long seconds) {
        return new SnowflakeSandboxOptions(port, dataDir, account, users, publicKeys, databases, seconds);
    }

    public static String usage() {
        return "options: --port N (0 = random, default 0) --data-dir DIR (keep databases as DuckDB files; default in memory)"
                + " --account NAME (default " + DEFAULT_ACCOUNT + ") --user NAME (default " + DEFAULT_USER + ") --password SECRET (default "
                + DEFAULT_PASSWORD + ") --public-key FILE (PEM, lets the user log in by key pair) --database NAME (repeatable; default "
                + DEFAULT_DATABASE + ") --token-ttl SECONDS (session token lifetime, default 3600)";
    }

    /** Parses the command-line flags of {@link #usage()}; a bad or unknown flag is an IllegalArgumentException naming it. */
    public static SnowflakeSandboxOptions fromArgs(String[] args) {
        int port = 0;
        Path dir = null;
        String account = DEFAULT_ACCOUNT;
        String user = DEFAULT_USER;
        String password = DEFAULT_PASSWORD;
        Path publicKey = null;
        List<String> databases = new ArrayList<>();
        long ttl = 3600;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value");
            String value = args[++i];
            switch (flag) {
                case "--port" -> port = parseInt(flag, value);
                case "--data-dir" -> dir = Path.of(value);
                case "--account" -> account = value;
                case "--user" -> user = value;
                case "--password" -> password = value;
                case "--public-key" -> publicKey = Path.of(value);
                case "--database" -> databases.add(value);
                case "--token-ttl" -> ttl = parseInt(flag, value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        SnowflakeSandboxOptions o = new SnowflakeSandboxOptions(port, dir, account, Map.of(user, password), Map.of(),
                databases.isEmpty() ? List.of(DEFAULT_DATABASE) : databases, ttl);
        return publicKey == null ? o : o.withPublicKey(user, KeyPairLogin.readPublicKey(publicKey));
    }

    private static int parseInt(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + value + "'");
        }
    }

    public String describe() {
        return "account " + account + ", users " + users.keySet() + (publicKeys.isEmpty() ? "" : " (key pair: " + publicKeys.keySet() + ")")
                + ", databases " + databases + ", " + (dataDir == null ? "in memory" : "kept in " + dataDir.toAbsolutePath())
                + ", session tokens live " + sessionTokenTtlSeconds + " s";
    }
}
