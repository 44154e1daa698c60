package dev.tributary.source.sheets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.JsonText;
import dev.tributary.spi.Record;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.Schema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreadsheet rows as records, the way spreadsheet users expect: the header names the columns (or {@code columns:}
 * does), short rows are padded, fully empty rows skipped, text trimmed, numbers typed, dates from serial numbers,
 * numbers from text when asked. A value that does not fit its column's type becomes NULL and its raw text is kept
 * in {@code _invalid_values}; {@code sheet_row} is the sheet row and {@code served_by} says what served the record.
 */
final class SheetRows {
    static final String ROW = "sheet_row";
    static final String SOURCE = "served_by";
    static final String INVALID = "_invalid_values";
    static final LocalDate SERIAL_EPOCH = LocalDate.of(1899, 12, 30);

    private final SheetsConfig.StreamConfig stream;
    private final Schema schema;
    private final List<String> columns;
    private final int[] positions;
    private final DataType[] types;
    private final List<DateTimeFormatter> dateFormats = new ArrayList<>();
    private final Map<String, Long> invalidCounts = new LinkedHashMap<>();

    SheetRows(SheetsConfig.StreamConfig stream, Schema schema, List<String> columns) {
        this.stream = stream;
        this.schema = schema;
        this.columns = columns;
        this.positions = new int[columns.size()];
        this.types = new DataType[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            positions[i] = schema.indexOf(columns.get(i));
            types[i] = positions[i] < 0 ? DataType.TEXT : schema.fields().get(positions[i]).type();
        }
        for (String f : stream.dateFormats()) dateFormats.add(DateTimeFormatter.ofPattern(f));
    }

    Schema schema() { return schema; }

    /** The schema the stream was configured with, plus any column the sheet gained since (as text): types never change mid-read. */
    static Schema withNewColumns(Schema configured, Schema live) {
        if (configured.fields().isEmpty()) return live;
        List<Field> added = new ArrayList<>();
        for (Field f : live.fields()) if (configured.indexOf(f.name()) < 0) added.add(Field.of(f.name(), DataType.TEXT));
        return added.isEmpty() ? configured : configured.merge(Schema.of(added));
    }
    Map<String, Long> invalidCounts() { return invalidCounts; }

    /**
     * The column names for {@code header} (row {@code rowNumber} of {@code where}): from {@code columns:} when given,
     * else the header cells as snake_case names. Empty or duplicate names fail, naming the cells.
     */
    static List<String> columnNames(SheetsConfig.StreamConfig stream, String where, JsonNode header, int rowNumber, boolean rangeEmpty) {
        if (!stream.columns().isEmpty()) return stream.columns();
        if (rangeEmpty) return List.of(); // a completely empty sheet is zero records, not an error
        if (header == null || header.isEmpty()) {
            throw new DataException(where, "header row " + rowNumber + " is empty; set streams." + stream.name()
                    + ".header_row to the row with the column names, or list them under streams." + stream.name() + ".columns");
        }
        List<String> names = new ArrayList<>();
        Map<String, String> cellOf = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            String cell = columnLetters(i) + rowNumber;
            String text = text(header.get(i));
            String name = SheetsConfig.columnName(text);
            if (name.isEmpty()) {
                problems.add("cell " + cell + " is empty" + (text.isEmpty() ? "" : " ('" + text + "' has no letters or digits")
                        + (text.isEmpty() ? "" : ")") + (i > 0 ? " (a header merged across columns leaves the cells after the first empty)" : ""));
                names.add("");
                continue;
            }
            String earlier = cellOf.putIfAbsent(name, cell + " ('" + text + "')");
            if (earlier != null) problems.add("cells " + earlier + " and " + cell + " ('" + text + "') both name column '" + name + "'");
            names.add(name);
        }
        if (!problems.isEmpty()) {
            throw new DataException(where, "header row " + rowNumber + ": " + String.join("; ", problems) + ". Rename them in the sheet, "
                    + "set streams." + stream.name() + ".header_row, or list the expected names under streams." + stream.name() + ".columns");
        }
        return names;
    }

    /** Types: declared ones, else what every sampled value agrees on (integer, number, boolean), else text. */
    static Schema schema(SheetsConfig.StreamConfig stream, List<String> columns, Iterable<JsonNode> sample, String where) {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String col = columns.get(i);
            DataType declared = stream.types().get(col);
            fields.add(Field.of(col, declared != null ? declared : infer(sample, i, stream.numbersFromText(), stream.decimalSeparator())));
        }
        for (String declared : stream.types().keySet()) {
            if (!columns.contains(declared)) throw new DataException(where, "streams." + stream.name() + ".types names column '" + declared
                    + "', which the sheet does not have; its columns are " + columns);
        }
        for (String k : stream.key()) {
            if (!columns.contains(k)) throw new DataException(where, "streams." + stream.name() + ".key names column '" + k
                    + "', which the sheet does not have; its columns are " + columns);
        }
        fields.add(new Field(ROW, DataType.INTEGER, false));
        fields.add(Field.of(SOURCE, DataType.TEXT));
        fields.add(Field.of(INVALID, DataType.JSON));
        return new Schema(fields, stream.key());
    }

    private static DataType infer(Iterable<JsonNode> sample, int column, boolean numbersFromText, char decimal) {
        boolean any = false;
        boolean allWhole = true;
        boolean allNumbers = true;
        boolean allBooleans = true;
        for (JsonNode row : sample) {
            JsonNode v = row.get(column);
            if (v == null || (v.isTextual() && v.asText().isBlank())) continue;
            any = true;
            if (v.isBoolean()) { allNumbers = false; continue; }
            allBooleans = false;
            Double d = v.isNumber() ? Double.valueOf(v.asDouble()) : numbersFromText ? parseNumber(v.asText(), decimal) : null;
            if (d == null) { allNumbers = false; continue; }
            if (d != Math.rint(d) || Math.abs(d) > 9e15) allWhole = false;
        }
        if (!any) return DataType.TEXT;
        if (allBooleans) return DataType.BOOLEAN;
        if (allNumbers) return allWhole ? DataType.INTEGER : DataType.NUMBER;
        return DataType.TEXT;
    }

    /** A record for {@code row}, or null for a row with nothing in it. {@code rejections} gets values past the columns. */
    Record record(JsonNode row, int rowNumber, String origin, String servedBy, List<Rejection> rejections) {
        if (row == null || row.isEmpty()) return null;
        boolean empty = true;
        for (JsonNode v : row) if (!(v.isTextual() && v.asText().isBlank())) { empty = false; break; }
        if (empty) return null;
        for (int i = columns.size(); i < row.size(); i++) {
            if (!(row.get(i).isTextual() && row.get(i).asText().isBlank())) {
                rejections.add(new Rejection(origin, "cell " + columnLetters(i) + rowNumber + " holds '" + text(row.get(i))
                        + "' but the stream has only " + columns.size() + " columns (" + String.join(", ", columns) + ")", row.toString()));
                return null;
            }
        }
        Object[] values = new Object[schema.fields().size()];
        ObjectNode invalid = null;
        for (int i = 0; i < columns.size() && i < row.size(); i++) {
            if (positions[i] < 0) continue;
            JsonNode cell = row.get(i);
            if (cell.isTextual() && cell.asText().isBlank()) continue;
            Object v = convert(cell, types[i]);
            if (v == null) {
                if (invalid == null) invalid = SheetsClient.JSON.createObjectNode();
                invalid.put(columns.get(i), text(cell));
                invalidCounts.merge(columns.get(i), 1L, Long::sum);
                continue;
            }
            values[positions[i]] = v;
        }
        values[schema.indexOf(ROW)] = (long) rowNumber;
        values[schema.indexOf(SOURCE)] = servedBy;
        if (invalid != null) values[schema.indexOf(INVALID)] = new JsonText(invalid.toString());
        return new Record(values, origin);
    }

    /** The cell in the column's type, or null when it does not fit (the caller keeps the raw text). */
    Object convert(JsonNode cell, DataType type) {
        String raw = text(cell);
        String s = stream.trimText() ? raw.strip() : raw;
        try {
            return switch (type) {
                case TEXT -> s;
                case BOOLEAN -> cell.isBoolean() ? cell.asBoolean() : s.equalsIgnoreCase("true") ? Boolean.TRUE : s.equalsIgnoreCase("false") ? Boolean.FALSE : null;
                case INTEGER -> {
                    Double d = number(cell, s);
                    yield d != null && d == Math.rint(d) && Math.abs(d) < 9e15 ? Long.valueOf((long) (double) d) : null;
                }
                case NUMBER -> number(cell, s);
                case DECIMAL -> {
                    if (cell.isNumber()) yield cell.decimalValue();
                    Double d = number(cell, s);
                    yield d == null ? null : new BigDecimal(normalizeNumber(s, stream.decimalSeparator()));
                }
                case DATE -> cell.isNumber() ? SERIAL_EPOCH.plusDays((long) Math.floor(cell.asDouble())) : parseDate(s);
                case TIMESTAMP -> cell.isNumber() ? serialTime(cell.asDouble()) : LocalDateTime.parse(s.replace(' ', 'T'));
                default -> s;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Double number(JsonNode cell, String s) {
        if (cell.isNumber()) return cell.asDouble();
        return stream.numbersFromText() ? parseNumber(s, stream.decimalSeparator()) : null;
    }

    private LocalDate parseDate(String s) {
        for (DateTimeFormatter f : dateFormats) {
            try {
                return LocalDate.parse(s, f);
            } catch (RuntimeException next) {
                // try the next format
            }
        }
        return null;
    }

    private static LocalDateTime serialTime(double serial) {
        long day = (long) Math.floor(serial);
        long seconds = Math.round((serial - day) * 86_400);
        return SERIAL_EPOCH.plusDays(day).atStartOfDay().plusSeconds(seconds);
    }

    /**
     * A number typed as text: "1200", " 42 ", "1,200", "1,200.50", "1.200,50", "$1,200.00", "€ 980,5", "12%" is not
     * (percent stays text). Null when it is not a number, or when it is ambiguous: a lone dot before exactly three
     * digits ("1.200") is 1.2 in en_US and 1200 in de_DE, so it is read only when {@code decimal} ('.' or ',') says
     * which; 0 means not said.
     */
    static Double parseNumber(String text, char decimal) {
        String n = normalizeNumber(text, decimal);
        if (n == null) return null;
        try {
            return Double.valueOf(n);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Double parseNumber(String text) {
        return parseNumber(text, (char) 0);
    }

    static String normalizeNumber(String text, char decimal) {
        String s = text.strip().replaceAll("^[$€£]\\s*|\\s*[$€£]$", "").replace(" ", "").replace("\u00a0", "");
        if (s.isEmpty() || !s.matches("-?[0-9][0-9.,]*")) return null; // "+49 30 ..." is a phone number, not a number
        if (decimal == '.' || decimal == ',') {
            char group = decimal == '.' ? ',' : '.';
            String g = java.util.regex.Pattern.quote(String.valueOf(group));
            String d = java.util.regex.Pattern.quote(String.valueOf(decimal));
            if (!s.matches("-?([0-9]+|[0-9]{1,3}(" + g + "[0-9]{3})+)(" + d + "[0-9]+)?")) return null;
            return s.replace(String.valueOf(group), "").replace(decimal, '.');
        }
        int lastDot = s.lastIndexOf('.');
        int lastComma = s.lastIndexOf(',');
        if (lastDot >= 0 && lastComma >= 0) {
            // the later separator is the decimal one
            s = lastComma > lastDot ? s.replace(".", "").replace(',', '.') : s.replace(",", "");
        } else if (lastComma >= 0) {
            // "1,200" groups thousands (as Sheets' default en_US locale writes them); "980,5" / "1,25" is a decimal comma
            boolean grouping = s.matches("-?[0-9]{1,3}(,[0-9]{3})+");
            s = grouping ? s.replace(",", "") : s.indexOf(',') == lastComma ? s.replace(',', '.') : null;
        } else if (lastDot >= 0 && s.indexOf('.') != lastDot) {
            boolean grouping = s.matches("-?[0-9]{1,3}(\\.[0-9]{3})+");
            s = grouping ? s.replace(".", "") : null;
        } else if (lastDot >= 0 && s.matches("-?[1-9][0-9]{0,2}\\.[0-9]{3}")) {
            // "1.200": 1.2 to an en_US sheet, 1200 to a de_DE export; guessing would load one of them silently wrong
            return null;
        }
        return s;
    }

    static String text(JsonNode v) {
        if (v == null || v.isNull()) return "";
        if (v.isNumber()) {
            double d = v.asDouble();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : v.decimalValue().stripTrailingZeros().toPlainString();
        }
        if (v.isBoolean()) return v.asBoolean() ? "TRUE" : "FALSE";
        return v.asText();
    }

    static String columnLetters(int index) {
        StringBuilder b = new StringBuilder();
        int n = index + 1;
        while (n > 0) {
            int rem = (n - 1) % 26;
            b.insert(0, (char) ('A' + rem));
            n = (n - 1) / 26;
        }
        return b.toString();
    }
}
