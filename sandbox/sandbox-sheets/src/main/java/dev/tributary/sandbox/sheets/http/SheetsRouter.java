package dev.tributary.sandbox.sheets.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tributary.sandbox.sheets.SheetsClock;
import dev.tributary.sandbox.sheets.data.A1Range;
import dev.tributary.sandbox.sheets.data.Cell;
import dev.tributary.sandbox.sheets.data.Spreadsheet;
import dev.tributary.sandbox.sheets.data.Tab;
import dev.tributary.sandbox.sheets.data.Workbooks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one HTTP handler: the token endpoint, the control API, and the Sheets v4 / Drive v3 reads behind auth,
 * faults and quotas, answered in Google's shapes.
 */
public final class SheetsRouter implements HttpHandler {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();
    static final DateTimeFormatter RFC3339_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Workbooks books;
    private final GoogleAuth auth;
    private final Quotas quotas;
    private final Faults faults;
    private final Counters counters;
    private final SheetsClock clock;
    private final ControlApi control;
    private volatile String baseUrl;

    public SheetsRouter(Workbooks books, GoogleAuth auth, Quotas quotas, Faults faults, Counters counters, SheetsClock clock, ControlApi control) {
        this.books = books;
        this.auth = auth;
        this.quotas = quotas;
        this.faults = faults;
        this.counters = counters;
        this.clock = clock;
        this.control = control;
    }

    public void baseUrl(String url) {
        this.baseUrl = url;
        auth.baseUrl(url);
    }

    record Answer(int status, String contentType, byte[] body) {
        static Answer json(int status, String body) { return new Answer(status, "application/json; charset=UTF-8", body.getBytes(StandardCharsets.UTF_8)); }
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String rawPath = ex.getRequestURI().getRawPath();
        Map<String, List<String>> query = query(ex.getRequestURI().getRawQuery());
        byte[] body = ex.getRequestBody().readAllBytes();
        String route = routeLabel(rawPath);
        Answer answer;
        boolean drop = false;
        if (rawPath.startsWith("/_sandbox/")) {
            answer = control.handle(method, rawPath.substring("/_sandbox/".length()), body, ex.getRequestHeaders().getFirst(ControlApi.KEY_HEADER));
        } else {
            if (faults.outage()) {
                counters.record(method, route, 0, 0);
                ex.close(); // no status line at all: the client sees the connection end
                return;
            }
            long latency = faults.latencyMillis();
            if (latency > 0) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(latency));
            try {
                if (rawPath.equals("/token") && method.equals("POST")) {
                    GoogleAuth.Answer a = auth.token(form(new String(body, StandardCharsets.UTF_8)));
                    answer = Answer.json(a.status(), a.body());
                } else {
                    answer = api(method, rawPath, query, ex);
                    drop = answer.status() < 300 && faults.takeDrop();
                }
            } catch (GoogleError e) {
                answer = Answer.json(e.code(), errorBody(e, rawPath.startsWith("/drive/")));
            } catch (RuntimeException e) {
                answer = Answer.json(500, errorBody(new GoogleError(500, "INTERNAL", "Internal error encountered."), false));
            }
        }
        write(ex, method, route, answer, drop);
    }

    private Answer api(String method, String rawPath, Map<String, List<String>> q, HttpExchange ex) {
        if (!method.equals("GET")) throw new GoogleError(404, "NOT_FOUND", "Method not found.");
        List<String> s = segments(rawPath);
        boolean sheets = s.size() >= 3 && s.get(0).equals("v4") && s.get(1).equals("spreadsheets");
        boolean drive = s.size() == 4 && s.get(0).equals("drive") && s.get(1).equals("v3") && s.get(2).equals("files");
        if (!sheets && !drive) throw new GoogleError(404, "NOT_FOUND", "The requested URL " + rawPath + " was not found on this server.");
        String key = first(q, "key");
        if (key == null) key = ex.getRequestHeaders().getFirst("X-Goog-Api-Key");
        GoogleAuth.Principal who = auth.authenticate(ex.getRequestHeaders().getFirst("Authorization"), key);
        if (!who.may(drive ? "drive" : "spreadsheets") && !who.may("drive")) {
            throw new GoogleError(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.", "ACCESS_TOKEN_SCOPE_INSUFFICIENT");
        }
        if (sheets) {
            if (faults.takeStorm()) throw quotaExceeded("Read requests per minute per user");
            Quotas.Refusal refused = quotas.take(who.email());
            if (refused != null) throw quotaExceeded(refused.limitName());
        }
        int fault = faults.serverError();
        if (fault == 500) throw new GoogleError(500, "INTERNAL", "Internal error encountered.");
        if (fault == 503) throw new GoogleError(503, "UNAVAILABLE", "The service is currently unavailable.");
        String id = s.get(drive ? 3 : 2);
        Spreadsheet sheet = visible(id, who, drive);
        if (drive) return driveFile(sheet, first(q, "fields"));
        if (s.size() == 3) return spreadsheet(sheet, q);
        if (s.size() == 4 && s.get(3).equals("values:batchGet")) return batchGet(sheet, q);
        if (s.size() == 5 && s.get(3).equals("values")) return valuesGet(sheet, s.get(4), q);
        throw new GoogleError(404, "NOT_FOUND", "The requested URL " + rawPath + " was not found on this server.");
    }

    private Spreadsheet visible(String id, GoogleAuth.Principal who, boolean drive) {
        Spreadsheet sheet = books.get(id).orElseThrow(() -> drive ? driveNotFound(id) : GoogleError.notFound());
        boolean allowed = who.apiKey() ? sheet.anyoneWithLink() : sheet.sharedWith(who.email());
        if (!allowed) {
            if (drive) throw driveNotFound(id); // Drive hides files you cannot see
            throw GoogleError.denied();
        }
        return sheet;
    }

    private static GoogleError driveNotFound(String id) {
        return new GoogleError(404, null, "File not found: " + id + ".", "notFound");
    }

    private static GoogleError quotaExceeded(String limit) {
        return new GoogleError(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Read requests' and limit '" + limit
                + "' of service 'sheets.googleapis.com' for consumer 'project_number:104000000042'.", "rateLimitExceeded");
    }

    private Answer spreadsheet(Spreadsheet sheet, Map<String, List<String>> q) {
        ObjectNode root = JSON.createObjectNode();
        root.put("spreadsheetId", sheet.id());
        ObjectNode props = root.putObject("properties");
        props.put("title", sheet.title());
        props.put("locale", "en_US");
        props.put("autoRecalc", "ON_CHANGE");
        props.put("timeZone", "Europe/Berlin");
        ArrayNode tabs = root.putArray("sheets");
        // ranges=: grid data (each cell's effective value and format) for those ranges, on the tabs they are in
        List<Resolved> wanted = new ArrayList<>();
        for (String range : q.getOrDefault("ranges", List.of())) wanted.add(resolve(sheet, range));
        for (Tab t : sheet.tabs().stream().sorted(java.util.Comparator.comparingInt(Tab::index)).toList()) {
            ObjectNode tabNode = tabs.addObject();
            ObjectNode p = tabNode.putObject("properties");
            List<Resolved> here = wanted.stream().filter(r -> r.tab() == t).toList();
            if (!here.isEmpty()) {
                ArrayNode data = tabNode.putArray("data");
                for (Resolved r : here) gridData(data.addObject(), t, r.range());
            }
            p.put("sheetId", t.sheetId());
            p.put("title", t.title());
            p.put("index", t.index());
            p.put("sheetType", "GRID");
            ObjectNode grid = p.putObject("gridProperties");
            grid.put("rowCount", t.gridRows());
            grid.put("columnCount", t.gridColumns());
        }
        root.put("spreadsheetUrl", baseUrl + "/spreadsheets/d/" + sheet.id() + "/edit");
        String fields = first(q, "fields");
        JsonNode out = fields == null ? root : FieldMask.parse(fields).apply(root);
        return Answer.json(200, out.toString());
    }

    /** GridData as Google gives it: startRow/startColumn (0-based, left out when 0), rowData[].values[] per cell. */
    private static void gridData(ObjectNode d, Tab tab, A1Range range) {
        int r0 = range.startRow() == null ? 0 : range.startRow();
        int c0 = range.startColumn() == null ? 0 : range.startColumn();
        int r1 = Math.min(range.endRow() == null ? tab.gridRows() - 1 : range.endRow(), tab.rowExtent() - 1);
        int c1 = range.endColumn() == null ? tab.gridColumns() - 1 : Math.min(range.endColumn(), tab.gridColumns() - 1);
        if (r0 > 0) d.put("startRow", r0);
        if (c0 > 0) d.put("startColumn", c0);
        ArrayNode rows = d.putArray("rowData");
        for (int r = r0; r <= r1; r++) {
            ObjectNode row = rows.addObject();
            Cell[] cells = tab.row(r);
            if (cells == null) continue;
            int last = Math.min(c1, cells.length - 1);
            while (last >= c0 && Cell.isEmpty(cells[last])) last--;
            if (last < c0) continue;
            ArrayNode values = row.putArray("values");
            for (int c = c0; c <= last; c++) {
                ObjectNode v = values.addObject();
                Cell cell = cells[c];
                if (Cell.isEmpty(cell)) continue;
                ObjectNode effective = v.putObject("effectiveValue");
                if (cell.value() instanceof Double n) effective.put("numberValue", n);
                else if (cell.value() instanceof Boolean b) effective.put("boolValue", b);
                else effective.put("stringValue", cell.value().toString());
                ObjectNode fmt = v.putObject("effectiveFormat");
                switch (cell.format()) {
                    case DATE -> fmt.putObject("numberFormat").put("type", "DATE").put("pattern", "yyyy-mm-dd");
                    case DATE_TIME -> fmt.putObject("numberFormat").put("type", "DATE_TIME").put("pattern", "yyyy-mm-dd hh:mm:ss");
                    case CURRENCY -> fmt.putObject("numberFormat").put("type", "CURRENCY").put("pattern", "\"$\"#,##0.00");
                    case GENERAL -> { } // Google leaves numberFormat out for the automatic format
                }
                fmt.put("verticalAlignment", "BOTTOM");
            }
        }
    }

    private Answer valuesGet(Spreadsheet sheet, String rawRange, Map<String, List<String>> q) {
        String range = decodePath(rawRange);
        ValuesRenderer renderer = renderer(q);
        Resolved r = resolve(sheet, range);
        return Answer.json(200, generate(g -> renderer.write(g, r.tab(), r.range())));
    }

    private Answer batchGet(Spreadsheet sheet, Map<String, List<String>> q) {
        List<String> ranges = q.getOrDefault("ranges", List.of());
        ValuesRenderer renderer = renderer(q);
        List<Resolved> resolved = new ArrayList<>();
        for (String range : ranges) resolved.add(resolve(sheet, range));
        return Answer.json(200, generate(g -> {
            g.writeStartObject();
            g.writeStringField("spreadsheetId", sheet.id());
            if (!resolved.isEmpty()) {
                g.writeArrayFieldStart("valueRanges");
                for (Resolved r : resolved) renderer.write(g, r.tab(), r.range());
                g.writeEndArray();
            }
            g.writeEndObject();
        }));
    }

    private static ValuesRenderer renderer(Map<String, List<String>> q) {
        return new ValuesRenderer(first(q, "valueRenderOption"), first(q, "dateTimeRenderOption"), first(q, "majorDimension"));
    }

    private record Resolved(Tab tab, A1Range range) { }

    private static Resolved resolve(Spreadsheet sheet, String text) {
        A1Range range;
        try {
            range = A1Range.parse(text, name -> sheet.tab(name).isPresent());
        } catch (IllegalArgumentException e) {
            throw GoogleError.badRequest(e.getMessage());
        }
        Tab tab = range.sheet() == null ? sheet.firstTab() : sheet.tab(range.sheet()).orElseThrow(() -> GoogleError.badRequest("Unable to parse range: " + text));
        return new Resolved(tab, range);
    }

    private Answer driveFile(Spreadsheet sheet, String fields) {
        ObjectNode f = JSON.createObjectNode();
        f.put("kind", "drive#file");
        f.put("id", sheet.id());
        f.put("name", sheet.title());
        f.put("mimeType", "application/vnd.google-apps.spreadsheet");
        f.put("modifiedTime", RFC3339_MILLIS.format(sheet.modifiedTime()));
        f.put("version", Long.toString(sheet.version()));
        f.put("trashed", false);
        if (fields == null) {
            ObjectNode d = JSON.createObjectNode();
            for (String k : List.of("kind", "id", "name", "mimeType")) d.set(k, f.get(k));
            return Answer.json(200, d.toString());
        }
        ObjectNode out = JSON.createObjectNode();
        for (String name : fields.split(",")) {
            String n = name.trim();
            if (n.equals("*")) return Answer.json(200, f.toString());
            if (!f.has(n)) {
                throw new GoogleError(400, null, "Invalid field selection " + n, "invalidParameter");
            }
            out.set(n, f.get(n));
        }
        return Answer.json(200, out.toString());
    }

    interface JsonWriting { void write(JsonGenerator g) throws IOException; }

    private static String generate(JsonWriting w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Sheets' shape ({@code code, message, status}); Drive's carries {@code errors[{domain, reason, message}]}. */
    static String errorBody(GoogleError e, boolean drive) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode err = root.putObject("error");
        err.put("code", e.code());
        err.put("message", e.getMessage());
        if (drive || e.code() == 429) {
            ObjectNode one = err.putArray("errors").addObject();
            one.put("message", e.getMessage());
            one.put("domain", e.code() == 429 ? "global" : "global");
            one.put("reason", e.reason() != null ? e.reason() : e.code() == 401 ? "authError" : e.code() == 403 ? "forbidden" : "backendError");
        }
        if (e.status() != null) err.put("status", e.status());
        if (e.reason() != null && !drive && e.code() != 429) {
            ObjectNode info = err.putArray("details").addObject();
            info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
            info.put("reason", e.reason());
            info.put("domain", "googleapis.com");
        }
        return root.toString();
    }

    private void write(HttpExchange ex, String method, String route, Answer a, boolean dropMidBody) throws IOException {
        if (a.contentType() != null) ex.getResponseHeaders().set("Content-Type", a.contentType());
        if (a.status() == 401) ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\"");
        counters.record(method, route, a.status(), a.body().length);
        try {
            ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
            OutputStream out = ex.getResponseBody();
            if (dropMidBody) {
                out.write(a.body(), 0, a.body().length / 2);
                out.flush();
                throw new IOException("sandbox fault: connection dropped mid-body");
            }
            out.write(a.body());
            ex.close();
        } catch (IOException e) {
            if (!dropMidBody) ex.close();
            throw e;
        }
    }

    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String p : rawPath.split("/")) if (!p.isEmpty()) out.add(p);
        return out;
    }

    /** Percent-decoding for a path segment: '+' stays '+'. */
    static String decodePath(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        query(body).forEach((k, v) -> out.put(k, v.get(0)));
        return out;
    }

    private static String first(Map<String, List<String>> q, String name) {
        List<String> v = q.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The route with ids and ranges replaced, for counters: GET /v4/spreadsheets/{id}/values/{range}. */
    static String routeLabel(String path) {
        List<String> s = segments(path);
        if (s.size() >= 3 && s.get(0).equals("v4")) s.set(2, "{id}");
        if (s.size() >= 5 && s.get(3).equals("values")) s.set(4, "{range}");
        if (s.size() == 4 && s.get(0).equals("drive")) s.set(3, "{id}");
        return "/" + String.join("/", s);
    }
}
