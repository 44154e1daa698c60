package dev.tributary.sandbox.sheets.data;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One sheet (tab) of a spreadsheet. Rows come from a generator (computed on demand, so 100,000+ rows cost no
 * memory) overlaid with rows written through the control API; a written row replaces the generated one.
 */
public final class Tab {
    /** Computes row {@code index} (0-based, the header is row 0) of a generated tab; null cells are empty. */
    public interface RowSource {
        Cell[] row(int index);
        int rowCount();
    }

    private final int sheetId;
    private volatile String title;
    private volatile int index;
    private final RowSource generated;
    private final ConcurrentSkipListMap<Integer, Cell[]> written = new ConcurrentSkipListMap<>();
    private volatile int gridRows;
    private volatile int gridColumns;

    public Tab(int sheetId, String title, int index, RowSource generated, int columns) {
        this.sheetId = sheetId;
        this.title = title;
        this.index = index;
        this.generated = generated;
        int rows = generated == null ? 0 : generated.rowCount();
        this.gridRows = Math.max(1000, rows + 100);
        this.gridColumns = Math.max(26, columns);
    }

    public int sheetId() { return sheetId; }
    public String title() { return title; }
    public int index() { return index; }
    public int gridRows() { return gridRows; }
    public int gridColumns() { return gridColumns; }
    void title(String t) { this.title = t; }
    void index(int i) { this.index = i; }

    /** The row's cells, or null for a row with nothing in it. */
    public Cell[] row(int r) {
        Cell[] w = written.get(r);
        if (w != null) return w;
        if (generated != null && r < generated.rowCount()) return generated.row(r);
        return null;
    }

    /** One past the last row that may hold data. */
    public int rowExtent() {
        int g = generated == null ? 0 : generated.rowCount();
        Map.Entry<Integer, Cell[]> last = written.lastEntry();
        return Math.max(g, last == null ? 0 : last.getKey() + 1);
    }

    public Cell cell(int r, int c) {
        Cell[] row = row(r);
        return row == null || c >= row.length ? null : row[c];
    }

    /** Writes one cell (null clears it), growing the grid as Sheets does when data goes past it. */
    synchronized void set(int r, int c, Cell value) {
        Cell[] old = row(r);
        Cell[] copy = new Cell[Math.max(old == null ? 0 : old.length, c + 1)];
        if (old != null) System.arraycopy(old, 0, copy, 0, old.length);
        copy[c] = value;
        written.put(r, copy);
        if (r >= gridRows) gridRows = r + 1;
        if (c >= gridColumns) gridColumns = c + 1;
    }

    /** The first row index after the last row that has a non-empty cell. */
    public int lastDataRowExclusive() {
        for (int r = rowExtent() - 1; r >= 0; r--) {
            Cell[] row = row(r);
            if (row != null) for (Cell c : row) if (!Cell.isEmpty(c)) return r + 1;
        }
        return 0;
    }
}
