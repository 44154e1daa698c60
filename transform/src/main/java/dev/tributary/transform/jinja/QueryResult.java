package dev.tributary.transform.jinja;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The result of {@code run_query} / {@code load_result(..).table}, shaped like the agate table dbt returns as far as
 * common macros read it: {@code rows} (each row indexable by position, with {@code row.get('col')} too),
 * {@code columns} (each with {@code name} and {@code values()}), {@code column_names}, and iteration over rows.
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
    public java.util.Iterator<Row> iterator() {
        return rows.iterator();
    }

    public int size() {
        return rows.size();
    }

    public List<Row> getRows() {
        return rows;
    }

    public List<String> getColumnNames() {
        return columnNames;
    }

    public List<Column> getColumns() {
        List<Column> out = new ArrayList<>();
        for (int i = 0; i < columnNames.size(); i++) {
            List<Object> values = new ArrayList<>();
            for (Row r : rows) values.add(r.get(i));
            out.add(new Column(columnNames.get(i), values));
        }
        return out;
    }

    /** dbt's {@code load_result(name)}: {@code table}, {@code data} (rows as lists) and {@code response}. */
    public Map<String, Object> asLoadResult() {
        List<List<Object>> data = new ArrayList<>();
        for (Row r : rows) data.add(new ArrayList<>(r));
        return Map.of("table", this, "data", data, "response", Map.of("rows_affected", rows.size(), "code", "SELECT"));
    }

    /** A column of the result: {@code name} and {@code values()}. */
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
        public java.util.Iterator<Object> iterator() {
            return values.iterator();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A row: positional like a tuple, and {@code row.get('column')} / {@code row['column']} by name. */
    public static final class Row extends AbstractList<Object> {
        private final List<String> names;
        private final List<Object> values;

        Row(List<String> names, List<Object> values) {
            this.names = names;
            this.values = values;
        }

        @Override
        public Object get(int index) {
            return values.get(index);
        }

        public Object get(String column) {
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(column)) return values.get(i);
            }
            throw new TemplateException("no column '" + column + "' in the result (" + names + ")");
        }

        @Override
        public int size() {
            return values.size();
        }

        public Map<String, Object> dict() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) m.put(names.get(i), values.get(i));
            return m;
        }
    }
}
