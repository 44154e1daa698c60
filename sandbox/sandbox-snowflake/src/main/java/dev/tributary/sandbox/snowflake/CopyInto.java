package dev.tributary.sandbox.snowflake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.sandbox.snowflake.SqlTokens.Token;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code COPY INTO table [(columns)] FROM @stage[/path] [FILES = (...) | PATTERN = '...'] [FILE_FORMAT = (TYPE = CSV |
 * PARQUET ...)] [MATCH_BY_COLUMN_NAME = ...] [ON_ERROR = ...] [PURGE = TRUE] [FORCE = TRUE]}: each staged file is read by
 * DuckDB ({@code read_csv} with every column as text, or {@code read_parquet}), converted to the table's column types
 * (a value that does not convert is an error of its row), and inserted; the answer has Snowflake's row per file. A file
 * loaded into the table before with the same MD5 is skipped unless FORCE (load history, kept with the transaction).
 */
final class CopyInto {
    private static final Pattern COPY = Pattern.compile("(?is)^\\s*COPY\\s+INTO\\s+(.+?)\\s+FROM\\s+'?(@[^\\s;']+)'?(.*)$");
    private static final String WORK = "\"__sandbox_copy\"";

    private final StageCommands stageCommands;
    private final Stages stages;

    CopyInto(StageCommands stageCommands, Stages stages) {
        this.stageCommands = stageCommands;
        this.stages = stages;
    }

    private record Column(String name, String duckType) {}

    private record FileResult(String file, String status, long parsed, long loaded, long errorLimit, long errors, String firstError,
                              Long firstErrorLine, String firstErrorColumn) {}

    QueryResult run(SandboxSession s, String sql) throws SQLException {
        String trimmed = sql.strip();
        if (trimmed.matches("(?is)^COPY\\s+INTO\\s+@.*")) throw unsupported("COPY INTO @stage (unloading)");
        Matcher m = COPY.matcher(trimmed);
        if (!m.matches()) {
            if (trimmed.matches("(?is)^COPY\\s+INTO\\s+.+?\\s+FROM\\s*\\(.*")) throw unsupported("COPY with a transformation (FROM (SELECT ...))");
            throw SnowflakeError.syntax("COPY INTO needs: COPY INTO <table> FROM @<stage> ...");
        }
        List<Token> target = SqlTokens.significant(SqlTokens.tokenize(m.group(1)));
        List<String> table = resolveTable(s, Names.dotted(target, 0));
        List<String> explicit = new ArrayList<>();
        int after = Names.length(target, 0);
        if (after < target.size() && target.get(after).isSymbol("(")) {
            for (Token t : target.subList(after + 1, target.size())) {
                if (t.isSymbol(")")) break;
                if (!t.isSymbol(",")) explicit.add(Names.dotted(List.of(t), 0).get(0));
            }
        }
        StageCommands.StageAt at = stageCommands.resolve(s, m.group(2));
        Map<String, Object> options = StageCommands.Options.parse(SqlTokens.significant(SqlTokens.tokenize(m.group(3))), 0);
        Map<String, String> format = new LinkedHashMap<>(stages.fileFormat(at.stage()));
        format.putAll(StageCommands.Options.fileFormat(options.get("FILE_FORMAT")));
        if (format.containsKey("FORMAT_NAME")) throw unsupported("named file formats (FORMAT_NAME)");
        String type = format.getOrDefault("TYPE", "CSV").toUpperCase(Locale.ROOT);
        if (!type.equals("CSV") && !type.equals("PARQUET")) throw unsupported("file format TYPE = " + type + " (CSV and PARQUET are simulated)");
        String match = StageCommands.Options.text(options, "MATCH_BY_COLUMN_NAME", "NONE").toUpperCase(Locale.ROOT);
        String onError = StageCommands.Options.text(options, "ON_ERROR", "ABORT_STATEMENT").toUpperCase(Locale.ROOT);
        if (!List.of("ABORT_STATEMENT", "CONTINUE", "SKIP_FILE").contains(onError)) throw unsupported("ON_ERROR = " + onError + " (ABORT_STATEMENT, CONTINUE and SKIP_FILE are simulated)");
        boolean force = StageCommands.Options.flag(options, "FORCE", false);
        boolean purge = StageCommands.Options.flag(options, "PURGE", false);
        if (type.equals("PARQUET") && match.equals("NONE") && explicit.isEmpty()) {
            throw new SnowflakeError("002019", "0A000", "SQL compilation error:\nPARQUET file format can produce one and only one column of type variant, object, or array. "
                    + "Load data into separate columns using the MATCH_BY_COLUMN_NAME copy option or copy with transformation.");
        }
        if (type.equals("CSV") && !match.equals("NONE") && !StageCommands.Options.text(format, "PARSE_HEADER", "FALSE").equalsIgnoreCase("TRUE")) {
            throw new SnowflakeError("002019", "0A000", "SQL compilation error:\nMATCH_BY_COLUMN_NAME with CSV needs the file format option PARSE_HEADER = TRUE.");
        }

        List<Column> columns = columns(s, table);
        if (columns.isEmpty()) throw SnowflakeError.doesNotExist("Table", String.join(".", table));
        List<Column> into = columns;
        if (!explicit.isEmpty()) {
            into = new ArrayList<>();
            for (String name : explicit) {
                into.add(columns.stream().filter(c -> c.name().equals(name)).findFirst()
                        .orElseThrow(() -> new SnowflakeError("000904", "42000", "SQL compilation error: error line 1 at position 0\ninvalid identifier '" + name + "'")));
            }
        }
        List<String> files = new ArrayList<>();
        Object listed = options.get("FILES");
        Pattern pattern = StageCommands.pattern(options);
        String tableKey = String.join(".", table);
        List<Stages.StagedFile> candidates = new ArrayList<>();
        for (Stages.StagedFile f : stages.files(at.stage(), at.path())) {
            String relativeToRef = f.relative().substring(Math.min(f.relative().length(), folder(at.path()).length()));
            if (listed instanceof List<?> l && !l.contains(relativeToRef) && !l.contains(f.relative())) continue;
            if (listed instanceof String one && !one.equals(relativeToRef) && !one.equals(f.relative())) continue;
            if (pattern != null && !pattern.matcher(f.relative()).matches()) continue;
            if (!force && f.md5().equals(stages.loadedMd5(tableKey, at.stage(), f.relative()))) continue;
            candidates.add(f);
            files.add(f.relative());
        }
        if (candidates.isEmpty()) return QueryResult.status("Copy executed with 0 files processed.", QueryResult.COPY);

        boolean ownTransaction = s.duck.getAutoCommit();
        if (ownTransaction) s.duck.setAutoCommit(false);
        List<FileResult> results = new ArrayList<>();
        try {
            for (Stages.StagedFile f : candidates) {
                results.add(load(s, table, into, columns, f, at.stage().listPrefix() + f.relative(), type, format, match, onError));
            }
            if (ownTransaction) s.duck.commit();
        } catch (SQLException | RuntimeException e) {
            if (ownTransaction) s.duck.rollback();
            throw e;
        } finally {
            if (ownTransaction) s.duck.setAutoCommit(true);
        }
        for (int i = 0; i < candidates.size(); i++) {
            Stages.StagedFile f = candidates.get(i);
            FileResult r = results.get(i);
            if (r.status().equals("LOAD_FAILED")) continue;
            Runnable remember = () -> stages.recordLoad(tableKey, at.stage(), f.relative(), f.md5());
            if (ownTransaction) remember.run(); else s.afterCommit(remember);
            if (purge) {
                try {
                    Files.deleteIfExists(f.path());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot purge " + f.path(), e);
                }
            }
        }
        return answer(results);
    }

    private FileResult load(SandboxSession s, List<String> table, List<Column> into, List<Column> all, Stages.StagedFile f, String shown,
                            String type, Map<String, String> format, String match, String onError) throws SQLException {
        String reader = type.equals("PARQUET") ? "read_parquet(" + Names.literal(f.path().toString()) + ")" : csvReader(f, format);
        List<String> sourceNames = new ArrayList<>();
        try (Statement st = s.duck.createStatement(); ResultSet rs = st.executeQuery("describe select * from " + reader)) {
            while (rs.next()) sourceNames.add(rs.getString(1));
        } catch (SQLException e) {
            throw new SnowflakeError("100000", "22000", "Error reading file '" + shown + "': " + DuckErrors.toSnowflake(e).getMessage());
        }
        List<String> sources = new ArrayList<>();
        List<Column> targets = new ArrayList<>();
        if (!match.equals("NONE")) {
            boolean caseSensitive = match.equals("CASE_SENSITIVE");
            for (Column c : into) {
                for (String src : sourceNames) {
                    if (caseSensitive ? src.equals(c.name()) : src.equalsIgnoreCase(c.name())) {
                        sources.add(src);
                        targets.add(c);
                        break;
                    }
                }
            }
            if (targets.isEmpty()) {
                throw new SnowflakeError("100000", "22000", "File '" + shown + "' has no column matching a column of " + String.join(".", table) + " (MATCH_BY_COLUMN_NAME = " + match + ").");
            }
        } else {
            boolean mismatchIsError = !StageCommands.Options.text(format, "ERROR_ON_COLUMN_COUNT_MISMATCH", "TRUE").equalsIgnoreCase("FALSE");
            if (sourceNames.size() != into.size() && mismatchIsError) {
                String message = "Number of columns in file (" + sourceNames.size() + ") does not match that of the corresponding table (" + into.size()
                        + "), use file format option error_on_column_count_mismatch=false to ignore this error";
                if (onError.equals("ABORT_STATEMENT")) throw new SnowflakeError("100080", "22000", message + "\n  File '" + shown + "', line 1");
                return new FileResult(shown, "LOAD_FAILED", 0, 0, 1, 1, message, 1L, null);
            }
            for (int i = 0; i < Math.min(sourceNames.size(), into.size()); i++) {
                sources.add(sourceNames.get(i));
                targets.add(into.get(i));
            }
        }
        StringBuilder select = new StringBuilder("create or replace temp table " + WORK + " as select row_number() over () as \"__line\"");
        StringBuilder bad = new StringBuilder("false");
        StringBuilder which = new StringBuilder("case");
        for (int i = 0; i < sources.size(); i++) {
            String src = Names.quote(sources.get(i));
            String cast = "try_cast(" + src + " as " + targets.get(i).duckType() + ")";
            select.append(", ").append(cast).append(" as \"c").append(i).append('"');
            String failed = "(" + src + " is not null and " + cast + " is null)";
            bad.append(" or ").append(failed);
            which.append(" when ").append(failed).append(" then '").append(i).append("' || chr(31) || cast(").append(src).append(" as varchar)");
        }
        which.append(" end");
        select.append(", ").append(bad).append(" as \"__bad\", ").append(sources.isEmpty() ? "null" : which.toString()).append(" as \"__why\" from ").append(reader);
        long parsed;
        long errors;
        String firstError = null;
        Long firstLine = null;
        String firstColumn = null;
        try (Statement st = s.duck.createStatement()) {
            try {
                st.execute(select.toString());
            } catch (SQLException e) {
                throw new SnowflakeError("100000", "22000", "Error reading file '" + shown + "': " + DuckErrors.toSnowflake(e).getMessage());
            }
            try (ResultSet rs = st.executeQuery("select count(*), count(*) filter (where \"__bad\"), min(\"__line\") filter (where \"__bad\") from " + WORK)) {
                rs.next();
                parsed = rs.getLong(1);
                errors = rs.getLong(2);
                if (errors > 0) firstLine = rs.getLong(3);
            }
            if (errors > 0) {
                try (ResultSet rs = st.executeQuery("select \"__why\" from " + WORK + " where \"__line\" = " + firstLine)) {
                    rs.next();
                    String[] why = rs.getString(1).split("\u001f", 2);
                    Column column = targets.get(Integer.parseInt(why[0]));
                    firstColumn = "\"" + table.get(2) + "\"[\"" + column.name() + "\"]";
                    firstError = "Value '" + why[1] + "' is not recognized as " + column.duckType() + " (column " + column.name() + ")";
                }
                int skipped = Integer.parseInt(StageCommands.Options.text(format, "SKIP_HEADER", "0")) + (isTrue(format, "PARSE_HEADER") ? 1 : 0);
                firstLine += skipped;
                if (onError.equals("ABORT_STATEMENT")) {
                    st.execute("drop table " + WORK);
                    throw new SnowflakeError("100038", "22018", firstError + "\n  File '" + shown + "', line " + firstLine + ", column " + firstColumn
                            + "\n  If you would like to continue loading when an error is encountered, use other values such as 'SKIP_FILE' or 'CONTINUE' for the ON_ERROR option.");
                }
            }
            long loaded = 0;
            if (errors == 0 || onError.equals("CONTINUE")) {
                StringBuilder insert = new StringBuilder("insert into " + Names.quote(table.get(0)) + "." + Names.quote(table.get(1)) + "." + Names.quote(table.get(2)) + " (");
                StringBuilder values = new StringBuilder();
                for (int i = 0; i < targets.size(); i++) {
                    insert.append(i == 0 ? "" : ", ").append(Names.quote(targets.get(i).name()));
                    values.append(i == 0 ? "" : ", ").append("\"c").append(i).append('"');
                }
                insert.append(") select ").append(values).append(" from ").append(WORK).append(" where not \"__bad\" order by \"__line\"");
                loaded = st.executeUpdate(insert.toString());
            }
            st.execute("drop table " + WORK);
            String status = errors == 0 ? "LOADED" : onError.equals("CONTINUE") && loaded > 0 ? "PARTIALLY_LOADED" : "LOAD_FAILED";
            long limit = onError.equals("CONTINUE") ? parsed : 1;
            return new FileResult(shown, status, parsed, loaded, limit, errors, firstError, firstLine, firstColumn);
        }
    }

    private static String csvReader(Stages.StagedFile f, Map<String, String> format) {
        String delimiter = format.getOrDefault("FIELD_DELIMITER", ",");
        String enclosed = format.getOrDefault("FIELD_OPTIONALLY_ENCLOSED_BY", "NONE");
        String quote = enclosed.equalsIgnoreCase("NONE") ? "" : enclosed;
        String escape = format.getOrDefault("ESCAPE", "NONE");
        List<String> nulls = new ArrayList<>(List.of(format.getOrDefault("NULL_IF", "\\N").split("\u0000", -1)));
        if (!format.getOrDefault("EMPTY_FIELD_AS_NULL", "TRUE").equalsIgnoreCase("FALSE")) nulls.add("");
        String compression = format.getOrDefault("COMPRESSION", "AUTO").toUpperCase(Locale.ROOT);
        String duckCompression = switch (compression) {
            case "AUTO" -> f.relative().endsWith(".gz") ? "gzip" : f.relative().endsWith(".zst") ? "zstd" : "none";
            case "GZIP" -> "gzip";
            case "ZSTD" -> "zstd";
            case "NONE" -> "none";
            default -> throw unsupported("COMPRESSION = " + compression + " (AUTO, GZIP, ZSTD and NONE are simulated)");
        };
        StringBuilder nullList = new StringBuilder("[");
        for (int i = 0; i < nulls.size(); i++) nullList.append(i == 0 ? "" : ", ").append(Names.literal(nulls.get(i)));
        nullList.append(']');
        return "read_csv(" + Names.literal(f.path().toString()) + ", all_varchar = true, header = " + isTrue(format, "PARSE_HEADER")
                + ", skip = " + Integer.parseInt(format.getOrDefault("SKIP_HEADER", "0")) + ", delim = " + Names.literal(delimiter)
                + ", quote = " + Names.literal(quote) + ", escape = " + Names.literal(escape.equalsIgnoreCase("NONE") ? quote : escape)
                + ", nullstr = " + nullList + ", allow_quoted_nulls = false, compression = " + Names.literal(duckCompression)
                + ", null_padding = true, strict_mode = false, parallel = false)";
    }

    private static boolean isTrue(Map<String, String> format, String key) {
        return format.getOrDefault(key, "FALSE").equalsIgnoreCase("TRUE");
    }

    private static List<Column> columns(SandboxSession s, List<String> table) throws SQLException {
        List<Column> out = new ArrayList<>();
        try (PreparedStatement ps = s.duck.prepareStatement("select column_name, data_type from information_schema.columns"
                + " where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position")) {
            for (int i = 0; i < 3; i++) ps.setString(i + 1, table.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Column(rs.getString(1), rs.getString(2)));
            }
        }
        return out;
    }

    /**
     * The table a COPY names: an unqualified name of one of the session's temporary tables is that table (DuckDB keeps
     * them in its catalog {@code temp}), as Snowflake finds a temporary table before a permanent one of the same name;
     * any other name is qualified with the session's database and schema.
     */
    private static List<String> resolveTable(SandboxSession s, List<String> name) throws SQLException {
        if (name.size() == 1) {
            List<String> temporary = List.of("temp", "main", name.get(0));
            if (StageCommands.tableExists(s, temporary)) return temporary;
        }
        return StageCommands.qualify(s, name);
    }

    private static String folder(String path) {
        if (path.isEmpty()) return "";
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash + 1);
    }

    private static QueryResult answer(List<FileResult> results) {
        ArrayNode rowtype = JsonNodeFactory.instance.arrayNode();
        var text = ResultEncoder.ColumnType.text();
        var number = ResultEncoder.ColumnType.fixed(38, 0);
        rowtype.add(ResultEncoder.rowtypeEntry("file", text));
        rowtype.add(ResultEncoder.rowtypeEntry("status", text));
        rowtype.add(ResultEncoder.rowtypeEntry("rows_parsed", number));
        rowtype.add(ResultEncoder.rowtypeEntry("rows_loaded", number));
        rowtype.add(ResultEncoder.rowtypeEntry("error_limit", number));
        rowtype.add(ResultEncoder.rowtypeEntry("errors_seen", number));
        rowtype.add(ResultEncoder.rowtypeEntry("first_error", text));
        rowtype.add(ResultEncoder.rowtypeEntry("first_error_line", number));
        rowtype.add(ResultEncoder.rowtypeEntry("first_error_character", number));
        rowtype.add(ResultEncoder.rowtypeEntry("first_error_column_name", text));
        ArrayNode set = JsonNodeFactory.instance.arrayNode();
        for (FileResult r : results) {
            ArrayNode row = set.addArray();
            row.add(r.file()).add(r.status()).add(Long.toString(r.parsed())).add(Long.toString(r.loaded())).add(Long.toString(r.errorLimit()))
                    .add(Long.toString(r.errors()));
            if (r.firstError() == null) row.addNull(); else row.add(r.firstError());
            if (r.firstErrorLine() == null) row.addNull(); else row.add(Long.toString(r.firstErrorLine()));
            if (r.firstError() == null) row.addNull(); else row.add("1");
            if (r.firstErrorColumn() == null) row.addNull(); else row.add(r.firstErrorColumn());
        }
        return new QueryResult(rowtype, set, QueryResult.COPY);
    }

    private static SnowflakeError unsupported(String what) {
        return new SnowflakeError("000002", "0A000", "Unsupported feature '" + what + "': not simulated by the Snowflake sandbox (see sandbox-snowflake/README.md).");
    }
}
