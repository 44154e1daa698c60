package dev.tributary.transform;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.Locale;

/** dbt-style progress lines: {@code 1 of 12 START sql table model main.foo .... [RUN]}. */
public final class ProgressLines {
    private static final int WIDTH = 80;

    private ProgressLines() {}

    public static String start(Node node, int index, int total) {
        return pad(index + " of " + total + " START " + describe(node), "[RUN]");
    }

    public static String finish(Node node, NodeResult r, int index, int total) {
        String secs = String.format(Locale.ROOT, "%.2fs", r.executionTime());
        String head = index + " of " + total + " ";
        if (node.type == ResourceType.SOURCE) {
            // dbt source freshness: PASS, WARN or ERROR STALE
            String label = r.status() != NodeStatus.ERROR ? r.status().name()
                    : r.message() != null && r.message().startsWith("Database Error") ? "ERROR" : "ERROR STALE";
            return pad(head + label + " " + describe(node), "[" + label + " in " + secs + "]");
        }
        return switch (r.status()) {
            case SUCCESS -> pad(head + "OK " + verb(node) + " " + describe(node), "[" + r.message() + " in " + secs + "]");
            case PASS -> pad(head + "PASS " + node.name, "[PASS in " + secs + "]");
            case WARN -> pad(head + "WARN " + (r.failures() == null ? "" : r.failures() + " ") + node.name, "[WARN" + (r.failures() == null ? "" : " " + r.failures()) + " in " + secs + "]");
            case FAIL -> pad(head + "FAIL " + (r.failures() == null ? "" : r.failures() + " ") + node.name, "[FAIL" + (r.failures() == null ? "" : " " + r.failures()) + " in " + secs + "]");
            case ERROR -> pad(head + "ERROR " + errorVerb(node) + " " + describe(node), "[ERROR in " + secs + "]");
            case SKIP -> pad(head + "SKIP " + describe(node), "[SKIP]");
        };
    }

    /** A listener printing START and result lines to out. */
    public static ProgressListener printer(PrintStream out) {
        return lines(out::println);
    }

    /** A listener printing START and result lines to out, flushing each line. */
    public static ProgressListener printer(PrintWriter out) {
        return lines(line -> {
            out.println(line);
            out.flush();
        });
    }

    /** A listener handing each START and result line to sink, one call at a time. */
    public static ProgressListener lines(Consumer<String> sink) {
        return new ProgressListener() {
            @Override
            public synchronized void nodeStarted(Node node, int index, int total) {
                sink.accept(start(node, index, total));
            }

            @Override
            public synchronized void nodeFinished(Node node, NodeResult result, int index, int total) {
                sink.accept(finish(node, result, index, total));
            }
        };
    }

    static String describe(Node n) {
        String rel = n.schema + "." + n.identifier;
        return switch (n.type) {
            case MODEL -> "sql " + n.materialized() + " model " + rel;
            case SEED -> "seed file " + rel;
            case SNAPSHOT -> "snapshot " + rel;
            case TEST -> "test " + n.name;
            case CHECK -> "check " + n.name;
            case SOURCE -> "freshness of " + n.name;
            case OPERATION -> "hook " + n.name;
        };
    }

    private static String verb(Node n) {
        return switch (n.type) {
            case SEED -> "loaded";
            case SNAPSHOT -> "snapshotted";
            case OPERATION -> "ran";
            default -> "created";
        };
    }

    private static String errorVerb(Node n) {
        return switch (n.type) {
            case SEED -> "loading";
            case SNAPSHOT -> "snapshotting";
            case TEST, CHECK -> "running";
            default -> "creating";
        };
    }

    private static String pad(String left, String right) {
        int dots = Math.max(3, WIDTH - left.length() - right.length() - 2);
        return left + " " + ".".repeat(dots) + " " + right;
    }
}
