package dev.tributary.sandbox.wrike;

import dev.tributary.sandbox.wrike.data.Task;
import dev.tributary.sandbox.wrike.data.Workspace;
import dev.tributary.sandbox.wrike.data.WorkspaceGenerator;
import dev.tributary.sandbox.wrike.http.WrikeContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Changes a test or demo makes while the sandbox runs: edits, new tasks, deletions to the recycle bin, silent
 * disappearances, users leaving, time logged; the clock; tokens; faults; limits; the account's data centre.
 * Everything is also reachable over HTTP under /_sandbox (see {@link dev.tributary.sandbox.wrike.http.ControlApi}).
 */
public final class WrikeControl {
    private final WrikeContext ctx;

    public WrikeControl(WrikeContext ctx) {
        this.ctx = ctx;
    }

    private Workspace w() { return ctx.workspace(); }

    /** Edits {@code count} live tasks now, all stamped with the same second; returns their ids. */
    public List<String> updateTasks(int count) {
        Workspace w = w();
        synchronized (w) {
            List<Task> live = live(w);
            List<String> out = new ArrayList<>();
            long now = ctx.clock().millis();
            for (int i = 0; i < Math.min(count, live.size()); i++) {
                Task t = live.get((int) ((i * 7919L + now / 1000) % live.size()));
                if (out.contains(t.id)) continue;
                ctx.generator().edit(t, now);
                out.add(t.id);
            }
            return out;
        }
    }

    /** Edits the given tasks now. */
    public void updateTasks(List<String> ids) {
        Workspace w = w();
        synchronized (w) {
            long now = ctx.clock().millis();
            for (String id : ids) ctx.generator().edit(task(w, id), now);
        }
    }

    public List<String> createTasks(int count) {
        Workspace w = w();
        synchronized (w) {
            List<String> out = new ArrayList<>();
            long now = ctx.clock().millis() / 1000 * 1000;
            for (int i = 0; i < count; i++) out.add(ctx.generator().newTask(now, null).id);
            return out;
        }
    }

    /** Moves tasks to the recycle bin (scope RbTask; listed only with deleted=true), stamping updatedDate. */
    public void deleteTasks(List<String> ids) {
        Workspace w = w();
        synchronized (w) {
            long now = ctx.clock().millis() / 1000 * 1000;
            for (String id : ids) {
                Task t = task(w, id);
                t.recycled = true;
                w.touch(t, now);
            }
        }
    }

    public void restoreTask(String id) {
        Workspace w = w();
        synchronized (w) {
            Task t = task(w, id);
            t.recycled = false;
            w.touch(t, ctx.clock().millis() / 1000 * 1000);
        }
    }

    /** Makes tasks vanish without a trace (emptied recycle bin, sharing removed): only id reconciliation notices. */
    public void purgeTasks(List<String> ids) {
        Workspace w = w();
        synchronized (w) {
            for (String id : ids) if (!w.purge(id)) throw new IllegalArgumentException("no task " + id);
        }
    }

    /** A user leaves: the contact stays, with deleted=true. */
    @SuppressWarnings("unchecked")
    public void deleteUser(String id) {
        Workspace w = w();
        synchronized (w) {
            Map<String, Object> c = w.contact(id);
            if (c == null || !"Person".equals(c.get("type"))) throw new IllegalArgumentException("no user " + id);
            c.put("deleted", true);
        }
    }

    /** Logs time now against {@code count} live tasks; returns the time log ids. */
    public List<String> addTimelogs(int count) {
        Workspace w = w();
        synchronized (w) {
            List<Task> live = live(w);
            List<String> out = new ArrayList<>();
            long now = ctx.clock().millis();
            for (int i = 0; i < count && !live.isEmpty(); i++) {
                out.add((String) ctx.generator().addTimelog(live.get((int) ((i * 31L + now / 1000) % live.size())), now, null).get("id"));
            }
            return out;
        }
    }

    /** Deletes time logs: Wrike removes them for good (no recycle bin), so only id reconciliation notices. */
    public void deleteTimelogs(List<String> ids) {
        Workspace w = w();
        synchronized (w) {
            for (String id : ids) {
                if (!w.timelogs.removeIf(l -> id.equals(l.get("id")))) throw new IllegalArgumentException("no time log " + id);
            }
        }
    }

    public List<String> addComments(int count) {
        Workspace w = w();
        synchronized (w) {
            List<Task> live = live(w);
            List<String> out = new ArrayList<>();
            long now = ctx.clock().millis();
            for (int i = 0; i < count && !live.isEmpty(); i++) {
                out.add((String) ctx.generator().addComment(live.get((int) ((i * 131L + now / 1000) % live.size())), now).get("id"));
            }
            return out;
        }
    }

    private static List<Task> live(Workspace w) {
        List<Task> live = new ArrayList<>();
        for (Task t : w.byUpdated.values()) if (!t.recycled) live.add(t);
        return live;
    }

    private static Task task(Workspace w, String id) {
        Task t = w.task(id);
        if (t == null) throw new IllegalArgumentException("no task " + id);
        return t;
    }

    public void advanceClock(Duration by) { ctx.clock().advance(by); }
    public void setClock(Instant at) { ctx.clock().set(at); }
    public void freezeClock() { ctx.clock().freeze(); }
    public void unfreezeClock() { ctx.clock().unfreeze(); }
    public int expireAccessTokens() { return ctx.tokens().expireAccessTokens(); }
    public int revokeAllGrants() { return ctx.tokens().revokeAll(); }
    public void setErrorRate(double rate) { ctx.faults().setErrorRate(rate); }
    public void setLatency(long millis) { ctx.faults().setLatencyMillis(millis); }
    public void storm429(int n) { ctx.faults().storm429(n); }
    public void dropConnections(int n) { ctx.faults().dropConnections(n); }
    public void loseTokenAnswers(int n) { ctx.faults().loseTokenAnswers(n); }
    public void clearFaults() { ctx.faults().clear(); }
    public void setRateLimitsEnabled(boolean on) { ctx.limits().setEnabled(on); }
    public void resetRateLimits() { ctx.limits().reset(); }
    /** Moves the account to the EU (true) or US host: the old host answers 401 and the next token answer names the new one. */
    public void moveAccount(boolean toEu) { ctx.moveAccount(toEu); }
    public Map<String, Long> counters() { return ctx.counters().snapshot(); }
    public long count(String routePrefix, int status) { return ctx.counters().count(routePrefix, status); }
    public long requests() { return ctx.counters().requests(); }
    public void resetCounters() { ctx.counters().reset(); }
}
