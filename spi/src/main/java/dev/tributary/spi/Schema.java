package dev.tributary.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ordered fields of a stream and its primary key (empty when the stream has none). */
public record Schema(List<Field> fields, List<String> primaryKey) {
    public Schema {
        fields = List.copyOf(requireNonNull(fields, "fields is null"));
        primaryKey = List.copyOf(requireNonNull(primaryKey, "primaryKey is null"));
        Map<String, Boolean> seen = new HashMap<>();
        for (Field f : fields) {
            if (seen.put(f.name(), Boolean.TRUE) != null) throw new IllegalArgumentException("duplicate field '" + f.name() + "'");
        }
        for (String k : primaryKey) {
            if (!seen.containsKey(k)) throw new IllegalArgumentException("primary key column '" + k + "' is not a field");
        }
    }

    public static Schema of(List<Field> fields) {
        return new Schema(fields, List.of());
    }

    public int indexOf(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) return i;
        }
        return -1;
    }

    public Optional<Field> field(String name) {
        int i = indexOf(name);
        return i < 0 ? Optional.empty() : Optional.of(fields.get(i));
    }

    public List<String> fieldNames() {
        return fields.stream().map(Field::name).toList();
    }

    public Schema withPrimaryKey(List<String> key) {
        return new Schema(fields, key);
    }

    /**
     * This schema evolved to hold everything {@code other} holds: fields of both (this one's first, in order,
     * then new ones in their order), each with the widened type. Fields are never dropped. The primary key is
     * this one's unless it is empty.
     */
    public Schema merge(Schema other) {
        List<Field> merged = new ArrayList<>(fields);
        for (Field f : other.fields) {
            int i = indexOf(f.name());
            if (i < 0) {
                merged.add(new Field(f.name(), f.type(), true));
            } else {
                Field mine = merged.get(i);
                merged.set(i, new Field(mine.name(), mine.type().widen(f.type()), mine.nullable() || f.nullable()));
            }
        }
        return new Schema(merged, primaryKey.isEmpty() ? other.primaryKey : primaryKey);
    }
}
