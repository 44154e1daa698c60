package dev.tributary.destination.snowflake;

import dev.tributary.destination.warehouse.Column;
import dev.tributary.destination.warehouse.StagedValues;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Record;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * The bulk-load path: batches become gzip CSV files in a local folder (every value quoted, null as an unquoted
 * {@code \N}), and at commit the files go up with {@code PUT} to a temporary named stage and into the staging table
 * with {@code COPY INTO ... (columns) FILE_FORMAT = (TYPE = CSV ...) PURGE = TRUE}, each file's column list explicit.
 * COPY's answer is checked: every file LOADED and the row counts the files hold, else the commit fails.
 */
final class StagedFiles implements AutoCloseable {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter TS_TZ = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");
    static final String FILE_FORMAT = "FILE_FORMAT = (TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '\"' NULL_IF = ('\\\\N') EMPTY_FIELD_AS_NULL = FALSE COMPRESSION = GZIP)";

    /** A written file: its columns (after SEQ, EXTRACTED_AT, DELETED_AT) and how many rows it holds. */
    record StagedFile(Path path, List<String> columns, long rows) {}

    private final Path folder;
    private final String prefix = UUID.randomUUID().toString();
    private final List<StagedFile> files = new ArrayList<>();

    StagedFiles() {
        try {
            folder = Files.createTempDirectory("tributary-snowflake-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for files to load into Snowflake", e);
        }
    }

    boolean isEmpty() {
        return files.isEmpty();
    }

    /** Writes the records as one gzip CSV file; a value the column cannot hold fails the batch naming its origin. */
    void write(List<Record> records, List<Column> columns, long firstSeq, Instant extractedAt) {
        Path file = folder.resolve(prefix + "_" + files.size() + ".csv.gz");
        String extracted = TS_TZ.format(extractedAt.atOffset(ZoneOffset.UTC));
        try (Writer out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
            long seq = firstSeq;
            for (Record r : records) {
                out.write(Long.toString(seq++));
                out.write(",\"");
                out.write(extracted);
                out.write("\",");
                out.write(r.deletedAt() == null ? "\\N" : "\"" + TS_TZ.format(r.deletedAt().atOffset(ZoneOffset.UTC)) + "\"");
                for (int i = 0; i < columns.size(); i++) {
                    out.write(',');
                    Object v = r.value(i);
                    if (v == null) {
                        out.write("\\N");
                        continue;
                    }
                    String text;
                    try {
                        text = text(v, columns.get(i).type());
                    } catch (RuntimeException e) {
                        throw StagedValues.cannotStore(r, columns.get(i), v, e);
                    }
                    out.write('"');
                    out.write(text.indexOf('"') < 0 ? text : text.replace("\"", "\"\""));
                    out.write('"');
                }
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        files.add(new StagedFile(file, columns.stream().map(Column::name).toList(), records.size()));
    }

    /** PUTs every file to {@code stage} and COPYs each into {@code staging}; the files are gone afterwards. */
    long load(Connection c, String stage, String staging) throws SQLException {
        Map<List<String>, List<StagedFile>> byColumns = new LinkedHashMap<>();
        for (StagedFile f : files) byColumns.computeIfAbsent(f.columns(), k -> new ArrayList<>()).add(f);
        long loaded = 0;
        try (Statement s = c.createStatement()) {
            for (StagedFile f : files) {
                s.execute("PUT 'file://" + f.path().toAbsolutePath().toString().replace("\\", "/") + "' @" + stage + "/" + prefix
                        + "/ AUTO_COMPRESS = FALSE SOURCE_COMPRESSION = GZIP OVERWRITE = TRUE");
            }
            for (Map.Entry<List<String>, List<StagedFile>> group : byColumns.entrySet()) {
                StringBuilder sql = new StringBuilder("COPY INTO " + staging + " (" + SnowflakeDialect.ident(SnowflakeDialect.SEQ) + ", "
                        + SnowflakeDialect.ident(SnowflakeDialect.EXTRACTED_AT) + ", " + SnowflakeDialect.ident(SnowflakeDialect.DELETED_AT));
                for (String col : group.getKey()) sql.append(", ").append(SnowflakeDialect.ident(col));
                sql.append(") FROM @").append(stage).append('/').append(prefix).append("/ FILES = (");
                long expected = 0;
                for (int i = 0; i < group.getValue().size(); i++) {
                    StagedFile f = group.getValue().get(i);
                    sql.append(i == 0 ? "" : ", ").append('\'').append(f.path().getFileName()).append('\'');
                    expected += f.rows();
                }
                sql.append(") ").append(FILE_FORMAT).append(" ON_ERROR = ABORT_STATEMENT PURGE = TRUE");
                long rows = 0;
                try (ResultSet rs = s.executeQuery(sql.toString())) {
                    while (rs.next()) {
                        if (rs.getMetaData().getColumnCount() < 4) continue; // "Copy executed with 0 files processed."
                        if (!"LOADED".equals(rs.getString("status"))) {
                            throw new SQLException("COPY INTO " + staging + " did not load " + rs.getString("file") + ": " + rs.getString("status") + " "
                                    + rs.getString("first_error"));
                        }
                        rows += rs.getLong("rows_loaded");
                    }
                }
                if (rows != expected) throw new SQLException("COPY INTO " + staging + " loaded " + rows + " rows of the " + expected + " its files hold");
                loaded += rows;
            }
        }
        clear();
        return loaded;
    }

    /** Forgets (and deletes) what was written and not loaded. */
    void clear() {
        for (StagedFile f : files) deleteQuietly(f.path());
        files.clear();
    }

    @Override
    public void close() {
        clear();
        deleteQuietly(folder);
    }

    /** The CSV text of a value for a column of type t, converted as every bulk-load path of the kit converts it. */
    static String text(Object v, DataType t) {
        return switch (t) {
            case BOOLEAN -> Boolean.toString(StagedValues.toBoolean(v));
            case INTEGER -> Long.toString(StagedValues.toLong(v));
            case DECIMAL -> StagedValues.toDecimal(v).toPlainString();
            case NUMBER -> Double.toString(StagedValues.toDouble(v));
            case DATE -> StagedValues.toLocalDate(v).toString();
            case TIMESTAMP -> TS.format(StagedValues.toLocalDateTime(v));
            case TIMESTAMP_TZ -> TS_TZ.format(StagedValues.toInstant(v).atOffset(ZoneOffset.UTC));
            case TEXT -> StagedValues.toText(v);
            case JSON -> StagedValues.toJson(v);
        };
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary file left behind is not worth failing a load for
        }
    }
}
