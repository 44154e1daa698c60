package dev.tributary.scheduler.alert;

import static java.util.Objects.requireNonNull;

import dev.tributary.scheduler.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One alert, channel-neutral: email and webhooks render it from these fields.
 *
 * @param pipeline  the pipeline it is about (empty for a table freshness alert)
 * @param table     the table it is about (table freshness alerts only)
 * @param step      the failed or retrying step
 * @param error     that step's error, or the run's when no step failed
 * @param note      one human line for what the fields cannot say ("attempt 1 failed; next attempt in 30s")
 * @param url       link to the run in the web UI, when {@code alerts.public_url} is set
 * @param at        when the alert was raised
 */
public record Alert(AlertKind kind, Optional<String> pipeline, Optional<String> table, Optional<Long> runId,
                    Optional<RunStatus> status, Optional<String> step, Optional<String> error,
                    Optional<Instant> startedAt, Optional<Instant> endedAt, Optional<Duration> duration,
                    Optional<String> note, Optional<String> url, Instant at) {
    public Alert {
        requireNonNull(kind, "kind is null");
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(table, "table is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(status, "status is null");
        requireNonNull(step, "step is null");
        requireNonNull(error, "error is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(endedAt, "endedAt is null");
        requireNonNull(duration, "duration is null");
        requireNonNull(note, "note is null");
        requireNonNull(url, "url is null");
        requireNonNull(at, "at is null");
        if (pipeline.isEmpty() && table.isEmpty()) throw new IllegalArgumentException("an alert needs a pipeline or a table");
    }

    /** The pipeline name, or "table NAME" for table freshness. */
    public String subject() {
        return pipeline.orElseGet(() -> "table " + table.orElseThrow());
    }

    /** The first line of the error, for subjects and one-line summaries. */
    public Optional<String> errorFirstLine() {
        return error.map(e -> e.strip().lines().findFirst().orElse("").strip()).filter(s -> !s.isEmpty());
    }

    /** One line: {@code [tributary] revops FAILED (run 42): step sync-1: connection refused}. */
    public String headline() {
        StringBuilder sb = new StringBuilder("[tributary] ").append(subject()).append(' ').append(kind.label());
        runId.ifPresent(id -> sb.append(" (run ").append(id).append(')'));
        List<String> parts = new ArrayList<>();
        step.ifPresent(s -> parts.add("step " + s));
        if (kind == AlertKind.FAILURE || kind == AlertKind.RETRY) errorFirstLine().ifPresent(parts::add);
        if (kind == AlertKind.FALLBACK) note.ifPresent(parts::add);
        if (parts.isEmpty()) note.ifPresent(parts::add);
        if (!parts.isEmpty()) sb.append(": ").append(String.join(": ", parts));
        return oneLine(sb.toString(), 250);
    }

    /** "key: value" lines with every field that is set, for plain-text bodies. */
    public List<String> detailLines() {
        List<String> lines = new ArrayList<>();
        lines.add("Event: " + kind.key());
        pipeline.ifPresent(p -> lines.add("Pipeline: " + p));
        table.ifPresent(t -> lines.add("Table: " + t));
        runId.ifPresent(id -> lines.add("Run: " + id));
        status.ifPresent(s -> lines.add("Status: " + s));
        step.ifPresent(s -> lines.add("Step: " + s));
        startedAt.ifPresent(t -> lines.add("Started: " + t));
        endedAt.ifPresent(t -> lines.add("Ended: " + t));
        duration.ifPresent(d -> lines.add("Duration: " + formatDuration(d)));
        note.ifPresent(n -> lines.add("Note: " + n));
        url.ifPresent(u -> lines.add("Link: " + u));
        return lines;
    }

    /** {@code 1h 2m 3s}, or {@code 0.250s} under a second. */
    public static String formatDuration(Duration d) {
        if (d.isNegative()) d = Duration.ZERO;
        if (d.compareTo(Duration.ofSeconds(1)) < 0) return String.format("%.3fs", d.toMillis() / 1000.0);
        StringBuilder sb = new StringBuilder();
        if (d.toDays() > 0) sb.append(d.toDays()).append("d ");
        if (d.toHoursPart() > 0) sb.append(d.toHoursPart()).append("h ");
        if (d.toMinutesPart() > 0) sb.append(d.toMinutesPart()).append("m ");
        if (d.toSecondsPart() > 0 || sb.isEmpty()) sb.append(d.toSecondsPart()).append("s");
        return sb.toString().strip();
    }

    private static String oneLine(String s, int max) {
        String flat = s.replaceAll("[\\r\\n\\t]+", " ");
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }
}
