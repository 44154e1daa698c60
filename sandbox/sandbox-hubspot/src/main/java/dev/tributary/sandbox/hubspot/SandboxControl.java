package dev.tributary.sandbox.hubspot;

import dev.tributary.sandbox.hubspot.data.ObjectTable;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import dev.tributary.sandbox.hubspot.data.Portal;
import dev.tributary.sandbox.hubspot.data.PropertyCatalog;
import dev.tributary.sandbox.hubspot.data.PropertyDefinition;
import dev.tributary.sandbox.hubspot.http.RequestCounters;
import dev.tributary.sandbox.hubspot.http.SandboxContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Drives change and trouble between syncs: mutate, archive and merge records, move the clock, expire tokens,
 * inject faults, read counters. The HTTP control API under /_sandbox calls exactly these methods.
 */
public final class SandboxControl {
    private final SandboxContext ctx;
    private final Random random;

    public SandboxControl(SandboxContext ctx) {
        this.ctx = ctx;
        this.random = new Random(ctx.options().seed() ^ 0x5EEDL);
    }

    /**
     * Changes {@code count} random live records now: a history-tracked property gets a new value, and the
     * modified time (lastmodifieddate / hs_lastmodifieddate) becomes the sandbox clock's now. With a frozen clock
     * all of them share one modified time. Returns the ids changed.
     */
    public List<String> mutate(long hubId, ObjectType type, int count) {
        ObjectTable t = ctx.portal(hubId).table(type);
        PropertyCatalog catalog = ctx.portal(hubId).catalog();
        List<String> tracked = catalog.historyTracked(type);
        List<String> ids = new ArrayList<>();
        long now = ctx.clock().millis();
        for (int i : pickLive(t, count)) {
            Map<String, String> change = new LinkedHashMap<>();
            if (tracked.isEmpty()) {
                String p = type == ObjectType.PRODUCTS ? "price" : "quantity";
                change.put(p, Integer.toString(1 + random(1000)));
            } else {
                String p = tracked.get(random(tracked.size()));
                change.put(p, newValue(catalog.property(type, p), t.value(i, p)));
            }
            t.update(i, change, now, ctx.searchLagMillis(), "CRM_UI");
            ids.add(Long.toString(t.id(i)));
        }
        return ids;
    }

    private String newValue(PropertyDefinition d, String current) {
        if (d.isNumber()) return Long.toString(100L * (1 + random(50_000)));
        if (!d.options().isEmpty()) {
            for (int attempt = 0; attempt < 10; attempt++) {
                String v = d.options().get(random(d.options().size())).value();
                if (!v.equals(current)) return v;
            }
            return d.options().get(0).value();
        }
        return "changed-" + random(1_000_000);
    }

    /** Archives {@code count} random live records (their modified time does not change). Returns their ids. */
    public List<String> archive(long hubId, ObjectType type, int count) {
        ObjectTable t = ctx.portal(hubId).table(type);
        List<String> ids = new ArrayList<>();
        for (int i : pickLive(t, count)) {
            if (t.archive(i, ctx.clock().millis(), ctx.searchLagMillis())) ids.add(Long.toString(t.id(i)));
        }
        return ids;
    }

    /** Archives one record by id. */
    public boolean archive(long hubId, ObjectType type, String id) {
        ObjectTable t = ctx.portal(hubId).table(type);
        int i = t.indexOf(id);
        return i >= 0 && t.archive(t.survivorOf(i), ctx.clock().millis(), ctx.searchLagMillis());
    }

    /**
     * Deletes one record for good (as a GDPR delete does, or as the archive forgets a record after its retention):
     * it leaves lists, search, reads, associations and the archived listing at once. Returns false when the id is
     * unknown, merged away or already deleted.
     */
    public boolean hardDelete(long hubId, ObjectType type, String id) {
        ObjectTable t = ctx.portal(hubId).table(type);
        int i = t.indexOf(id);
        return i >= 0 && t.purge(i, ctx.clock().millis());
    }

    /** Merges {@code mergedId} into {@code primaryId}; the primary lists the old id in hs_merged_object_ids. */
    public void merge(long hubId, ObjectType type, String primaryId, String mergedId) {
        ObjectTable t = ctx.portal(hubId).table(type);
        int p = t.indexOf(primaryId);
        int m = t.indexOf(mergedId);
        if (p < 0 || m < 0 || p == m || !t.isLive(p) || !t.isLive(m)) {
            throw new IllegalArgumentException("both ids must be live and different: " + primaryId + ", " + mergedId);
        }
        t.merge(p, m, ctx.clock().millis(), ctx.searchLagMillis());
    }

    private List<Integer> pickLive(ObjectTable t, int count) {
        List<Integer> out = new ArrayList<>();
        int n = t.size();
        if (n == 0) return out;
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        int attempts = 0;
        while (out.size() < count && attempts++ < count * 20 + 100) {
            int i = random(n);
            if (t.isLive(i) && seen.add(i)) out.add(i);
        }
        return out;
    }

    private int random(int bound) {
        synchronized (random) {
            return random.nextInt(bound);
        }
    }

    public Instant now() { return ctx.clock().now(); }
    public void advanceClock(Duration by) { ctx.clock().advance(by); }
    public void freezeClock() { ctx.clock().freeze(); }
    public void unfreezeClock() { ctx.clock().unfreeze(); }
    public void setClock(Instant at) { ctx.clock().set(at); }

    /** Makes every issued OAuth access token expired; returns how many were live. */
    public int expireAccessTokens() { return ctx.tokens().expireAccessTokens(); }

    /** Makes refresh grants rotate the refresh token (the old one stops working), as some OAuth servers do. */
    public void rotateRefreshTokens(boolean on) { ctx.tokens().rotateRefreshTokens(on); }

    /** Invalidates every refresh token (as an uninstall would). */
    public int revokeRefreshTokens() { return ctx.tokens().revokeRefreshTokens(); }

    public void setErrorRate(double rate) { ctx.faults().setErrorRate(rate); }
    public void setLatency(Duration latency) { ctx.faults().setLatencyMillis(latency.toMillis()); }
    /** The next {@code requests} CRM calls are answered 429 TEN_SECONDLY_ROLLING, every other one with Retry-After. */
    public void storm429(int requests) { ctx.faults().storm429(requests); }
    /** A 429 storm of one account: its next {@code requests} CRM calls answer 429 (others are not affected). */
    public void storm429(long hubId, int requests) { ctx.faults().storm429(hubId, requests); }
    /** The 429s one account got from its own storm. */
    public int stormed429(long hubId) { return ctx.faults().stormed429(hubId); }
    /** The next {@code requests} successful CRM answers send headers and half the body, then drop the connection. */
    public void dropConnections(int requests) { ctx.faults().dropConnections(requests); }
    public void clearFaults() { ctx.faults().clear(); }

    public void setRateLimitsEnabled(boolean enabled) { ctx.rateLimiter().setEnabled(enabled); }
    public void resetRateLimits() { ctx.rateLimiter().reset(); }
    public void setSearchLag(Duration lag) { ctx.searchLagMillis(lag.toMillis()); }

    public RequestCounters counters() { return ctx.counters(); }

    /** A summary of every portal: hub id, counts per type, archived, merged. */
    public Map<String, Object> info() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("now", ctx.clock().now().toString());
        out.put("clockFrozen", ctx.clock().isFrozen());
        List<Object> portals = new ArrayList<>();
        out.put("portalCount", ctx.hubIds().size());
        for (long hub : ctx.hubIds()) {
            if (!ctx.generated(hub)) continue; // listed once used: a thousand portals are not generated to be counted
            Portal p = ctx.portal(hub);
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("hubId", hub);
            pm.put("domain", p.domain());
            pm.put("customObjectTypeId", ObjectType.SUBSCRIPTIONS.typeId(hub));
            pm.put("customObjectName", ObjectType.SUBSCRIPTIONS.fullyQualifiedName(hub));
            Map<String, Object> counts = new LinkedHashMap<>();
            for (ObjectType t : ObjectType.values()) {
                ObjectTable table = p.table(t);
                counts.put(t.pathName(), Map.of("records", table.size(), "archived", table.archivedCount(), "merged", table.mergedCount(),
                        "hardDeleted", table.purgedCount()));
            }
            pm.put("objects", counts);
            portals.add(pm);
        }
        out.put("portals", portals);
        return out;
    }
}
