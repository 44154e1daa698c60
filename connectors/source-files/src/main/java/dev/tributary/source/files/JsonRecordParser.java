package dev.tributary.source.files;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.base.ParserBase;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.JsonText;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Turns one JSON object (the bytes of a line, or of an array element) into a row with Jackson's streaming
 * parser. Numbers and booleans are typed by their token (an integer that fits a long is INTEGER, a number with
 * a fraction DECIMAL, one with an exponent NUMBER), strings are text unless they are ISO dates or timestamps,
 * nested objects and arrays are JSON values (maps and lists). A number with an exponent beyond what a double holds
 * ({@code 1e400}, {@code 1e-400}) stays the text it was written as, never Infinity or 0. An object that repeats a
 * field is rejected: which of the two values was meant cannot be known (nested objects are kept as the text written).
 */
final class JsonRecordParser {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
            .build();
    private static final int CACHED_FIELDS = 256;

    private final BatchBuilder out;
    /**
     * The column of the n-th field of the last objects: rows of one file mostly list the same fields in the same
     * order, and Jackson hands out the same (interned) name instance each time, so one identity check usually
     * replaces a hash lookup.
     */
    private final String[] fieldNames = new String[CACHED_FIELDS];
    private final int[] fieldColumns = new int[CACHED_FIELDS];
    /** Where the object being parsed starts, so nested values can be taken as the text they were written as. */
    private byte[] bytes;
    private int offset;
    /** The row each column was last given a value in, to find a field written twice in one object. */
    private int[] columnRow = new int[64];
    private int row;
    /** The parser over many lines of a JSON Lines window (see {@link #parseLine}), the window, and where it starts. */
    private ParserBase lines;
    private byte[] linesBytes;
    private int linesBase;
    /** What Jackson's token offsets add to a byte offset into the parser's input; MIN_VALUE until known. */
    private long linesBias;
    /** Lines the parser over many lines handed to {@link #parse}: few, else it costs more than it saves (for tests). */
    long linesOnTheirOwn;
    /** Fields of this row that have no column yet (only nulls seen): rare, so a list. */
    private final java.util.List<String> columnlessFields = new java.util.ArrayList<>();

    JsonRecordParser(BatchBuilder out) {
        this.out = out;
    }

    /**
     * Parses the object of a JSON Lines line, {@code bytes[lineStart, lineEnd)}, into a record or a rejection at
     * {@code origin}, exactly as {@link #parse} would. One parser reads the lines of a window in turn (a parser per
     * line costs more than its line); a line it cannot take cleanly (a token outside the line, anything but
     * whitespace after the object, any error) is parsed again on its own by {@link #parse}, before anything of what
     * lies beyond it has been used. {@code available} is where the window's bytes end.
     */
    void parseLine(byte[] bytes, int lineStart, int lineEnd, int available, String origin) {
        if (lines == null || linesBytes != bytes) {
            endLines();
            // Jackson guesses the encoding from a parser's first bytes: start one only where it can only see UTF-8
            if (bytes[lineStart] != '{' || lineEnd - lineStart > 1 && bytes[lineStart + 1] == 0) {
                parse(bytes, lineStart, lineEnd - lineStart, origin);
                return;
            }
            try {
                // a UTF-8 parser over bytes (a ParserBase), which knows where its token starts without an object per call
                lines = (ParserBase) FACTORY.createParser(bytes, lineStart, available - lineStart);
            } catch (IOException e) {
                throw new DataException(origin, "cannot parse: " + e.getMessage(), e);
            }
            linesBytes = bytes;
            linesBase = lineStart;
            linesBias = Long.MIN_VALUE;
        }
        if (!parseInLines(lineStart, lineEnd, origin)) {
            linesOnTheirOwn++;
            endLines();
            parse(bytes, lineStart, lineEnd - lineStart, origin);
        }
    }

    /** Closes the parser over many lines: the window it reads is about to move (or the file is done). */
    void endLines() {
        if (lines == null) return;
        try {
            lines.close();
        } catch (IOException e) {
            // a parser over bytes in memory has nothing to release that can fail
        }
        lines = null;
        linesBytes = null;
    }

    /** The line by the parser over many lines; false (nothing kept of it) when it must be parsed on its own. */
    private boolean parseInLines(int lineStart, int lineEnd, String origin) {
        ParserBase p = lines;
        long from = lineStart - linesBase;
        long to = lineEnd - linesBase;
        this.bytes = linesBytes;
        this.offset = linesBase;
        boolean inRow = false;
        try {
            if (p.nextToken() != JsonToken.START_OBJECT) return false;
            // Jackson's token offset is a fixed distance from the token's first byte (one, in 2.20): learnt from the
            // parser's first object, which starts its input (see parseLine)
            if (linesBias == Long.MIN_VALUE) linesBias = p.getTokenCharacterOffset();
            long at = p.getTokenCharacterOffset() - linesBias;
            if (at < from || at >= to) return false;
            out.beginRow();
            inRow = true;
            nextRow();
            if (!readFields(p, to + linesBias)) {
                out.abandonRow();
                return false;
            }
            for (int i = linesBase + (int) (p.getTokenCharacterOffset() - linesBias) + 1; i < lineEnd; i++) {
                if (!JsonFileReader.isWhitespace(linesBytes[i])) {
                    out.abandonRow();
                    return false;
                }
            }
        } catch (IOException e) {
            if (inRow) out.abandonRow();
            return false;
        }
        if (!out.endRow(origin)) out.rejectRow(origin, text(linesBytes, lineStart, lineEnd - lineStart));
        return true;
    }

    /** Parses the object in {@code bytes[off, off + len)} into a record or a rejection at {@code origin}. */
    void parse(byte[] bytes, int off, int len, String origin) {
        this.bytes = bytes;
        this.offset = off;
        try (JsonParser p = FACTORY.createParser(bytes, off, len)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                out.addRejection(origin, "not a JSON object" + (t == null ? "" : " (found " + describe(t) + ")"), text(bytes, off, len));
                return;
            }
            out.beginRow();
            nextRow();
            readFields(p, Long.MAX_VALUE);
            if (p.nextToken() != null) out.reject("more than one JSON value on the line");
            if (!out.endRow(origin)) out.rejectRow(origin, text(bytes, off, len));
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Invalid UTF-8")) {
                throw new DataException(origin, "is not valid UTF-8 (" + message + "); JSON files must be UTF-8", e);
            }
            out.abandonRow();
            out.addRejection(origin, "invalid JSON: " + firstLine(message), text(bytes, off, len));
        } catch (IOException e) {
            throw new DataException(origin, "cannot parse: " + e.getMessage(), e);
        }
    }

    /**
     * The fields of the object whose START_OBJECT the parser is at, into the row; the parser ends at its END_OBJECT.
     * False, before a token is used, when one starts at or beyond byte offset {@code limit} of the parser's input.
     */
    private boolean readFields(JsonParser p, long limit) throws IOException {
        for (int field = 0; p.nextToken() == JsonToken.FIELD_NAME; field++) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (tokenAtOrBeyond(p, limit)) return false;
            int col = field < CACHED_FIELDS && fieldNames[field] == name ? fieldColumns[field] : column(name, field);
            if (col >= 0 && !firstInRow(col) || col < 0 && columnlessFields.contains(name)) {
                out.reject("duplicate key '" + name + "' in a JSON object (which value was meant is unknown)");
            }
            if (value == JsonToken.VALUE_NULL) {
                if (col < 0) out.seenColumn(name);
            } else if (!readValue(p, value, name, col, limit)) {
                return false;
            }
            if (col < 0) {
                col = out.column(name);
                if (col < 0) columnlessFields.add(name);
                else firstInRow(col);
            }
        }
        return !tokenAtOrBeyond(p, limit);
    }

    /** True when the parser's token starts at or beyond byte offset {@code limit}; never for {@code Long.MAX_VALUE}. */
    private static boolean tokenAtOrBeyond(JsonParser p, long limit) {
        return limit != Long.MAX_VALUE && ((ParserBase) p).getTokenCharacterOffset() >= limit;
    }

    private void nextRow() {
        if (++row == Integer.MAX_VALUE) {
            java.util.Arrays.fill(columnRow, 0);
            row = 1;
        }
        columnlessFields.clear();
    }

    /** Marks the column as given a value in this row; false when it already was. */
    private boolean firstInRow(int col) {
        if (col >= columnRow.length) columnRow = java.util.Arrays.copyOf(columnRow, Math.max(col + 1, columnRow.length * 2));
        if (columnRow[col] == row) return false;
        columnRow[col] = row;
        return true;
    }

    private int column(String name, int field) {
        int col = out.column(name);
        if (col >= 0 && field < CACHED_FIELDS) {
            fieldNames[field] = name;
            fieldColumns[field] = col;
        }
        return col;
    }

    /** False, with nothing stored, when a nested value ends at or beyond byte offset {@code limit} (see {@link #readFields}). */
    private boolean readValue(JsonParser p, JsonToken t, String name, int col, long limit) throws IOException {
        DataType type = col < 0 ? null : out.type(col);
        switch (t) {
            case VALUE_STRING -> {
                String s = p.getText();
                if (col < 0) col = out.addColumn(name, TypeInference.classifyJsonString(s));
                out.putJsonString(col, s);
            }
            case VALUE_NUMBER_INT -> {
                boolean big = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER;
                if (type == DataType.INTEGER && !big) {
                    out.set(col, p.getLongValue());
                } else if (big) {
                    put(p, col, name, new BigDecimal(p.getBigIntegerValue()), DataType.DECIMAL);
                } else {
                    put(p, col, name, p.getLongValue(), DataType.INTEGER);
                }
            }
            case VALUE_NUMBER_FLOAT -> {
                if (hasExponent(p)) {
                    double d = p.getDoubleValue();
                    if (!TypeInference.holdsDouble(d, p.getText())) {
                        put(p, col, name, p.getText(), DataType.TEXT);
                    } else if (type == DataType.NUMBER) {
                        out.set(col, d);
                    } else {
                        put(p, col, name, d, DataType.NUMBER);
                    }
                } else if (type == DataType.NUMBER) {
                    out.set(col, p.getDoubleValue());
                } else {
                    put(p, col, name, p.getDecimalValue(), DataType.DECIMAL);
                }
            }
            case VALUE_TRUE -> put(p, col, name, Boolean.TRUE, DataType.BOOLEAN);
            case VALUE_FALSE -> put(p, col, name, Boolean.FALSE, DataType.BOOLEAN);
            case START_OBJECT, START_ARRAY -> {
                JsonText nested = nestedText(p);
                if (tokenAtOrBeyond(p, limit)) return false;
                put(p, col, name, nested, DataType.JSON);
            }
            default -> throw new IOException("unexpected " + describe(t));
        }
        return true;
    }

    /** Stores a number, boolean or nested value, widening an inferred column it does not fit. */
    private void put(JsonParser p, int col, String name, Object value, DataType valueType) throws IOException {
        if (col < 0) col = out.addColumn(name, valueType);
        DataType type = out.type(col);
        if (out.isExplicit(col)) {
            Object v = explicitValue(p, value, valueType, type);
            if (v == TypeInference.NO_FIT) {
                out.reject("column '" + name + "': " + TypeInference.quote(text(p, value)) + " is not " + TypeInference.describe(type));
            } else {
                out.set(col, v);
            }
            return;
        }
        if (type == valueType) {
            out.set(col, value);
            return;
        }
        DataType wider = type == null ? valueType : type.widen(valueType);
        out.widen(col, wider);
        out.set(col, wider == valueType ? value : wider == DataType.TEXT ? text(p, value) : TypeInference.widenValue(value, wider));
    }

    /** A token's value for a column the user typed, or NO_FIT. */
    private static Object explicitValue(JsonParser p, Object value, DataType valueType, DataType type) throws IOException {
        boolean number = p.currentToken().isNumeric();
        if (type == DataType.JSON && number && value instanceof String) return new JsonText(p.getText());
        if (type == valueType || type == DataType.JSON) return value;
        if (type == DataType.TEXT) return text(p, value);
        if (type.canHold(valueType)) return TypeInference.widenValue(value, type);
        return switch (type) {
            case INTEGER -> value instanceof Number ? TypeInference.parseExplicit(p.getText(), DataType.INTEGER) : TypeInference.NO_FIT;
            case DECIMAL -> number ? TypeInference.parseExplicit(p.getText(), DataType.DECIMAL) : TypeInference.NO_FIT;
            case BOOLEAN -> value instanceof Long l && (l == 0 || l == 1) ? (Object) (l == 1) : TypeInference.NO_FIT;
            default -> TypeInference.NO_FIT;
        };
    }

    /** The nested object or array at the parser, as the JSON text it was written as (the parser moves past it). */
    private JsonText nestedText(JsonParser p) throws IOException {
        long start = p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        long end = p.currentLocation().getByteOffset();
        return new JsonText(new String(bytes, offset + (int) start, (int) (end - start), StandardCharsets.UTF_8));
    }

    /** A scalar token's text as written, or a nested value as JSON. */
    private static String text(JsonParser p, Object value) throws IOException {
        return value instanceof JsonText || value instanceof Map<?, ?> || value instanceof List<?> ? TypeInference.text(value) : p.getText();
    }

    private static boolean hasExponent(JsonParser p) throws IOException {
        char[] chars = p.getTextCharacters();
        int end = p.getTextOffset() + p.getTextLength();
        for (int i = p.getTextOffset(); i < end; i++) {
            if (chars[i] == 'e' || chars[i] == 'E') return true;
        }
        return false;
    }

    private static String text(byte[] bytes, int off, int len) {
        return new String(bytes, off, Math.min(len, 20_000), StandardCharsets.UTF_8);
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
        };
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
