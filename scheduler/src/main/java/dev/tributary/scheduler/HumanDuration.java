package dev.tributary.scheduler;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations as people read them, for logs and the UI: {@code 0.4s}, {@code 4.2s}, {@code 42s}, {@code 2m 05s},
 * {@code 10m}, {@code 1h 02m}, {@code 3d 04h}. Two units at most; a zero second unit is left out.
 */
public final class HumanDuration {
    private HumanDuration() {}

    public static String format(Duration d) {
        if (d == null) return "–";
        if (d.isNegative()) d = Duration.ZERO;
        long millis = d.toMillis();
        if (millis < 10_000 && millis % 1000 != 0) return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        long seconds = d.toSeconds();
        if (seconds < 60) return seconds + "s";
        if (seconds < 3_600) return twoUnits(seconds / 60, "m", seconds % 60, "s");
        if (seconds < 86_400) return twoUnits(seconds / 3_600, "h", seconds % 3_600 / 60, "m");
        return twoUnits(seconds / 86_400, "d", seconds % 86_400 / 3_600, "h");
    }

    private static String twoUnits(long big, String bigUnit, long small, String smallUnit) {
        return small == 0 ? big + bigUnit : String.format(Locale.ROOT, "%d%s %02d%s", big, bigUnit, small, smallUnit);
    }
}
