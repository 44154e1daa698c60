package dev.tributary.spark;

/** Spark's error messages without their stack of Scala frames: the first line of the innermost useful cause. */
final class SparkErrors {
    private SparkErrors() {}

    static String message(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) t = t.getCause();
        String m = String.valueOf(t.getMessage());
        return m.strip();
    }
}
