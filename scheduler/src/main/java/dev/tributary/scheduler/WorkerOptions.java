package dev.tributary.scheduler;

import java.time.Duration;
import java.util.Objects;

/**
 * How a serve process behaves as one of several workers on a shared (PostgreSQL) metadata store.
 *
 * @param workerId   its name in the store and in run logs (default: host and process id); unique among live workers
 * @param heartbeat  how often it renews its heartbeat, looks for dead workers and cancel requests, and renews the lease
 * @param timeout    a worker (this one included) whose last heartbeat is older than this is dead: its runs go to others;
 *                   also the leader lease's length
 * @param poll       how often it looks for queued runs when nothing wakes it (a run queued in this process wakes it at once)
 * @param schedules  whether it may fire schedules (take the leader lease); false: it only executes runs
 * @param drainTimeout on a clean stop (SIGTERM), how long it lets its runs finish (still heartbeating, claiming nothing)
 *                   before it cancels those still going at their next commit and hands them back to the queue
 */
public record WorkerOptions(String workerId, Duration heartbeat, Duration timeout, Duration poll, boolean schedules, Duration drainTimeout) {
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /**
     * 30 s: a worker stops its own runs after half of it without a successful heartbeat (the watchdog and the commit
     * gate), so a loaded machine (CPU starved, a slow store, a long GC pause) has 15 s of silence before healthy runs are
     * stopped; 10 s gave 5 s, which a busy shared machine reaches. The price: a dead worker's runs resume elsewhere
     * after 30 s, and a leader that died is replaced within 30 s.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final WorkerOptions DEFAULT = new WorkerOptions(CliRuns.hostName() + "-" + ProcessHandle.current().pid(),
            Duration.ofSeconds(2), DEFAULT_TIMEOUT, Duration.ofMillis(500), true, DEFAULT_DRAIN_TIMEOUT);

    /** Without a drain: a clean stop cancels the live runs at once (tests). */
    public WorkerOptions(String workerId, Duration heartbeat, Duration timeout, Duration poll, boolean schedules) {
        this(workerId, heartbeat, timeout, poll, schedules, Duration.ZERO);
    }

    public WorkerOptions {
        Objects.requireNonNull(workerId, "workerId is null");
        if (workerId.isBlank() || workerId.length() > 200) throw new IllegalArgumentException("a worker id is 1 to 200 characters, got '" + workerId + "'");
        Objects.requireNonNull(heartbeat, "heartbeat is null");
        Objects.requireNonNull(timeout, "timeout is null");
        Objects.requireNonNull(poll, "poll is null");
        if (heartbeat.toMillis() < 50) throw new IllegalArgumentException("heartbeat must be at least 50 ms, got " + heartbeat.toMillis() + " ms");
        if (timeout.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the worker timeout (" + HumanDuration.format(timeout) + ") must be at least twice the heartbeat ("
                    + HumanDuration.format(heartbeat) + "), or one slow heartbeat would declare a live worker dead");
        }
        if (poll.toMillis() < 10) throw new IllegalArgumentException("poll must be at least 10 ms, got " + poll.toMillis() + " ms");
        Objects.requireNonNull(drainTimeout, "drainTimeout is null");
        if (drainTimeout.isNegative()) throw new IllegalArgumentException("the drain timeout must not be negative, got " + HumanDuration.format(drainTimeout));
    }

    public WorkerOptions withWorkerId(String id) {
        return new WorkerOptions(id, heartbeat, timeout, poll, schedules, drainTimeout);
    }

    public WorkerOptions withHeartbeat(Duration hb, Duration to) {
        return new WorkerOptions(workerId, hb, to, poll, schedules, drainTimeout);
    }

    public WorkerOptions withSchedules(boolean on) {
        return new WorkerOptions(workerId, heartbeat, timeout, poll, on, drainTimeout);
    }

    public WorkerOptions withDrainTimeout(Duration d) {
        return new WorkerOptions(workerId, heartbeat, timeout, poll, schedules, d);
    }
}
