package dev.tributary.destination.postgres;

import dev.tributary.destination.warehouse.StagedValues;
import dev.tributary.spi.DataType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.postgresql.copy.CopyIn;

/**
 * Values in PostgreSQL's binary COPY format (the header, then per row a field count and per field a length and the
 * value as the type's {@code recv} function reads it), buffered and sent to a {@link CopyIn}. Times are microseconds
 * and dates days since 2000-01-01, truncated to the microsecond as the text format was; numerics are base-10000
 * digit groups.
 */
final class BinaryCopyBuffer {
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final int FLUSH_AT = 64 * 1024;
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in seconds and days from Java's. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;
    private static final long PG_EPOCH_DAYS = 10_957L;
    private static final short NUMERIC_POSITIVE = 0x0000;
    private static final short NUMERIC_NEGATIVE = 0x4000;

    private final CopyIn copy;
    private byte[] buf = new byte[FLUSH_AT + 4096];
    private int len;

    BinaryCopyBuffer(CopyIn copy) {
        this.copy = copy;
        put(HEADER);
    }

    void beginRow(int fields) {
        int16(fields);
    }

    void nullValue() {
        int32(-1);
    }

    void int8(long v) {
        int32(8);
        int64(v);
    }

    void timestampTz(Instant i) {
        int32(8);
        int64(micros(i.getEpochSecond(), i.getNano()));
    }

    /** {@code v} (not null) as a value of a {@code type} column, converted as {@link CopyValues} allows. */
    void value(DataType type, Object v) {
        switch (type) {
            case BOOLEAN -> {
                int32(1);
                put((byte) (StagedValues.toBoolean(v) ? 1 : 0));
            }
            case INTEGER -> int8(v instanceof Long l ? l : StagedValues.toLong(v));
            case NUMBER -> {
                int32(8);
                int64(Double.doubleToRawLongBits(v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim())));
            }
            case DECIMAL -> numeric(StagedValues.toDecimal(v));
            case DATE -> {
                LocalDate d = v instanceof LocalDate ld ? ld : LocalDate.parse(v.toString().trim());
                int32(4);
                int32(Math.toIntExact(d.toEpochDay() - PG_EPOCH_DAYS));
            }
            case TIMESTAMP -> {
                LocalDateTime t = StagedValues.toLocalDateTime(v);
                int32(8);
                int64(micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano()));
            }
            case TIMESTAMP_TZ -> timestampTz(StagedValues.toInstant(v));
            case TEXT -> text(CopyValues.checkText(StagedValues.toText(v)), false);
            case JSON -> text(StagedValues.toJson(v), true);
        }
    }

    /** Rows are whole when this is called, so a flush never splits one (the server would not mind; it keeps errors simple). */
    void flushIfFull() throws SQLException {
        if (len >= FLUSH_AT) flush();
    }

    void trailer() {
        int16(-1);
    }

    void flush() throws SQLException {
        if (len == 0) return;
        copy.writeToCopy(buf, 0, len);
        len = 0;
    }

    private static long micros(long epochSecond, int nano) {
        return Math.addExact(Math.multiplyExact(epochSecond - PG_EPOCH_SECONDS, 1_000_000L), nano / 1_000);
    }

    /** jsonb's binary form is a version byte (1) and the JSON text. */
    private void text(String s, boolean jsonb) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int32(bytes.length + (jsonb ? 1 : 0));
        if (jsonb) put((byte) 1);
        put(bytes);
    }

    /**
     * ndigits, weight (of the first group, in powers of 10000), sign and display scale, then the base-10000 groups
     * without leading or trailing zero groups.
     */
    private void numeric(BigDecimal d) {
        if (d.scale() < 0) d = d.setScale(0);
        String plain = d.abs().toPlainString();
        int point = plain.indexOf('.');
        String whole = point < 0 ? plain : plain.substring(0, point);
        String fraction = point < 0 ? "" : plain.substring(point + 1);
        int wholeGroups = (whole.length() + 3) / 4;
        int fractionGroups = (fraction.length() + 3) / 4;
        short[] groups = new short[wholeGroups + fractionGroups];
        int lead = wholeGroups * 4 - whole.length();
        for (int i = 0; i < whole.length(); i++) {
            int g = (lead + i) / 4;
            groups[g] = (short) (groups[g] * 10 + (whole.charAt(i) - '0'));
        }
        for (int i = 0; i < fractionGroups * 4; i++) {
            int g = wholeGroups + i / 4;
            int digit = i < fraction.length() ? fraction.charAt(i) - '0' : 0;
            groups[g] = (short) (groups[g] * 10 + digit);
        }
        int first = 0;
        while (first < groups.length && groups[first] == 0) first++;
        int end = groups.length;
        while (end > first && groups[end - 1] == 0) end--;
        int ndigits = end - first;
        int weight = ndigits == 0 ? 0 : wholeGroups - 1 - first;
        int32(8 + 2 * ndigits);
        int16(ndigits);
        int16(weight);
        int16(d.signum() < 0 ? NUMERIC_NEGATIVE : NUMERIC_POSITIVE);
        int16(d.scale());
        for (int i = first; i < end; i++) int16(groups[i]);
    }

    private void int16(int v) {
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void int32(int v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void int64(long v) {
        int32((int) (v >>> 32));
        int32((int) v);
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void ensure(int more) {
        if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
}
