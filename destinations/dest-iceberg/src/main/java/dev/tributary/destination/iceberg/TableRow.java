package dev.tributary.destination.iceberg;

import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;

/**
 * A row of a lakehouse table as the Parquet writer takes it: one value per column of the table's schema, in Iceberg's
 * internal representation (long, double, boolean, BigDecimal, String; a date as its day number, a timestamp as
 * microseconds since the epoch). Rows of a batch are built straight from the engine's values (no {@link Record} and no
 * {@code OffsetDateTime} per value); generic records (rows read back from the table) by a {@link Converter}.
 */
final class TableRow implements StructLike {
    private final Object[] values;

    TableRow(int size) {
        this.values = new Object[size];
    }

    /**
     * Converts generic records of a schema into rows (not thread-safe: it reuses a wrapper). A record may have more fields
     * than the schema (a read's metadata columns after the table's): those are left out.
     */
    static final class Converter {
        private final InternalRecordWrapper wrapper;
        private final int size;

        Converter(Schema schema) {
            this.wrapper = new InternalRecordWrapper(schema.asStruct());
            this.size = schema.columns().size();
        }

        TableRow row(Record record) {
            InternalRecordWrapper internal = wrapper.wrap(record);
            TableRow row = new TableRow(size);
            for (int i = 0; i < size; i++) row.values[i] = internal.get(i, Object.class);
            return row;
        }
    }

    Object get(int pos) {
        return values[pos];
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public <T> T get(int pos, Class<T> javaClass) {
        return javaClass.cast(values[pos]);
    }

    @Override
    public <T> void set(int pos, T value) {
        values[pos] = value;
    }
}
