package dev.tributary.cli;

import dev.tributary.engine.RunEvent;
import dev.tributary.engine.RunListener;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A live view of a run on a terminal: one line per stream with records, records per second and status,
 * redrawn at most five times a second. Stays silent when output is not a terminal.
 */
final class ProgressDisplay implements RunListener {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter out;
    private final Map<String, String> lines = new LinkedHashMap<>();
    private int drawn;
    private long lastDraw;

    ProgressDisplay(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void on(RunEvent event) {
        switch (event) {
            case RunEvent.StreamStarted s -> lines.put(s.stream().id().toString(), line(s.stream().id().toString(), 0, 0, 0,
                    s.resumed() ? "resuming" : "starting"));
            case RunEvent.BatchLoaded b -> lines.put(b.stream().id().toString(),
                    line(b.stream().id().toString(), b.records(), b.rejected(), b.recordsPerSecond(), "running"));
            case RunEvent.StreamRetrying r -> lines.put(r.stream().id().toString(), line(r.stream().id().toString(), 0, 0, 0,
                    "retrying in " + Table.seconds(r.delay()) + " (attempt " + r.failedAttempt() + ": " + r.error() + ")"));
            case RunEvent.StreamFinished f -> {
                var r = f.result();
                lines.put(r.stream().id().toString(), line(r.stream().id().toString(), r.records(), r.rejected(), r.recordsPerSecond(),
                        r.status().name().toLowerCase()));
                draw(true);
                return;
            }
            case RunEvent.RunFinished done -> {
                draw(true);
                lines.clear();
                drawn = 0;
                return;
            }
            default -> {
                return;
            }
        }
        draw(false);
    }

    private static String line(String stream, long records, long rejected, double rate, String status) {
        return String.format("  %-28s %14s records %12s/s %8s rejected  %s", stream, Table.count(records), Table.count((long) rate),
                Table.count(rejected), status);
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        StringBuilder sb = new StringBuilder();
        if (drawn > 0) sb.append("\033[").append(drawn).append('A');
        for (String l : lines.values()) sb.append("\r\033[2K").append(l).append('\n');
        out.print(sb);
        out.flush();
        drawn = lines.size();
    }

    static boolean isTerminal() {
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

}
