package dev.tributary.source.files;

import dev.tributary.spi.DataException;
import java.io.IOException;
import java.util.Arrays;

/**
 * What the JSON readers share: a large byte window over the file that subclasses cut into rows (a line, an
 * array element), each parsed on its own by {@link JsonRecordParser} so that one bad row never stops the rest.
 * A row must fit in memory; nothing else of the file is held.
 */
abstract class JsonFileReader implements FileRowReader {
    /** Upper bound on one row, so that a file that is not what it claims cannot exhaust memory. */
    static final int MAX_ROW_BYTES = 256 << 20;

    private final HashingInputStream input;
    protected final String file;
    protected final JsonRecordParser parser;

    protected byte[] buf = new byte[1 << 20];
    /** The unread bytes are {@code buf[start, limit)}. */
    protected int start;
    protected int limit;
    protected boolean eof;
    /** The physical line of {@code buf[start]}, from 1. */
    protected long line = 1;
    private boolean started;

    JsonFileReader(HashingInputStream input, String file, BatchBuilder out) {
        this.input = input;
        this.file = file;
        this.parser = new JsonRecordParser(out);
    }

    /**
     * Reads more bytes, keeping {@code buf[keepFrom, limit)}: they move to the front of the window, and the
     * window grows when they fill it. Returns how far they moved, or -1 at the end of the file.
     */
    protected int fill(int keepFrom) throws IOException {
        if (eof) return -1;
        int kept = limit - keepFrom;
        if (keepFrom > 0) {
            System.arraycopy(buf, keepFrom, buf, 0, kept);
            start -= keepFrom;
            limit = kept;
        }
        if (limit == buf.length) {
            if (buf.length >= MAX_ROW_BYTES) {
                throw new DataException(file + ":" + line, "a row is longer than " + MAX_ROW_BYTES + " bytes");
            }
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = input.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
            return -1;
        }
        limit += n;
        if (!started) {
            started = true;
            if (limit >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF) start = 3;
        }
        return keepFrom;
    }

    protected static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    @Override
    public FileDigest finish() throws IOException {
        return input.digest();
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
