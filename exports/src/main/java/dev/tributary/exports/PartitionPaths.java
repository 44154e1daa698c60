package dev.tributary.exports;

/** What counts as a partition folder and a data file in an export tree. */
final class PartitionPaths {
    private PartitionPaths() {
    }

    /** {@code depth} segments, each {@code col=value}, none hidden ({@code _} or {@code .} first, as Hive and Spark hide them). */
    static boolean isPartitionPath(String relative, int depth) {
        String[] segments = relative.split("/");
        if (segments.length != depth) return false;
        for (String s : segments) {
            if (s.isEmpty() || s.startsWith("_") || s.startsWith(".") || s.indexOf('=') <= 0) return false;
        }
        return true;
    }

    static boolean isDataFile(String name) {
        return name.endsWith(".parquet");
    }
}
