package dev.tributary.source.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.Completion;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.SyncMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what changed in one CRM object over a window of modification times {@code (lo, hi]}, where {@code hi} is
 * a safety lag before now (search sees a change only seconds after it is made). Each page is a search sorted by
 * {@code hs_object_id} with {@code hs_object_id > lastId}, 200 records: paging by id instead of by offset means
 * the 10,000-result cap of one query never applies and records sharing one timestamp neither loop nor get lost.
 * Every page ends in a checkpoint; the window's end becomes the next read's start only once the window is done,
 * so a record changed during a sync (after {@code hi}) is read by the next one. Then, at most every
 * {@code archived_every}, the archived listing turns records archived since its last complete read into soft
 * deletes (archiving does not change the modified time), and every {@code reconcile_every} a pass over every id
 * tells the destination which records still exist ({@link Completion.KeysSeen}), so records deleted for good are
 * marked deleted too.
 *
 * <p>What a page of changed records becomes is the {@link PageHandler}'s business: rows of the object itself, or
 * their associations, or their property history.
 */
final class ObjectStreamReader implements StreamReader {
    static final int SEARCH_PAGE = 200;
    static final int LIST_PAGE = 100;

    /** Turns one page of changed records into rows. */
    interface PageHandler {
        Schema schema();

        /** Properties the search must return (all selected ones for the object itself, the cursor for the others). */
        List<String> searchProperties();

        List<Record> rows(List<JsonNode> results);

        /** Whether archived records become soft deletes of this stream. */
        boolean readsArchived();

        default Optional<Record> archivedRow(JsonNode r, Instant archivedAt) {
            return Optional.empty();
        }

        /** What a page's rows complete (the scopes whose rows the page holds in full); none by default. */
        default List<Completion> completions(List<JsonNode> results) {
            return List.of();
        }

        /** Whether the stream's rows are the object's records, so a periodic pass over every id finds deletions. */
        default boolean reconciles() {
            return false;
        }

        /** Called once the read is over, to report (never fail on) values that did not fit their type. */
        default void finish() {}
    }

    private final HubspotClient client;
    private final CrmObject object;
    private final StreamId id;
    private final PageHandler handler;
    private final SyncMode mode;
    private final Schedule schedule;
    private final long startedAt;
    private ObjectState state;
    private boolean finished;

    /**
     * How often the costly parts run: the archived listing at most every {@code archivedEvery} of window time (zero:
     * every read), a reconciliation pass over every id every {@code reconcileEvery} (zero: never).
     */
    record Schedule(Duration archivedEvery, Duration reconcileEvery) {
        static final Schedule EVERY_READ = new Schedule(Duration.ZERO, Duration.ZERO);
    }

    ObjectStreamReader(HubspotClient client, CrmObject object, StreamId id, SyncMode mode, Optional<ObjectState> resume,
            Optional<Instant> startDate, Duration safetyLag, Schedule schedule, PageHandler handler) {
        this.client = client;
        this.object = object;
        this.id = id;
        this.handler = handler;
        this.mode = mode;
        this.schedule = schedule;
        this.startedAt = client.clock().millis();
        Long start = startDate.map(Instant::toEpochMilli).orElse(null);
        long windowEnd = startedAt - safetyLag.toMillis();
        if (resume.isPresent() && resume.get().phase() != ObjectState.Phase.DONE) {
            state = resume.get();
        } else if (resume.isPresent() && mode == SyncMode.INCREMENTAL) {
            ObjectState previous = resume.get();
            Long lo = previous.hi();
            state = ObjectState.window(lo, lo == null ? windowEnd : Math.max(lo, windowEnd), previous.archivedThrough(), previous.reconciledAt());
        } else {
            state = ObjectState.window(start, mode == SyncMode.INCREMENTAL ? Long.valueOf(windowEnd) : null, null, null);
        }
    }

    ObjectState state() {
        return state;
    }

    @Override
    public Optional<RecordBatch> next() {
        while (!finished) {
            switch (state.phase()) {
                case SEARCH -> {
                    if (state.lo() != null && state.hi() != null && state.hi() <= state.lo()) {
                        state = endOfSearch();
                        continue;
                    }
                    JsonNode page = client.search(object.apiType(), searchBody());
                    List<JsonNode> results = new ArrayList<>();
                    page.path("results").forEach(results::add);
                    List<Record> rows = handler.rows(results);
                    long last = state.lastId();
                    for (JsonNode r : results) last = Math.max(last, Long.parseLong(r.path("id").asText("0")));
                    state = state.afterId(last);
                    boolean more = !results.isEmpty() && page.path("paging").path("next").has("after");
                    if (!more) state = endOfSearch();
                    return Optional.of(batch(rows).withCompletions(handler.completions(results)));
                }
                case ARCHIVED -> {
                    StringBuilder url = new StringBuilder("/crm/v3/objects/").append(object.apiType()).append("?archived=true&limit=")
                            .append(LIST_PAGE).append("&properties=").append(enc(object.modifiedProperty()));
                    if (state.archivedAfter() != null) url.append("&after=").append(enc(state.archivedAfter()));
                    JsonNode page = client.get(url.toString());
                    List<Record> rows = new ArrayList<>();
                    for (JsonNode r : page.path("results")) {
                        Instant at = ObjectRows.instantOrNull(r.path("archivedAt").asText(""));
                        if (at == null) at = ObjectRows.instantOrNull(r.path("updatedAt").asText(""));
                        long ms = at == null ? 0 : at.toEpochMilli();
                        if (state.archivedThrough() != null && ms <= state.archivedThrough()) continue;
                        if (state.hi() != null && ms > state.hi()) continue;
                        handler.archivedRow(r, at).ifPresent(rows::add);
                    }
                    String next = page.path("paging").path("next").path("after").asText(null);
                    state = next == null || next.isEmpty() ? afterArchived(state.archivedRead(state.hi())) : state.archivedPhase(next);
                    return Optional.of(batch(rows));
                }
                case RECONCILE -> {
                    JsonNode page = client.search(object.apiType(), idsBody());
                    List<List<Object>> keys = new ArrayList<>();
                    long last = state.reconcileLastId();
                    for (JsonNode r : page.path("results")) {
                        String recordId = r.path("id").asText();
                        keys.add(List.of(recordId));
                        last = Math.max(last, Long.parseLong(recordId));
                    }
                    boolean more = !keys.isEmpty() && page.path("paging").path("next").has("after");
                    // A pass that saw no id at all deletes nothing: an empty answer is likelier a fault than an emptied account.
                    boolean sawNothing = keys.isEmpty() && state.reconcileLastId() == 0;
                    Completion.KeysSeen seen = new Completion.KeysSeen(state.passId(), keys, !more, client.clock().instant());
                    state = more ? state.reconcilePhase(state.reconcileStarted(), last) : state.reconciled().done(null);
                    return Optional.of(sawNothing ? batch(List.of()) : batch(List.of()).withCompletions(List.of(seen)));
                }
                case DONE -> {
                    finished = true;
                    handler.finish();
                }
            }
        }
        return Optional.empty();
    }

    private ObjectState endOfSearch() {
        return handler.readsArchived() && archivedDue() ? state.archivedPhase(null) : afterArchived(state);
    }

    /**
     * Archiving leaves the modified time alone, so only the listing shows it; it is sorted by id, not by archive time,
     * so it is read in full: at most once per {@code archivedEvery} of window time, taking everything archived since
     * the last complete read (so nothing is missed, only delayed by at most that interval).
     */
    private boolean archivedDue() {
        if (state.archivedThrough() == null || state.hi() == null || schedule.archivedEvery().isZero()) return true;
        return state.hi() - state.archivedThrough() >= schedule.archivedEvery().toMillis();
    }

    private ObjectState afterArchived(ObjectState s) {
        boolean due = handler.reconciles() && mode == SyncMode.INCREMENTAL && !schedule.reconcileEvery().isZero()
                && s.reconciledAt() != null && startedAt - s.reconciledAt() >= schedule.reconcileEvery().toMillis();
        // A first complete read saw every record: it counts as the first reconciliation.
        return due ? s.reconcilePhase(startedAt, 0) : s.done(startedAt);
    }

    private RecordBatch batch(List<Record> rows) {
        return new RecordBatch(handler.schema(), rows, ObjectState.CODEC.toState(id, state));
    }

    /** Ids only, 200 per call, in id order past the last one seen: the cheapest full listing HubSpot offers. */
    ObjectNode idsBody() {
        ObjectNode body = HubspotClient.JSON.createObjectNode();
        if (state.reconcileLastId() > 0) {
            filter(body.putArray("filterGroups").addObject().putArray("filters"), "hs_object_id", "GT", Long.toString(state.reconcileLastId()));
        }
        body.putArray("sorts").addObject().put("propertyName", "hs_object_id").put("direction", "ASCENDING");
        body.putArray("properties").add("hs_object_id");
        body.put("limit", SEARCH_PAGE);
        return body;
    }

    ObjectNode searchBody() {
        ObjectNode body = HubspotClient.JSON.createObjectNode();
        ArrayNode filters = body.putArray("filterGroups").addObject().putArray("filters");
        if (state.lo() != null) filter(filters, object.modifiedProperty(), "GT", Long.toString(state.lo()));
        if (state.hi() != null) filter(filters, object.modifiedProperty(), "LTE", Long.toString(state.hi()));
        if (state.lastId() > 0) filter(filters, "hs_object_id", "GT", Long.toString(state.lastId()));
        if (filters.isEmpty()) body.remove("filterGroups");
        body.putArray("sorts").addObject().put("propertyName", "hs_object_id").put("direction", "ASCENDING");
        ArrayNode props = body.putArray("properties");
        handler.searchProperties().forEach(props::add);
        body.put("limit", SEARCH_PAGE);
        return body;
    }

    private static void filter(ArrayNode filters, String property, String operator, String value) {
        filters.addObject().put("propertyName", property).put("operator", operator).put("value", value);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        finished = true;
    }
}
