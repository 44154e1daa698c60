package dev.tributary.scheduler;

import dev.tributary.spi.Config;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How the {@link Scheduler} behaves as a whole.
 *
 * @param maxConcurrentRuns runs of different pipelines that may run at once; more wait QUEUED
 * @param retention         runs that ended longer ago than this are deleted (at start, then daily)
 * @param catchUp           when present, overrides every pipeline's {@code catch_up} at start
 * @param jitter            spreads retry waits (tests fix it with {@link RetryBackoff.Jitter#NONE})
 * @param logSink           also receives every run log line once stored (e.g. to print it); must return quickly
 * @param worker            this process as one of several workers, used when the store is shared (PostgreSQL)
 */
public record SchedulerOptions(int maxConcurrentRuns, Duration retention, Optional<Boolean> catchUp, RetryBackoff.Jitter jitter,
                               Consumer<LogLine> logSink, WorkerOptions worker) {
    public static final SchedulerOptions DEFAULT = new SchedulerOptions(4, Duration.ofDays(30), Optional.empty(), RetryBackoff.Jitter.RANDOM,
            line -> { }, WorkerOptions.DEFAULT);

    public SchedulerOptions(int maxConcurrentRuns, Duration retention, Optional<Boolean> catchUp, RetryBackoff.Jitter jitter, Consumer<LogLine> logSink) {
        this(maxConcurrentRuns, retention, catchUp, jitter, logSink, WorkerOptions.DEFAULT);
    }

    public SchedulerOptions {
        if (maxConcurrentRuns < 1) throw new IllegalArgumentException("maxConcurrentRuns must be at least 1, got " + maxConcurrentRuns);
        Objects.requireNonNull(retention, "retention is null");
        if (retention.isNegative() || retention.isZero()) throw new IllegalArgumentException("retention must be positive, got " + retention);
        Objects.requireNonNull(catchUp, "catchUp is null");
        Objects.requireNonNull(jitter, "jitter is null");
        Objects.requireNonNull(logSink, "logSink is null");
        Objects.requireNonNull(worker, "worker is null");
    }

    /**
     * Reads {@code max_concurrent_runs}, {@code retention} (a duration such as 30d) and {@code catch_up} from a mapping
     * such as {@code server.scheduler}; absent keys keep the defaults. The caller checks the mapping for unknown keys.
     */
    public static SchedulerOptions from(Config c) {
        int max = c.intValue("max_concurrent_runs", DEFAULT.maxConcurrentRuns());
        if (max < 1) throw c.error("max_concurrent_runs", "must be at least 1, got " + max);
        Duration retention = DEFAULT.retention();
        if (c.has("retention")) {
            try {
                retention = PipelinesConfig.parseDuration(c.string("retention"));
            } catch (IllegalArgumentException e) {
                throw c.error("retention", e.getMessage());
            }
            if (retention.isZero()) throw c.error("retention", "must be longer than zero");
        }
        Optional<Boolean> catchUp = c.has("catch_up") ? Optional.of(c.bool("catch_up", true)) : Optional.empty();
        return new SchedulerOptions(max, retention, catchUp, DEFAULT.jitter(), DEFAULT.logSink(), DEFAULT.worker());
    }

    public SchedulerOptions withMaxConcurrentRuns(int n) {
        return new SchedulerOptions(n, retention, catchUp, jitter, logSink, worker);
    }

    public SchedulerOptions withRetention(Duration d) {
        return new SchedulerOptions(maxConcurrentRuns, d, catchUp, jitter, logSink, worker);
    }

    public SchedulerOptions withCatchUp(boolean on) {
        return new SchedulerOptions(maxConcurrentRuns, retention, Optional.of(on), jitter, logSink, worker);
    }

    public SchedulerOptions withJitter(RetryBackoff.Jitter j) {
        return new SchedulerOptions(maxConcurrentRuns, retention, catchUp, j, logSink, worker);
    }

    public SchedulerOptions withLogSink(Consumer<LogLine> sink) {
        return new SchedulerOptions(maxConcurrentRuns, retention, catchUp, jitter, sink, worker);
    }

    public SchedulerOptions withWorker(WorkerOptions w) {
        return new SchedulerOptions(maxConcurrentRuns, retention, catchUp, jitter, logSink, w);
    }
}
