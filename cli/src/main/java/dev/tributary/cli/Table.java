package dev.tributary.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table: columns padded to their widest cell; columns flagged numeric are right-aligned. */
final class Table {
    private final List<String> headers;
    private final boolean[] numeric;
    private final List<List<String>> rows = new ArrayList<>();

    Table(List<String> headers, boolean... numeric) {
        this.headers = headers;
        this.numeric = numeric;
    }

    Table row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) r.add(c == null ? "" : c.toString());
        rows.add(r);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out, String indent) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < headers.size(); i++) widths[i] = headers.get(i).length();
        for (List<String> r : rows) {
            for (int i = 0; i < r.size() && i < widths.length; i++) widths[i] = Math.max(widths[i], r.get(i).codePointCount(0, r.get(i).length()));
        }
        line(out, indent, headers, widths);
        for (List<String> r : rows) line(out, indent, r, widths);
    }

    private void line(PrintWriter out, String indent, List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder(indent);
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            boolean last = i == cells.size() - 1;
            int pad = widths[Math.min(i, widths.length - 1)] - c.codePointCount(0, c.length());
            boolean right = i < numeric.length && numeric[i];
            if (right) sb.append(" ".repeat(Math.max(0, pad))).append(c);
            else sb.append(c).append(last ? "" : " ".repeat(Math.max(0, pad)));
            if (!last) sb.append("  ");
        }
        out.println(sb.toString().stripTrailing());
    }

    static String count(long n) {
        return String.format("%,d", n);
    }

    static String seconds(java.time.Duration d) {
        double s = d.toNanos() / 1e9;
        return s < 10 ? String.format("%.2fs", s) : s < 600 ? String.format("%.1fs", s) : String.format("%dm%02ds", (long) s / 60, (long) s % 60);
    }
}
