package dev.tributary.source.files;

import static java.util.Objects.requireNonNull;

import dev.tributary.spi.Config;
import dev.tributary.spi.DataType;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The files source's settings, read through {@link Config} so that every error names file, line and key, and
 * unknown keys are reported by the caller. See the module README for the reference.
 */
record FilesConfig(Path basePath, int batchSize, List<StreamConfig> streams) {
    static final int DEFAULT_BATCH_SIZE = 10_000;
    static final int DEFAULT_INFER_ROWS = 1_000;

    FilesConfig {
        requireNonNull(basePath, "basePath is null");
        streams = List.copyOf(requireNonNull(streams, "streams is null"));
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be at least 1");
    }

    enum FileFormat { CSV, JSON, JSONL }

    enum MissingFiles { FAIL, IGNORE }

    /**
     * One stream: the files it reads ({@code paths}, each a path or glob), how to read them, the user's column
     * types and primary key. {@code settings} is the stream's part of the configuration, for errors found later.
     */
    record StreamConfig(String name, List<String> paths, FileFormat format, CsvDialect csv, Map<String, DataType> types,
            List<String> primaryKey, int inferRows, MissingFiles missingFiles, Config settings) {
        StreamConfig {
            requireNonNull(name, "name is null");
            paths = List.copyOf(requireNonNull(paths, "paths is null"));
            requireNonNull(format, "format is null");
            requireNonNull(csv, "csv is null");
            types = Map.copyOf(requireNonNull(types, "types is null"));
            primaryKey = List.copyOf(requireNonNull(primaryKey, "primaryKey is null"));
            requireNonNull(missingFiles, "missingFiles is null");
            requireNonNull(settings, "settings is null");
            if (paths.isEmpty()) throw new IllegalArgumentException("stream " + name + " has no path");
        }

        /** The paths as the user wrote them, for messages. */
        String describePaths() {
            return paths.size() == 1 ? "'" + paths.get(0) + "'" : paths.stream().map(p -> "'" + p + "'").toList().toString();
        }
    }

    /**
     * How CSV files are written. {@code quote} and {@code escape} are characters, or -1 for none; an escape equal
     * to the quote means RFC 4180 doubled quotes only.
     */
    record CsvDialect(char delimiter, int quote, int escape, boolean header, Charset encoding, List<String> columns, int skipRows) {
        static final CsvDialect DEFAULT = new CsvDialect(',', '"', '"', true, StandardCharsets.UTF_8, List.of(), 0);

        CsvDialect {
            requireNonNull(encoding, "encoding is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            if (skipRows < 0) throw new IllegalArgumentException("skipRows must not be negative");
        }
    }

    static FilesConfig from(Config config) {
        String base = config.string("base_path", ".");
        Path basePath;
        try {
            basePath = Path.of(base).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw config.error("base_path", "is not a valid path: " + e.getMessage());
        }
        int batchSize = config.intValue("batch_size", DEFAULT_BATCH_SIZE);
        if (batchSize < 1) throw config.error("batch_size", "must be at least 1, got " + batchSize);
        List<Config> entries = config.list("streams");
        if (entries.isEmpty()) {
            throw config.error("streams", "is required: list the streams to read, each with a name and a path");
        }
        List<StreamConfig> streams = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Config entry : entries) {
            StreamConfig s = stream(entry);
            if (!names.add(s.name())) throw entry.error("name", "stream '" + s.name() + "' is defined twice");
            streams.add(s);
        }
        return new FilesConfig(basePath, batchSize, streams);
    }

    Optional<StreamConfig> stream(String name) {
        return streams.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    private static StreamConfig stream(Config c) {
        String name = c.string("name").strip();
        if (name.isEmpty()) throw c.error("name", "must not be blank");
        List<String> paths = c.stringList("path");
        if (paths.isEmpty()) throw c.error("path", "is required: a file or glob such as \"leads/*.csv\"");
        FileFormat format = format(c, paths.get(0));
        if (format != FileFormat.CSV && c.has("csv")) throw c.error("csv", "applies only to format csv");
        CsvDialect csv = format == FileFormat.CSV ? csv(c.child("csv"), paths.get(0)) : CsvDialect.DEFAULT;
        Map<String, DataType> types = new LinkedHashMap<>();
        Config typesConfig = c.child("types");
        c.stringMap("types").forEach((column, type) -> {
            try {
                types.put(column, DataType.parse(type));
            } catch (IllegalArgumentException e) {
                throw typesConfig.error(column, e.getMessage());
            }
        });
        List<String> primaryKey = c.stringList("primary_key");
        int inferRows = c.intValue("infer_rows", DEFAULT_INFER_ROWS);
        if (inferRows < 1) throw c.error("infer_rows", "must be at least 1, got " + inferRows);
        MissingFiles missing = c.enumValue("missing_files", MissingFiles.class, MissingFiles.FAIL);
        return new StreamConfig(name, paths, format, csv, types, primaryKey, inferRows, missing, c);
    }

    private static FileFormat format(Config c, String path) {
        Optional<String> written = c.optString("format");
        if (written.isEmpty()) {
            String p = path.toLowerCase(Locale.ROOT);
            if (p.endsWith(".csv") || p.endsWith(".tsv")) return FileFormat.CSV;
            if (p.endsWith(".jsonl") || p.endsWith(".ndjson")) return FileFormat.JSONL;
            if (p.endsWith(".json")) return FileFormat.JSON;
            throw c.error("format", "is required when the path does not end in .csv, .tsv, .json, .jsonl or .ndjson: csv, json or jsonl");
        }
        String f = written.get().strip().toLowerCase(Locale.ROOT);
        return switch (f) {
            case "csv", "tsv" -> FileFormat.CSV;
            case "json" -> FileFormat.JSON;
            case "jsonl", "ndjson", "json_lines", "jsonlines" -> FileFormat.JSONL;
            default -> throw c.error("format", "unknown format '" + written.get() + "'; expected csv, json or jsonl"
                    + Config.didYouMean(f, List.of("csv", "json", "jsonl", "ndjson")));
        };
    }

    private static CsvDialect csv(Config c, String path) {
        boolean tsv = path.toLowerCase(Locale.ROOT).endsWith(".tsv");
        char delimiter = character(c, "delimiter", tsv ? "\t" : ",", false);
        int quote = optionalCharacter(c, "quote", "\"");
        int escape = c.has("escape") ? optionalCharacter(c, "escape", "\"") : quote;
        if (quote == delimiter) throw c.error("quote", "must differ from the delimiter");
        boolean header = c.bool("header", true);
        String encodingName = c.string("encoding", "UTF-8");
        Charset encoding;
        try {
            encoding = Charset.forName(encodingName.strip());
        } catch (IllegalArgumentException e) {
            throw c.error("encoding", "unknown encoding '" + encodingName + "' (for example UTF-8, ISO-8859-1, windows-1252, UTF-16)");
        }
        List<String> columns = c.stringList("columns");
        if (header && !columns.isEmpty()) {
            throw c.error("columns", "names the columns of files without a header; set header: false, or remove columns");
        }
        if (new HashSet<>(columns).size() != columns.size()) throw c.error("columns", "has a name twice");
        int skipRows = c.intValue("skip_rows", 0);
        if (skipRows < 0) throw c.error("skip_rows", "must not be negative");
        return new CsvDialect(delimiter, quote, escape, header, encoding, columns, skipRows);
    }

    /** One character; "\t" and "tab" mean a tab. */
    private static char character(Config c, String key, String defaultValue, boolean allowNone) {
        int ch = optionalCharacter(c, key, defaultValue);
        if (ch < 0 && !allowNone) throw c.error(key, "must be one character");
        return (char) ch;
    }

    /** One character, or -1 for "" or "none". */
    private static int optionalCharacter(Config c, String key, String defaultValue) {
        String s = c.string(key, defaultValue);
        if (s.equals("\\t") || s.equalsIgnoreCase("tab")) return '\t';
        if (s.isEmpty() || s.equalsIgnoreCase("none")) return -1;
        if (s.length() != 1) throw c.error(key, "must be one character, got '" + s + "'");
        return s.charAt(0);
    }
}
