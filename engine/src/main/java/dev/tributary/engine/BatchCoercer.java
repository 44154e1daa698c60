package dev.tributary.engine;

import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Brings a batch to the types its table holds: each field takes the wider of the table's type and the batch's
 * (so a table never narrows), and each value is coerced to it. A value that does not fit becomes a
 * {@link Rejection} naming the record's origin and the column. Records are coerced in place. Public for writers that
 * drive a destination without the engine (the Singer target).
 */
public final class BatchCoercer {
    private BatchCoercer() {}

    /** @param requiredKey columns that must hold a value (the merge key), empty when none is required */
    public static RecordBatch coerce(RecordBatch batch, Optional<Schema> table, List<String> requiredKey) {
        Schema incoming = batch.schema();
        List<Field> fields = new ArrayList<>(incoming.fields().size());
        for (Field f : incoming.fields()) {
            DataType type = table.flatMap(t -> t.field(f.name())).map(existing -> existing.type().widen(f.type())).orElse(f.type());
            fields.add(new Field(f.name(), type, true));
        }
        Schema target = new Schema(fields, requiredKey.stream().filter(k -> incoming.indexOf(k) >= 0).toList());

        DataType[] types = fields.stream().map(Field::type).toArray(DataType[]::new);
        int[] keyIndexes = requiredKey.stream().mapToInt(incoming::indexOf).toArray();
        List<Record> kept = new ArrayList<>(batch.records().size());
        List<Rejection> rejections = new ArrayList<>(batch.rejections());
        for (Record r : batch.records()) {
            Object[] values = r.values().length == types.length ? r.values() : Arrays.copyOf(r.values(), types.length);
            String problem = null;
            for (int i = 0; i < types.length && problem == null; i++) {
                try {
                    values[i] = ValueCoercer.coerce(values[i], types[i]);
                } catch (ValueCoercer.CoercionException e) {
                    problem = "column '" + fields.get(i).name() + "': " + e.getMessage() + " (column type " + types[i].configName() + ")";
                }
            }
            for (int k = 0; k < keyIndexes.length && problem == null; k++) {
                if (keyIndexes[k] < 0 || values[keyIndexes[k]] == null) problem = "primary key column '" + requiredKey.get(k) + "' is empty";
            }
            if (problem != null) {
                rejections.add(new Rejection(r.origin(), problem, Arrays.deepToString(r.values())));
            } else {
                kept.add(values == r.values() ? r : new Record(values, r.origin(), r.deletedAt()));
            }
        }
        return batch.withRecords(target, kept, rejections);
    }
}
