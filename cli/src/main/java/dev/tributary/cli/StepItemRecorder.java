package dev.tributary.cli;

import dev.tributary.engine.RunEvent;
import dev.tributary.engine.RunListener;
import dev.tributary.engine.StreamResult;
import dev.tributary.scheduler.StepContext;
import dev.tributary.scheduler.StepItem;
import dev.tributary.transform.Node;
import dev.tributary.transform.NodeResult;
import dev.tributary.transform.NodeStatus;
import dev.tributary.transform.ProgressListener;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records what happens inside a step as {@link StepItem}s while it goes: each stream of a sync (records, rejected,
 * resumed from its checkpoint, the error), each seed, model, snapshot, test and check of a build (status, rows,
 * duration, the database's own message). The run page draws its timeline and stream table from them.
 */
final class StepItemRecorder {
    /** "INSERT 42", "SELECT 42": the rows a seed, model or snapshot wrote. */
    private static final Pattern ROWS = Pattern.compile("^(?:INSERT|SELECT|UPDATE|MERGE)\\s+(\\d+)\\b");

    private StepItemRecorder() {}

    /** Wraps a sync's listener: stream starts and ends become items named {@code connection.stream}. */
    static RunListener streams(StepContext context, String connection, RunListener next) {
        Map<String, Instant> started = new ConcurrentHashMap<>();
        Map<String, Boolean> resumed = new ConcurrentHashMap<>();
        return event -> {
            switch (event) {
                case RunEvent.StreamStarted s -> {
                    String name = connection + "." + s.stream().id().name();
                    Instant at = Instant.now();
                    started.put(name, at);
                    resumed.put(name, s.resumed());
                    context.item(new StepItem(context.runId(), context.step().name(), "stream", name, "running", Optional.of(at), Optional.empty(),
                            0, 0, s.resumed(), Optional.empty()));
                }
                case RunEvent.StreamFinished f -> {
                    StreamResult r = f.result();
                    String name = connection + "." + r.stream().id().name();
                    Instant end = Instant.now();
                    Instant start = started.getOrDefault(name, end.minus(r.duration()));
                    context.item(new StepItem(context.runId(), context.step().name(), "stream", name, r.statusLabel(), Optional.of(start), Optional.of(end),
                            r.records(), r.rejected(), resumed.getOrDefault(name, false), r.error().or(() -> r.fallback().map(fb -> "served from its fallback: " + fb))));
                }
                default -> {
                }
            }
            next.on(event);
        };
    }

    /** Wraps a build's progress listener: each node's start and result become an item of its resource type. */
    static ProgressListener nodes(StepContext context, ProgressListener next) {
        return new ProgressListener() {
            @Override
            public void nodeStarted(Node node, int index, int total) {
                context.item(new StepItem(context.runId(), context.step().name(), node.resourceType().label(), node.name(), "running",
                        Optional.of(Instant.now()), Optional.empty(), 0, 0, false, Optional.empty()));
                next.nodeStarted(node, index, total);
            }

            @Override
            public void nodeFinished(Node node, NodeResult r, int index, int total) {
                Instant end = r.completedAt() == null ? Instant.now() : r.completedAt();
                Instant start = r.startedAt() == null ? end : r.startedAt();
                context.item(new StepItem(context.runId(), context.step().name(), node.resourceType().label(), node.name(),
                        r.status().name().toLowerCase(Locale.ROOT), Optional.of(start), Optional.of(end), rows(r), 0, false,
                        Optional.ofNullable(r.message()).filter(m -> !m.isBlank())));
                next.nodeFinished(node, r, index, total);
            }
        };
    }

    /** Rows written by a seed, model or snapshot ("INSERT 42"), failing rows of a test; 0 when the node does not say. */
    static long rows(NodeResult r) {
        if (r.failures() != null && (r.status() == NodeStatus.FAIL || r.status() == NodeStatus.WARN || r.status() == NodeStatus.PASS)) return r.failures();
        if (r.message() == null) return 0;
        Matcher m = ROWS.matcher(r.message().strip());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
