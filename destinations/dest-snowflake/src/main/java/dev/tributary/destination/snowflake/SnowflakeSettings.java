package dev.tributary.destination.snowflake;

import dev.tributary.spi.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The destination's settings: {@code account}; where to connect ({@code url}, or {@code host} / {@code port} /
 * {@code protocol} for the sandbox or a private link, else {@code <account>.snowflakecomputing.com}); {@code user}
 * with a key pair ({@code private_key} PEM text or {@code private_key_file}, preferred) or a {@code password};
 * {@code role}, {@code warehouse}, {@code database}, {@code schema_prefix}. Secrets come through the config's
 * {@code ${VAR}} substitution (environment, .env, secret store) and are never part of {@link #describe()} or errors.
 */
record SnowflakeSettings(String account, String url, String user, Optional<String> password, Optional<PrivateKey> privateKey,
                         Optional<String> privateKeyFile, Optional<String> role, Optional<String> warehouse, String database,
                         String schemaPrefix) {

    @Override
    public String toString() {
        return describe();
    }

    static SnowflakeSettings read(Config config) {
        String account = required(config, "account").toUpperCase(Locale.ROOT);
        String user = required(config, "user");
        String database = required(config, "database");
        Optional<String> password = config.optString("password").filter(p -> !p.isEmpty());
        Optional<String> keyText = config.optString("private_key").filter(p -> !p.isBlank());
        Optional<String> keyFile = config.optString("private_key_file").filter(p -> !p.isBlank());
        if (keyText.isPresent() && keyFile.isPresent()) throw config.error("private_key", "give private_key or private_key_file, not both");
        if (password.isEmpty() && keyText.isEmpty() && keyFile.isEmpty()) {
            throw config.error("private_key", "is required: a key pair (private_key or private_key_file) or a password");
        }
        Optional<PrivateKey> key = keyText.map(k -> parseKey(config, "private_key", k));
        if (keyFile.isPresent()) {
            Path file = Path.of(keyFile.get());
            if (!Files.isReadable(file)) throw config.error("private_key_file", "cannot read " + file.toAbsolutePath());
            try {
                String pem = Files.readString(file);
                // an unencrypted PKCS#8 key is read here; an encrypted one goes to the driver with its passphrase
                if (pem.contains("BEGIN PRIVATE KEY")) key = Optional.of(parseKey(config, "private_key_file", pem));
            } catch (IOException e) {
                throw config.error("private_key_file", "cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
            }
        }
        String url;
        if (config.has("url")) {
            url = config.string("url").trim();
            if (!url.startsWith("jdbc:snowflake://")) throw config.error("url", "expected jdbc:snowflake://<host>[:port]/, got '" + url + "'");
        } else if (config.has("host")) {
            String protocol = config.string("protocol", "https").toLowerCase(Locale.ROOT);
            if (!protocol.equals("https") && !protocol.equals("http")) throw config.error("protocol", "must be https or http, was '" + protocol + "'");
            int port = config.intValue("port", protocol.equals("http") ? 80 : 443);
            if (port < 1 || port > 65535) throw config.error("port", "must be between 1 and 65535, was " + port);
            url = "jdbc:snowflake://" + config.string("host").trim() + ":" + port + "/" + (protocol.equals("http") ? "?ssl=off" : "");
        } else {
            url = "jdbc:snowflake://" + account.toLowerCase(Locale.ROOT) + ".snowflakecomputing.com/";
        }
        return new SnowflakeSettings(account, url, user, password, key, keyFile.filter(f -> config.optString("private_key").isEmpty()),
                config.optString("role"), config.optString("warehouse"), database, config.string("schema_prefix", ""));
    }

    /** The driver's connection properties; the only place the password or key goes. */
    Properties connectionProperties() {
        Properties p = new Properties();
        p.setProperty("account", account);
        p.setProperty("user", user);
        if (privateKey.isPresent()) {
            p.setProperty("authenticator", "SNOWFLAKE_JWT");
            p.put("privateKey", privateKey.get());
        } else if (privateKeyFile.isPresent()) {
            p.setProperty("authenticator", "SNOWFLAKE_JWT");
            p.setProperty("private_key_file", privateKeyFile.get());
            password.ifPresent(pw -> p.setProperty("private_key_file_pwd", pw));
        } else {
            p.setProperty("password", password.orElseThrow());
        }
        role.ifPresent(r -> p.setProperty("role", r));
        warehouse.ifPresent(w -> p.setProperty("warehouse", w));
        p.setProperty("db", database);
        p.setProperty("application", "tributary");
        // the driver would answer Arrow on real Snowflake; JSON needs no --add-opens and is what the sandbox speaks
        p.setProperty("JDBC_QUERY_RESULT_FORMAT", "JSON");
        return p;
    }

    /** Such as {@code Snowflake database RAW of account SANDBOX as LOADER (key pair)}; never a secret. */
    String describe() {
        return "Snowflake database " + database + " of account " + account + " at " + url + " as " + user
                + (privateKey.isPresent() || privateKeyFile.isPresent() ? " (key pair)" : " (password)")
                + (schemaPrefix.isEmpty() ? "" : " (schema prefix " + schemaPrefix + ")");
    }

    /** text with the password, if it shows up there, masked. */
    String redact(String text) {
        if (text == null) return null;
        return password.isPresent() ? text.replace(password.get(), "***") : text;
    }

    private static String required(Config config, String key) {
        Optional<String> v = config.optString(key).map(String::trim).filter(s -> !s.isEmpty());
        if (v.isEmpty()) throw config.error(key, "is required");
        return v.get();
    }

    private static PrivateKey parseKey(Config config, String key, String pem) {
        if (pem.contains("ENCRYPTED")) throw config.error(key, "is an encrypted key: give it as private_key_file with its passphrase in password");
        String body = pem.replaceAll("-----(BEGIN|END) (RSA )?PRIVATE KEY-----", "").replaceAll("\\s", "");
        if (pem.contains("BEGIN RSA PRIVATE KEY")) throw config.error(key, "is a PKCS#1 key: convert it with openssl pkcs8 -topk8 -nocrypt");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
            throw config.error(key, "is not a PEM PKCS#8 RSA private key (" + e.getClass().getSimpleName() + ")");
        }
    }
}
