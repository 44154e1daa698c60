package dev.tributary.sandbox.sheets.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tributary.sandbox.sheets.data.A1Range;
import dev.tributary.sandbox.sheets.data.Cell;
import dev.tributary.sandbox.sheets.data.Tab;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one ValueRange as Sheets does: the range echoed in A1 form (open ends bounded by the data), rows or
 * columns per {@code majorDimension}, trailing empty cells and rows trimmed, interior blanks as "" and interior
 * empty rows as [], and no {@code values} key at all when the range holds nothing.
 */
final class ValuesRenderer {
    enum Render { FORMATTED_VALUE, UNFORMATTED_VALUE, FORMULA }

    private final Render render;
    private final boolean datesAsStrings;
    private final boolean columns;

    ValuesRenderer(String valueRender, String dateRender, String majorDimension) {
        this.render = parse(Render.class, valueRender, Render.FORMATTED_VALUE, "valueRenderOption");
        String d = dateRender == null ? "SERIAL_NUMBER" : dateRender;
        if (!d.equals("SERIAL_NUMBER") && !d.equals("FORMATTED_STRING")) {
            throw GoogleError.badRequest("Invalid value at 'date_time_render_option' (type.googleapis.com/google.apps.sheets.v4.DateTimeRenderOption), \"" + d + "\"");
        }
        this.datesAsStrings = d.equals("FORMATTED_STRING");
        String m = majorDimension == null ? "ROWS" : majorDimension;
        if (!m.equals("ROWS") && !m.equals("COLUMNS") && !m.equals("DIMENSION_UNSPECIFIED")) {
            throw GoogleError.badRequest("Invalid value at 'major_dimension' (type.googleapis.com/google.apps.sheets.v4.Dimension), \"" + m + "\"");
        }
        this.columns = m.equals("COLUMNS");
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String v, E dflt, String name) {
        if (v == null) return dflt;
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            throw GoogleError.badRequest("Invalid value at '" + name.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT)
                    + "' (type.googleapis.com/google.apps.sheets.v4." + type.getSimpleName() + "), \"" + v + "\"");
        }
    }

    void write(JsonGenerator g, Tab tab, A1Range range) throws IOException {
        int r0 = range.startRow() == null ? 0 : range.startRow();
        int c0 = range.startColumn() == null ? 0 : range.startColumn();
        if (r0 >= tab.gridRows() || c0 >= tab.gridColumns()) {
            throw GoogleError.badRequest("Range (" + A1Range.quoteTitle(tab.title()) + "!" + A1Range.columnLetters(c0) + (r0 + 1)
                    + ") exceeds grid limits. Max rows: " + tab.gridRows() + ", max columns: " + tab.gridColumns());
        }
        int rEndLimit = range.endRow() == null ? tab.gridRows() - 1 : Math.min(range.endRow(), tab.gridRows() - 1);
        int cEndLimit = range.endColumn() == null ? tab.gridColumns() - 1 : Math.min(range.endColumn(), tab.gridColumns() - 1);
        // the data's extent within the range
        int lastRow = -1;
        int lastCol = -1;
        int rowsToScan = Math.min(rEndLimit, tab.rowExtent() - 1);
        for (int r = r0; r <= rowsToScan; r++) {
            Cell[] row = tab.row(r);
            if (row == null) continue;
            for (int c = Math.min(row.length - 1, cEndLimit); c >= c0; c--) {
                if (!Cell.isEmpty(row[c])) {
                    lastRow = r;
                    lastCol = Math.max(lastCol, c);
                    break;
                }
            }
        }
        int r1 = range.endRow() == null ? Math.max(lastRow, r0) : rEndLimit;
        int c1 = range.endColumn() == null ? Math.max(lastCol, c0) : cEndLimit;
        g.writeStartObject();
        g.writeStringField("range", A1Range.format(tab.title(), r0, c0, r1, c1));
        g.writeStringField("majorDimension", columns ? "COLUMNS" : "ROWS");
        if (lastRow >= 0) {
            g.writeArrayFieldStart("values");
            if (columns) {
                for (int c = c0; c <= lastCol; c++) {
                    List<Cell> col = new ArrayList<>();
                    for (int r = r0; r <= lastRow; r++) col.add(tab.cell(r, c));
                    writeLine(g, col);
                }
            } else {
                for (int r = r0; r <= lastRow; r++) {
                    Cell[] row = tab.row(r);
                    List<Cell> line = new ArrayList<>(lastCol - c0 + 1);
                    if (row != null) for (int c = c0; c <= Math.min(lastCol, row.length - 1); c++) line.add(row[c]);
                    writeLine(g, line);
                }
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private void writeLine(JsonGenerator g, List<Cell> cells) throws IOException {
        int n = cells.size();
        while (n > 0 && Cell.isEmpty(cells.get(n - 1))) n--;
        g.writeStartArray();
        for (int i = 0; i < n; i++) writeCell(g, cells.get(i));
        g.writeEndArray();
    }

    private void writeCell(JsonGenerator g, Cell c) throws IOException {
        if (Cell.isEmpty(c)) {
            g.writeString("");
            return;
        }
        Object v = switch (render) {
            case FORMATTED_VALUE -> c.formatted();
            case UNFORMATTED_VALUE -> c.unformatted(datesAsStrings);
            case FORMULA -> c.formula() != null ? c.formula() : c.unformatted(datesAsStrings);
        };
        switch (v) {
            case Double d when d == Math.rint(d) && Math.abs(d) < 1e15 -> g.writeNumber((long) (double) d);
            case Double d -> g.writeNumber(d);
            case Boolean b -> g.writeBoolean(b);
            default -> g.writeString(v.toString());
        }
    }
}
