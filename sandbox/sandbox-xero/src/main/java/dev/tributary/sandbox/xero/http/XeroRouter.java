package dev.tributary.sandbox.xero.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tributary.sandbox.xero.data.Endpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one HTTP handler: identity (authorize, token, revocation), /connections, the Accounting API under
 * /api.xro/2.0 (bearer token, xero-tenant-id, faults, limits with Xero's headers) and the control API.
 */
public final class XeroRouter implements HttpHandler {
    private final XeroContext ctx;
    private final AccountingApi accounting;
    private final IdentityApi identity;
    private final ControlApi control;

    public XeroRouter(XeroContext ctx, ControlApi control) {
        this.ctx = ctx;
        this.accounting = new AccountingApi("Tributary Xero sandbox", ctx.faults());
        this.identity = new IdentityApi(ctx);
        this.control = control;
    }

    public void baseUrl(String url) { ctx.baseUrl(url); }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        XeroRequest r = new XeroRequest(method, path, ex.getRequestURI().getRawQuery(), ex.getRequestHeaders(), ex.getRequestBody().readAllBytes());
        List<String> s = r.segments();
        XeroResponse response;
        boolean drop = false;
        try {
            if (!s.isEmpty() && s.get(0).equals("_sandbox")) {
                response = control.handle(r);
            } else if (s.size() >= 3 && s.get(0).equals("identity") && s.get(1).equals("connect") && s.get(2).equals("authorize")) {
                response = s.size() == 4 && s.get(3).equals("consent") ? identity.consent(r) : identity.authorize(r);
            } else if (s.size() == 2 && s.get(0).equals("connect") && s.get(1).equals("token") && method.equals("POST")) {
                ctx.counters().record(method, "/connect/token (received)", 0, 0);
                response = identity.token(r);
                long tokenLatency = ctx.faults().tokenLatencyMillis();
                if (tokenLatency > 0) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(tokenLatency));
                if (response.status() == 200 && ctx.faults().takeLostTokenAnswer()) {
                    ctx.counters().record(method, "/connect/token (answer lost)", 200, 0);
                    // the grant happened; the client never hears of it: the JDK server closes the socket on an escaping exception
                    throw new IOException("sandbox fault: token answer lost");
                }
            } else if (s.size() == 2 && s.get(0).equals("connect") && s.get(1).equals("revocation") && method.equals("POST")) {
                response = identity.revocation(r);
            } else if (!s.isEmpty() && s.get(0).equals("connections")) {
                response = connections(r);
            } else if (s.size() >= 3 && s.get(0).equals("api.xro") && s.get(1).equals("2.0")) {
                response = api(r);
                drop = response.status() == 200 && ctx.faults().takeDrop();
            } else {
                response = XeroResponse.text(404, AccountingApi.NOT_FOUND, "text/plain; charset=utf-8");
            }
        } catch (AccountingApi.BadRequest e) {
            response = XeroResponse.validation(e.getMessage());
        } catch (RuntimeException e) {
            response = XeroResponse.json(500, Map.of("ErrorNumber", 500, "Type", "InternalServerError", "Message", "internal error: " + e));
        }
        write(ex, method, routeLabel(s), response, drop);
    }

    private XeroResponse connections(XeroRequest r) {
        Tokens.Caller caller;
        try {
            caller = ctx.tokens().authenticate(r.header("Authorization"));
        } catch (Tokens.AuthFailure f) {
            return XeroResponse.problem(401, f.getMessage()).header("WWW-Authenticate", f.wwwAuthenticate());
        }
        if (r.segments().size() == 1 && r.method().equals("GET")) {
            return XeroResponse.json(200, ctx.tokens().connections(caller, t -> ctx.books(t).name()));
        }
        if (r.segments().size() == 2 && r.method().equals("DELETE")) {
            return ctx.tokens().disconnect(caller, r.segment(1)) ? XeroResponse.empty(204)
                    : XeroResponse.text(404, AccountingApi.NOT_FOUND, "text/plain; charset=utf-8");
        }
        return XeroResponse.text(405, "Method not allowed", "text/plain; charset=utf-8");
    }

    private XeroResponse api(XeroRequest r) {
        Tokens.Caller caller;
        try {
            caller = ctx.tokens().authenticate(r.header("Authorization"));
        } catch (Tokens.AuthFailure f) {
            return XeroResponse.problem(401, f.getMessage()).header("WWW-Authenticate", f.wwwAuthenticate());
        }
        String tenant = r.header("xero-tenant-id");
        if ((tenant == null || tenant.isBlank()) && caller.custom()) tenant = caller.tenants().iterator().next();
        if (tenant == null || tenant.isBlank() || !caller.tenants().contains(tenant.trim().toLowerCase())) {
            return XeroResponse.problem(403, "AuthenticationUnsuccessful");
        }
        tenant = tenant.trim().toLowerCase();
        Limits.Decision d;
        if (ctx.faults().takeStorm()) {
            ctx.counters().countRateLimited("minute");
            return tooMany("minute", 1, Map.of());
        }
        d = ctx.limits().acquire(caller.app(), tenant);
        if (!d.allowed()) {
            ctx.counters().countRateLimited(d.problem());
            return tooMany(d.problem(), d.retryAfterSeconds(), d.headers());
        }
        ctx.counters().admitted(tenant, ctx.clock().millis() / 1_000);
        try {
            long latency = ctx.faults().latencyMillis();
            if (latency > 0) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(latency)); // slow answers hold their concurrency slot
            XeroResponse response;
            int fault = ctx.faults().serverError();
            if (fault > 0) {
                response = XeroResponse.json(fault, Map.of("Title", fault == 503 ? "Service Unavailable" : "An error occurred", "Status", fault,
                        "Detail", "The Xero API is temporarily unavailable (sandbox fault)"));
            } else {
                Endpoint e = Endpoint.ofPath(r.segment(2)).orElse(null);
                if (e == null || r.segments().size() > 4) {
                    response = XeroResponse.text(404, AccountingApi.NOT_FOUND, "text/plain; charset=utf-8");
                } else {
                    response = accounting.handle(ctx.books(tenant), e, r.segment(3), r, ctx.clock().millis());
                }
            }
            d.headers().forEach(response::header);
            return response;
        } finally {
            ctx.limits().release(caller.app(), tenant);
        }
    }

    private XeroResponse tooMany(String problem, long retryAfter, Map<String, String> headers) {
        XeroResponse r = XeroResponse.text(429, "oauth_problem=rate%20limit%20exceeded&oauth_problem_advice=please%20wait%20before%20retrying%20the%20xero%20api",
                "text/html; charset=utf-8");
        headers.forEach(r::header);
        r.header("Retry-After", Long.toString(retryAfter));
        r.header("X-Rate-Limit-Problem", problem);
        return r;
    }

    private void write(HttpExchange ex, String method, String route, XeroResponse response, boolean dropMidBody) throws IOException {
        Headers h = ex.getResponseHeaders();
        if (response.contentType() != null) h.set("Content-Type", response.contentType());
        response.headers().forEach(h::set);
        byte[] body = response.body();
        ctx.counters().record(method, route, response.status(), body.length);
        try {
            if (body.length == 0) {
                ex.sendResponseHeaders(response.status(), -1);
                ex.close();
                return;
            }
            ex.sendResponseHeaders(response.status(), body.length);
            OutputStream out = ex.getResponseBody();
            if (dropMidBody) {
                out.write(body, 0, body.length / 2);
                out.flush();
                throw new IOException("sandbox fault: connection dropped mid-body");
            }
            out.write(body);
            ex.close();
        } catch (IOException e) {
            if (!dropMidBody) ex.close();
            throw e;
        }
    }

    /** The route with ids replaced: GET /api.xro/2.0/Invoices/{id}. */
    static String routeLabel(List<String> s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.size(); i++) {
            String p = s.get(i);
            boolean id = (i == 3 && s.size() > 2 && s.get(0).equals("api.xro")) || (i == 1 && s.get(0).equals("connections"));
            b.append('/').append(id ? "{id}" : p);
        }
        return b.isEmpty() ? "/" : b.toString();
    }
}
