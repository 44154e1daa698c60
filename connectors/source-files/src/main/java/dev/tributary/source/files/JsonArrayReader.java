package dev.tributary.source.files;

import dev.tributary.spi.DataException;
import java.io.IOException;

/**
 * Reads a JSON document that is an array of objects (each element one row) or a single object (one row). The
 * array is cut into elements by a scan of its structure, so that elements are parsed one at a time and a bad
 * element is rejected alone; a document whose structure is broken (an unclosed array) cannot be read past
 * that point and fails with its line.
 */
final class JsonArrayReader extends JsonFileReader {
    private final String originPrefix;
    private boolean opened;
    private boolean single;
    private boolean done;
    private boolean expectSeparator;

    private int elementStart;
    private int elementEnd;
    private long elementLine;

    JsonArrayReader(HashingInputStream input, String file, BatchBuilder out) {
        super(input, file, out);
        this.originPrefix = file + ":";
    }

    @Override
    public boolean read() throws IOException {
        if (!nextElement()) return false;
        parser.parse(buf, elementStart, elementEnd - elementStart, originPrefix + elementLine);
        return true;
    }

    @Override
    public boolean skip() throws IOException {
        return nextElement();
    }

    private boolean nextElement() throws IOException {
        if (done) return false;
        if (!opened) {
            opened = true;
            if (!skipWhitespace()) return end();
            byte c = buf[start];
            if (c == '[') {
                start++;
            } else if (c == '{') {
                single = true;
            } else {
                throw new DataException(originPrefix + line, "expected a JSON array of objects or one object, found '"
                        + (char) (c & 0xFF) + "' (for one object per line, use format: jsonl)");
            }
        }
        while (true) {
            if (!skipWhitespace()) {
                if (single && expectSeparator) return end();
                throw new DataException(originPrefix + line, "unexpected end of file: the JSON array is not closed");
            }
            byte c = buf[start];
            if (single) {
                if (expectSeparator) throw new DataException(originPrefix + line, "unexpected content after the JSON object");
            } else if (expectSeparator || c == ']') {
                start++;
                if (c == ',' && expectSeparator) {
                    expectSeparator = false;
                    continue;
                }
                if (c == ']') return closeArray();
                throw new DataException(originPrefix + line, "expected ',' or ']' between elements of the JSON array, found '"
                        + (char) (c & 0xFF) + "'");
            }
            scanElement();
            expectSeparator = true;
            return true;
        }
    }

    private boolean closeArray() throws IOException {
        if (skipWhitespace()) throw new DataException(originPrefix + line, "unexpected content after the JSON array");
        return end();
    }

    private boolean end() {
        done = true;
        return false;
    }

    /** Advances {@code start} over whitespace, counting lines; false at the end of the file. */
    private boolean skipWhitespace() throws IOException {
        while (true) {
            if (start == limit && fill(start) < 0) return false;
            byte b = buf[start];
            if (!isWhitespace(b)) return true;
            if (b == '\n') line++;
            start++;
        }
    }

    /**
     * Finds the end of the value at {@code start}: the ',' or ']' that follows it at depth 0, or for a single
     * object the '}' that closes it. Sets the element's bounds (trailing whitespace trimmed) and line.
     */
    private void scanElement() throws IOException {
        elementLine = line;
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        int i = start;
        int end;
        while (true) {
            if (i == limit) {
                int moved = fill(start);
                if (moved < 0 && depth == 0 && !inString) {
                    throw new DataException(originPrefix + line, "unexpected end of file: the JSON array is not closed");
                }
                if (moved < 0) throw new DataException(originPrefix + elementLine, "unexpected end of file inside the JSON value starting here");
                i -= moved;
                continue;
            }
            byte b = buf[i];
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                } else if (b == '\n') {
                    line++;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                if (depth == 0) {
                    end = i;
                    break;
                }
                depth--;
                if (depth == 0 && single) {
                    end = i + 1;
                    break;
                }
            } else if (b == ',' && depth == 0) {
                end = i;
                break;
            } else if (b == '\n') {
                line++;
            }
            i++;
        }
        elementStart = start;
        elementEnd = end;
        while (elementEnd > elementStart && isWhitespace(buf[elementEnd - 1])) elementEnd--;
        start = end;
    }
}
