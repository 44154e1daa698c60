package dev.tributary.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The OpenAPI 3.0 description of the JSON API, written by hand next to the routes it describes. */
final class OpenApiDocument {
    private record Operation(String method, String path, String summary, List<String> query, Map<String, String> responses) {}

    private static final Map<String, String> OK = Map.of("200", "OK", "401", "Not authenticated");
    private static final Map<String, String> FOUND = Map.of("200", "OK", "401", "Not authenticated", "404", "Not found");

    private static final List<Operation> OPERATIONS = List.of(
            new Operation("get", "/api/v1/pipelines", "List pipelines with schedule, next run and recent runs", List.of(), OK),
            new Operation("get", "/api/v1/pipelines/{name}", "One pipeline", List.of(), FOUND),
            new Operation("post", "/api/v1/pipelines/{name}/trigger",
                    "Start a run now; optional JSON body {\"steps\": [step names], \"vars\": {name: value}} runs some steps with dbt vars", List.of(),
                    Map.of("201", "The new run", "400", "Bad body or unknown step (named)", "401", "Not authenticated", "403", "Missing CSRF token (session auth), or a viewer's session",
                            "404", "Unknown pipeline", "409", "Already running")),
            new Operation("post", "/api/v1/pipelines/{name}/pause", "Pause the pipeline's schedule (kept in the metadata store)", List.of(),
                    Map.of("200", "The pipeline, with changed", "401", "Not authenticated", "403", "Missing CSRF token (session auth)", "404", "Unknown pipeline")),
            new Operation("post", "/api/v1/pipelines/{name}/resume", "Resume a paused pipeline's schedule", List.of(),
                    Map.of("200", "The pipeline, with changed", "401", "Not authenticated", "403", "Missing CSRF token (session auth)", "404", "Unknown pipeline")),
            new Operation("post", "/api/v1/pipelines/{name}/backfill",
                    "Queue one run per scheduled time in a range, one at a time; JSON body {\"from\": date or time, \"to\": date or time} (UTC days, both included)",
                    List.of(), Map.of("201", "The backfill", "400", "Bad range, no cron schedule, or more than 1000 times", "401", "Not authenticated",
                            "403", "Missing CSRF token (session auth)", "404", "Unknown pipeline")),
            new Operation("get", "/api/v1/pipelines/{name}/backfills", "The pipeline's backfills with their progress, newest first", List.of(), FOUND),
            new Operation("get", "/api/v1/runs", "List runs, newest first; from/to are dates (UTC, to inclusive), q matches pipeline, trigger or error",
                    List.of("pipeline", "status", "from", "to", "q", "limit", "offset"), Map.of("200", "OK", "400", "Bad filter", "401", "Not authenticated")),
            new Operation("get", "/api/v1/runs/{id}", "One run", List.of(), FOUND),
            new Operation("get", "/api/v1/runs/{id}/steps", "The steps of a run", List.of(), FOUND),
            new Operation("get", "/api/v1/runs/{id}/items", "What happened inside the run's steps: streams (records, rejected, resumed) and models, tests, checks", List.of(), FOUND),
            new Operation("get", "/api/v1/runs/{id}/log", "Log lines of a run after a sequence number", List.of("after", "limit"), FOUND),
            new Operation("post", "/api/v1/runs/{id}/cancel", "Cancel a live run", List.of(),
                    Map.of("202", "Cancelling", "401", "Not authenticated", "403", "Missing CSRF token (session auth)", "404", "Unknown run", "409", "Run is not live")),
            new Operation("post", "/api/v1/runs/{id}/rerun", "Re-run a failed run from its failed steps", List.of(),
                    Map.of("201", "The new run", "401", "Not authenticated", "403", "Missing CSRF token (session auth)", "404", "Unknown run", "409", "Run did not fail, or pipeline running")),
            new Operation("get", "/api/v1/connections", "Connections with their tables, row counts, last sync and columns", List.of(), OK),
            new Operation("get", "/api/v1/models", "Sources, seeds, snapshots and models with dependencies and last results", List.of(), OK),
            new Operation("get", "/api/v1/checks", "Latest result of every data-quality check", List.of(), OK),
            new Operation("get", "/api/v1/checks/{name}/history", "Results of one check, newest first", List.of("limit"), OK),
            new Operation("get", "/api/v1/audit", "The audit log, newest first (admin): who did what, to what, when, from where",
                    List.of("actor", "action", "q", "from", "until", "limit", "offset"),
                    Map.of("200", "OK", "400", "Bad filter", "401", "Not authenticated", "403", "Needs the admin role")),
            new Operation("get", "/api/v1/users", "The accounts and their roles (admin); never a password", List.of(),
                    Map.of("200", "OK", "401", "Not authenticated", "403", "Needs the admin role")));

    private static final Map<String, String> ACTION = Map.of("200", "The tenant", "401", "Not authenticated", "403",
            "Missing CSRF token (session auth)", "404", "Unknown tenant", "409", "Not possible in its status", "502", "HubSpot refused or was unreachable");
    /** Served when the project has an app: section. */
    private static final List<Operation> TENANT_OPERATIONS = List.of(
            new Operation("get", "/api/v1/tenants", "Installed accounts of the app with status, last sync, rows, errors and API use", List.of(), OK),
            new Operation("get", "/api/v1/tenants/{hub}", "One tenant", List.of(), FOUND),
            new Operation("get", "/api/v1/tenants/{hub}/tables", "The tenant's own tables (its schema of each multi-tenant connection)", List.of(), FOUND),
            new Operation("post", "/api/v1/tenants/{hub}/pause", "Stop syncing a tenant", List.of(), ACTION),
            new Operation("post", "/api/v1/tenants/{hub}/resume", "Sync a paused tenant again", List.of(), ACTION),
            new Operation("post", "/api/v1/tenants/{hub}/uninstall", "Uninstall the app from the account through HubSpot's API and close the tenant", List.of(), ACTION),
            new Operation("delete", "/api/v1/tenants/{hub}", "Remove a tenant with its data (tables, sync state, tokens), uninstalling the app first", List.of(), ACTION));

    private OpenApiDocument() {}

    static Map<String, Object> build() {
        return build(false);
    }

    static Map<String, Object> build(boolean tenants) {
        List<Operation> operations = new java.util.ArrayList<>(OPERATIONS);
        if (tenants) operations.addAll(TENANT_OPERATIONS);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("openapi", "3.0.3");
        root.put("info", Map.of("title", "Tributary API", "version", "1"));
        Map<String, Object> paths = new LinkedHashMap<>();
        for (Operation op : operations) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(op.path(), p -> new LinkedHashMap<String, Object>());
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("summary", op.summary());
            o.put("operationId", op.method() + op.path().replaceAll("[^A-Za-z0-9]+", "_"));
            List<Map<String, Object>> parameters = new java.util.ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(\\w+)}").matcher(op.path());
            while (m.find()) {
                parameters.add(Map.of("name", m.group(1), "in", "path", "required", true,
                        "schema", Map.of("type", m.group(1).equals("id") || m.group(1).equals("hub") ? "integer" : "string")));
            }
            for (String q : op.query()) {
                boolean numeric = q.equals("limit") || q.equals("offset") || q.equals("after");
                parameters.add(Map.of("name", q, "in", "query", "required", false, "schema", Map.of("type", numeric ? "integer" : "string")));
            }
            if (!parameters.isEmpty()) o.put("parameters", parameters);
            Map<String, Object> responses = new java.util.TreeMap<>();
            op.responses().forEach((code, description) -> responses.put(code, Map.of("description", description,
                    "content", Map.of("application/json", Map.of("schema", Map.of("type", "object"))))));
            o.put("responses", responses);
            item.put(op.method(), o);
        }
        root.put("paths", paths);
        root.put("components", Map.of("securitySchemes", Map.of(
                "bearer", Map.of("type", "http", "scheme", "bearer", "description", "TRIBUTARY_API_TOKEN"),
                "session", Map.of("type", "apiKey", "in", "cookie", "name", TributaryServer.SESSION_COOKIE,
                        "description", "A logged-in session; POSTs also need the X-CSRF-Token header"))));
        root.put("security", List.of(Map.of("bearer", List.of()), Map.of("session", List.of())));
        return root;
    }
}
