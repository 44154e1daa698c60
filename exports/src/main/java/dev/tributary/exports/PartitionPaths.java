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

    /** A partition folder at whatever depth its path has. */
    static boolean isPartitionPath(String relative) {
        return isPartitionPath(relative, relative.split("/").length);
    }

    static boolean isDataFile(String name) {
        return name.endsWith(".parquet");
    }
}
