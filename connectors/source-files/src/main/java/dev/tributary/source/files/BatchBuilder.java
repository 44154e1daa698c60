package dev.tributary.source.files;

import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Collects the rows of one batch and the columns they follow. Columns of inferred type widen when a value does
 * not fit (and the values already in the batch are converted); columns the user typed explicitly never change,
 * and a value that does not fit them rejects its row. When sampling (for discovery) rows are not kept; only
 * the columns and their types are.
 */
final class BatchBuilder {
    private final Map<String, DataType> overrides;
    private final List<String> primaryKey;
    private final boolean sampling;

    private final List<String> names = new ArrayList<>();
    private final HashMap<String, Integer> index = new HashMap<>();
    private DataType[] types = new DataType[16];
    private boolean[] explicit = new boolean[16];
    private Schema schema;

    private List<Record> records = new ArrayList<>();
    private List<Rejection> rejections = new ArrayList<>();
    private Object[] row;
    private String problem;
    private int widthAtBatchStart;

    private BatchBuilder(Map<String, DataType> overrides, List<String> primaryKey, boolean sampling) {
        this.overrides = Map.copyOf(overrides);
        this.primaryKey = List.copyOf(primaryKey);
        this.sampling = sampling;
    }

    /**
     * A builder for reading: the configured schema's columns with the user's types over them, widened further by
     * what an earlier read of this stream found ({@code evolved}, from its state).
     */
    static BatchBuilder forRead(Schema configured, Map<String, DataType> overrides, Map<String, DataType> evolved) {
        BatchBuilder b = new BatchBuilder(overrides, configured.primaryKey(), false);
        for (Field f : configured.fields()) b.declare(f.name(), f.type());
        evolved.forEach((name, type) -> {
            int col = b.column(name);
            if (col < 0) {
                b.declare(name, type);
            } else if (!b.explicit[col]) {
                b.types[col] = b.types[col].widen(type);
            }
        });
        return b;
    }

    /** A builder for discovery: columns appear as they are seen, with no type until they hold a value. */
    static BatchBuilder forSampling(Map<String, DataType> overrides) {
        return new BatchBuilder(overrides, List.of(), true);
    }

    int column(String name) {
        Integer col = index.get(name);
        return col == null ? -1 : col;
    }

    /**
     * The column for a name seen in a header or object: when sampling it is declared now (keeping first-seen
     * order); when reading, an unknown column is -1 until it holds a value (see {@link #addColumn}).
     */
    int seenColumn(String name) {
        int col = column(name);
        return col >= 0 || !sampling ? col : declare(name, null);
    }

    /** The column for a name, added with the type of its first value (or the user's type) if it is new. */
    int addColumn(String name, DataType firstValueType) {
        int col = column(name);
        return col >= 0 ? col : declare(name, firstValueType);
    }

    /** The column's type, or null when sampling has not seen a value yet. */
    DataType type(int col) {
        return types[col];
    }

    boolean isExplicit(int col) {
        return explicit[col];
    }

    String name(int col) {
        return names.get(col);
    }

    /** Widens a column (converting the values in this batch), or gives a type to one that had none. */
    void widen(int col, DataType to) {
        DataType from = types[col];
        if (from == to) return;
        types[col] = to;
        schema = null;
        if (from == null) return;
        for (Record r : records) convert(r.values(), col, to);
        if (row != null) convert(row, col, to);
    }

    void beginRow() {
        row = new Object[names.size()];
        problem = null;
    }

    void set(int col, Object value) {
        if (col >= row.length) row = Arrays.copyOf(row, names.size());
        row[col] = value;
    }

    /** Stores a non-empty text from a CSV field, widening an inferred column it does not fit. */
    void putText(int col, String s) {
        DataType type = types[col];
        if (explicit[col]) {
            putExplicit(col, s, TypeInference.parseExplicit(s, type));
            return;
        }
        Object v = type == null ? TypeInference.NO_FIT : TypeInference.parseStrict(s, type);
        if (v == TypeInference.NO_FIT) {
            DataType found = TypeInference.classify(s);
            DataType wider = type == null ? found : type.widen(found);
            widen(col, wider);
            v = TypeInference.parseStrict(s, wider);
        }
        set(col, v);
    }

    /** Stores a JSON string: text unless it is an ISO date or timestamp and the column takes one. */
    void putJsonString(int col, String s) {
        DataType type = types[col];
        if (explicit[col]) {
            putExplicit(col, s, type == DataType.JSON ? s : TypeInference.parseExplicit(s, type));
            return;
        }
        Object v = type == DataType.TEXT ? s
                : type == null || !type.isTemporal() ? TypeInference.NO_FIT : TypeInference.parseStrict(s, type);
        if (v == TypeInference.NO_FIT) {
            DataType found = TypeInference.classifyJsonString(s);
            DataType wider = type == null ? found : type.widen(found);
            widen(col, wider);
            v = wider == DataType.TEXT ? s : TypeInference.parseStrict(s, wider);
        }
        set(col, v);
    }

    private void putExplicit(int col, String s, Object v) {
        if (v == TypeInference.NO_FIT) {
            reject("column '" + names.get(col) + "': " + TypeInference.quote(s) + " is not " + TypeInference.describe(types[col]));
        } else {
            set(col, v);
        }
    }

    /** Marks the row in progress as rejected; the first problem is the one reported. */
    void reject(String reason) {
        if (problem == null) problem = reason;
    }

    /** Ends the row in progress: a record, or false when it was rejected (then call {@link #rejectRow}). */
    boolean endRow(String origin) {
        if (problem != null) return false;
        if (!sampling) records.add(new Record(row, origin));
        row = null;
        return true;
    }

    /** Ends the row in progress as a rejection, with the raw input it came from. */
    void rejectRow(String origin, String raw) {
        addRejection(origin, problem == null ? "rejected" : problem, raw);
        row = null;
        problem = null;
    }

    /** Drops the row in progress without a trace (its input is rejected as a whole by the caller). */
    void abandonRow() {
        row = null;
        problem = null;
    }

    /** Input that could not become a row at all, such as a malformed CSV line. */
    void addRejection(String origin, String reason, String raw) {
        if (!sampling) rejections.add(new Rejection(origin, reason, raw));
    }

    /** Records and rejections in this batch so far. */
    int size() {
        return records.size() + rejections.size();
    }

    /** The batch so far, with the checkpoint that becomes true once it is stored; starts the next batch. */
    RecordBatch flush(StreamState checkpoint) {
        int width = names.size();
        if (width > widthAtBatchStart) {
            for (int i = 0; i < records.size(); i++) {
                Record r = records.get(i);
                // Rows read before a column appeared: give them the batch's width so consumers need not pad.
                if (r.values().length < width) records.set(i, new Record(Arrays.copyOf(r.values(), width), r.origin()));
            }
        }
        widthAtBatchStart = width;
        RecordBatch batch = new RecordBatch(schema(), records, rejections, Optional.of(checkpoint));
        records = new ArrayList<>(Math.max(16, records.size()));
        rejections = new ArrayList<>();
        return batch;
    }

    /** The columns as a schema; columns without a value yet are text. */
    Schema schema() {
        if (schema == null) {
            List<Field> fields = new ArrayList<>(names.size());
            for (int i = 0; i < names.size(); i++) fields.add(Field.of(names.get(i), types[i] == null ? DataType.TEXT : types[i]));
            schema = new Schema(fields, primaryKey.stream().filter(index::containsKey).toList());
        }
        return schema;
    }

    /** Columns whose type differs from, or which are missing in, {@code configured}: what this read learnt. */
    Map<String, DataType> evolvedColumns(Schema configured) {
        Map<String, DataType> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            if (types[i] == null || explicit[i]) continue;
            Optional<Field> f = configured.field(names.get(i));
            if (f.isEmpty() || f.get().type() != types[i]) out.put(names.get(i), types[i]);
        }
        return out;
    }

    private int declare(String name, DataType type) {
        int col = names.size();
        if (col == types.length) {
            types = Arrays.copyOf(types, col * 2);
            explicit = Arrays.copyOf(explicit, col * 2);
        }
        DataType override = overrides.get(name);
        names.add(name);
        index.put(name, col);
        types[col] = override != null ? override : type;
        explicit[col] = override != null;
        schema = null;
        return col;
    }

    private static void convert(Object[] values, int col, DataType to) {
        if (col < values.length && values[col] != null) values[col] = TypeInference.widenValue(values[col], to);
    }
}
