package dev.tributary.source.xero;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.source.xero.XeroCatalog.Kind;
import dev.tributary.source.xero.XeroCatalog.Paging;
import dev.tributary.source.xero.XeroCatalog.StreamDef;
import dev.tributary.spi.Completion;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.SyncMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads one Xero stream over every tenant of the connection, a page per batch, each batch with the checkpoint that is
 * true once it is stored. Incremental windows use If-Modified-Since with {@code order=UpdatedDateUTC ASC}: after each
 * full page the next request starts at the last document's second (page 1 again), so documents that move while the
 * window is read are never skipped; only documents sharing one second page on by number. A new sync starts the overlap
 * before the last cursor. Journals page by offset. Documents whose drafts can vanish get a periodic reconciliation pass
 * (every id listed, {@link Completion.KeysSeen}) so the destination soft-deletes what Xero no longer has.
 */
final class XeroStreamReader implements StreamReader {
    private static final int JOURNAL_PAGE = 100;

    private final XeroClient client;
    private final XeroConfig config;
    private final StreamDef def;
    private final StreamId id;
    private final Schema schema;
    private final boolean incremental;
    private final List<String> tenants;
    private XeroState state;
    private int tenantIndex;
    private boolean windowStarted;
    private Instant windowSince;
    private Instant windowMax;
    private boolean incrementalDone;
    private boolean finished;
    private boolean pendingCheckpoint;

    XeroStreamReader(XeroClient client, XeroConfig config, StreamDef def, StreamId id, SyncMode mode, Optional<XeroState> resume,
            List<String> tenants) {
        this.client = client;
        this.config = config;
        this.def = def;
        this.id = id;
        this.schema = def.schema();
        this.incremental = mode == SyncMode.INCREMENTAL && def.incremental();
        this.tenants = tenants;
        this.state = incremental ? resume.orElse(XeroState.EMPTY) : XeroState.EMPTY;
        if (incremental && state.reconcile().active()) {
            incrementalDone = true; // a pass was interrupted: finish it first (changes since are read next time from the cursor)
        }
    }

    @Override
    public Optional<RecordBatch> next() {
        while (!finished) {
            if (!incrementalDone) {
                if (tenantIndex >= tenants.size()) {
                    incrementalDone = true;
                    continue;
                }
                RecordBatch b = readPage(tenants.get(tenantIndex));
                if (b != null) return Optional.of(b);
                continue;
            }
            if (incremental && def.reconciles() && reconcileDue()) {
                return Optional.of(reconcilePage());
            }
            finished = true;
            if (pendingCheckpoint) return Optional.of(new RecordBatch(schema, List.of(), List.of(), Optional.of(XeroState.CODEC.toState(id, state))));
        }
        return Optional.empty();
    }

    /** The next page of the current tenant, or null when the tenant is done (moving on to the next one). */
    private RecordBatch readPage(String tenant) {
        XeroState.Cursor c = state.cursor(tenant);
        if (def.endpoint().paging() == Paging.OFFSET) return journalPage(tenant, c);
        if (!windowStarted) {
            windowStarted = true;
            windowMax = null;
            if (!incremental) {
                c = new XeroState.Cursor(config.startDate().orElse(null), 1, false, 0);
            } else if (c.done()) {
                // with no overlap, start just after the cursor (the document at the cursor was read)
                Instant since = c.since() == null ? config.startDate().orElse(null)
                        : config.overlap().isZero() ? c.since().plusMillis(1) : c.since().minus(config.overlap());
                c = new XeroState.Cursor(since, 1, false, 0);
            }
            windowSince = c.since();
        }
        boolean paged = def.endpoint().paging() == Paging.PAGED;
        String path = def.endpoint().path() + (paged ? "?page=" + c.page() + "&pageSize=" + config.pageSize() + "&order="
                + URLEncoder.encode("UpdatedDateUTC ASC", StandardCharsets.UTF_8) : "");
        if (paged && def.kind() == Kind.DOCUMENT && def.endpoint().summaryOnly()) path += "&summaryOnly=true";
        Instant since = def.endpoint().changeField() == null ? null : c.since();
        JsonNode body = client.get(tenant, path, since);
        JsonNode docs = body.path(def.endpoint().key());
        List<Record> records = new ArrayList<>();
        List<List<Object>> parents = new ArrayList<>();
        List<Object[]> stamps = new ArrayList<>();
        Instant last = null;
        int n = 0;
        for (JsonNode doc : docs) {
            n++;
            Instant changed = def.endpoint().changeField() == null ? null : XeroRows.instant(doc.path(def.endpoint().changeField()).asText(null));
            // Xero ignores milliseconds in If-Modified-Since: what it adds from before the asked time was read before
            if (since != null && changed != null && changed.isBefore(since)) continue;
            String stamp = doc.path(def.endpoint().idField()).asText() + "@" + (changed == null ? "" : changed.toEpochMilli());
            // the previous page ended in this second: its documents come again (unchanged ones are skipped)
            if (c.seen().contains(stamp)) continue;
            if (changed != null) stamps.add(new Object[] {changed, stamp});
            records.addAll(XeroRows.rows(def, tenant, doc, "xero " + tenant + " " + def.endpoint().path() + "/" + doc.path(def.endpoint().idField()).asText()));
            if (def.kind() != Kind.DOCUMENT) parents.add(List.of(tenant, doc.path(def.parentId()).asText()));
            Instant updated = def.endpoint().changeField() == null ? null : XeroRows.instant(doc.path(def.endpoint().changeField()).asText(null));
            if (updated != null) {
                last = updated;
                if (windowMax == null || updated.isAfter(windowMax)) windowMax = updated;
            }
        }
        XeroState.Cursor next;
        boolean tenantDone = !paged || n == 0 || lastPage(body, n, c.page());
        if (tenantDone) {
            Instant cursor = windowMax != null ? windowMax : (c.since() != null ? c.since() : null);
            if (cursor != null && windowSince != null && cursor.isBefore(windowSince)) cursor = windowSince;
            next = new XeroState.Cursor(cursor, 1, true, 0);
        } else {
            Instant second = last == null ? null : last.truncatedTo(ChronoUnit.SECONDS);
            if (second != null && (c.since() == null || second.isAfter(c.since()))) {
                List<String> seen = new ArrayList<>();
                for (Object[] st : stamps) if (!((Instant) st[0]).isBefore(second)) seen.add((String) st[1]);
                next = new XeroState.Cursor(second, 1, false, 0, seen);
            } else {
                next = new XeroState.Cursor(c.since(), c.page() + 1, false, 0, c.seen()); // one second holds more than a page
            }
        }
        state = state.with(tenant, next);
        if (tenantDone) {
            tenantIndex++;
            windowStarted = false;
        }
        List<Completion> completions = parents.isEmpty() || def.kind() == Kind.JOURNAL_LINES ? List.of()
                : List.of(new Completion.Scopes(List.of("tenant_id", def.parentId()), parents, client.clock().instant()));
        return new RecordBatch(schema, records, List.of(), Optional.of(XeroState.CODEC.toState(id, state)), completions);
    }

    private RecordBatch journalPage(String tenant, XeroState.Cursor c) {
        long offset = incremental ? c.offset() : 0;
        if (!incremental && windowStarted) offset = state.cursor(tenant).offset();
        windowStarted = true;
        JsonNode journals = client.get(tenant, "Journals?offset=" + offset, null).path("Journals");
        List<Record> records = new ArrayList<>();
        long lastNumber = offset;
        int n = 0;
        for (JsonNode j : journals) {
            n++;
            records.addAll(XeroRows.rows(def, tenant, j, "xero " + tenant + " Journals/" + j.path("JournalNumber").asText()));
            lastNumber = Math.max(lastNumber, j.path("JournalNumber").asLong());
        }
        state = state.with(tenant, new XeroState.Cursor(null, 1, true, lastNumber));
        if (n < JOURNAL_PAGE) {
            tenantIndex++;
            windowStarted = false;
        }
        return new RecordBatch(schema, records, List.of(), Optional.of(XeroState.CODEC.toState(id, state)));
    }

    private boolean reconcileDue() {
        XeroState.Reconcile r = state.reconcile();
        if (r.active()) return true;
        if (config.reconcileEvery() == null) return false;
        Instant now = client.clock().instant();
        if (r.lastCompletedAt() == null) {
            // the first sync read everything: count it as a pass, the next one is due a period later
            state = state.with(XeroState.Reconcile.idle(now));
            pendingCheckpoint = true;
            return false;
        }
        return !now.isBefore(r.lastCompletedAt().plus(config.reconcileEvery()));
    }

    /**
     * One page of ids of the reconciliation pass; the last page over the last tenant ends the pass. The pass pages by a
     * stable key, as the incremental path does: {@code order=UpdatedDateUTC ASC} and If-Modified-Since at the second the
     * previous full page ended in (its ids already listed are remembered), page numbers only within one second. A draft
     * purged while the pass runs (it can span runs) then shifts nothing after it; a document changed meanwhile moves
     * to the end and is listed there. Tenants are kept by id, taken in sorted order.
     */
    private RecordBatch reconcilePage() {
        XeroState.Reconcile r = state.reconcile();
        if (!r.active()) r = new XeroState.Reconcile(UUID.randomUUID().toString(), null, null, 1, List.of(), r.lastCompletedAt());
        String tenant = null;
        for (String t : tenants) {
            if (r.tenant() == null || t.compareTo(r.tenant()) >= 0) {
                tenant = t;
                break;
            }
        }
        if (tenant != null && !tenant.equals(r.tenant())) {
            // the first tenant, or the stored one is no longer configured: start the next one from its beginning
            r = new XeroState.Reconcile(r.passId(), tenant, null, 1, List.of(), r.lastCompletedAt());
        }
        List<List<Object>> keys = new ArrayList<>();
        boolean more;
        XeroState.Reconcile next = null;
        if (tenant == null) {
            more = false;
        } else {
            String path = def.endpoint().path() + "?page=" + r.page() + "&pageSize=" + config.pageSize() + "&order="
                    + URLEncoder.encode("UpdatedDateUTC ASC", StandardCharsets.UTF_8) + (def.endpoint().summaryOnly() ? "&summaryOnly=true" : "");
            JsonNode body = client.get(tenant, path, r.since());
            JsonNode docs = body.path(def.endpoint().key());
            Instant last = null;
            List<Object[]> stamps = new ArrayList<>();
            for (JsonNode d : docs) {
                String docId = d.path(def.endpoint().idField()).asText();
                if (!r.seen().contains(docId)) keys.add(List.of(tenant, docId));
                Instant changed = XeroRows.instant(d.path(def.endpoint().changeField()).asText(null));
                if (changed == null) {
                    throw new IllegalStateException("Xero listed " + def.endpoint().path() + "/" + docId + " of tenant " + tenant + " without "
                            + def.endpoint().changeField() + ": the reconciliation pass pages by it and cannot go on safely");
                }
                last = changed;
                stamps.add(new Object[] {changed, docId});
            }
            boolean tenantDone = docs.isEmpty() || lastPage(body, docs.size(), r.page());
            if (tenantDone) {
                int i = tenants.indexOf(tenant);
                String following = i + 1 < tenants.size() ? tenants.get(i + 1) : null;
                more = following != null;
                if (more) next = new XeroState.Reconcile(r.passId(), following, null, 1, List.of(), r.lastCompletedAt());
            } else {
                more = true;
                Instant second = last.truncatedTo(ChronoUnit.SECONDS);
                if (r.since() == null || second.isAfter(r.since())) {
                    List<String> seen = new ArrayList<>();
                    for (Object[] st : stamps) if (!((Instant) st[0]).isBefore(second)) seen.add((String) st[1]);
                    next = new XeroState.Reconcile(r.passId(), tenant, second, 1, seen, r.lastCompletedAt());
                } else {
                    // one second holds more than a page: page on by number within it
                    List<String> seen = new ArrayList<>(r.seen());
                    for (Object[] st : stamps) seen.add((String) st[1]);
                    next = new XeroState.Reconcile(r.passId(), tenant, r.since(), r.page() + 1, seen, r.lastCompletedAt());
                }
            }
        }
        Instant now = client.clock().instant();
        state = state.with(more ? next : XeroState.Reconcile.idle(now));
        Completion.KeysSeen seen = new Completion.KeysSeen(r.passId(), keys, !more, now);
        return new RecordBatch(schema, List.of(), List.of(), Optional.of(XeroState.CODEC.toState(id, state)), List.of(seen));
    }

    /**
     * Whether this page is the last of the list: from the response's {@code pagination} block when Xero sends one
     * (pageCount; a short page with more pages to come is not the end), else a page shorter than the page size.
     */
    private boolean lastPage(JsonNode body, int n, int page) {
        JsonNode p = body.path("pagination");
        if (p.has("pageCount") && p.get("pageCount").canConvertToInt()) return page >= p.get("pageCount").asInt();
        if (p.has("itemCount") && p.get("itemCount").canConvertToLong()) return (long) page * config.pageSize() >= p.get("itemCount").asLong();
        return n < config.pageSize();
    }

    @Override
    public void close() {
        finished = true;
    }
}
