package dev.tributary.sandbox.xero;

import dev.tributary.sandbox.xero.data.Endpoint;
import dev.tributary.sandbox.xero.http.XeroContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Changes books, time, tokens, limits and faults while a client runs; also over HTTP under /_sandbox/. */
public final class XeroControl {
    private final XeroContext ctx;

    public XeroControl(XeroContext ctx) {
        this.ctx = ctx;
    }

    private long now() { return ctx.clock().millis(); }

    /** New AUTHORISED (or DRAFT) invoices created now; returns their ids. */
    public List<String> addInvoices(String tenant, int n, boolean draft) { return ctx.books(tenant).addInvoices(n, draft, now()); }
    public void edit(String tenant, Endpoint e, String id) { ctx.books(tenant).edit(e, id, now()); }
    public void voidInvoice(String tenant, String id) { ctx.books(tenant).voidInvoice(id, now()); }
    /** Pays an AUTHORISED invoice in full; returns the new payment's id. */
    public String pay(String tenant, String invoiceId) { return ctx.books(tenant).pay(invoiceId, now()); }
    /** A draft becomes DELETED (still listed, a change). */
    public void deleteDraft(String tenant, String id) { ctx.books(tenant).deleteDraft(id, now()); }
    /** A draft vanishes: no longer listed nor readable, and no change says so. */
    public void purge(String tenant, Endpoint e, String id) { ctx.books(tenant).purge(e, id); }
    /** Edits the {@code n} least recently updated documents of a collection; returns their ids. */
    public List<String> mutate(String tenant, Endpoint e, int n) { return ctx.books(tenant).mutate(e, n, now()); }

    public void advanceClock(Duration d) { ctx.clock().advance(d); }
    public void setClock(Instant at) { ctx.clock().set(at); }
    public void freezeClock() { ctx.clock().freeze(); }
    public void unfreezeClock() { ctx.clock().unfreeze(); }

    public int expireAccessTokens() { return ctx.tokens().expireAccessTokens(); }
    /** The user disconnected the app: every refresh token refused from now on. */
    public int revokeAllGrants() { return ctx.tokens().revokeAll(); }

    public void setErrorRate(double rate) { ctx.faults().setErrorRate(rate); }
    public void setLatency(long millis) { ctx.faults().setLatencyMillis(millis); }
    public void storm429(int n) { ctx.faults().storm429(n); }
    public void dropConnections(int n) { ctx.faults().dropConnections(n); }
    /** The next {@code n} token grants succeed on the server (refresh tokens rotate) but their answers are lost. */
    public void loseTokenAnswers(int n) { ctx.faults().loseTokenAnswers(n); }
    /** Token grants are carried out at once and answered {@code millis} later. */
    public void setTokenLatency(long millis) { ctx.faults().setTokenLatencyMillis(millis); }
    /** Paged lists serve at most {@code n} documents a page, fewer than asked (0: as asked). */
    public void setMaxPageSize(int n) { ctx.faults().setMaxPageSize(n); }
    public void clearFaults() { ctx.faults().clear(); }
    public void setRateLimitsEnabled(boolean on) { ctx.limits().setEnabled(on); }
    public void resetRateLimits() { ctx.limits().reset(); }

    public Map<String, Long> counters() { return ctx.counters().snapshot(); }
    public void resetCounters() { ctx.counters().reset(); }
    public long count(String routePrefix, int status) { return ctx.counters().count(routePrefix, status); }
    public long rateLimited(String problem) { return ctx.counters().rateLimited(problem); }
    public long requests() { return ctx.counters().requests(); }
    /** Admitted Accounting API calls of a tenant per sandbox clock second (epoch second to count). */
    public java.util.SortedMap<Long, Long> callsPerSecond(String tenant) { return ctx.counters().callsPerSecond(tenant); }
}
