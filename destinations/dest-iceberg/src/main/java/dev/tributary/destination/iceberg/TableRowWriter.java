package dev.tributary.destination.iceberg;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.parquet.InternalWriter;
import org.apache.iceberg.parquet.ParquetValueWriter;
import org.apache.iceberg.parquet.ParquetValueWriters;
import org.apache.iceberg.types.Types;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * The Parquet value writers of {@link TableRow}s: a column's values go through Iceberg's primitive writers into
 * parquet-java's column store, so the data file's metrics (value, null and NaN counts, bounds, sizes: from the Parquet
 * footer and the writers) are what Iceberg's own writers give. Text goes in as a UTF-8 byte array: Iceberg's string
 * writer wraps every value in a ByteBuffer, and dictionary look-ups then compare buffers (a profile put a third of the
 * encoding thread there); ASCII text through a buffer reused from value to value. A table with a column type Tributary does not write gets Iceberg's {@link InternalWriter}.
 */
final class TableRowWriter {
    private TableRowWriter() {}

    static ParquetValueWriter<?> create(Schema schema, MessageType fileSchema) {
        List<Types.NestedField> columns = schema.columns();
        List<Type> fields = fileSchema.getFields();
        if (fields.size() != columns.size()) return InternalWriter.create(schema.asStruct(), fileSchema);
        List<ParquetValueWriter<?>> writers = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            Type field = fields.get(i);
            ParquetValueWriter<?> w = field.isPrimitive() && field.getId() != null && field.getId().intValue() == columns.get(i).fieldId()
                    ? primitive(columns.get(i).type(), fileSchema.getColumnDescription(new String[] {field.getName()}))
                    : null;
            if (w == null) return InternalWriter.create(schema.asStruct(), fileSchema);
            writers.add(ParquetValueWriters.option(field, 1, w));
        }
        return ParquetValueWriters.recordWriter(schema.asStruct(), writers);
    }

    /** The writer of a column of {@code type}; null for a type Tributary does not write. */
    private static ParquetValueWriter<?> primitive(org.apache.iceberg.types.Type type, ColumnDescriptor desc) {
        PrimitiveTypeName physical = desc.getPrimitiveType().getPrimitiveTypeName();
        return switch (type.typeId()) {
            case BOOLEAN -> ParquetValueWriters.booleans(desc);
            case LONG -> ParquetValueWriters.longs(desc);
            case DOUBLE -> ParquetValueWriters.doubles(desc);
            case DATE -> ParquetValueWriters.ints(desc);
            case TIMESTAMP -> physical == PrimitiveTypeName.INT64 ? ParquetValueWriters.longs(desc) : null;
            case STRING -> new Utf8Writer(desc);
            case DECIMAL -> {
                Types.DecimalType d = (Types.DecimalType) type;
                yield switch (physical) {
                    case FIXED_LEN_BYTE_ARRAY -> ParquetValueWriters.decimalAsFixed(desc, d.precision(), d.scale());
                    case INT64 -> ParquetValueWriters.decimalAsLong(desc, d.precision(), d.scale());
                    case INT32 -> ParquetValueWriters.decimalAsInteger(desc, d.precision(), d.scale());
                    default -> null;
                };
            }
            default -> null;
        };
    }

    /**
     * Text as UTF-8. ASCII text (the common case) is copied into a buffer the writer reuses, handed over as a reused
     * {@link Binary}: parquet-java copies what it keeps (a new dictionary entry, a new minimum or maximum), so a value
     * costs no byte array of its own. Other text is encoded by {@link String#getBytes} into an array of its own, as before.
     */
    private static final class Utf8Writer extends ParquetValueWriters.PrimitiveWriter<CharSequence> {
        private byte[] buffer = new byte[64];

        Utf8Writer(ColumnDescriptor desc) {
            super(desc);
        }

        @Override
        public void write(int repetitionLevel, CharSequence value) {
            int n = value.length();
            if (n > buffer.length) buffer = new byte[Math.max(n, buffer.length * 2)];
            byte[] b = buffer;
            for (int i = 0; i < n; i++) {
                char c = value.charAt(i);
                if (c >= 0x80) {
                    column.writeBinary(repetitionLevel, Binary.fromConstantByteArray(value.toString().getBytes(StandardCharsets.UTF_8)));
                    return;
                }
                b[i] = (byte) c;
            }
            column.writeBinary(repetitionLevel, Binary.fromReusedByteArray(b, 0, n));
        }
    }
}
