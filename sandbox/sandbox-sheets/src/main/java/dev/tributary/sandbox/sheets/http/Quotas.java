package dev.tributary.sandbox.sheets.http;

import dev.tributary.sandbox.sheets.SheetsClock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Sheets' read quotas on a rolling minute: per project (all callers) and per user (one principal). Refusals
 * carry the metric and limit names Google's 429 message has.
 */
public final class Quotas {
    public record Refusal(String limitName) { }

    private final SheetsClock clock;
    private volatile int perProject;
    private volatile int perUser;
    private volatile boolean enabled;
    private final Deque<Long> project = new ArrayDeque<>();
    private final Map<String, Deque<Long>> users = new HashMap<>();

    public Quotas(SheetsClock clock, int perProject, int perUser, boolean enabled) {
        this.clock = clock;
        this.perProject = perProject;
        this.perUser = perUser;
        this.enabled = enabled;
    }

    public void enabled(boolean on) { this.enabled = on; }
    public void limits(int perProjectPerMinute, int perUserPerMinute) { this.perProject = perProjectPerMinute; this.perUser = perUserPerMinute; }
    public int perProject() { return perProject; }
    public int perUser() { return perUser; }
    public boolean enabled() { return enabled; }

    public synchronized void reset() {
        project.clear();
        users.clear();
    }

    /** Counts one read request by {@code user}, or says which limit refuses it (a refused request is not counted). */
    public synchronized Refusal take(String user) {
        if (!enabled) return null;
        long now = clock.millis();
        Deque<Long> mine = users.computeIfAbsent(user, u -> new ArrayDeque<>());
        prune(project, now);
        prune(mine, now);
        if (mine.size() >= perUser) return new Refusal("Read requests per minute per user");
        if (project.size() >= perProject) return new Refusal("Read requests per minute");
        project.addLast(now);
        mine.addLast(now);
        return null;
    }

    private static void prune(Deque<Long> q, long now) {
        while (!q.isEmpty() && q.peekFirst() <= now - 60_000) q.removeFirst();
    }
}
