package dev.tributary.sandbox.snowflake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.sandbox.snowflake.SqlTokens.Kind;
import dev.tributary.sandbox.snowflake.SqlTokens.Token;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stage statements: CREATE / DROP STAGE, PUT and GET (answered with a {@code LOCAL_FS} stage location the driver copies
 * files to or from itself), LIST and REMOVE. COPY INTO is {@link CopyInto}.
 */
final class StageCommands {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A stage reference: @~, @[ns.]%table, @[db.][schema.]name, each with an optional /path. */
    static final Pattern STAGE_REF = Pattern.compile(
            "@(~|(?:(?:\"[^\"]+\"|[A-Za-z_][\\w$]*)\\.){0,2}%?(?:\"[^\"]+\"|[A-Za-z_][\\w$]*))(/[^\\s;,)']*)?");
    private static final String FILE = "(?:'file://([^']*)'|file://([^\\s;']+))";
    private static final Pattern PUT = Pattern.compile("(?is)^\\s*PUT\\s+" + FILE + "\\s+'?(@[^\\s;']+)'?(.*)$");
    private static final Pattern GET = Pattern.compile("(?is)^\\s*GET\\s+'?(@[^\\s;']+)'?\\s+" + FILE + "(.*)$");
    private static final Pattern LIST = Pattern.compile("(?is)^\\s*(?:LIST|LS|REMOVE|RM)\\s+'?(@[^\\s;']+)'?(.*)$");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Stages stages;

    StageCommands(Stages stages) {
        this.stages = stages;
    }

    /** A stage reference resolved: the stage and the path after it ("" for the whole stage). */
    record StageAt(Stages.Stage stage, String path) {}

    /** True for CREATE [OR REPLACE] [TEMP|TEMPORARY] STAGE and DROP STAGE. */
    static boolean isStageDdl(List<Token> w) {
        int i = 1;
        if (w.size() > 2 && w.get(1).is("OR") && w.get(2).is("REPLACE")) i = 3;
        if (w.size() > i && (w.get(i).is("TEMPORARY") || w.get(i).is("TEMP"))) i++;
        return w.size() > i && w.get(i).is("STAGE");
    }

    QueryResult createOrDrop(SandboxSession s, String head, List<Token> w) throws SQLException {
        int i = 1;
        boolean replace = false;
        boolean temporary = false;
        if (w.get(1).is("OR")) {
            replace = true;
            i = 3;
        }
        if (w.get(i).is("TEMPORARY") || w.get(i).is("TEMP")) {
            temporary = true;
            i++;
        }
        i++; // STAGE
        boolean ifClause = w.size() > i + 1 && w.get(i).is("IF");
        if (ifClause) i += head.equals("CREATE") ? 3 : 2;
        List<String> name = Names.dotted(w, i);
        String key = String.join(".", qualify(s, name));
        Stages.Stage stage = temporary ? temporary(s, name) : named(s, name);
        String shown = name.get(name.size() - 1);
        if (head.equals("DROP")) {
            if (!stages.exists(stage)) {
                if (ifClause) return QueryResult.status("Drop statement executed successfully (" + shown + " already dropped).", QueryResult.DDL);
                throw SnowflakeError.doesNotExist("Stage", shown);
            }
            stages.drop(stage);
            s.temporaryStages.remove(key);
            return QueryResult.status(shown + " successfully dropped.", QueryResult.DDL);
        }
        Map<String, Object> options = Options.parse(w, i + Names.length(w, i));
        if (options.containsKey("URL") || options.containsKey("STORAGE_INTEGRATION")) {
            throw new SnowflakeError("000002", "0A000", "Unsupported feature 'external stage': the Snowflake sandbox simulates internal stages only.");
        }
        if (stages.exists(stage)) {
            if (ifClause) return QueryResult.status(shown + " already exists, statement succeeded.", QueryResult.DDL);
            if (!replace) throw new SnowflakeError("002002", "42710", "SQL compilation error:\nObject '" + shown + "' already exists.");
            stages.drop(stage);
        }
        stages.create(stage, Options.fileFormat(options.get("FILE_FORMAT")));
        if (temporary) {
            s.temporaryStages.put(key, stage);
            s.onClose(() -> stages.drop(stage));
        }
        return QueryResult.status("Stage area " + shown + " successfully created.", QueryResult.DDL);
    }

    QueryResult put(SandboxSession s, String sql) {
        Matcher m = PUT.matcher(sql.strip());
        if (!m.matches()) throw SnowflakeError.syntax("PUT needs 'file://<path>' and a stage: PUT file:///tmp/data.csv @my_stage");
        // the driver checks that src_locations is the path it parsed from the command itself
        String local = m.group(1) != null ? m.group(1).replace("\\\\", "\\") : m.group(2);
        StageAt at = resolve(s, m.group(3));
        Map<String, Object> options = Options.parse(SqlTokens.significant(SqlTokens.tokenize(m.group(4))), 0);
        String sourceCompression = Options.text(options, "SOURCE_COMPRESSION", "AUTO_DETECT").toLowerCase(Locale.ROOT);
        try {
            Files.createDirectories(at.stage().dir().resolve(folderOf(at.path())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create stage folder " + at.stage().dir(), e);
        }
        ObjectNode d = NODES.objectNode();
        d.put("command", "UPLOAD");
        d.putArray("src_locations").add(local);
        d.put("autoCompress", Options.flag(options, "AUTO_COMPRESS", true));
        d.put("sourceCompression", sourceCompression);
        d.put("overwrite", Options.flag(options, "OVERWRITE", false));
        d.put("parallel", Integer.parseInt(Options.text(options, "PARALLEL", "4")));
        d.put("threshold", 200 * 1024 * 1024);
        d.set("stageInfo", localStage(at.stage().dir().resolve(folderOf(at.path())).toString()));
        d.putNull("encryptionMaterial");
        d.put("clientShowEncryptionParameter", false);
        return QueryResult.fileTransfer(d, QueryResult.PUT);
    }

    QueryResult get(SandboxSession s, String sql) {
        Matcher m = GET.matcher(sql.strip());
        if (!m.matches()) throw SnowflakeError.syntax("GET needs a stage and 'file://<folder>': GET @my_stage file:///tmp/out/");
        StageAt at = resolve(s, m.group(1));
        String local = m.group(2) != null ? m.group(2).replace("\\\\", "\\") : m.group(3);
        Map<String, Object> options = Options.parse(SqlTokens.significant(SqlTokens.tokenize(m.group(4))), 0);
        Pattern pattern = pattern(options);
        ObjectNode d = NODES.objectNode();
        d.put("command", "DOWNLOAD");
        ArrayNode src = d.putArray("src_locations");
        for (Stages.StagedFile f : stages.files(at.stage(), at.path())) {
            if (pattern == null || pattern.matcher(f.relative()).matches()) src.add(f.relative());
        }
        d.put("localLocation", local);
        d.put("parallel", Integer.parseInt(Options.text(options, "PARALLEL", "4")));
        d.put("overwrite", true);
        d.set("stageInfo", localStage(at.stage().dir().toString()));
        d.putNull("encryptionMaterial");
        d.put("clientShowEncryptionParameter", false);
        return QueryResult.fileTransfer(d, QueryResult.GET);
    }

    /** LIST answers name, size, md5, last_modified; REMOVE deletes the files and answers name, result. */
    QueryResult listOrRemove(SandboxSession s, String sql, boolean remove) {
        Matcher m = LIST.matcher(sql.strip());
        if (!m.matches()) throw SnowflakeError.syntax((remove ? "REMOVE" : "LIST") + " needs a stage: LIST @my_stage");
        StageAt at = resolve(s, m.group(1));
        Pattern pattern = pattern(Options.parse(SqlTokens.significant(SqlTokens.tokenize(m.group(2))), 0));
        List<List<String>> rows = new ArrayList<>();
        for (Stages.StagedFile f : stages.files(at.stage(), at.path())) {
            if (pattern != null && !pattern.matcher(f.relative()).matches()) continue;
            String name = at.stage().listPrefix() + f.relative();
            if (remove) {
                try {
                    Files.deleteIfExists(f.path());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove " + f.path(), e);
                }
                rows.add(List.of(name, "removed"));
            } else {
                rows.add(List.of(name, Long.toString(f.size()), f.md5(), HTTP_DATE.format(Instant.ofEpochMilli(f.lastModifiedMillis()))));
            }
        }
        if (remove) return QueryResult.text(List.of("name", "result"), rows, QueryResult.REMOVE);
        ArrayNode rowtype = NODES.arrayNode();
        rowtype.add(ResultEncoder.rowtypeEntry("name", ResultEncoder.ColumnType.text()));
        rowtype.add(ResultEncoder.rowtypeEntry("size", ResultEncoder.ColumnType.fixed(38, 0)));
        rowtype.add(ResultEncoder.rowtypeEntry("md5", ResultEncoder.ColumnType.text()));
        rowtype.add(ResultEncoder.rowtypeEntry("last_modified", ResultEncoder.ColumnType.text()));
        ArrayNode set = NODES.arrayNode();
        for (List<String> r : rows) {
            ArrayNode row = set.addArray();
            r.forEach(row::add);
        }
        return new QueryResult(rowtype, set, QueryResult.LIST);
    }

    /** Resolves "@..." to a stage that exists (a table stage needs its table), or answers Snowflake's 002003. */
    StageAt resolve(SandboxSession s, String ref) throws SnowflakeError {
        Matcher m = STAGE_REF.matcher(ref.strip());
        if (!m.matches()) throw SnowflakeError.syntax("not a stage reference: " + ref);
        String path = m.group(2) == null ? "" : m.group(2).substring(1);
        String body = m.group(1);
        if (body.equals("~")) {
            Stages.Stage user = stages.user(s.user);
            stages.create(user, Map.of());
            return new StageAt(user, path);
        }
        List<String> parts = nameParts(body);
        String last = parts.get(parts.size() - 1);
        if (last.startsWith("%")) {
            List<String> table = new ArrayList<>(parts);
            table.set(table.size() - 1, last.substring(1));
            List<String> full = qualify(s, table);
            try {
                if (!tableExists(s, full)) throw SnowflakeError.doesNotExist("Table", String.join(".", full));
            } catch (SQLException e) {
                throw DuckErrors.toSnowflake(e);
            }
            Stages.Stage stage = stages.table(full.get(0), full.get(1), full.get(2));
            if (!stages.exists(stage)) stages.create(stage, Map.of());
            return new StageAt(stage, path);
        }
        Stages.Stage stage = named(s, parts);
        if (!stages.exists(stage)) throw SnowflakeError.doesNotExist("Stage", String.join(".", qualify(s, parts)));
        return new StageAt(stage, path);
    }

    /** The session's temporary stage of that name if it has one, else the permanent one. */
    private Stages.Stage named(SandboxSession s, List<String> name) {
        List<String> full = qualify(s, name);
        Stages.Stage temporary = s.temporaryStages.get(String.join(".", full));
        return temporary != null ? temporary : stages.named(full.get(0), full.get(1), full.get(2));
    }

    private Stages.Stage temporary(SandboxSession s, List<String> name) {
        List<String> full = qualify(s, name);
        return stages.temporary(s.id, full.get(0), full.get(1), full.get(2));
    }

    /** db, schema, name from a 1-3 part name and the session's current database and schema. */
    static List<String> qualify(SandboxSession s, List<String> name) {
        String db = name.size() > 2 ? name.get(0) : s.database;
        String schema = name.size() > 1 ? name.get(name.size() - 2) : s.schema;
        if (db == null || schema == null) {
            throw new SnowflakeError("090106", "22000", "Cannot perform operation. This session does not have a current " + (db == null ? "database" : "schema")
                    + ". Call 'USE " + (db == null ? "DATABASE" : "SCHEMA") + "', or use a qualified name.");
        }
        return List.of(db, schema, name.get(name.size() - 1));
    }

    static boolean tableExists(SandboxSession s, List<String> full) throws SQLException {
        try (PreparedStatement ps = s.duck.prepareStatement(
                "select 1 from information_schema.tables where table_catalog = ? and table_schema = ? and table_name = ?")) {
            for (int i = 0; i < 3; i++) ps.setString(i + 1, full.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The parts of a.b.%c / "A"."b" as Snowflake resolves them (unquoted upper-cased, the % kept on the last part). */
    private static List<String> nameParts(String body) {
        List<String> parts = new ArrayList<>();
        Matcher m = Pattern.compile("(%?)(\"([^\"]+)\"|([A-Za-z_][\\w$]*))").matcher(body);
        while (m.find()) parts.add(m.group(1) + (m.group(3) != null ? m.group(3) : m.group(4).toUpperCase(Locale.ROOT)));
        return parts;
    }

    private static String folderOf(String path) {
        return path.isEmpty() ? "" : path.endsWith("/") ? path : path + "/";
    }

    private static ObjectNode localStage(String location) {
        ObjectNode stage = NODES.objectNode();
        stage.put("locationType", "LOCAL_FS");
        stage.put("location", location.endsWith("/") ? location : location + "/");
        stage.put("path", "");
        stage.putNull("region");
        stage.putNull("storageAccount");
        stage.put("isClientSideEncrypted", false);
        stage.putObject("creds");
        return stage;
    }

    static Pattern pattern(Map<String, Object> options) {
        Object p = options.get("PATTERN");
        return p == null ? null : Pattern.compile(String.valueOf(p));
    }

    /** KEY = value options: a word, string or number; a parenthesised list; or a parenthesised KEY = value group. */
    static final class Options {
        private Options() {}

        static Map<String, Object> parse(List<Token> w, int from) {
            Map<String, Object> out = new LinkedHashMap<>();
            int[] i = {from};
            while (i[0] < w.size()) {
                Token key = w.get(i[0]);
                if (key.isSymbol(";") || key.isSymbol(",")) {
                    i[0]++;
                    continue;
                }
                if (key.kind() != Kind.WORD) throw SnowflakeError.syntax("an option name was expected at '" + key.text() + "'");
                if (i[0] + 1 >= w.size() || !w.get(i[0] + 1).isSymbol("=")) throw SnowflakeError.syntax("option " + key.text() + " needs = value");
                i[0] += 2;
                out.put(key.text().toUpperCase(Locale.ROOT), value(w, i));
            }
            return out;
        }

        private static Object value(List<Token> w, int[] i) {
            if (i[0] >= w.size()) throw SnowflakeError.syntax("an option value was expected at the end");
            Token t = w.get(i[0]);
            if (!t.isSymbol("(")) {
                i[0]++;
                return t.text();
            }
            int close = i[0] + 1;
            int depth = 1;
            while (close < w.size() && depth > 0) {
                if (w.get(close).isSymbol("(")) depth++;
                if (w.get(close).isSymbol(")")) depth--;
                if (depth > 0) close++;
            }
            if (depth > 0) throw SnowflakeError.syntax("unclosed ( in options");
            List<Token> inner = w.subList(i[0] + 1, close);
            i[0] = close + 1;
            if (inner.size() > 1 && inner.get(0).kind() == Kind.WORD && inner.get(1).isSymbol("=")) return parse(inner, 0);
            List<String> list = new ArrayList<>();
            for (Token v : inner) if (!v.isSymbol(",")) list.add(v.text());
            return list;
        }

        static String text(Map<String, ?> options, String key, String otherwise) {
            Object v = options.get(key);
            return v == null ? otherwise : String.valueOf(v);
        }

        static boolean flag(Map<String, Object> options, String key, boolean otherwise) {
            Object v = options.get(key);
            return v == null ? otherwise : String.valueOf(v).equalsIgnoreCase("TRUE");
        }

        /** FILE_FORMAT = (TYPE = CSV ...) as upper-case keys and text values; lists joined with \u0000. */
        @SuppressWarnings("unchecked")
        static Map<String, String> fileFormat(Object value) {
            if (value == null) return Map.of();
            if (!(value instanceof Map<?, ?> map)) throw SnowflakeError.syntax("FILE_FORMAT needs ( TYPE = ... )");
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                out.put(e.getKey(), e.getValue() instanceof List<?> l ? String.join("\u0000", (List<String>) l) : String.valueOf(e.getValue()));
            }
            return out;
        }
    }
}
