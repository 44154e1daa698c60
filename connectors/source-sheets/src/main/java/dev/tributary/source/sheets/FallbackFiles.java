package dev.tributary.source.sheets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.spi.DataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The export a stream falls back to: CSV (first line the header) or JSON (an array of objects, or one object per
 * line), one path or a glob in one folder ({@code exports/leads-*.csv}), files in name order. Rows come out as
 * arrays in the stream's column order, matched by column name, with the file and line they came from.
 */
final class FallbackFiles {
    record Row(JsonNode cells, String origin) { }

    private FallbackFiles() { }

    static List<Path> find(String pattern) {
        Path p = Path.of(pattern);
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        if (!name.contains("*") && !name.contains("?") && !name.contains("[") && !name.contains("{")) {
            if (!Files.isRegularFile(p)) throw new DataException(pattern, "the fallback file does not exist (looked in " + p.toAbsolutePath() + ")");
            return List.of(p);
        }
        Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + name);
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(f -> Files.isRegularFile(f) && m.matches(f.getFileName())).sorted().toList();
            if (found.isEmpty()) throw new DataException(pattern, "no fallback file matches (looked in " + dir.toAbsolutePath() + ")");
            return found;
        } catch (IOException e) {
            throw new DataException(pattern, "cannot list the fallback folder " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** The column names in the file's header (CSV header, or the first JSON object's keys), as column names. */
    static List<String> header(Path file, SheetsConfig.Fallback f) {
        try {
            if (isJson(file, f)) {
                List<JsonNode> objects = jsonObjects(file);
                List<String> out = new ArrayList<>();
                if (!objects.isEmpty()) objects.get(0).fieldNames().forEachRemaining(k -> out.add(SheetsConfig.columnName(k)));
                return out;
            }
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                List<String> h = new CsvLines(r).next();
                return h == null ? List.of() : h.stream().map(SheetsConfig::columnName).toList();
            }
        } catch (IOException e) {
            throw new DataException(file.toString(), "cannot read the fallback file: " + e.getMessage(), e);
        }
    }

    /**
     * The columns {@code file} has (CSV: its header; JSON: the keys of any of its objects), as column names. What is
     * not here would load as NULL in every row, and on merge overwrite good values: the reader refuses such a file.
     */
    static java.util.Set<String> columnsIn(Path file, SheetsConfig.Fallback f) {
        try {
            java.util.Set<String> out = new java.util.LinkedHashSet<>();
            if (isJson(file, f)) {
                for (JsonNode o : jsonObjects(file)) o.fieldNames().forEachRemaining(k -> out.add(SheetsConfig.columnName(k)));
                return out;
            }
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                List<String> h = new CsvLines(r).next();
                if (h != null) h.forEach(c -> out.add(SheetsConfig.columnName(c)));
                return out;
            }
        } catch (IOException e) {
            throw new DataException(file.toString(), "cannot read the fallback file: " + e.getMessage(), e);
        }
    }

    static java.time.Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        } catch (IOException e) {
            throw new DataException(file.toString(), "cannot read the fallback file's modification time: " + e.getMessage(), e);
        }
    }

    /** Every row of {@code file} as cells in {@code columns} order (missing columns are empty). */
    static List<Row> rows(Path file, SheetsConfig.Fallback f, List<String> columns) {
        List<Row> out = new ArrayList<>();
        try {
            if (isJson(file, f)) {
                int n = 0;
                for (JsonNode o : jsonObjects(file)) {
                    n++;
                    ArrayNode cells = JsonNodeFactory.instance.arrayNode();
                    java.util.Map<String, JsonNode> byName = new java.util.HashMap<>();
                    o.fields().forEachRemaining(e -> byName.put(SheetsConfig.columnName(e.getKey()), e.getValue()));
                    for (String c : columns) {
                        JsonNode v = byName.get(c);
                        cells.add(v == null || v.isNull() ? JsonNodeFactory.instance.textNode("") : v.isContainerNode() ? JsonNodeFactory.instance.textNode(v.toString()) : v);
                    }
                    out.add(new Row(cells, file + ":" + n));
                }
                return out;
            }
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                CsvLines lines = new CsvLines(r);
                List<String> header = lines.next();
                if (header == null) return out;
                int[] at = new int[columns.size()];
                for (int i = 0; i < columns.size(); i++) at[i] = header.stream().map(SheetsConfig::columnName).toList().indexOf(columns.get(i));
                for (List<String> line = lines.next(); line != null; line = lines.next()) {
                    ArrayNode cells = JsonNodeFactory.instance.arrayNode();
                    for (int i = 0; i < columns.size(); i++) cells.add(at[i] >= 0 && at[i] < line.size() ? line.get(at[i]) : "");
                    out.add(new Row(cells, file + ":" + lines.lineNumber()));
                }
            }
            return out;
        } catch (IOException e) {
            throw new DataException(file.toString(), "cannot read the fallback file: " + e.getMessage(), e);
        }
    }

    private static boolean isJson(Path file, SheetsConfig.Fallback f) {
        if (f.format().isPresent()) return f.format().get().equals("json");
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".json") || n.endsWith(".jsonl") || n.endsWith(".ndjson");
    }

    private static List<JsonNode> jsonObjects(Path file) throws IOException {
        String text = Files.readString(file).strip();
        List<JsonNode> out = new ArrayList<>();
        if (text.startsWith("[")) {
            for (JsonNode o : SheetsClient.JSON.readTree(text)) out.add(o);
        } else {
            for (String line : text.split("\n")) if (!line.isBlank()) out.add(SheetsClient.JSON.readTree(line));
        }
        for (JsonNode o : out) if (!o.isObject()) throw new DataException(file.toString(), "expected JSON objects (one per row), found " + o.getNodeType());
        return out;
    }

    /** RFC 4180 CSV: quoted fields with doubled quotes, commas and line breaks inside quotes. */
    static final class CsvLines {
        private final Reader in;
        private int line;
        private int startLine;

        CsvLines(Reader in) { this.in = in; }

        int lineNumber() { return startLine; }

        List<String> next() throws IOException {
            List<String> fields = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            boolean quoted = false;
            boolean any = false;
            startLine = line + 1;
            int c;
            while ((c = in.read()) != -1) {
                any = true;
                if (quoted) {
                    if (c == '"') {
                        in.mark(1);
                        int d = in.read();
                        if (d == '"') f.append('"');
                        else { quoted = false; if (d != -1) in.reset(); }
                    } else {
                        if (c == '\n') line++;
                        f.append((char) c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    fields.add(f.toString());
                    f.setLength(0);
                } else if (c == '\n') {
                    line++;
                    fields.add(stripCr(f));
                    return fields;
                } else {
                    f.append((char) c);
                }
            }
            if (!any) return null;
            fields.add(stripCr(f));
            return fields;
        }

        private static String stripCr(StringBuilder f) {
            int n = f.length();
            return n > 0 && f.charAt(n - 1) == '\r' ? f.substring(0, n - 1) : f.toString();
        }
    }
}
