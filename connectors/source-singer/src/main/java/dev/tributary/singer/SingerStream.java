package dev.tributary.singer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.JsonText;
import dev.tributary.spi.Record;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.Schema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One Singer stream while its messages arrive: the columns its SCHEMA messages declared (a later SCHEMA adds columns
 * and widens types, never drops), its key and bookmark properties, and the records and rejections gathered since the
 * last {@link #drain}. A value that does not fit its declared type widens the column rather than being lost: an
 * integer beyond 64 bits makes an integer column DECIMAL (TEXT beyond 29 digits), a fraction in an integer column
 * makes it DECIMAL. Properties the schema does not list become new columns (typed from their first value) unless the
 * schema says {@code additionalProperties: false}, where the record is rejected. A record's {@code time_extracted}
 * lands in column {@value #EXTRACTED_AT}.
 */
public final class SingerStream {
    public static final String EXTRACTED_AT = "_sdc_extracted_at";
    /** Digits before the point a DECIMAL column holds (see {@link DataType}). */
    private static final int DECIMAL_INTEGER_DIGITS = 29;

    private final String name;
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> index = new java.util.HashMap<>();
    private final List<DataType> types = new ArrayList<>();
    private List<String> keyProperties = List.of();
    private List<String> bookmarkProperties = List.of();
    private boolean additionalAllowed = true;
    private List<Record> records = new ArrayList<>();
    private List<Rejection> rejections = new ArrayList<>();

    private boolean replaceNul;
    private long nulReplaced;

    public SingerStream(String name) {
        this.name = name;
    }

    /**
     * Replace U+0000 in strings (and in strings inside objects and arrays) with U+FFFD, for warehouses whose text cannot
     * hold it (PostgreSQL). Off by default: the warehouse then refuses such a value loudly. {@link #nulReplaced()} counts.
     */
    public void replaceNul(boolean on) {
        this.replaceNul = on;
    }

    /** Values in which U+0000 was replaced so far. */
    public long nulReplaced() {
        return nulReplaced;
    }

    private static final java.util.regex.Pattern ESCAPED_NUL = java.util.regex.Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000");

    private String text(String s) {
        if (!replaceNul || s.indexOf('\0') < 0) return s;
        nulReplaced++;
        return s.replace('\0', '\uFFFD');
    }

    private String json(String s) {
        if (!replaceNul || !s.contains("\\u0000")) return s;
        nulReplaced++;
        return ESCAPED_NUL.matcher(s).replaceAll("$1\\\\ufffd");
    }

    public String name() {
        return name;
    }

    /** Applies a SCHEMA message; a malformed schema is a {@link DataException} naming its line. */
    public void applySchema(SingerMessage.SchemaMessage m) {
        Schema declared;
        try {
            declared = JsonSchemaTypes.toSchema(m.schema(), m.keyProperties());
        } catch (IllegalArgumentException e) {
            throw new DataException(m.origin(), "SCHEMA of stream '" + name + "' is invalid: " + e.getMessage());
        }
        for (Field f : declared.fields()) {
            int i = indexOf(f.name());
            if (i < 0) {
                addColumn(f.name(), f.type());
            } else if (types.get(i) != f.type()) {
                types.set(i, widen(types.get(i), f.type()));
            }
        }
        if (!m.keyProperties().isEmpty() || keyProperties.isEmpty()) keyProperties = List.copyOf(m.keyProperties());
        bookmarkProperties = List.copyOf(m.bookmarkProperties());
        additionalAllowed = JsonSchemaTypes.allowsAdditionalProperties(m.schema());
    }

    private static DataType widen(DataType a, DataType b) {
        if (a == DataType.JSON || b == DataType.JSON) return a == b ? a : DataType.JSON;
        return a.widen(b);
    }

    public List<String> keyProperties() {
        return keyProperties;
    }

    public List<String> bookmarkProperties() {
        return bookmarkProperties;
    }

    /** The columns as they stand, with the key properties as primary key. */
    public Schema schema() {
        List<Field> fields = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) fields.add(new Field(names.get(i), types.get(i), true));
        return new Schema(fields, keyProperties);
    }

    /** Adds one RECORD: a record, or a rejection naming its line when it lacks a key property or breaks the schema. */
    public void add(SingerMessage.RecordMessage m) {
        for (String k : keyProperties) {
            JsonNode v = m.record().get(k);
            if (v == null || v.isNull()) {
                rejections.add(new Rejection(m.origin(), "record of stream '" + name + "' has no value for key property '" + k + "'",
                        SingerMessage.abbreviate(m.record().toString())));
                return;
            }
        }
        Object[] values = new Object[names.size() + 1];
        for (Iterator<Map.Entry<String, JsonNode>> it = m.record().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            int i = indexOf(p.getKey());
            if (i < 0) {
                if (!additionalAllowed) {
                    rejections.add(new Rejection(m.origin(), "record of stream '" + name + "' has property '" + p.getKey()
                            + "', which its schema does not list (additionalProperties is false)", SingerMessage.abbreviate(m.record().toString())));
                    return;
                }
                i = addColumn(p.getKey(), inferred(p.getValue()));
                if (values.length <= i) values = java.util.Arrays.copyOf(values, names.size() + 1);
            }
            values[i] = value(p.getValue(), i);
        }
        if (m.timeExtracted().isPresent()) {
            int i = indexOf(EXTRACTED_AT);
            if (i < 0) {
                i = addColumn(EXTRACTED_AT, DataType.TIMESTAMP_TZ);
                if (values.length <= i) values = java.util.Arrays.copyOf(values, names.size());
            }
            values[i] = extractedAt(m.timeExtracted().get());
        }
        records.add(new Record(values.length == names.size() ? values : java.util.Arrays.copyOf(values, names.size()), m.origin()));
    }

    /** Adds a rejection that belongs to this stream (such as an unreadable line of a BATCH file). */
    public void reject(Rejection r) {
        rejections.add(r);
    }

    public int pending() {
        return records.size() + rejections.size();
    }

    /** The records and rejections since the last drain, with the schema they follow now; empties the stream. */
    public Drained drain() {
        Schema schema = schema();
        int width = names.size();
        List<Record> out = new ArrayList<>(records.size());
        for (Record r : records) out.add(r.values().length == width ? r : new Record(java.util.Arrays.copyOf(r.values(), width), r.origin()));
        Drained d = new Drained(schema, out, List.copyOf(rejections));
        records = new ArrayList<>();
        rejections = new ArrayList<>();
        return d;
    }

    public record Drained(Schema schema, List<Record> records, List<Rejection> rejections) {}

    private Object value(JsonNode v, int i) {
        if (v == null || v.isNull()) return null;
        DataType t = types.get(i);
        if (v.isTextual()) return text(v.asText());
        if (v.isBoolean()) return v.asBoolean();
        if (v.isContainerNode()) return t == DataType.JSON ? new JsonText(json(v.toString())) : json(v.toString());
        if (v.isIntegralNumber()) {
            if (v.canConvertToLong()) return t == DataType.NUMBER ? (Object) v.asDouble() : (Object) v.asLong();
            BigInteger big = v.bigIntegerValue();
            if (t == DataType.INTEGER) types.set(i, fitsDecimal(big) ? DataType.DECIMAL : DataType.TEXT);
            else if (t == DataType.DECIMAL && !fitsDecimal(big)) types.set(i, DataType.TEXT);
            return types.get(i) == DataType.TEXT ? big.toString() : new BigDecimal(big);
        }
        if (v.isNumber()) {
            BigDecimal d = v.decimalValue();
            if (t == DataType.INTEGER) {
                if (d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) return d.longValueExact();
                types.set(i, DataType.DECIMAL);
            }
            if (types.get(i) == DataType.NUMBER) return d.doubleValue();
            return d;
        }
        return v.toString();
    }

    private static boolean fitsDecimal(BigInteger big) {
        return big.abs().toString().length() <= DECIMAL_INTEGER_DIGITS;
    }

    private static DataType inferred(JsonNode v) {
        if (v == null || v.isNull() || v.isTextual()) return DataType.TEXT;
        if (v.isBoolean()) return DataType.BOOLEAN;
        if (v.isIntegralNumber()) return v.canConvertToLong() ? DataType.INTEGER : DataType.DECIMAL;
        if (v.isNumber()) return DataType.NUMBER;
        return DataType.JSON;
    }

    private String lastExtracted;
    private Object lastExtractedValue;

    /** Taps stamp many records with one time: parse it once (an unparsable one goes on as text, to be rejected by type). */
    private Object extractedAt(String text) {
        if (!text.equals(lastExtracted)) {
            lastExtracted = text;
            try {
                lastExtractedValue = java.time.OffsetDateTime.parse(text).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                lastExtractedValue = text;
            }
        }
        return lastExtractedValue;
    }

    private int indexOf(String column) {
        Integer i = index.get(column);
        return i == null ? -1 : i;
    }

    private int addColumn(String column, DataType type) {
        names.add(column);
        types.add(type);
        index.put(column, names.size() - 1);
        return names.size() - 1;
    }
}
