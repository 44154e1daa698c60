package dev.tributary.source.files;

import dev.tributary.spi.DataException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a CSV file: skips the configured lines, takes column names from the header (or the configuration),
 * and turns each record into a row. Empty fields are nulls; a record with the wrong number of fields or a
 * broken quote is rejected with its line and raw text.
 */
final class CsvFileReader implements FileRowReader {
    private final HashingInputStream input;
    private final CsvParser parser;
    private final FilesConfig.CsvDialect dialect;
    private final String file;
    private final BatchBuilder out;

    private String[] names;
    private int[] columns;
    private boolean started;
    private boolean ended;

    CsvFileReader(HashingInputStream input, FilesConfig.CsvDialect dialect, String file, BatchBuilder out) {
        this.input = input;
        this.dialect = dialect;
        this.file = file;
        this.out = out;
        this.parser = new CsvParser(new CharsetDecodingReader(input, dialect.encoding()), dialect.delimiter(), dialect.quote(),
                dialect.escape(), file);
    }

    @Override
    public boolean read() throws IOException {
        if (!nextRecord()) return false;
        String origin = file + ":" + parser.startLine();
        if (parser.problem() != null) {
            out.addRejection(origin, parser.problem(), parser.raw());
            return true;
        }
        int n = parser.fieldCount();
        if (names == null) nameColumns(generatedNames(n));
        if (n != names.length) {
            out.addRejection(origin, "expected " + names.length + " fields, found " + n, parser.raw());
            return true;
        }
        String[] fields = parser.fields();
        out.beginRow();
        for (int i = 0; i < n; i++) {
            String s = fields[i];
            if (s.isEmpty()) continue;
            int col = columns[i];
            if (col < 0) col = columns[i] = out.addColumn(names[i], TypeInference.classify(s));
            out.putText(col, s);
        }
        if (!out.endRow(origin)) out.rejectRow(origin, parser.raw());
        return true;
    }

    @Override
    public boolean skip() throws IOException {
        if (!nextRecord()) return false;
        // Without header or configured names, the first record's width names the columns, skipped or not.
        if (names == null && parser.problem() == null) nameColumns(generatedNames(parser.fieldCount()));
        return true;
    }

    @Override
    public FileDigest finish() throws IOException {
        return input.digest();
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    private boolean nextRecord() throws IOException {
        if (ended) return false;
        try {
            if (!started) {
                started = true;
                parser.skipLines(dialect.skipRows());
                if (dialect.header()) {
                    if (!parser.next()) return end();
                    if (parser.problem() != null) {
                        throw new DataException(file + ":" + parser.startLine(), "cannot read the header: " + parser.problem());
                    }
                    nameColumns(headerNames(parser.fields(), parser.fieldCount()));
                } else if (!dialect.columns().isEmpty()) {
                    nameColumns(dialect.columns().toArray(String[]::new));
                }
            }
            return parser.next() || end();
        } catch (CharacterCodingException e) {
            throw new DataException(file + ":" + parser.line(), "cannot be read as " + dialect.encoding().name()
                    + " (" + e.getMessage() + "); set csv.encoding to the file's encoding, for example ISO-8859-1", e);
        }
    }

    private boolean end() {
        ended = true;
        return false;
    }

    private void nameColumns(String[] columnNames) {
        names = columnNames;
        columns = new int[names.length];
        for (int i = 0; i < names.length; i++) columns[i] = out.seenColumn(names[i]);
    }

    /** Header names as written; an empty one becomes column_N and a repeated one gets _2, _3... */
    static String[] headerNames(String[] fields, int count) {
        String[] out = new String[count];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String name = fields[i].isEmpty() ? "column_" + (i + 1) : fields[i];
            if (!seen.add(name)) {
                int k = 2;
                while (!seen.add(name + "_" + k)) k++;
                name = name + "_" + k;
            }
            out[i] = name;
        }
        return out;
    }

    private static String[] generatedNames(int count) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) out.add("column_" + i);
        return out.toArray(String[]::new);
    }
}
