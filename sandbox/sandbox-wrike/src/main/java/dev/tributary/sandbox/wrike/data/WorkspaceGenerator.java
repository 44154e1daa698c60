package dev.tributary.sandbox.wrike.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds a {@link Workspace} from a seed, and makes the changes the control API asks for (new, edited, deleted tasks,
 * time logs, comments). The same seed and size always give the same account. Some values are imperfect on purpose,
 * as in real accounts: a few numeric custom fields hold text ("n/a").
 */
public final class WorkspaceGenerator {
    private static final long DAY = 86_400_000L;
    private static final String[] FIRST = {"Ada", "Bruno", "Chen", "Dana", "Emeka", "Fatima", "Goran", "Hana", "Ivan", "Jun", "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya"};
    private static final String[] LAST = {"Okafor", "Larsen", "Silva", "Kowalski", "Nakamura", "Haddad", "Moreau", "Ibrahim", "Schmidt", "Costa", "Novak", "Reyes"};
    private static final String[] VERBS = {"Draft", "Review", "Ship", "Design", "Test", "Plan", "Migrate", "Document", "Estimate", "Deliver"};
    private static final String[] NOUNS = {"landing page", "onboarding flow", "Q3 report", "invoice export", "brand kit", "API spec", "data model", "release notes", "workshop", "kickoff deck"};
    private static final String[] CLIENTS = {"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Soylent", "Cyberdyne"};

    private final Workspace w;
    private final long anchor;
    private final List<String> userIds = new ArrayList<>();
    private final List<String> fieldIds = new ArrayList<>();

    private WorkspaceGenerator(Workspace w, long anchor) {
        this.w = w;
        this.anchor = anchor;
    }

    /** The account for {@code seed} with {@code tasks} tasks (subtasks included) and {@code users} people. */
    public static WorkspaceGenerator generate(long seed, int tasks, int users, long anchorMillis) {
        Workspace w = new Workspace(seed, anchorMillis - 900 * DAY);
        WorkspaceGenerator g = new WorkspaceGenerator(w, anchorMillis);
        g.people(seed, users);
        g.workflows();
        g.fields();
        g.foldersAndProjects(Math.max(2, tasks / 100));
        for (int i = 0; i < tasks; i++) g.newTask(null, null);
        return g;
    }

    public Workspace workspace() { return w; }

    private void people(long seed, int users) {
        for (int i = 0; i < users; i++) {
            String id = WrikeIds.contact(seed, i);
            Map<String, Object> c = new LinkedHashMap<>();
            String first = FIRST[i % FIRST.length], last = LAST[(i / FIRST.length + i) % LAST.length];
            c.put("id", id);
            c.put("firstName", first);
            c.put("lastName", last);
            c.put("type", "Person");
            Map<String, Object> profile = new LinkedHashMap<>();
            profile.put("accountId", w.accountId);
            profile.put("email", (first + "." + last + i).toLowerCase() + "@agency.example");
            profile.put("role", i == 0 ? "User" : i % 7 == 6 ? "Collaborator" : "User");
            profile.put("external", i % 7 == 6);
            profile.put("admin", i == 0);
            profile.put("owner", i == 0);
            c.put("profiles", List.of(profile));
            c.put("avatarUrl", "https://www.wrike.com/avatars/" + id + ".png");
            c.put("timezone", i % 2 == 0 ? "Europe/London" : "America/New_York");
            c.put("locale", "en");
            // the last person has left: Wrike keeps deleted users as contacts with deleted=true
            c.put("deleted", users > 2 && i == users - 1);
            c.put("title", i == 0 ? "Managing director" : "Consultant");
            c.put("primaryEmail", profile.get("email"));
            w.contacts.add(c);
            if (!(users > 2 && i == users - 1)) userIds.add(id);
        }
        for (int gi = 0; gi < 2; gi++) {
            Map<String, Object> grp = new LinkedHashMap<>();
            grp.put("id", WrikeIds.contact(seed, users + gi));
            grp.put("firstName", gi == 0 ? "Delivery team" : "Account managers");
            grp.put("lastName", "");
            grp.put("type", "Group");
            grp.put("profiles", List.of());
            grp.put("avatarUrl", "https://www.wrike.com/avatars/group" + gi + ".png");
            grp.put("timezone", "Z");
            grp.put("locale", "en");
            grp.put("deleted", false);
            List<String> members = new ArrayList<>();
            for (int i = gi; i < userIds.size(); i += 2) members.add(userIds.get(i));
            grp.put("memberIds", members);
            grp.put("myTeam", gi == 0);
            w.contacts.add(grp);
        }
    }

    private void workflows() {
        String[][] defaults = {{"New", "Active", "Blue"}, {"In Progress", "Active", "Turquoise"}, {"Completed", "Completed", "Green"},
                {"On Hold", "Deferred", "Gray"}, {"Cancelled", "Cancelled", "Red"}};
        String[][] delivery = {{"Scoping", "Active", "Purple"}, {"Client review", "Active", "Yellow"}, {"Delivered", "Completed", "Green"},
                {"Parked", "Deferred", "Gray"}, {"Dropped", "Cancelled", "Red"}};
        int s = 0;
        for (int wf = 0; wf < 2; wf++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", WrikeIds.entity(w.accountId, WrikeIds.WORKFLOW, wf));
            m.put("name", wf == 0 ? "Default Workflow" : "Client delivery");
            m.put("standard", wf == 0);
            m.put("hidden", false);
            List<Map<String, Object>> statuses = new ArrayList<>();
            for (String[] st : wf == 0 ? defaults : delivery) {
                Map<String, Object> cs = new LinkedHashMap<>();
                String id = WrikeIds.entity(w.accountId, WrikeIds.STATUS, s++);
                cs.put("id", id);
                cs.put("name", st[0]);
                cs.put("standardName", wf == 0);
                cs.put("color", st[2]);
                cs.put("standard", wf == 0);
                cs.put("group", st[1]);
                cs.put("hidden", false);
                statuses.add(cs);
                if (wf == 0) w.statusByGroup.putIfAbsent(st[1], id);
            }
            m.put("customStatuses", statuses);
            w.workflows.add(m);
        }
    }

    private void fields() {
        Object[][] defs = {{"Budget hours", "Numeric", Map.of("decimalPlaces", 1, "useThousandsSeparator", false, "aggregation", "Sum")},
                {"Client code", "Text", Map.of()},
                {"Phase", "DropDown", Map.of("values", List.of("Discovery", "Build", "Launch"), "allowOtherValues", false)},
                {"Go-live", "Date", Map.of()},
                {"Billable", "Checkbox", Map.of()},
                {"Fee", "Currency", Map.of("currency", "EUR", "decimalPlaces", 2)}};
        for (int i = 0; i < defs.length; i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            String id = WrikeIds.entity(w.accountId, WrikeIds.FIELD, i);
            f.put("id", id);
            f.put("accountId", w.accountId);
            f.put("title", defs[i][0]);
            f.put("type", defs[i][1]);
            f.put("sharedIds", List.of());
            f.put("settings", defs[i][2]);
            w.customFields.add(f);
            fieldIds.add(id);
        }
    }

    private void foldersAndProjects(int projects) {
        long created = w.accountCreated;
        folder(w.rootFolderId, "Root", "WsRoot", null, created, null);
        folder(w.recycleBinId, "Recycle Bin", "RbRoot", null, created, null);
        int spaces = Math.max(1, Math.min(5, projects / 40 + 1));
        int folderNo = 2;
        List<String> spaceIds = new ArrayList<>();
        for (int s = 0; s < spaces; s++) {
            String id = WrikeIds.entity(w.accountId, WrikeIds.FOLDER, folderNo++);
            Map<String, Object> space = new LinkedHashMap<>();
            space.put("id", id);
            space.put("title", s == 0 ? "Client delivery" : "Delivery " + (s + 1));
            space.put("avatarUrl", "https://www.wrike.com/static/spaceicons/" + s + ".png");
            space.put("accessType", s == spaces - 1 && spaces > 1 ? "Private" : "Public");
            space.put("archived", false);
            space.put("guestRoleId", null);
            space.put("defaultProjectWorkflowId", WrikeIds.entity(w.accountId, WrikeIds.WORKFLOW, 1));
            space.put("defaultTaskWorkflowId", WrikeIds.entity(w.accountId, WrikeIds.WORKFLOW, 0));
            w.spaces.add(space);
            spaceIds.add(id);
            folder(id, (String) space.get("title"), "WsFolder", w.rootFolderId, created, null).put("space", true);
        }
        // client folders inside spaces, projects inside client folders
        int clientFolders = Math.max(1, projects / 5);
        List<String> clientIds = new ArrayList<>();
        for (int c = 0; c < clientFolders; c++) {
            String id = WrikeIds.entity(w.accountId, WrikeIds.FOLDER, folderNo++);
            folder(id, CLIENTS[c % CLIENTS.length] + (c >= CLIENTS.length ? " " + (c / CLIENTS.length + 1) : ""), "WsFolder",
                    spaceIds.get(c % spaceIds.size()), created + c * 3_600_000L, null);
            clientIds.add(id);
        }
        String[] projectStatus = {"Green", "Yellow", "Red", "Completed", "OnHold", "Cancelled"};
        for (int p = 0; p < projects; p++) {
            String id = WrikeIds.entity(w.accountId, WrikeIds.FOLDER, folderNo++);
            long pc = created + (long) (w.random.nextDouble() * 600) * DAY;
            Map<String, Object> project = new LinkedHashMap<>();
            project.put("authorId", userIds.get(0));
            project.put("ownerIds", List.of(userIds.get(p % userIds.size())));
            String status = projectStatus[p % 11 == 10 ? 3 : p % 13 == 12 ? 4 : p % 17 == 16 ? 5 : w.random.nextInt(3)];
            project.put("status", status);
            project.put("customStatusId", WrikeIds.entity(w.accountId, WrikeIds.STATUS, 5 + (status.equals("Completed") ? 2 : status.equals("OnHold") ? 3 : status.equals("Cancelled") ? 4 : 1)));
            project.put("startDate", WrikeIds.day(pc));
            project.put("endDate", WrikeIds.day(pc + (30 + w.random.nextInt(120)) * DAY));
            project.put("createdDate", WrikeIds.stamp(pc));
            if (status.equals("Completed")) project.put("completedDate", WrikeIds.stamp(pc + 200 * DAY));
            Map<String, Object> f = folder(id, CLIENTS[p % CLIENTS.length] + " – " + NOUNS[p % NOUNS.length] + " #" + (p + 1), "WsFolder",
                    clientIds.get(p % clientIds.size()), pc, project);
            f.put("workflowId", WrikeIds.entity(w.accountId, WrikeIds.WORKFLOW, 1));
            w.projectIds.add(id);
        }
    }

    private Map<String, Object> folder(String id, String title, String scope, String parent, long created, Map<String, Object> project) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", id);
        f.put("accountId", w.accountId);
        f.put("title", title);
        f.put("createdDate", WrikeIds.stamp(created));
        f.put("updatedDate", WrikeIds.stamp(created + (project == null ? 0 : 7 * DAY)));
        f.put("description", "");
        f.put("sharedIds", new ArrayList<>(userIds.subList(0, Math.min(3, userIds.size()))));
        f.put("parentIds", parent == null ? new ArrayList<>() : new ArrayList<>(List.of(parent)));
        f.put("childIds", new ArrayList<String>());
        f.put("superParentIds", new ArrayList<String>());
        f.put("scope", scope);
        f.put("hasAttachments", false);
        f.put("permalink", "https://www.wrike.com/open.htm?id=" + Math.abs(id.hashCode()));
        f.put("workflowId", WrikeIds.entity(w.accountId, WrikeIds.WORKFLOW, 0));
        f.put("metadata", List.of());
        f.put("customFields", List.of());
        if (project != null) f.put("project", project);
        w.folders.put(id, f);
        if (parent != null) childIds(parent).add(id);
        return f;
    }

    @SuppressWarnings("unchecked")
    private List<String> childIds(String folderId) {
        return (List<String>) w.folders.get(folderId).get("childIds");
    }

    /**
     * A new task (generation, or the control API when {@code created} is given): in a project, every fifth one a
     * subtask of an earlier task there; some completed; custom fields; responsible users; time logs, comments,
     * attachments, approvals and dependencies alongside.
     */
    public Task newTask(Long createdAt, String projectId) {
        Random r = w.random;
        long n = w.nextTask++;
        String id = WrikeIds.entity(w.accountId, WrikeIds.TASK, n);
        long created = createdAt != null ? createdAt : anchor - (long) (r.nextDouble() * 400 * DAY) / 1000 * 1000;
        Task t = new Task(id, created);
        String project = projectId != null ? projectId : w.projectIds.get((int) (n % w.projectIds.size()));
        t.title = VERBS[r.nextInt(VERBS.length)] + " " + NOUNS[r.nextInt(NOUNS.length)];
        t.description = n % 3 == 0 ? "" : "Agreed with the client on call " + (n % 97);
        t.importance = new String[] {"High", "Normal", "Normal", "Low"}[r.nextInt(4)];
        t.parentIds.add(project);
        t.authorIds.add(userIds.get(r.nextInt(userIds.size())));
        t.responsibleIds.add(userIds.get(r.nextInt(userIds.size())));
        if (r.nextInt(4) == 0) t.responsibleIds.add(userIds.get(r.nextInt(userIds.size())));
        t.responsibleIds = new ArrayList<>(new java.util.LinkedHashSet<>(t.responsibleIds));
        if (n % 5 == 4 && createdAt == null) {
            // a subtask of the task created just before it in the same project
            long parentNo = n - w.projectIds.size();
            Task parent = parentNo >= 0 ? w.tasks.get(WrikeIds.entity(w.accountId, WrikeIds.TASK, parentNo)) : null;
            if (parent != null && !parent.recycled) {
                t.superTaskIds.add(parent.id);
                parent.subTaskIds.add(id);
            }
        }
        int roll = r.nextInt(10);
        if (roll < 5 && createdAt == null) {
            t.status = "Completed";
            t.completed = created + (1 + r.nextInt(40)) * DAY / 4;
        } else if (roll == 5 && createdAt == null) {
            t.status = "Deferred";
        } else if (roll == 6 && createdAt == null) {
            t.status = "Cancelled";
        } else {
            t.status = "Active";
        }
        t.customStatusId = w.statusByGroup.get(t.status);
        if (r.nextInt(6) == 0) {
            t.datesType = "Backlog";
        } else {
            t.datesType = "Planned";
            t.start = created / DAY * DAY + 9 * 3_600_000L;
            t.due = t.start + (1 + r.nextInt(10)) * DAY + 8 * 3_600_000L;
        }
        if (r.nextInt(3) == 0) t.effortMinutes = (1 + r.nextInt(16)) * 60;
        t.customFields.put(fieldIds.get(0), n % 97 == 13 ? "n/a" : Integer.toString(2 + r.nextInt(40)));
        t.customFields.put(fieldIds.get(1), CLIENTS[(int) (n % CLIENTS.length)].substring(0, 3).toUpperCase() + "-" + (100 + n % 900));
        if (r.nextBoolean()) t.customFields.put(fieldIds.get(2), new String[] {"Discovery", "Build", "Launch"}[r.nextInt(3)]);
        if (r.nextInt(4) == 0) t.customFields.put(fieldIds.get(3), WrikeIds.day(created + 60 * DAY));
        t.customFields.put(fieldIds.get(4), Boolean.toString(r.nextInt(3) != 0));
        if (r.nextInt(5) == 0) t.customFields.put(fieldIds.get(5), String.format(java.util.Locale.ROOT, "%.2f", 100 + r.nextInt(5000) + r.nextInt(100) / 100.0));
        // the last edit: after completion for completed tasks; every 50th task was touched by one bulk import
        long updated = t.completed != null ? t.completed + r.nextInt(3) * DAY : created + (long) (r.nextDouble() * 20) * DAY;
        if (createdAt == null && n % 50 == 7) updated = anchor - 30 * DAY;
        t.updated = createdAt != null ? createdAt : Math.min(updated, anchor) / 1000 * 1000;
        w.add(t);
        if (createdAt == null) sideRecords(t, n);
        return t;
    }

    private void sideRecords(Task t, long n) {
        Random r = w.random;
        if (n % 2 == 0) addTimelog(t, t.created + (1 + r.nextInt(5)) * DAY / 2, null);
        if (n % 7 == 0) addTimelog(t, t.created + 2 * DAY, null);
        if (n % 4 == 1) addComment(t, t.created + DAY / 3);
        if (n % 20 == 3) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", WrikeIds.entity(w.accountId, WrikeIds.ATTACHMENT, w.attachments.size()));
            a.put("authorId", t.authorIds.get(0));
            a.put("name", "brief-" + n + ".pdf");
            a.put("createdDate", WrikeIds.stamp(t.created + DAY));
            a.put("version", 1 + (int) (n % 3));
            a.put("type", "Wrike");
            a.put("contentType", "application/pdf");
            a.put("size", 20_000 + (n * 7919) % 900_000);
            a.put("taskId", t.id);
            w.attachments.add(a);
        }
        if (n % 50 == 11) {
            Map<String, Object> ap = new LinkedHashMap<>();
            ap.put("id", WrikeIds.entity(w.accountId, WrikeIds.APPROVAL, w.approvals.size()));
            ap.put("authorId", t.authorIds.get(0));
            ap.put("title", "Sign-off: " + t.title);
            ap.put("description", "");
            ap.put("updatedDate", WrikeIds.stamp(t.created + 3 * DAY));
            ap.put("dueDate", WrikeIds.day(t.created + 5 * DAY));
            String approver = userIds.get((int) (n % userIds.size()));
            String status = n % 3 == 0 ? "Pending" : n % 3 == 1 ? "Approved" : "Rejected";
            ap.put("decisions", List.of(Map.of("approverId", approver, "comment", "", "status", status, "updatedDate", WrikeIds.stamp(t.created + 3 * DAY))));
            ap.put("status", status);
            ap.put("finisherId", status.equals("Pending") ? null : approver);
            ap.put("finishedDate", status.equals("Pending") ? null : WrikeIds.stamp(t.created + 3 * DAY));
            ap.put("taskIds", List.of(t.id));
            ap.put("folderIds", List.of());
            ap.put("attachmentIds", List.of());
            w.approvals.add(ap);
        }
        if (n % 10 == 9 && n >= 10) {
            Task pred = w.tasks.get(WrikeIds.entity(w.accountId, WrikeIds.TASK, n - 9));
            if (pred != null) {
                Map<String, Object> d = new LinkedHashMap<>();
                String id = WrikeIds.entity(w.accountId, WrikeIds.DEPENDENCY, w.dependencies.size());
                d.put("id", id);
                d.put("predecessorId", pred.id);
                d.put("successorId", t.id);
                d.put("relationType", new String[] {"FinishToStart", "StartToStart", "FinishToFinish"}[(int) (n / 10 % 3)]);
                w.dependencies.add(d);
                pred.dependencyIds.add(id);
                t.dependencyIds.add(id);
            }
        }
    }

    /** Logs time against a task; {@code updated} null means the same as created. */
    public Map<String, Object> addTimelog(Task t, long created, Long updated) {
        Random r = w.random;
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("id", WrikeIds.entity(w.accountId, WrikeIds.TIMELOG, w.nextTimelog++));
        l.put("taskId", t.id);
        l.put("userId", t.responsibleIds.get(0));
        l.put("hours", (1 + r.nextInt(32)) / 4.0);
        l.put("createdDate", WrikeIds.stamp(created / 1000 * 1000));
        l.put("updatedDate", WrikeIds.stamp((updated == null ? created : updated) / 1000 * 1000));
        l.put("trackedDate", WrikeIds.day(created));
        l.put("comment", r.nextInt(3) == 0 ? "" : "Work on " + t.title.toLowerCase());
        w.timelogs.add(l);
        return l;
    }

    public Map<String, Object> addComment(Task t, long created) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", WrikeIds.entity(w.accountId, WrikeIds.COMMENT, w.nextComment++));
        c.put("authorId", t.responsibleIds.get(0));
        c.put("text", "Update on " + t.title.toLowerCase() + ": on track");
        c.put("createdDate", WrikeIds.stamp(created / 1000 * 1000));
        c.put("updatedDate", WrikeIds.stamp(created / 1000 * 1000));
        c.put("taskId", t.id);
        w.comments.add(c);
        return c;
    }

    /** Edits a task now: a new title suffix, the next status; completes it when it moves to Completed. */
    public void edit(Task t, long now) {
        t.title = t.title.replaceAll(" \\(rev \\d+\\)$", "") + " (rev " + (1 + Math.floorMod(now / 1000, 97)) + ")";
        if (t.status.equals("Active") && w.random.nextBoolean()) {
            t.status = "Completed";
            t.completed = now;
            t.customStatusId = w.statusByGroup.get("Completed");
        }
        w.touch(t, now / 1000 * 1000);
    }

    public List<String> userIds() { return userIds; }
}
