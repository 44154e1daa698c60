package dev.tributary.sandbox.wrike.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sandbox.wrike.data.Task;
import dev.tributary.sandbox.wrike.data.WrikeIds;
import dev.tributary.sandbox.wrike.data.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Wrike API v4 read endpoints over one {@link Workspace}: account, contacts, spaces, folders (tree, subtree, by id),
 * tasks (account, folder, by id, with exact token paging and date-range filters), workflows, custom fields, comments,
 * time logs, attachments, approvals and dependencies. Unknown parameters and bad values are refused as Wrike does
 * (400 invalid_request / invalid_parameter).
 */
final class ApiV4 {
    static final int MAX_PAGE = 1000;
    static final int MAX_IDS = 100;
    private static final Pattern ENTITY_ID = Pattern.compile("[A-Z2-7]{16}");
    private static final Set<String> TASK_OPTIONAL = Set.of("authorIds", "hasAttachments", "attachmentCount", "parentIds", "superParentIds",
            "sharedIds", "responsibleIds", "description", "briefDescription", "recurrent", "superTaskIds", "subTaskIds", "dependencyIds",
            "metadata", "customFields", "effortAllocation");
    private static final Set<String> FOLDER_OPTIONAL = Set.of("metadata", "hasAttachments", "attachmentCount", "description", "briefDescription",
            "customFields", "customColumnIds", "superParentIds", "space", "contractType");
    private static final Set<String> CONTACT_OPTIONAL = Set.of("metadata", "workScheduleId", "currentBillRate", "currentCostRate", "jobRoleId");
    private static final Set<String> TASK_LIST_PARAMS = Set.of("fields", "pageSize", "nextPageToken", "updatedDate", "createdDate", "status",
            "sortField", "sortOrder", "subTasks", "descendants", "deleted", "state");

    private final Workspace w;

    ApiV4(Workspace w) {
        this.w = w;
    }

    WrikeResponse handle(WrikeRequest r) {
        if (!r.method().equals("GET")) {
            throw new WrikeResponse.Refusal(405, "method_not_found", "Method " + r.method() + " is not supported by this sandbox (it is read-only)");
        }
        List<String> s = r.segments().subList(2, r.segments().size());
        if (s.isEmpty()) throw notFound(r);
        synchronized (w) {
            return switch (s.get(0)) {
                case "account" -> one(s, r, () -> { params(r, Set.of("fields", "state")); return WrikeResponse.envelope("accounts", List.of(account()), null); });
                case "contacts" -> s.size() == 1 ? contacts(r, null) : s.size() == 2 ? contacts(r, ids(s.get(1), "contactIds", false)) : throw_(notFound(r));
                case "spaces" -> one(s, r, () -> { params(r, Set.of("fields", "state", "withArchived")); return WrikeResponse.envelope("spaces", w.spaces, null); });
                case "folders" -> folders(r, s);
                case "tasks" -> tasks(r, s);
                case "workflows" -> one(s, r, () -> { params(r, Set.of("state")); return WrikeResponse.envelope("workflows", w.workflows, null); });
                case "customfields" -> one(s, r, () -> { params(r, Set.of("state")); return WrikeResponse.envelope("customfields", w.customFields, null); });
                case "comments" -> one(s, r, () -> dated(r, "comments", w.comments, Set.of("updatedDate"), Set.of("plainText", "types", "limit")));
                case "timelogs" -> one(s, r, () -> dated(r, "timelogs", w.timelogs, Set.of("createdDate", "updatedDate", "trackedDate"), Set.of("me", "plainText", "descendants", "subTaskDescendants")));
                case "attachments" -> one(s, r, () -> dated(r, "attachments", w.attachments, Set.of("createdDate"), Set.of("versions", "withUrls")));
                case "approvals" -> one(s, r, () -> dated(r, "approvals", w.approvals, Set.of("updatedDate"), Set.of("approvalStatus", "limit", "pageSize")));
                case "dependencies" -> dependencies(r, s);
                default -> throw notFound(r);
            };
        }
    }

    private interface Body { WrikeResponse get(); }

    private WrikeResponse one(List<String> s, WrikeRequest r, Body body) {
        if (s.size() != 1) throw notFound(r);
        return body.get();
    }

    private static WrikeResponse throw_(WrikeResponse.Refusal e) { throw e; }

    private static WrikeResponse.Refusal notFound(WrikeRequest r) {
        return new WrikeResponse.Refusal(404, "method_not_found", "Method not found: GET /" + String.join("/", r.segments()));
    }

    private static void params(WrikeRequest r, Set<String> allowed) {
        for (String k : r.query().keySet()) {
            if (!allowed.contains(k) && !k.equals("access_token")) {
                throw new WrikeResponse.Refusal(400, "invalid_request", "Parameter '" + k + "' is not supported by this method");
            }
        }
    }

    /** fields=["a","b"]: a JSON array of optional field names this method knows. */
    static Set<String> fields(WrikeRequest r, Set<String> known) {
        String raw = r.param("fields");
        if (raw == null) return Set.of();
        Set<String> out = new LinkedHashSet<>();
        try {
            JsonNode n = WrikeResponse.JSON.readTree(raw);
            if (n == null || !n.isArray()) throw new IOException("not an array");
            for (JsonNode f : n) {
                if (!f.isTextual() || !known.contains(f.asText())) {
                    throw WrikeResponse.Refusal.badParam("Parameter 'fields' value is invalid: unknown field " + f + " (allowed: " + new java.util.TreeSet<>(known) + ")");
                }
                out.add(f.asText());
            }
        } catch (IOException e) {
            throw WrikeResponse.Refusal.badParam("Parameter 'fields' value is invalid: expected a JSON array such as [\"responsibleIds\"], got " + raw);
        }
        return out;
    }

    /** A date range parameter: {"start":..,"end":..}, either bound optional; bounds inclusive. Null when absent. */
    static long[] range(WrikeRequest r, String name) {
        String raw = r.param(name);
        if (raw == null) return null;
        try {
            JsonNode n = WrikeResponse.JSON.readTree(raw);
            if (n == null || !n.isObject()) throw new IOException("not an object");
            long start = n.hasNonNull("start") ? WrikeIds.parseStamp(n.get("start").asText()) : Long.MIN_VALUE;
            long end = n.hasNonNull("end") ? WrikeIds.parseStamp(n.get("end").asText()) : Long.MAX_VALUE;
            if (n.hasNonNull("end") && n.get("end").asText().length() == 10) end += 86_399_999L;
            if (start > end) throw WrikeResponse.Refusal.badParam("Parameter '" + name + "' value is invalid: start is after end");
            for (java.util.Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("start") && !f.equals("end")) throw WrikeResponse.Refusal.badParam("Parameter '" + name + "' value is invalid: unknown key '" + f + "'");
            }
            return new long[] {start, end};
        } catch (IOException | java.time.format.DateTimeParseException e) {
            throw WrikeResponse.Refusal.badParam("Parameter '" + name + "' value is invalid: expected {\"start\":\"2024-03-14T00:00:00Z\",\"end\":\"...\"}, got " + raw);
        }
    }

    private static boolean in(long[] range, String stamp) {
        if (range == null) return true;
        if (stamp == null) return false;
        long v = WrikeIds.parseStamp(stamp);
        return v >= range[0] && v <= range[1];
    }

    private static boolean bool(WrikeRequest r, String name, boolean dflt) {
        String v = r.param(name);
        if (v == null) return dflt;
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        throw WrikeResponse.Refusal.badParam("Parameter '" + name + "' value is invalid: expected true or false, got '" + v + "'");
    }

    private List<String> ids(String raw, String param, boolean entity) {
        List<String> out = new ArrayList<>();
        for (String p : raw.split(",")) {
            String id = p.trim();
            if (id.isEmpty()) continue;
            if (entity ? !ENTITY_ID.matcher(id).matches() : !id.matches("[A-Z2-7]{8}")) {
                throw WrikeResponse.Refusal.badParam("Parameter '" + param + "' value is invalid: '" + id + "' is not an id");
            }
            out.add(id);
        }
        if (out.isEmpty()) throw WrikeResponse.Refusal.badParam("Parameter '" + param + "' value is invalid: no ids");
        if (out.size() > MAX_IDS) throw WrikeResponse.Refusal.badParam("Parameter '" + param + "' value is invalid: at most " + MAX_IDS + " ids, got " + out.size());
        return out;
    }

    private Map<String, Object> account() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", w.accountId);
        a.put("name", w.accountName);
        a.put("dateFormat", "dd/MM/yyyy");
        a.put("firstDayOfWeek", "Mon");
        a.put("workDays", List.of("Mon", "Tue", "Wed", "Thu", "Fri"));
        a.put("rootFolderId", w.rootFolderId);
        a.put("recycleBinId", w.recycleBinId);
        a.put("createdDate", WrikeIds.stamp(w.accountCreated));
        a.put("joinedDate", WrikeIds.stamp(w.accountCreated));
        return a;
    }

    private WrikeResponse contacts(WrikeRequest r, List<String> ids) {
        params(r, Set.of("fields", "state", "deleted", "me", "metadata", "types"));
        Set<String> f = fields(r, CONTACT_OPTIONAL);
        boolean deleted = bool(r, "deleted", false);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> c : w.contacts) {
            if (ids != null && !ids.contains((String) c.get("id"))) continue;
            if (ids == null && !deleted && Boolean.TRUE.equals(c.get("deleted"))) continue;
            Map<String, Object> m = new LinkedHashMap<>(c);
            if (f.contains("metadata")) m.put("metadata", List.of());
            if (f.contains("jobRoleId")) m.put("jobRoleId", null);
            out.add(m);
        }
        if (ids != null && out.size() < ids.size()) throw new WrikeResponse.Refusal(404, "resource_not_found", "Contact not found: " + missing(ids, out));
        return WrikeResponse.envelope("contacts", out, null);
    }

    private static List<String> missing(List<String> ids, List<Map<String, Object>> found) {
        Set<String> have = new HashSet<>();
        for (Map<String, Object> m : found) have.add((String) m.get("id"));
        List<String> out = new ArrayList<>();
        for (String id : ids) if (!have.contains(id)) out.add(id);
        return out;
    }

    // ---- folders ----

    private WrikeResponse folders(WrikeRequest r, List<String> s) {
        if (s.size() == 1) return folderTree(r, null);
        List<String> ids = ids(s.get(1), "folderIds", true);
        if (s.size() == 2) {
            params(r, Set.of("fields", "state", "withInvitations"));
            Set<String> f = fields(r, FOLDER_OPTIONAL);
            List<Map<String, Object>> out = new ArrayList<>();
            for (String id : ids) {
                Map<String, Object> folder = w.folders.get(id);
                if (folder == null) throw new WrikeResponse.Refusal(404, "resource_not_found", "Folder not found: " + id);
                out.add(fullFolder(folder, f));
            }
            return WrikeResponse.envelope("folders", out, null);
        }
        if (s.size() != 3 || ids.size() != 1) throw notFound(r);
        String id = ids.get(0);
        if (!w.folders.containsKey(id)) throw new WrikeResponse.Refusal(404, "resource_not_found", "Folder not found: " + id);
        return switch (s.get(2)) {
            case "folders" -> folderTree(r, id);
            case "tasks" -> taskList(r, id);
            default -> throw notFound(r);
        };
    }

    private Map<String, Object> fullFolder(Map<String, Object> folder, Set<String> f) {
        Map<String, Object> m = new LinkedHashMap<>(folder);
        m.remove("space");
        if (f.contains("space")) m.put("space", Boolean.TRUE.equals(folder.get("space")));
        if (f.contains("attachmentCount")) m.put("attachmentCount", 0);
        if (f.contains("briefDescription")) m.put("briefDescription", "");
        if (f.contains("customColumnIds")) m.put("customColumnIds", List.of());
        if (f.contains("contractType")) m.put("contractType", "Billable");
        return m;
    }

    /** GET /folders (the whole tree) or /folders/{id}/folders (that folder's subtree): kind folderTree, not paged. */
    private WrikeResponse folderTree(WrikeRequest r, String under) {
        params(r, Set.of("fields", "state", "project", "deleted", "updatedDate", "descendants", "permalink", "metadata", "customField", "customFields", "contractTypes", "plainTextCustomFields"));
        Set<String> f = fields(r, FOLDER_OPTIONAL);
        Boolean project = r.param("project") == null ? null : bool(r, "project", false);
        boolean deleted = bool(r, "deleted", false);
        long[] updated = range(r, "updatedDate");
        Set<String> scopeIds = null;
        if (under != null) {
            scopeIds = new LinkedHashSet<>();
            collect(under, scopeIds, bool(r, "descendants", true));
            scopeIds.remove(under);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> folder : w.folderList()) {
            String id = (String) folder.get("id");
            if (scopeIds != null && !scopeIds.contains(id)) continue;
            String scope = (String) folder.get("scope");
            if (scope.startsWith("Rb") && !deleted) continue;
            if (project != null && project != folder.containsKey("project")) continue;
            if (!in(updated, (String) folder.get("updatedDate"))) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("title", folder.get("title"));
            m.put("childIds", folder.get("childIds"));
            m.put("scope", scope);
            if (folder.containsKey("project")) m.put("project", folder.get("project"));
            for (String opt : f) {
                Object v = fullFolder(folder, f).get(opt);
                m.put(opt, v);
            }
            out.add(m);
        }
        return WrikeResponse.envelope("folderTree", out, null);
    }

    @SuppressWarnings("unchecked")
    private void collect(String id, Set<String> into, boolean deep) {
        into.add(id);
        Map<String, Object> f = w.folders.get(id);
        if (f == null) return;
        for (String child : (List<String>) f.get("childIds")) {
            if (deep) collect(child, into, true);
            else into.add(child);
        }
    }

    // ---- tasks ----

    private WrikeResponse tasks(WrikeRequest r, List<String> s) {
        if (s.size() == 1) return taskList(r, null);
        List<String> ids = ids(s.get(1), "taskIds", true);
        if (s.size() == 3 && s.get(2).equals("dependencies") && ids.size() == 1) {
            params(r, Set.of("state"));
            Task t = w.task(ids.get(0));
            if (t == null) throw new WrikeResponse.Refusal(404, "resource_not_found", "Task not found: " + ids.get(0));
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> d : w.dependencies) if (t.dependencyIds.contains((String) d.get("id"))) out.add(d);
            return WrikeResponse.envelope("dependencies", out, null);
        }
        if (s.size() != 2) throw notFound(r);
        params(r, Set.of("fields", "state"));
        Set<String> f = new HashSet<>(TASK_OPTIONAL);
        f.remove("effortAllocation");
        f.addAll(fields(r, TASK_OPTIONAL));
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : ids) {
            Task t = w.task(id);
            if (t == null) throw new WrikeResponse.Refusal(404, "resource_not_found", "Task not found: " + id);
            out.add(render(t, f));
        }
        return WrikeResponse.envelope("tasks", out, null);
    }

    /** GET /tasks or /folders/{id}/tasks: filters, order by updatedDate (or createdDate), exact token paging. */
    private WrikeResponse taskList(WrikeRequest r, String folderId) {
        params(r, TASK_LIST_PARAMS);
        Set<String> f = fields(r, TASK_OPTIONAL);
        long[] updated = range(r, "updatedDate");
        long[] created = range(r, "createdDate");
        boolean subTasks = bool(r, "subTasks", false);
        boolean deleted = bool(r, "deleted", false);
        String status = r.param("status");
        if (status != null && !Set.of("Active", "Completed", "Deferred", "Cancelled").contains(status)) {
            throw WrikeResponse.Refusal.badParam("Parameter 'status' value is invalid: '" + status + "' (Active, Completed, Deferred, Cancelled)");
        }
        String sortField = r.param("sortField") == null ? "UpdatedDate" : r.param("sortField");
        if (!sortField.equals("UpdatedDate") && !sortField.equals("CreatedDate")) {
            throw WrikeResponse.Refusal.badParam("Parameter 'sortField' value is invalid: '" + sortField + "' (this sandbox sorts by UpdatedDate or CreatedDate)");
        }
        String sortOrder = r.param("sortOrder") == null ? "Desc" : r.param("sortOrder");
        if (!sortOrder.equals("Asc") && !sortOrder.equals("Desc")) throw WrikeResponse.Refusal.badParam("Parameter 'sortOrder' value is invalid: '" + sortOrder + "' (Asc or Desc)");
        Integer pageSize = null;
        if (r.param("pageSize") != null) {
            try {
                pageSize = Integer.parseInt(r.param("pageSize"));
            } catch (NumberFormatException e) {
                throw WrikeResponse.Refusal.badParam("Parameter 'pageSize' value is invalid: '" + r.param("pageSize") + "'");
            }
            if (pageSize < 1 || pageSize > MAX_PAGE) throw WrikeResponse.Refusal.badParam("Parameter 'pageSize' value is out of range [1.." + MAX_PAGE + "]: " + pageSize);
        }
        Set<String> folderIds = null;
        if (folderId != null) {
            folderIds = new HashSet<>();
            if (bool(r, "descendants", true)) collect(folderId, folderIds, true);
            else folderIds.add(folderId);
        }
        // the filters a page token belongs to (everything but the token and the page size)
        StringBuilder fp = new StringBuilder(folderId == null ? "" : folderId);
        for (String k : new java.util.TreeSet<>(r.query().keySet())) {
            if (!k.equals("nextPageToken") && !k.equals("pageSize") && !k.equals("fields")) fp.append('|').append(k).append('=').append(r.query().get(k));
        }
        String fingerprint = Integer.toHexString(fp.toString().hashCode());
        String tokenIn = r.param("nextPageToken");
        Workspace.Key after = null;
        long skip = 0;
        if (tokenIn != null) {
            String[] parts = decodeToken(tokenIn);
            if (!parts[0].equals(fingerprint)) throw WrikeResponse.Refusal.badParam("Parameter 'nextPageToken' value is invalid: it was issued for other filters; send the same filters with it");
            if (pageSize == null) pageSize = Integer.parseInt(parts[1]);
            if (sortField.equals("UpdatedDate")) after = new Workspace.Key(Long.parseLong(parts[2]), parts[3]);
            else skip = Long.parseLong(parts[2]);
        }
        int limit = pageSize == null ? MAX_PAGE : pageSize;
        List<Task> candidates = new ArrayList<>();
        List<Map<String, Object>> out = new ArrayList<>();
        int total = 0;
        Task last = null;
        boolean more = false;
        if (sortField.equals("UpdatedDate")) {
            NavigableMap<Workspace.Key, Task> view = w.byUpdated;
            if (updated != null) {
                view = view.subMap(new Workspace.Key(updated[0], ""), true, new Workspace.Key(updated[1], "\uffff"), true);
            }
            if (sortOrder.equals("Desc")) view = view.descendingMap();
            for (Map.Entry<Workspace.Key, Task> e : view.entrySet()) {
                Task t = e.getValue();
                if (!matches(t, created, subTasks, deleted, status, folderIds)) continue;
                total++;
                if (after != null) {
                    int c = Workspace.KEY_ORDER.compare(e.getKey(), after);
                    if (sortOrder.equals("Desc") ? c >= 0 : c <= 0) continue;
                }
                if (out.size() < limit) {
                    out.add(render(t, f));
                    last = t;
                } else {
                    more = true;
                }
            }
        } else {
            for (Task t : w.tasks.values()) {
                if (matches(t, created, subTasks, deleted, status, folderIds) && (updated == null || (t.updated >= updated[0] && t.updated <= updated[1]))) candidates.add(t);
            }
            java.util.Comparator<Task> c = java.util.Comparator.<Task>comparingLong(t -> t.created).thenComparing(t -> t.id);
            candidates.sort(sortOrder.equals("Desc") ? c.reversed() : c);
            total = candidates.size();
            for (long i = skip; i < candidates.size() && out.size() < limit; i++) out.add(render(candidates.get((int) i), f));
            more = skip + out.size() < candidates.size();
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        if (pageSize != null) {
            if (more) {
                String next = sortField.equals("UpdatedDate")
                        ? encodeToken(fingerprint, pageSize, Long.toString(last.updated), last.id)
                        : encodeToken(fingerprint, pageSize, Long.toString(skip + out.size()), "");
                extra.put("nextPageToken", next);
            }
            extra.put("responseSize", total);
        }
        return WrikeResponse.envelope("tasks", out, extra);
    }

    private static boolean matches(Task t, long[] created, boolean subTasks, boolean deleted, String status, Set<String> folderIds) {
        if (t.recycled != deleted) return false;
        if (!subTasks && !t.superTaskIds.isEmpty()) return false;
        if (status != null && !status.equals(t.status)) return false;
        if (created != null && (t.created < created[0] || t.created > created[1])) return false;
        if (folderIds != null) {
            boolean any = false;
            for (String p : t.parentIds) if (folderIds.contains(p)) { any = true; break; }
            if (!any) return false;
        }
        return true;
    }

    private static String encodeToken(String fingerprint, int pageSize, String a, String b) {
        String raw = fingerprint + ":" + pageSize + ":" + a + ":" + b;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decodeToken(String token) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", -1);
            if (parts.length != 4) throw new IllegalArgumentException();
            Integer.parseInt(parts[1]);
            Long.parseLong(parts[2]);
            return parts;
        } catch (IllegalArgumentException e) {
            throw WrikeResponse.Refusal.badParam("Parameter 'nextPageToken' value is invalid");
        }
    }

    Map<String, Object> render(Task t, Set<String> f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id);
        m.put("accountId", w.accountId);
        m.put("title", t.title);
        if (f.contains("description")) m.put("description", t.description);
        if (f.contains("briefDescription")) m.put("briefDescription", t.description.length() > 60 ? t.description.substring(0, 60) : t.description);
        if (f.contains("parentIds")) m.put("parentIds", t.parentIds);
        if (f.contains("superParentIds")) m.put("superParentIds", List.of());
        if (f.contains("sharedIds")) m.put("sharedIds", t.responsibleIds);
        if (f.contains("responsibleIds")) m.put("responsibleIds", t.responsibleIds);
        m.put("status", t.status);
        m.put("importance", t.importance);
        m.put("createdDate", WrikeIds.stamp(t.created));
        m.put("updatedDate", WrikeIds.stamp(t.updated));
        if (t.completed != null) m.put("completedDate", WrikeIds.stamp(t.completed));
        Map<String, Object> dates = new LinkedHashMap<>();
        dates.put("type", t.datesType);
        if (t.datesType.equals("Planned")) {
            dates.put("duration", (int) ((t.due - t.start) / 86_400_000L + 1) * 480);
            dates.put("start", WrikeIds.local(t.start));
            dates.put("due", WrikeIds.local(t.due));
        }
        m.put("dates", dates);
        m.put("scope", t.recycled ? "RbTask" : "WsTask");
        if (f.contains("authorIds")) m.put("authorIds", t.authorIds);
        m.put("customStatusId", t.customStatusId);
        if (f.contains("hasAttachments") || f.contains("attachmentCount")) {
            int n = 0;
            for (Map<String, Object> a : w.attachments) if (t.id.equals(a.get("taskId"))) n++;
            if (f.contains("hasAttachments")) m.put("hasAttachments", n > 0);
            if (f.contains("attachmentCount")) m.put("attachmentCount", n);
        }
        m.put("permalink", "https://www.wrike.com/open.htm?id=" + (Math.abs((long) t.id.hashCode()) + 100_000_000L));
        m.put("priority", Long.toHexString(Math.abs((long) t.id.hashCode())) + "00");
        if (f.contains("superTaskIds")) m.put("superTaskIds", t.superTaskIds);
        if (f.contains("subTaskIds")) m.put("subTaskIds", t.subTaskIds);
        if (f.contains("dependencyIds")) m.put("dependencyIds", t.dependencyIds);
        if (f.contains("metadata")) m.put("metadata", List.of());
        if (f.contains("customFields")) {
            List<Map<String, Object>> cf = new ArrayList<>();
            t.customFields.forEach((k, v) -> cf.add(Map.of("id", k, "value", v)));
            m.put("customFields", cf);
        }
        if (f.contains("recurrent")) m.put("recurrent", false);
        if (f.contains("effortAllocation")) {
            Map<String, Object> ea = new LinkedHashMap<>();
            if (t.effortMinutes > 0) {
                ea.put("mode", "FullTime");
                ea.put("totalEffort", t.effortMinutes);
                ea.put("allocatedEffort", t.effortMinutes);
            } else {
                ea.put("mode", "None");
            }
            m.put("effortAllocation", ea);
        }
        return m;
    }

    // ---- dated collections ----

    private WrikeResponse dated(WrikeRequest r, String kind, List<Map<String, Object>> all, Set<String> ranges, Set<String> flags) {
        Set<String> allowed = new HashSet<>(ranges);
        allowed.addAll(flags);
        allowed.add("fields");
        allowed.add("state");
        params(r, allowed);
        Map<String, long[]> filters = new LinkedHashMap<>();
        for (String name : ranges) {
            long[] range = range(r, name);
            if (range != null) filters.put(name, range);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : all) {
            boolean keep = true;
            for (Map.Entry<String, long[]> e : filters.entrySet()) {
                if (!in(e.getValue(), (String) row.get(e.getKey()))) { keep = false; break; }
            }
            if (keep) out.add(row);
        }
        return WrikeResponse.envelope(kind, out, null);
    }

    private WrikeResponse dependencies(WrikeRequest r, List<String> s) {
        params(r, Set.of("state"));
        if (s.size() == 1) return WrikeResponse.envelope("dependencies", w.dependencies, null);
        if (s.size() != 2) throw notFound(r);
        List<String> ids = ids(s.get(1), "dependencyIds", true);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> d : w.dependencies) if (ids.contains((String) d.get("id"))) out.add(d);
        if (out.size() < ids.size()) throw new WrikeResponse.Refusal(404, "resource_not_found", "Dependency not found: " + missing(ids, out));
        return WrikeResponse.envelope("dependencies", out, null);
    }
}
