package dev.tributary.source.wrike;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.http.ApiException;
import dev.tributary.source.wrike.WrikeCatalog.Column;
import dev.tributary.source.wrike.WrikeCatalog.Kind;
import dev.tributary.source.wrike.WrikeCatalog.StreamDef;
import dev.tributary.spi.Completion;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.SyncMode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads one Wrike stream. Tasks (and their child tables) are read in updatedDate windows [cursor - overlap, now - lag]
 * with token paging inside the window (pageSize up to 1,000, so the unpaged 1,000 cap never matters and tasks sharing
 * one timestamp are neither lost nor repeated); then the recycle bin for the same window, as soft deletes. Every page
 * is a batch with the checkpoint that resumes after it. Child-table batches declare their tasks' scopes so rows that
 * left a task are removed. Periodically every live task id is listed ({@link Completion.KeysSeen}) so tasks that vanish
 * without passing the recycle bin are soft-deleted too. Time logs and comments use windows without paging; the rest is
 * read whole.
 */
final class WrikeReader implements StreamReader {
    private static final System.Logger LOG = System.getLogger(WrikeReader.class.getName());

    private final WrikeClient client;
    private final WrikeConfig config;
    private final StreamDef def;
    private final StreamId id;
    private final Schema schema;
    private final boolean incremental;
    private WrikeState state;
    private boolean finished;
    private boolean windowsDone;
    private boolean pendingCheckpoint;
    private Map<String, JsonNode> fieldDefs;
    private final Map<String, int[]> badValues = new LinkedHashMap<>();
    private final Map<String, String> badExamples = new HashMap<>();

    WrikeReader(WrikeClient client, WrikeConfig config, StreamDef def, StreamId id, SyncMode mode, Optional<WrikeState> resume) {
        this.client = client;
        this.config = config;
        this.def = def;
        this.id = id;
        this.schema = def.schema();
        this.incremental = mode == SyncMode.INCREMENTAL && def.incremental();
        this.state = incremental ? resume.orElse(WrikeState.EMPTY) : WrikeState.EMPTY;
        if (incremental && state.reconcile().active()) windowsDone = true; // finish an interrupted pass first
    }

    @Override
    public Optional<RecordBatch> next() {
        while (!finished) {
            switch (def.read()) {
                case LIST -> {
                    finished = true;
                    return Optional.of(batch(listRows(), List.of()));
                }
                case DEPENDENCIES -> {
                    RecordBatch b = dependencyPage();
                    if (b != null) return Optional.of(b);
                    finished = true;
                }
                case FOLDERS -> {
                    finished = true;
                    return Optional.of(batch(folderRows(), List.of()));
                }
                case DATED -> {
                    if (!windowsDone) {
                        windowsDone = true;
                        return Optional.of(datedWindow());
                    }
                    finished = true;
                    // time logs and comments are deleted for good in Wrike: a periodic list of every id finds them
                    if (incremental && reconcileDue()) return Optional.of(datedReconcile());
                    if (pendingCheckpoint) return Optional.of(batch(List.of(), List.of()));
                }
                case TASKS -> {
                    if (!windowsDone) {
                        RecordBatch b = taskPage();
                        if (b != null) return Optional.of(b);
                        continue;
                    }
                    if (incremental && def.name().equals("tasks") && reconcileDue()) return Optional.of(reconcilePage());
                    finished = true;
                    reportBadValues();
                    if (pendingCheckpoint) return Optional.of(batch(List.of(), List.of()));
                }
            }
        }
        return Optional.empty();
    }

    private RecordBatch batch(List<Record> records, List<Completion> completions) {
        return new RecordBatch(schema, records, List.of(), incremental ? Optional.of(WrikeState.CODEC.toState(id, state)) : Optional.empty(), completions);
    }

    // ---- whole collections ----

    private List<Record> listRows() {
        JsonNode data = client.get(def.path()).path("data");
        List<Record> out = new ArrayList<>();
        Instant now = client.clock().instant();
        for (JsonNode o : data) {
            if (def.name().equals("custom_statuses")) {
                for (JsonNode s : o.path("customStatuses")) {
                    Object[] v = values(s);
                    v[schema.indexOf("workflow_id")] = o.path("id").asText();
                    out.add(new Record(v, origin("workflows/" + o.path("id").asText() + "/customStatuses/" + s.path("id").asText())));
                }
                continue;
            }
            // people who left stay in Wrike as deleted contacts: a soft delete here
            boolean deleted = def.name().equals("contacts") && o.path("deleted").asBoolean(false);
            out.add(new Record(values(o), origin(def.path().replaceAll("\\?.*", "") + "/" + o.path("id").asText()), deleted ? now : null));
        }
        return out;
    }

    private List<Record> folderRows() {
        JsonNode tree = client.get("/folders").path("data");
        List<String> ids = new ArrayList<>();
        for (JsonNode f : tree) ids.add(f.path("id").asText());
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 100) {
            for (JsonNode f : client.get("/folders/" + String.join(",", ids.subList(i, Math.min(ids.size(), i + 100)))).path("data")) {
                Object[] v = values(f);
                v[schema.indexOf("is_project")] = f.has("project");
                out.add(new Record(v, origin("folders/" + f.path("id").asText())));
            }
        }
        return out;
    }

    private String dependencyToken;
    private boolean dependenciesDone;
    private final java.util.Set<String> dependencySeen = new java.util.HashSet<>();
    private final List<String> dependencyPending = new ArrayList<>();

    /**
     * Wrike lists dependencies per task or by id, not for the account: page through the tasks asking only for their
     * dependencyIds, then fetch the ids not seen yet, 100 a call. One batch per task page; null when done.
     */
    private RecordBatch dependencyPage() {
        if (dependenciesDone) return null;
        JsonNode body = client.get("/tasks?subTasks=true&pageSize=1000&fields=" + WrikeClient.enc("[\"dependencyIds\"]")
                + (dependencyToken == null ? "" : "&nextPageToken=" + WrikeClient.enc(dependencyToken)));
        for (JsonNode t : body.path("data")) {
            for (JsonNode d : t.path("dependencyIds")) if (dependencySeen.add(d.asText())) dependencyPending.add(d.asText());
        }
        boolean last = !body.hasNonNull("nextPageToken");
        List<Record> out = new ArrayList<>();
        // full calls of 100 ids; the remainder waits for the next task page, unless this was the last one
        while (dependencyPending.size() >= 100 || (last && !dependencyPending.isEmpty())) {
            List<String> chunk = new ArrayList<>(dependencyPending.subList(0, Math.min(100, dependencyPending.size())));
            dependencyPending.subList(0, chunk.size()).clear();
            for (JsonNode d : client.get("/dependencies/" + String.join(",", chunk)).path("data")) {
                out.add(new Record(values(d), origin("dependencies/" + d.path("id").asText())));
            }
        }
        dependencyToken = body.hasNonNull("nextPageToken") ? body.get("nextPageToken").asText() : null;
        if (dependencyToken == null) dependenciesDone = true;
        return batch(out, List.of());
    }

    private RecordBatch datedWindow() {
        StringBuilder path = new StringBuilder(def.path());
        Instant end = null;
        if (incremental) {
            end = windowEnd();
            Instant start = windowStart();
            if (start != null && start.isAfter(end)) return batch(List.of(), List.of());
            path.append("?updatedDate=").append(WrikeClient.enc(range(start, end)));
        }
        List<Record> out = new ArrayList<>();
        for (JsonNode o : client.get(path.toString()).path("data")) out.add(new Record(values(o), origin(def.path() + "/" + o.path("id").asText())));
        if (incremental) state = state.finished(end);
        return batch(out, List.of());
    }

    // ---- tasks ----

    private Instant windowEnd() {
        return client.clock().instant().minus(config.lag()).truncatedTo(ChronoUnit.SECONDS);
    }

    private Instant windowStart() {
        if (state.through() == null) return config.startDate().orElse(null);
        return state.through().minus(config.overlap());
    }

    /** Wrike's date range parameter; a null bound is left out. */
    static String range(Instant start, Instant end) {
        List<String> parts = new ArrayList<>();
        if (start != null) parts.add("\"start\":\"" + start + "\"");
        if (end != null) parts.add("\"end\":\"" + end + "\"");
        return "{" + String.join(",", parts) + "}";
    }

    /** One page of the current window (live tasks, then the recycle bin), or null when the window is done. */
    private RecordBatch taskPage() {
        WrikeState.Window w = state.window();
        if (w == null) {
            Instant end = incremental ? windowEnd() : null;
            Instant start = incremental ? windowStart() : config.startDate().orElse(null);
            if (end != null && start != null && start.isAfter(end)) {
                windowsDone = true;
                return null;
            }
            // a full refresh has no end: its window is only kept in memory (full refreshes are not resumed)
            w = new WrikeState.Window(start, end == null ? Instant.parse("9999-12-31T23:59:59Z") : end, "live", null);
        }
        boolean deletedPhase = w.phase().equals("deleted");
        StringBuilder q = new StringBuilder("/tasks?subTasks=true&pageSize=").append(config.pageSize());
        if (deletedPhase) q.append("&deleted=true");
        if (incremental || w.start() != null) {
            q.append("&updatedDate=").append(WrikeClient.enc(range(w.start(), incremental ? w.end() : null)));
        }
        if (def.name().equals("tasks") || def.name().equals("task_custom_fields") || !deletedPhase) {
            q.append("&fields=").append(WrikeClient.enc(WrikeCatalog.TASK_FIELDS));
        }
        JsonNode body;
        try {
            body = client.get(q + (w.token() == null ? "" : "&nextPageToken=" + WrikeClient.enc(w.token())));
        } catch (ApiException e) {
            if (w.token() != null && e.status() == 400) {
                // Wrike no longer knows the page token (it was saved long ago): read the window again from its start
                LOG.log(System.Logger.Level.WARNING, "Wrike " + def.name() + ": the saved page token was refused (" + e.getMessage()
                        + "); reading the window from " + (w.start() == null ? "the beginning" : w.start()) + " again");
                state = state.withWindow(new WrikeState.Window(w.start(), w.end(), w.phase(), null));
                return taskPage();
            }
            throw e;
        }
        if (def.name().equals("task_custom_fields") && fieldDefs == null) loadFieldDefs();
        List<Record> records = new ArrayList<>();
        List<List<Object>> scopes = new ArrayList<>();
        Instant now = client.clock().instant();
        for (JsonNode t : body.path("data")) {
            String taskId = t.path("id").asText();
            // a task is in the recycle bin when Wrike says so, whichever list it came from
            boolean recycled = deletedPhase || t.path("scope").asText().startsWith("Rb");
            if (def.child()) {
                scopes.add(List.of(taskId));
                if (!recycled) records.addAll(childRows(t));
            } else {
                records.add(new Record(values(t), origin("tasks/" + taskId), recycled ? now : null));
            }
        }
        String next = body.hasNonNull("nextPageToken") ? body.get("nextPageToken").asText() : null;
        if (next != null) {
            state = state.withWindow(new WrikeState.Window(w.start(), w.end(), w.phase(), next));
        } else if (!deletedPhase && incremental) {
            state = state.withWindow(new WrikeState.Window(w.start(), w.end(), "deleted", null));
        } else {
            state = incremental ? state.finished(w.end()) : state.withWindow(null);
            windowsDone = true;
        }
        List<Completion> completions = def.child() && !scopes.isEmpty() ? List.of(new Completion.Scopes(List.of("task_id"), scopes, now)) : List.of();
        return batch(records, completions);
    }

    private void loadFieldDefs() {
        fieldDefs = new HashMap<>();
        for (JsonNode f : client.get("/customfields").path("data")) fieldDefs.put(f.path("id").asText(), f);
    }

    private List<Record> childRows(JsonNode t) {
        String taskId = t.path("id").asText();
        List<Record> out = new ArrayList<>();
        switch (def.name()) {
            case "task_responsibles" -> t.path("responsibleIds").forEach(u -> out.add(new Record(new Object[] {taskId, u.asText()}, origin("tasks/" + taskId + "/responsibleIds"))));
            case "task_parents" -> t.path("parentIds").forEach(p -> out.add(new Record(new Object[] {taskId, p.asText()}, origin("tasks/" + taskId + "/parentIds"))));
            case "task_super_tasks" -> t.path("superTaskIds").forEach(p -> out.add(new Record(new Object[] {taskId, p.asText()}, origin("tasks/" + taskId + "/superTaskIds"))));
            case "task_custom_fields" -> {
                for (JsonNode cf : t.path("customFields")) {
                    String fieldId = cf.path("id").asText();
                    JsonNode fd = fieldDefs.get(fieldId);
                    String type = fd == null ? null : fd.path("type").asText();
                    String raw = cf.path("value").isNull() ? null : cf.path("value").asText();
                    Object[] v = new Object[8];
                    v[0] = taskId;
                    v[1] = fieldId;
                    v[2] = fd == null ? null : fd.path("title").asText();
                    v[3] = type;
                    v[4] = raw;
                    if (raw != null && !raw.isBlank() && type != null) typed(v, type, raw.trim(), fd.path("title").asText(), taskId);
                    out.add(new Record(v, origin("tasks/" + taskId + "/customFields/" + fieldId)));
                }
            }
            default -> throw new IllegalStateException("no child rows for " + def.name());
        }
        return out;
    }

    /** Fills value_number / value_date / value_boolean from the field's type; a value that does not fit is counted and reported. */
    private void typed(Object[] v, String type, String raw, String title, String taskId) {
        try {
            switch (type) {
                case "Numeric", "Currency", "Percentage", "Duration" -> v[5] = new BigDecimal(raw);
                case "Date" -> v[6] = LocalDate.parse(raw.length() > 10 ? raw.substring(0, 10) : raw);
                case "Checkbox" -> {
                    if (!raw.equals("true") && !raw.equals("false")) throw new IllegalArgumentException();
                    v[7] = Boolean.parseBoolean(raw);
                }
                default -> { }
            }
        } catch (RuntimeException e) {
            String key = type + " field '" + title + "'";
            badValues.computeIfAbsent(key, k -> new int[1])[0]++;
            badExamples.putIfAbsent(key, "'" + raw + "' on task " + taskId);
        }
    }

    private void reportBadValues() {
        badValues.forEach((k, n) -> LOG.log(System.Logger.Level.WARNING, "Wrike task_custom_fields: " + n[0] + " value(s) of " + k
                + " do not fit the field's type (e.g. " + badExamples.get(k) + "); kept as text in column value, typed column left empty"));
    }

    /** Values of the stream's columns that have a path. */
    private Object[] values(JsonNode o) {
        List<Column> cols = def.columns();
        Object[] v = new Object[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            Column c = cols.get(i);
            if (c.path() == null) continue;
            JsonNode n = WrikeCatalog.at(o, c.path());
            try {
                v[i] = WrikeCatalog.convert(n, c.type());
            } catch (RuntimeException e) {
                if (c.type() == DataType.JSON || c.type() == DataType.TEXT) throw e;
                throw new dev.tributary.spi.DataException(origin(def.name() + "/" + o.path("id").asText()), "field " + c.path() + " = " + n
                        + " is not a " + c.type().configName(), e);
            }
        }
        return v;
    }

    private String origin(String what) {
        return "wrike " + what;
    }

    // ---- reconciliation ----

    private boolean reconcileDue() {
        WrikeState.Reconcile r = state.reconcile();
        if (r.active()) return true;
        if (config.reconcileEvery() == null) return false;
        Instant now = client.clock().instant();
        if (r.lastCompletedAt() == null) {
            // the first sync read every task: it counts as a pass; the next is due a period later
            state = state.with(new WrikeState.Reconcile(null, null, now));
            pendingCheckpoint = true;
            return false;
        }
        return !now.isBefore(r.lastCompletedAt().plus(config.reconcileEvery()));
    }

    /** One call lists every id of an unpaged collection: the whole pass in one batch. */
    private RecordBatch datedReconcile() {
        List<List<Object>> keys = new ArrayList<>();
        for (JsonNode o : client.get(def.path()).path("data")) keys.add(List.of(o.path("id").asText()));
        Instant now = client.clock().instant();
        state = state.with(new WrikeState.Reconcile(null, null, now));
        Completion.KeysSeen seen = new Completion.KeysSeen(UUID.randomUUID().toString(), keys, true, now);
        return new RecordBatch(schema, List.of(), List.of(), Optional.of(WrikeState.CODEC.toState(id, state)), List.of(seen));
    }

    private RecordBatch reconcilePage() {
        WrikeState.Reconcile r = state.reconcile();
        if (!r.active()) r = new WrikeState.Reconcile(UUID.randomUUID().toString(), null, r.lastCompletedAt());
        JsonNode body = client.get("/tasks?subTasks=true&pageSize=1000" + (r.token() == null ? "" : "&nextPageToken=" + WrikeClient.enc(r.token())));
        List<List<Object>> keys = new ArrayList<>();
        for (JsonNode t : body.path("data")) keys.add(List.of(t.path("id").asText()));
        String next = body.hasNonNull("nextPageToken") ? body.get("nextPageToken").asText() : null;
        Instant now = client.clock().instant();
        state = state.with(next == null ? new WrikeState.Reconcile(null, null, now) : new WrikeState.Reconcile(r.passId(), next, r.lastCompletedAt()));
        Completion.KeysSeen seen = new Completion.KeysSeen(r.passId(), keys, next == null, now);
        return new RecordBatch(schema, List.of(), List.of(), Optional.of(WrikeState.CODEC.toState(id, state)), List.of(seen));
    }

    @Override
    public void close() {
        finished = true;
    }
}
