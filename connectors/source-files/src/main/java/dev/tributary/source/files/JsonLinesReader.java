package dev.tributary.source.files;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads JSON Lines (NDJSON): one JSON object per line, UTF-8. Blank lines are skipped; a line that does not
 * parse or is not an object is rejected with its line number and text, and reading goes on with the next line.
 */
final class JsonLinesReader extends JsonFileReader {
    /** Eight bytes of the window at a time, in little-endian order so the lowest set byte is the first in the file. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private int lineStart;
    private int lineEnd;
    private long lineNumber;
    private final String originPrefix;

    JsonLinesReader(HashingInputStream input, String file, BatchBuilder out) {
        super(input, file, out);
        this.originPrefix = file + ":";
    }

    @Override
    public boolean read() throws IOException {
        if (!nextLine()) return false;
        parser.parseLine(buf, lineStart, lineEnd, limit, originPrefix + lineNumber);
        return true;
    }

    @Override
    public boolean skip() throws IOException {
        parser.endLines();
        return nextLine();
    }

    @Override
    protected int fill(int keepFrom) throws IOException {
        parser.endLines(); // its bytes move
        return super.fill(keepFrom);
    }

    @Override
    public void close() throws IOException {
        parser.endLines();
        super.close();
    }

    /** Finds the next non-blank line: {@code buf[lineStart, lineEnd)} on line {@code lineNumber}. */
    private boolean nextLine() throws IOException {
        while (true) {
            int scan = start;
            int end;
            while (true) {
                end = indexOfNewline(scan);
                if (end >= 0) break;
                scan = limit;
                int moved = fill(start);
                if (moved < 0) break;
                scan -= moved;
            }
            if (end < 0) {
                if (start >= limit) return false;
                end = limit;
            }
            lineStart = start;
            lineNumber = line++;
            start = Math.min(end + 1, limit);
            if (end > lineStart && buf[end - 1] == '\r') end--;
            lineEnd = end;
            if (!isBlank()) return true;
        }
    }

    /**
     * The first {@code '\n'} in {@code buf[from, limit)}, or -1. Eight bytes at a time: a byte of {@code word ^ NEWLINES}
     * is zero where a newline is, and the classic zero-byte test marks it (a marked byte below the first zero one is
     * never wrong, so the lowest mark is the first newline; C2 does not vectorise a search loop).
     */
    int indexOfNewline(int from) {
        byte[] b = buf;
        int end = limit;
        int i = from;
        for (; i <= end - Long.BYTES; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;
            long found = (x - LOW_BITS) & ~x & HIGH_BITS;
            if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
        }
        for (; i < end; i++) {
            if (b[i] == '\n') return i;
        }
        return -1;
    }

    private boolean isBlank() {
        for (int i = lineStart; i < lineEnd; i++) {
            if (!isWhitespace(buf[i])) return false;
        }
        return true;
    }
}
