package dev.tributary.source.files;

import dev.tributary.spi.DataException;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * An RFC 4180 CSV parser over a character stream, one record at a time, keeping memory to the record at hand.
 * Fields may be quoted (delimiters, line breaks and doubled quotes inside); the delimiter, quote and escape
 * characters are configurable. Line breaks are {@code \n}, {@code \r\n} or {@code \r}; empty lines are
 * skipped; a leading byte order mark is dropped. A malformed record (unterminated quote, text after a closing
 * quote) is still returned, with {@link #problem()} saying what is wrong, so that the caller can reject it and
 * go on. Each record knows the physical line it starts on and its raw text.
 */
final class CsvParser implements Closeable {
    /** Upper bound on one record, so that an unterminated quote cannot swallow a huge file into memory. */
    static final int MAX_RECORD_CHARS = 64 << 20;

    private final Reader in;
    private final char delimiter;
    private final int quote;
    private final int escape;
    private final String name;

    private final char[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private boolean started;
    private long line = 1;

    private boolean recording;
    private int rawStart;
    private final StringBuilder spill = new StringBuilder();
    private final StringBuilder field = new StringBuilder();

    private String[] fields = new String[16];
    private int count;
    private long startLine;
    private String problem;

    /**
     * @param quote  the quote character, or -1 for none
     * @param escape a character that makes the next one literal inside a quoted field, such as a backslash; -1
     *               or equal to {@code quote} for plain RFC 4180 (where a doubled quote is a quote, always)
     * @param name   the file's name, for errors
     */
    CsvParser(Reader in, char delimiter, int quote, int escape, String name) {
        this(in, delimiter, quote, escape, name, 1 << 16);
    }

    CsvParser(Reader in, char delimiter, int quote, int escape, String name, int bufferSize) {
        this.in = in;
        this.delimiter = delimiter;
        this.quote = quote;
        this.escape = escape;
        this.name = name;
        this.buf = new char[bufferSize];
    }

    /** Reads the next record; false at the end of the input. */
    boolean next() throws IOException {
        count = 0;
        problem = null;
        recording = false;
        spill.setLength(0);
        while (true) {
            if (pos >= limit && !fill()) return false;
            char c = buf[pos];
            if (c == '\n') {
                pos++;
                line++;
            } else if (c == '\r') {
                pos++;
                line++;
                if (pos >= limit) fill();
                if (pos < limit && buf[pos] == '\n') pos++;
            } else {
                break;
            }
        }
        startLine = line;
        recording = true;
        rawStart = pos;
        while (readField()) {
            // one field per turn until the end of the record
        }
        return true;
    }

    /** Skips {@code lines} physical lines (quotes are not interpreted), such as a title above the header. */
    void skipLines(int lines) throws IOException {
        recording = false;
        for (int i = 0; i < lines; i++) {
            while (true) {
                if (pos >= limit && !fill()) return;
                char c = buf[pos++];
                if (c == '\n') break;
                if (c == '\r') {
                    if (pos >= limit) fill();
                    if (pos < limit && buf[pos] == '\n') pos++;
                    break;
                }
            }
            line++;
        }
    }

    String[] fields() {
        return fields;
    }

    int fieldCount() {
        return count;
    }

    /** The physical line (from 1) the current record starts on. */
    long startLine() {
        return startLine;
    }

    /** The line being read; after an error, the line it is on. */
    long line() {
        return line;
    }

    /** What is wrong with the current record, or null when it is well-formed. */
    String problem() {
        return problem;
    }

    /** The current record's text as it was in the file, without its line break. */
    String raw() {
        int end = Math.max(rawStart, Math.min(pos, limit));
        String tail = new String(buf, rawStart, end - rawStart);
        String s = spill.isEmpty() ? tail : spill + tail;
        int n = s.length();
        while (n > 0 && (s.charAt(n - 1) == '\n' || s.charAt(n - 1) == '\r')) n--;
        return s.substring(0, n);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Reads one field; true when a delimiter follows (another field of this record comes). */
    private boolean readField() throws IOException {
        if (pos >= limit && !fill()) {
            add("");
            return false;
        }
        if (buf[pos] == quote) return readQuoted();
        boolean partial = false;
        field.setLength(0);
        while (true) {
            int i = pos;
            while (i < limit) {
                char c = buf[i];
                if (c == delimiter || c == '\n' || c == '\r') break;
                i++;
            }
            if (i < limit) {
                if (partial) {
                    add(field.append(buf, pos, i - pos).toString());
                } else {
                    add(i == pos ? "" : new String(buf, pos, i - pos));
                }
                pos = i;
                return endOfField();
            }
            field.append(buf, pos, limit - pos);
            partial = true;
            pos = limit;
            if (!fill()) {
                add(field.toString());
                return false;
            }
        }
    }

    private boolean readQuoted() throws IOException {
        int fieldNumber = count + 1;
        pos++;
        field.setLength(0);
        while (true) {
            if (pos >= limit && !fill()) {
                problem = "unterminated quoted field (field " + fieldNumber + " opens a quote that is never closed)";
                add(field.toString());
                return false;
            }
            int i = pos;
            while (i < limit) {
                char c = buf[i];
                if (c == quote || c == escape) break;
                if (c == '\n') line++;
                i++;
            }
            field.append(buf, pos, i - pos);
            pos = i;
            if (i == limit) continue;
            if (buf[pos] != quote) {
                // An escape character distinct from the quote: the next character is taken as it is.
                pos++;
                if (pos >= limit && !fill()) continue;
                char c = buf[pos++];
                if (c == '\n') line++;
                field.append(c);
                continue;
            }
            pos++;
            // A doubled quote is a quote (RFC 4180), whatever the escape character.
            if (pos >= limit) fill();
            if (pos < limit && buf[pos] == quote) {
                field.append((char) quote);
                pos++;
                continue;
            }
            add(field.toString());
            return afterQuoted(fieldNumber);
        }
    }

    /** After a closing quote: spaces, then a delimiter or the end of the record. */
    private boolean afterQuoted(int fieldNumber) throws IOException {
        while (true) {
            if (pos >= limit && !fill()) return false;
            char c = buf[pos];
            if (c == delimiter) {
                pos++;
                return true;
            }
            if (c == '\n' || c == '\r') return endOfField();
            if (c == ' ' || c == '\t') {
                pos++;
                continue;
            }
            if (problem == null) {
                problem = "unexpected character '" + c + "' after the closing quote of field " + fieldNumber
                        + " (a quote inside a quoted field must be doubled)";
            }
            pos++;
        }
    }

    /** At a delimiter or line break after a field: consumes it; true when it was a delimiter. */
    private boolean endOfField() throws IOException {
        char c = buf[pos++];
        if (c == delimiter) return true;
        line++;
        if (c == '\r') {
            if (pos >= limit) fill();
            if (pos < limit && buf[pos] == '\n') pos++;
        }
        return false;
    }

    private void add(String value) {
        if (count == fields.length) fields = Arrays.copyOf(fields, count * 2);
        fields[count++] = value;
    }

    private boolean fill() throws IOException {
        if (eof) return false;
        if (recording) {
            spill.append(buf, rawStart, limit - rawStart);
            if (spill.length() > MAX_RECORD_CHARS) {
                throw new DataException(name + ":" + startLine, "record is longer than " + MAX_RECORD_CHARS
                        + " characters; is a quote left open?");
            }
        }
        rawStart = 0;
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            pos = limit = 0;
            return false;
        }
        pos = 0;
        limit = n;
        if (!started) {
            started = true;
            if (buf[0] == '\uFEFF') {
                pos = rawStart = 1;
                if (limit == 1) return fill();
            }
        }
        return true;
    }
}
