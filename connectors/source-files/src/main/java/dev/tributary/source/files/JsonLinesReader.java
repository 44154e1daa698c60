package dev.tributary.source.files;

import java.io.IOException;

/**
 * Reads JSON Lines (NDJSON): one JSON object per line, UTF-8. Blank lines are skipped; a line that does not
 * parse or is not an object is rejected with its line number and text, and reading goes on with the next line.
 */
final class JsonLinesReader extends JsonFileReader {
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
        parser.parse(buf, lineStart, lineEnd - lineStart, originPrefix + lineNumber);
        return true;
    }

    @Override
    public boolean skip() throws IOException {
        return nextLine();
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

    private int indexOfNewline(int from) {
        byte[] b = buf;
        for (int i = from; i < limit; i++) {
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
