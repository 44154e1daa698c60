package dev.tributary.source.sheets;

import dev.tributary.spi.Config;
import dev.tributary.spi.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The settings of a {@code type: sheets} connection, read and checked in one place. See the module README. */
record SheetsConfig(String spreadsheetId, String baseUrl, String driveUrl, String tokenUri, Credentials credentials,
        Map<String, StreamConfig> streams, int pageRows, int readsPerMinute, Duration quotaWaitBudget, int maxAttempts) {

    static final String DEFAULT_BASE_URL = "https://sheets.googleapis.com";
    static final String DEFAULT_DRIVE_URL = "https://www.googleapis.com";
    static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";
    static final String SCOPES = "https://www.googleapis.com/auth/spreadsheets.readonly https://www.googleapis.com/auth/drive.metadata.readonly";

    /** How the connection signs in. Never printed with its secrets. */
    sealed interface Credentials {
        /** A short stable text that tells accounts apart without revealing anything (for sharing one client). */
        String fingerprint();
        /**
         * A one-way digest of the secret itself (private key, API key, client secret and refresh token), so a cached
         * client is not reused once the secret changes (a rotated key file, a new refresh token). Never printed.
         */
        String secretDigest();
        String describe();
    }

    static String digest(String... parts) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                md.update(p.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    record ServiceAccount(Path keyFile, String clientEmail, String privateKeyPem, String tokenUri) implements Credentials {
        public String fingerprint() { return "sa:" + clientEmail + "@" + tokenUri; }
        public String secretDigest() { return digest(privateKeyPem); }
        public String describe() { return "service account " + clientEmail + " (key file " + keyFile + ")"; }
    }

    record ApiKey(String key) implements Credentials {
        public String fingerprint() { return "key:" + Integer.toHexString(key.hashCode()); }
        public String secretDigest() { return digest(key); }
        public String describe() { return "an API key (public sheets only)"; }
    }

    record RefreshToken(String clientId, String clientSecret, String refreshToken) implements Credentials {
        public String fingerprint() { return "oauth:" + clientId; }
        public String secretDigest() { return digest(clientSecret, refreshToken); }
        public String describe() { return "an OAuth client and a user refresh token"; }
    }

    /** One stream: a tab or an A1 range, how its header works, declared types, key and fallback files. */
    record StreamConfig(String name, String range, int headerRow, List<String> columns, Map<String, DataType> types,
            List<String> key, boolean numbersFromText, boolean trimText, List<String> dateFormats, Optional<Fallback> fallback,
            char decimalSeparator) {
        /** {@code decimalSeparator} '.' or ',' as {@code decimal_separator} says, or 0: not said (a lone "1.200" is ambiguous). */
        StreamConfig(String name, String range, int headerRow, List<String> columns, Map<String, DataType> types,
                List<String> key, boolean numbersFromText, boolean trimText, List<String> dateFormats, Optional<Fallback> fallback) {
            this(name, range, headerRow, columns, types, key, numbersFromText, trimText, dateFormats, fallback, (char) 0);
        }
    }

    record Fallback(String path, Optional<String> format) { }

    static SheetsConfig from(Config c) {
        String id = c.optString("spreadsheet_id").orElseThrow(() -> c.error("spreadsheet_id",
                "missing: the spreadsheet's id, the long part of its URL between /d/ and /edit"));
        if (id.contains("/")) throw c.error("spreadsheet_id", "give the id only (between /d/ and /edit in the URL), not the whole URL");
        String base = trimSlash(c.string("base_url", DEFAULT_BASE_URL));
        String drive = trimSlash(c.string("drive_url", base.equals(DEFAULT_BASE_URL) ? DEFAULT_DRIVE_URL : base));
        String tokenUri = c.string("token_uri", DEFAULT_TOKEN_URI);
        Path basePath = Path.of(c.string("base_path", "."));
        Credentials creds = credentials(c, tokenUri, basePath);
        int pageRows = c.intValue("page_rows", 5000);
        if (pageRows < 10 || pageRows > 100_000) throw c.error("page_rows", "must be 10..100000: " + pageRows);
        int rpm = c.intValue("reads_per_minute", 60);
        if (rpm < 1) throw c.error("reads_per_minute", "must be positive");
        long budget = c.longValue("quota_wait_seconds", 120);
        if (budget < 0) throw c.error("quota_wait_seconds", "must be >= 0");
        int attempts = c.intValue("max_attempts", 6);
        if (attempts < 1) throw c.error("max_attempts", "must be >= 1");
        boolean numbersFromText = c.bool("numbers_from_text", false);
        char decimal = decimalSeparator(c, (char) 0);
        Map<String, StreamConfig> streams = new LinkedHashMap<>();
        for (Map.Entry<String, Config> e : c.entries("streams").entrySet()) {
            streams.put(e.getKey(), stream(e.getKey(), e.getValue(), numbersFromText, decimal, basePath));
        }
        return new SheetsConfig(id, base, drive, tokenUri, creds, streams, pageRows, rpm, Duration.ofSeconds(budget), attempts);
    }

    private static Credentials credentials(Config c, String tokenUri, Path basePath) {
        Optional<String> file = c.optString("credentials_file");
        Optional<String> key = c.optString("api_key");
        Optional<String> refresh = c.optString("refresh_token");
        Optional<String> clientId = c.optString("client_id");
        Optional<String> clientSecret = c.optString("client_secret");
        int given = (file.isPresent() ? 1 : 0) + (key.isPresent() ? 1 : 0) + (refresh.isPresent() ? 1 : 0);
        if (given == 0) throw c.error("credentials_file", "missing credentials: give credentials_file (a service-account key file), "
                + "api_key (public sheets), or client_id, client_secret and refresh_token");
        if (given > 1) throw c.error("credentials_file", "give only one of credentials_file, api_key and refresh_token");
        if (file.isPresent()) {
            Path p = basePath.resolve(file.get()).normalize();
            if (!Files.isReadable(p)) throw c.error("credentials_file", "cannot read the key file " + p.toAbsolutePath());
            try {
                var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(p));
                String type = json.path("type").asText("");
                if (!type.equals("service_account")) {
                    throw c.error("credentials_file", p + " is not a service-account key file (its type is '" + type + "', expected 'service_account')");
                }
                String email = json.path("client_email").asText("");
                String pem = json.path("private_key").asText("");
                if (email.isEmpty() || pem.isEmpty()) throw c.error("credentials_file", p + " has no client_email or private_key");
                // token_uri from the key file is what lets a local simulator stand in for Google
                return new ServiceAccount(p, email, pem, json.path("token_uri").asText(DEFAULT_TOKEN_URI));
            } catch (java.io.IOException e) {
                throw c.error("credentials_file", p + " is not valid JSON: " + e.getMessage());
            }
        }
        if (key.isPresent()) return new ApiKey(key.get());
        if (clientId.isEmpty() || clientSecret.isEmpty()) throw c.error("refresh_token", "a refresh token needs client_id and client_secret too");
        return new RefreshToken(clientId.get(), clientSecret.get(), refresh.get());
    }

    private static char decimalSeparator(Config c, char dflt) {
        Optional<String> d = c.optString("decimal_separator");
        if (d.isEmpty()) return dflt;
        if (!d.get().equals(".") && !d.get().equals(",")) {
            throw c.error("decimal_separator", "'.' (1,200.50 is twelve hundred and a half) or ',' (1.200,50), not '" + d.get() + "'");
        }
        return d.get().charAt(0);
    }

    private static StreamConfig stream(String name, Config s, boolean numbersFromTextDefault, char decimalDefault, Path basePath) {
        String range = s.string("range", name);
        int headerRow = s.intValue("header_row", 1);
        if (headerRow < 0) throw s.error("header_row", "must be >= 0 (0 = no header row; then give columns:)");
        List<String> columns = s.stringList("columns");
        if (headerRow == 0 && columns.isEmpty()) throw s.error("columns", "header_row is 0, so the column names must be given here");
        List<String> normalized = new ArrayList<>();
        for (String col : columns) {
            String n = columnName(col);
            if (n.isEmpty()) throw s.error("columns", "a column name is empty");
            if (normalized.contains(n)) throw s.error("columns", "column '" + n + "' is listed twice");
            normalized.add(n);
        }
        Map<String, DataType> types = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : s.stringMap("types").entrySet()) {
            try {
                DataType type = DataType.parse(t.getValue());
                if (type == DataType.JSON || type == DataType.TIMESTAMP_TZ) throw new IllegalArgumentException("type " + t.getValue() + " is not offered for sheet cells");
                types.put(columnName(t.getKey()), type);
            } catch (IllegalArgumentException e) {
                throw s.error("types", t.getKey() + ": " + e.getMessage());
            }
        }
        List<String> key = s.stringList("key").stream().map(SheetsConfig::columnName).toList();
        Optional<Fallback> fallback = Optional.empty();
        if (s.has("fallback")) {
            Config f = s.child("fallback");
            String path = f.optString("path").orElseThrow(() -> f.error("path", "missing: the CSV or JSON export to read when the API is unusable (a glob is allowed)"));
            Optional<String> format = f.optString("format").map(v -> v.toLowerCase(Locale.ROOT));
            if (format.isPresent() && !format.get().equals("csv") && !format.get().equals("json")) throw f.error("format", "csv or json");
            fallback = Optional.of(new Fallback(basePath.resolve(path).normalize().toString(), format));
        }
        List<String> dateFormats = s.has("date_formats") ? s.stringList("date_formats") : List.of("yyyy-MM-dd");
        for (String f : dateFormats) {
            try {
                java.time.format.DateTimeFormatter.ofPattern(f);
            } catch (IllegalArgumentException e) {
                throw s.error("date_formats", "'" + f + "' is not a date pattern: " + e.getMessage());
            }
        }
        return new StreamConfig(name, range, headerRow, normalized, types, key, s.bool("numbers_from_text", numbersFromTextDefault),
                s.bool("trim", true), dateFormats, fallback, decimalSeparator(s, decimalDefault));
    }

    /** A header text as a column name: trimmed, lower case, runs of anything but letters and digits as one '_'. */
    static String columnName(String header) {
        String s = header.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "_");
        s = s.replaceAll("^_+|_+$", "");
        return s;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
