package dev.tributary.transform.jinja;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The result of {@code run_query} / {@code load_result(..).table}, shaped like the agate table dbt returns as far as
 * common macros read it: {@code rows} (each row indexable by position and by name, {@code row[0]}, {@code row['col']},
 * {@code row.col}), {@code columns} (each with {@code name} and {@code values()}), {@code column_names},
 * {@code print_table()} (logs), {@code |length} and iteration over rows.
 */
public final class QueryResult implements Iterable<QueryResult.Row> {
    public static final QueryResult EMPTY = new QueryResult(List.of(), List.of());

    private final List<String> columnNames;
    private final List<Row> rows;

    public QueryResult(List<String> columnNames, List<List<Object>> data) {
        this.columnNames = List.copyOf(columnNames);
        List<Row> r = new ArrayList<>();
        for (List<Object> d : data) r.add(new Row(this.columnNames, d));
        this.rows = List.copyOf(r);
    }

    @Override
    public Iterator<Row> iterator() {
        return rows.iterator();
    }

    public int size() {
        return rows.size();
    }

    public List<Row> getRows() {
        return rows;
    }

    public List<String> getColumn_names() {
        return columnNames;
    }

    public List<String> getColumnNames() {
        return columnNames;
    }

    public Columns getColumns() {
        Columns out = new Columns();
        for (int i = 0; i < columnNames.size(); i++) {
            List<Object> values = new ArrayList<>();
            for (Row r : rows) values.add(r.at(i));
            out.add(new Column(columnNames.get(i), values));
        }
        return out;
    }

    /** agate's {@code print_table()}: prints the rows to standard error (dbt prints them to its log). */
    public String print_table(Object... ignored) {
        StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", columnNames)).append(" |\n");
        for (Row r : rows) sb.append("| ").append(String.join(" | ", r.values().stream().map(String::valueOf).toList())).append(" |\n");
        System.err.print(sb);
        return "";
    }

    /** dbt's {@code load_result(name)}: {@code table}, {@code data} (rows as lists) and {@code response}. */
    public Map<String, Object> asLoadResult() {
        List<List<Object>> data = new ArrayList<>();
        for (Row r : rows) data.add(new ArrayList<>(r.values()));
        return Map.of("table", this, "data", data, "response", Map.of("rows_affected", rows.size(), "code", "SELECT"));
    }

    /** A column of the result: {@code name} and {@code values()}. */
    /**
     * agate's {@code table.columns}: a sequence of columns that is also keyed by name ({@code columns['id']},
     * {@code columns.items()}, {@code keys()}); a PyWrapper so Jinjava keeps it as it is.
     */
    public static final class Columns extends ArrayList<Column> implements com.hubspot.jinjava.objects.PyWrapper {
        public List<String> keys() {
            return stream().map(Column::getName).toList();
        }

        public List<Object> items() {
            List<Object> out = new ArrayList<>();
            for (Column c : this) out.add(new com.hubspot.jinjava.objects.collections.PyList(new ArrayList<>(List.of(c.getName(), c))));
            return new com.hubspot.jinjava.objects.collections.PyList(out);
        }

        /** The column of that name, or null. */
        public Column byName(String name) {
            for (Column c : this) if (c.getName().equals(name)) return c;
            return null;
        }
    }

    public static final class Column implements Iterable<Object> {
        private final String name;
        private final List<Object> values;

        Column(String name, List<Object> values) {
            this.name = name;
            this.values = values;
        }

        public String getName() {
            return name;
        }

        public List<Object> values() {
            return values;
        }

        @Override
        public Iterator<Object> iterator() {
            return values.iterator();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A row, a mapping from column name to value so that Jinjava's {@code row['col']} and {@code row.col} work; a key
     * of digits that names no column is a position ({@code row[0]}, as agate rows are tuples too), and iterating
     * gives the values in column order, as agate's rows do.
     */
    public static final class Row extends AbstractMap<String, Object> {
        private final List<String> names;
        private final List<Object> values;

        Row(List<String> names, List<Object> values) {
            this.names = names;
            this.values = values;
        }

        public Object at(int index) {
            return values.get(index);
        }

        private int indexOf(Object key) {
            if (key instanceof Number n) return n.intValue() < values.size() ? n.intValue() : -1;
            String k = String.valueOf(key);
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(k)) return i;
            }
            if (!k.isEmpty() && k.chars().allMatch(Character::isDigit) && k.length() < 9) {
                int i = Integer.parseInt(k);
                return i < values.size() ? i : -1;
            }
            if (k.startsWith("-") && k.length() > 1 && k.substring(1).chars().allMatch(Character::isDigit) && k.length() < 9) {
                int i = values.size() + Integer.parseInt(k);
                return i >= 0 ? i : -1;
            }
            return -1;
        }

        @Override
        public Object get(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : values.get(i);
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        public List<Object> values() {
            return values;
        }

        public List<String> keys() {
            return names;
        }

        public Map<String, Object> dict() {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) m.put(names.get(i), values.get(i));
            return m;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return dict().entrySet().iterator();
                }

                @Override
                public int size() {
                    return names.size();
                }
            };
        }

        @Override
        public String toString() {
            return values.toString();
        }
    }
}
