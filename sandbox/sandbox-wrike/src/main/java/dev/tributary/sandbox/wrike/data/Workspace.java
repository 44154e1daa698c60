package dev.tributary.sandbox.wrike.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/**
 * One Wrike account, generated deterministically from the seed: users (one deleted), groups, spaces, folders and projects
 * inside them, workflows with custom statuses, custom fields, tasks and subtasks, comments, time logs, attachment
 * metadata, approvals and dependencies. Tasks are indexed by (updatedDate, id) so paging is exact. Callers synchronize
 * on the workspace.
 */
public final class Workspace {
    /** Sort key of a task: updated millis, then id. */
    public record Key(long updated, String id) {}
    public static final Comparator<Key> KEY_ORDER = Comparator.comparingLong(Key::updated).thenComparing(Key::id);

    public final String accountId;
    public final String accountName;
    public final long accountCreated;
    public final String rootFolderId;
    public final String recycleBinId;
    public final List<Map<String, Object>> contacts = new ArrayList<>();
    public final List<Map<String, Object>> spaces = new ArrayList<>();
    public final Map<String, Map<String, Object>> folders = new LinkedHashMap<>();
    public final List<Map<String, Object>> workflows = new ArrayList<>();
    public final List<Map<String, Object>> customFields = new ArrayList<>();
    public final Map<String, Task> tasks = new HashMap<>();
    public final NavigableMap<Key, Task> byUpdated = new TreeMap<>(KEY_ORDER);
    public final List<Map<String, Object>> comments = new ArrayList<>();
    public final List<Map<String, Object>> timelogs = new ArrayList<>();
    public final List<Map<String, Object>> attachments = new ArrayList<>();
    public final List<Map<String, Object>> approvals = new ArrayList<>();
    public final List<Map<String, Object>> dependencies = new ArrayList<>();
    /** The statuses of the default workflow, by group: Active, Completed, Deferred, Cancelled. */
    final Map<String, String> statusByGroup = new LinkedHashMap<>();
    final List<String> projectIds = new ArrayList<>();
    final Random random;
    long nextTask;
    long nextTimelog;
    long nextComment;

    Workspace(long seed, long accountCreated) {
        this.accountId = WrikeIds.account(seed);
        this.accountName = "Sandbox Agency " + Math.floorMod(seed, 1000);
        this.random = new Random(seed * 7919 + 17);
        this.rootFolderId = WrikeIds.entity(accountId, WrikeIds.FOLDER, 0);
        this.recycleBinId = WrikeIds.entity(accountId, WrikeIds.FOLDER, 1);
        this.accountCreated = accountCreated;
    }

    public Task task(String id) { return tasks.get(id); }

    /** Re-stamps a task's updatedDate and keeps the index true. */
    public void touch(Task t, long updated) {
        byUpdated.remove(new Key(t.updated, t.id));
        t.updated = updated;
        byUpdated.put(new Key(t.updated, t.id), t);
    }

    void add(Task t) {
        tasks.put(t.id, t);
        byUpdated.put(new Key(t.updated, t.id), t);
    }

    /** Removes a task without a trace (as when Wrike empties the recycle bin or a task leaves the user's sharing). */
    public boolean purge(String id) {
        Task t = tasks.remove(id);
        if (t == null) return false;
        byUpdated.remove(new Key(t.updated, t.id));
        for (String s : t.superTaskIds) {
            Task p = tasks.get(s);
            if (p != null) p.subTaskIds.remove(id);
        }
        timelogs.removeIf(l -> id.equals(l.get("taskId")));
        comments.removeIf(c -> id.equals(c.get("taskId")));
        attachments.removeIf(a -> id.equals(a.get("taskId")));
        dependencies.removeIf(d -> id.equals(d.get("predecessorId")) || id.equals(d.get("successorId")));
        return true;
    }

    public Collection<Map<String, Object>> folderList() { return folders.values(); }

    public List<String> projectIds() { return projectIds; }

    public Map<String, Object> contact(String id) {
        for (Map<String, Object> c : contacts) if (id.equals(c.get("id"))) return c;
        return null;
    }

    public String statusId(String group) { return statusByGroup.get(group); }

    public int liveTaskCount() {
        int n = 0;
        for (Task t : tasks.values()) if (!t.recycled) n++;
        return n;
    }
}
