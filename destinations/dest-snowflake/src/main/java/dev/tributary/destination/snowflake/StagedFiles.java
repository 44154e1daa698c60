package dev.tributary.destination.snowflake;

import dev.tributary.destination.warehouse.Column;
import dev.tributary.destination.warehouse.StagedValues;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
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

    /** A written file: the sequence number of its first row, its columns (after SEQ, EXTRACTED_AT, DELETED_AT) and how many rows it holds. */
    record StagedFile(Path path, long firstSeq, List<String> columns, long rows) {}

    private final Path folder;
    private final String prefix = UUID.randomUUID().toString();
    private final List<StagedFile> files = new ArrayList<>();
    /** Numbers file names: a name is never used twice (Snowflake's load history skips a file it loaded before). */
    private long written;

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

    /**
     * Writes the batch's records as one gzip CSV file, numbered from {@code firstSeq}, with those of {@code columns} the
     * batch has (the others stay null in staging); a value the column cannot hold fails the batch naming its origin.
     */
    void write(RecordBatch batch, List<Column> columns, long firstSeq, Instant extractedAt) {
        int[] allIndexes = StagedValues.valueIndexes(columns, batch);
        List<Column> present = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < allIndexes.length; i++) {
            if (allIndexes[i] < 0) continue;
            present.add(columns.get(i));
            indexes.add(allIndexes[i]);
        }
        DataType[] types = StagedValues.types(present);
        Path file = folder.resolve(prefix + "_" + written++ + ".csv.gz");
        String extracted = TS_TZ.format(extractedAt.atOffset(ZoneOffset.UTC));
        try (Writer out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
            long seq = firstSeq;
            for (Record r : batch.records()) {
                out.write(Long.toString(seq++));
                out.write(",\"");
                out.write(extracted);
                out.write("\",");
                out.write(r.deletedAt() == null ? "\\N" : "\"" + TS_TZ.format(r.deletedAt().atOffset(ZoneOffset.UTC)) + "\"");
                Object[] values = r.values();
                for (int i = 0; i < types.length; i++) {
                    out.write(',');
                    Object v = StagedValues.valueAt(values, indexes.get(i));
                    if (v == null) {
                        out.write("\\N");
                        continue;
                    }
                    String text;
                    try {
                        text = text(v, types[i]);
                    } catch (RuntimeException e) {
                        throw StagedValues.cannotStore(r, present.get(i), v, e);
                    }
                    out.write('"');
                    out.write(text.indexOf('"') < 0 ? text : text.replace("\"", "\"\""));
                    out.write('"');
                }
                out.write('\n');
            }
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException("cannot write " + file, e);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        files.add(new StagedFile(file, firstSeq, present.stream().map(Column::name).toList(), batch.records().size()));
    }

    /**
     * PUTs every file to {@code stage} and COPYs them into {@code staging}, one COPY per set of columns; the files are
     * gone afterwards. Files a failed COPY did not load stay, for another try.
     */
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
                for (StagedFile f : group.getValue()) {
                    files.remove(f);
                    deleteQuietly(f.path());
                }
            }
        }
        return loaded;
    }

    /** Forgets (and deletes) the files written from sequence number {@code seq} on and not loaded. */
    void discardFrom(long seq) {
        files.removeIf(f -> {
            if (f.firstSeq() < seq) return false;
            deleteQuietly(f.path());
            return true;
        });
    }

    @Override
    public void close() {
        discardFrom(Long.MIN_VALUE);
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
