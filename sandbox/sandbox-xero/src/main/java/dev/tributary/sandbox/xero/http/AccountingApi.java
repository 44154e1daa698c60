package dev.tributary.sandbox.xero.http;

import dev.tributary.sandbox.xero.data.Books;
import dev.tributary.sandbox.xero.data.Doc;
import dev.tributary.sandbox.xero.data.Endpoint;
import dev.tributary.sandbox.xero.data.MsDate;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * GET /api.xro/2.0/{Collection}[/{id}]: Xero's envelope, paging ({@code page}, {@code pageSize} 1..1000, the
 * {@code pagination} block), Journals by {@code offset}, {@code If-Modified-Since} against UpdatedDateUTC (CreatedDateUTC
 * for Journals and BankTransfers), {@code where} and {@code order} in their common forms, {@code summaryOnly}, and the
 * IDs / Statuses / ContactIDs / InvoiceNumbers filters.
 */
final class AccountingApi {
    static final String NOT_FOUND = "The resource you're looking for cannot be found";
    private static final int JOURNAL_PAGE = 100;
    private static final Pattern COMPARISON = Pattern.compile("^\\s*([A-Za-z][A-Za-z0-9.]*)\\s*(==|!=|>=|<=|>|<)\\s*(.+?)\\s*$");
    private static final Pattern METHOD = Pattern.compile("^\\s*([A-Za-z][A-Za-z0-9.]*)\\.(Contains|StartsWith|EndsWith)\\(\"(.*)\"\\)\\s*$");
    private static final Pattern DATETIME = Pattern.compile("DateTime\\((\\d{4})\\s*,\\s*(\\d{1,2})\\s*,\\s*(\\d{1,2})(?:\\s*,\\s*(\\d{1,2})\\s*,\\s*(\\d{1,2})\\s*,\\s*(\\d{1,2}))?\\)");
    private static final Pattern GUID = Pattern.compile("(?i)guid\\(\"([0-9a-f-]{36})\"\\)");

    private final String providerName;
    private final Faults faults;

    AccountingApi(String providerName, Faults faults) {
        this.providerName = providerName;
        this.faults = faults;
    }

    XeroResponse handle(Books books, Endpoint e, String id, XeroRequest r, long now) {
        if (!r.method().equals("GET")) {
            return XeroResponse.text(405, "The sandbox serves reads through the Accounting API; change documents with its control API"
                    + " (/_sandbox/...)", "text/plain; charset=utf-8");
        }
        if (e == Endpoint.JOURNALS && id == null) return journals(books, r, now);
        if (id != null) return single(books, e, id, now);
        return list(books, e, r, now);
    }

    private XeroResponse single(Books books, Endpoint e, String id, long now) {
        if (e == Endpoint.JOURNALS) {
            for (Books.JournalEntry j : books.journalsAfter(0, Integer.MAX_VALUE)) {
                if (j.journalId().equalsIgnoreCase(id) || Integer.toString(j.number()).equals(id)) {
                    return envelope(e, List.of(books.renderJournal(j)), null, now);
                }
            }
            return XeroResponse.text(404, NOT_FOUND, "text/plain; charset=utf-8");
        }
        Doc d = books.find(e, id);
        if (d == null && e == Endpoint.INVOICES) {
            for (Doc x : books.docs(e)) if (id.equals(books.render(x, true).get("InvoiceNumber"))) d = x;
        }
        if (d == null) return XeroResponse.text(404, NOT_FOUND, "text/plain; charset=utf-8");
        return envelope(e, List.of(books.render(d, false)), null, now);
    }

    private XeroResponse list(Books books, Endpoint e, XeroRequest r, long now) {
        Long since = ifModifiedSince(r);
        if (since != null && e.changeField() == null) since = null;
        boolean summary = "true".equalsIgnoreCase(r.param("summaryOnly"));
        Integer page = null;
        int pageSize = 100;
        if (e.paging() == Endpoint.Paging.PAGED) {
            if (r.param("page") != null) page = intParam(r, "page", 1, Integer.MAX_VALUE);
            if (r.param("pageSize") != null) {
                pageSize = intParam(r, "pageSize", 1, 1000);
                if (page == null) page = 1;
            }
            // pages can come back shorter than asked although more follow; the pagination block tells the truth
            if (page != null && faults.maxPageSize() > 0) pageSize = Math.min(pageSize, faults.maxPageSize());
        }
        List<Doc> docs = new ArrayList<>();
        long sinceMillis = since == null ? Long.MIN_VALUE : since;
        Set<String> ids = lower(r.listParam("IDs"));
        for (Doc d : books.docs(e)) {
            if (d.changedMillis() < sinceMillis) continue;
            if (!ids.isEmpty() && !ids.contains(d.id().toLowerCase(Locale.ROOT))) continue;
            docs.add(d);
        }
        Predicate<Map<String, Object>> where = where(r);
        Set<String> statuses = upper(r.listParam("Statuses"));
        Set<String> contactIds = lower(r.listParam("ContactIDs"));
        Set<String> numbers = Set.copyOf(r.listParam("InvoiceNumbers"));
        String order = r.param("order");
        boolean needRender = where != null || !statuses.isEmpty() || !contactIds.isEmpty() || !numbers.isEmpty()
                || (order != null && !order.isBlank() && java.util.Arrays.stream(order.split(","))
                        .anyMatch(o -> !o.trim().toLowerCase(Locale.ROOT).startsWith("updateddateutc")));
        List<Map<String, Object>> rendered = null;
        if (needRender) {
            List<Doc> kept = new ArrayList<>();
            rendered = new ArrayList<>();
            for (Doc d : docs) {
                Map<String, Object> m = books.render(d, summary);
                if (where != null && !where.test(m)) continue;
                if (!statuses.isEmpty() && !statuses.contains(String.valueOf(m.get("Status")))) continue;
                if (!contactIds.isEmpty() && !(m.get("Contact") instanceof Map<?, ?> c
                        && contactIds.contains(String.valueOf(c.get("ContactID")).toLowerCase(Locale.ROOT)))) continue;
                if (!numbers.isEmpty() && !numbers.contains(String.valueOf(m.get("InvoiceNumber")))) continue;
                kept.add(d);
                rendered.add(m);
            }
            docs = kept;
        }
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) positions.add(i);
        if (order != null && !order.isBlank()) {
            positions.sort(comparator(order, docs, rendered));
        }
        int itemCount = positions.size();
        int from = 0;
        int to = itemCount;
        // without page, the whole (filtered) collection comes back, line items left out as Xero does for unpaged lists
        boolean leaveOutLines = e.paging() == Endpoint.Paging.PAGED && page == null;
        if (page != null) {
            long start = (long) (page - 1) * pageSize;
            from = (int) Math.min(itemCount, start);
            to = (int) Math.min(itemCount, start + pageSize);
        }
        List<Map<String, Object>> out = new ArrayList<>(to - from);
        for (int k = from; k < to; k++) {
            int p = positions.get(k);
            Map<String, Object> m = rendered != null && !leaveOutLines ? rendered.get(p) : books.render(docs.get(p), summary || leaveOutLines);
            out.add(m);
        }
        Map<String, Object> pagination = null;
        if (page != null) {
            pagination = new LinkedHashMap<>();
            pagination.put("page", page);
            pagination.put("pageSize", pageSize);
            pagination.put("pageCount", (itemCount + pageSize - 1) / pageSize);
            pagination.put("itemCount", itemCount);
        }
        return envelope(e, out, pagination, now);
    }

    private XeroResponse journals(Books books, XeroRequest r, long now) {
        int offset = r.param("offset") == null ? 0 : intParam(r, "offset", 0, Integer.MAX_VALUE);
        Long since = ifModifiedSince(r);
        boolean paymentsOnly = "true".equalsIgnoreCase(r.param("paymentsOnly"));
        List<Map<String, Object>> out = new ArrayList<>();
        int cursor = offset;
        while (out.size() < JOURNAL_PAGE) {
            List<Books.JournalEntry> batch = books.journalsAfter(cursor, 500);
            if (batch.isEmpty()) break;
            for (Books.JournalEntry j : batch) {
                cursor = j.number();
                if (since != null && j.createdMillis() < since) continue;
                if (paymentsOnly && !j.sourceType().endsWith("PAYMENT")) continue;
                out.add(books.renderJournal(j));
                if (out.size() == JOURNAL_PAGE) break;
            }
        }
        return envelope(Endpoint.JOURNALS, out, null, now);
    }

    private XeroResponse envelope(Endpoint e, List<Map<String, Object>> items, Map<String, Object> pagination, long now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Id", UUID.randomUUID().toString());
        body.put("Status", "OK");
        body.put("ProviderName", providerName);
        body.put("DateTimeUTC", MsDate.plain(now));
        if (pagination != null) body.put("pagination", pagination);
        body.put(e.key(), items);
        return XeroResponse.json(200, body);
    }

    /** If-Modified-Since as xero-node sends it (ISO-8601, milliseconds ignored) or as an HTTP date. */
    static Long ifModifiedSince(XeroRequest r) {
        String v = r.header("If-Modified-Since");
        if (v == null || v.isBlank()) return null;
        v = v.trim();
        try {
            if (Character.isDigit(v.charAt(0))) {
                Instant at;
                if (v.endsWith("Z") || v.matches(".*[+-]\\d{2}:?\\d{2}$")) at = ZonedDateTime.parse(v, DateTimeFormatter.ISO_DATE_TIME).toInstant();
                else at = LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
                return at.getEpochSecond() * 1000; // Xero ignores milliseconds
            }
            return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException | StringIndexOutOfBoundsException ex) {
            throw new BadRequest("If-Modified-Since '" + v + "' is not a date (send ISO-8601 such as 2024-01-02T03:04:05Z)");
        }
    }

    private static int intParam(XeroRequest r, String name, int min, int max) {
        String v = r.param(name);
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) throw new BadRequest(name + " must be between " + min + " and " + max + ", got " + n);
            return n;
        } catch (NumberFormatException ex) {
            throw new BadRequest(name + " must be a number, got '" + v + "'");
        }
    }

    /** A request Xero answers with a 400 validation error. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    // ---- where ------------------------------------------------------------------------------------------------

    static Predicate<Map<String, Object>> where(XeroRequest r) {
        String w = r.param("where");
        if (w == null || w.isBlank()) return null;
        List<Predicate<Map<String, Object>>> ors = new ArrayList<>();
        for (String orPart : splitOutsideQuotes(w, "OR", "||")) {
            Predicate<Map<String, Object>> all = m -> true;
            for (String term : splitOutsideQuotes(orPart, "AND", "&&")) all = all.and(term(stripParens(term)));
            ors.add(all);
        }
        return m -> ors.stream().anyMatch(p -> p.test(m));
    }

    private static String stripParens(String s) {
        String t = s.trim();
        while (t.startsWith("(") && t.endsWith(")") && !t.matches("(?i)^\\(?\\s*[A-Za-z.]+\\.(Contains|StartsWith|EndsWith)\\(.*")) {
            t = t.substring(1, t.length() - 1).trim();
        }
        return t;
    }

    private static List<String> splitOutsideQuotes(String s, String word, String symbol) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') quoted = !quoted;
            if (quoted) continue;
            if (s.startsWith(symbol, i)) {
                parts.add(s.substring(start, i));
                start = i + symbol.length();
                i = start - 1;
            } else if ((i == 0 || s.charAt(i - 1) == ' ') && s.regionMatches(true, i, word, 0, word.length())
                    && i + word.length() < s.length() && s.charAt(i + word.length()) == ' ') {
                parts.add(s.substring(start, i));
                start = i + word.length();
                i = start - 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static Predicate<Map<String, Object>> term(String term) {
        Matcher m = METHOD.matcher(term);
        if (m.matches()) {
            String path = m.group(1);
            String arg = m.group(3).toLowerCase(Locale.ROOT);
            String fn = m.group(2);
            return row -> {
                Object v = value(row, path);
                if (v == null) return false;
                String s = v.toString().toLowerCase(Locale.ROOT);
                return fn.equals("Contains") ? s.contains(arg) : fn.equals("StartsWith") ? s.startsWith(arg) : s.endsWith(arg);
            };
        }
        m = COMPARISON.matcher(term);
        if (!m.matches()) throw new BadRequest("The sandbox cannot parse the where term '" + term.trim()
                + "' (it supports Field==value, !=, <, <=, >, >=, .Contains/.StartsWith/.EndsWith(\"x\"), joined by AND/OR)");
        String path = m.group(1);
        String op = m.group(2);
        Object expected = literal(m.group(3));
        return row -> {
            int c = compare(value(row, path), expected);
            return switch (op) {
                case "==" -> c == 0;
                case "!=" -> c != 0;
                case ">" -> c > 0 && c != Integer.MIN_VALUE;
                case ">=" -> c >= 0 && c != Integer.MIN_VALUE;
                case "<" -> c < 0 && c != Integer.MIN_VALUE;
                default -> c <= 0 && c != Integer.MIN_VALUE;
            };
        };
    }

    private static Object literal(String raw) {
        String v = raw.trim();
        Matcher g = GUID.matcher(v);
        if (g.matches()) return g.group(1).toLowerCase(Locale.ROOT);
        Matcher d = DATETIME.matcher(v);
        if (d.matches()) {
            LocalDateTime t = LocalDateTime.of(Integer.parseInt(d.group(1)), Integer.parseInt(d.group(2)), Integer.parseInt(d.group(3)),
                    d.group(4) == null ? 0 : Integer.parseInt(d.group(4)), d.group(5) == null ? 0 : Integer.parseInt(d.group(5)),
                    d.group(6) == null ? 0 : Integer.parseInt(d.group(6)));
            return new Millis(t.toInstant(ZoneOffset.UTC).toEpochMilli());
        }
        if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) return v.substring(1, v.length() - 1);
        if (v.equalsIgnoreCase("null")) return null;
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) return Boolean.parseBoolean(v.toLowerCase(Locale.ROOT));
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException ex) {
            throw new BadRequest("The sandbox cannot read the where value '" + v + "' (strings are quoted, ids are guid(\"...\"), dates DateTime(y,m,d))");
        }
    }

    private record Millis(long value) {}

    private static Object value(Map<String, Object> row, String path) {
        Object cur = row;
        for (String part : path.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) return null;
            Object next = null;
            for (Map.Entry<?, ?> e : m.entrySet()) if (e.getKey().toString().equalsIgnoreCase(part)) next = e.getValue();
            cur = next;
        }
        return cur;
    }

    /** Compares a field with a literal: 0 equal, sign for order, MIN_VALUE when they cannot be ordered. */
    private static int compare(Object actual, Object expected) {
        if (expected == null) return actual == null || "".equals(actual) ? 0 : 1;
        if (actual == null) return Integer.MIN_VALUE;
        if (expected instanceof Millis ms) {
            Long a = MsDate.parse(actual.toString());
            return a == null ? Integer.MIN_VALUE : Long.compare(a, ms.value());
        }
        if (expected instanceof BigDecimal b) {
            try {
                return new BigDecimal(actual.toString()).compareTo(b);
            } catch (NumberFormatException ex) {
                return Integer.MIN_VALUE;
            }
        }
        if (expected instanceof Boolean b) return actual.toString().equalsIgnoreCase(b.toString()) ? 0 : 1;
        int c = actual.toString().compareToIgnoreCase(expected.toString());
        return Integer.signum(c);
    }

    private static Comparator<Integer> comparator(String order, List<Doc> docs, List<Map<String, Object>> rendered) {
        Comparator<Integer> all = null;
        for (String part : order.split(",")) {
            String[] words = part.trim().split("\\s+");
            String field = words[0];
            boolean desc = words.length > 1 && words[1].equalsIgnoreCase("DESC");
            Comparator<Integer> c;
            if (field.equalsIgnoreCase("UpdatedDateUTC")) {
                c = Comparator.comparingLong(i -> docs.get(i).updatedMillis());
            } else {
                c = (x, y) -> orderCompare(value(rendered.get(x), field), value(rendered.get(y), field));
            }
            if (desc) c = c.reversed();
            all = all == null ? c : all.thenComparing(c);
        }
        return all.thenComparingInt(i -> docs.get(i).index());
    }

    private static int orderCompare(Object a, Object b) {
        if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
        Long ma = MsDate.parse(a.toString());
        Long mb = MsDate.parse(b.toString());
        if (ma != null && mb != null) return Long.compare(ma, mb);
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) return x.compareTo(y);
        if (a instanceof Number x && b instanceof Number y) return Double.compare(x.doubleValue(), y.doubleValue());
        return a.toString().compareToIgnoreCase(b.toString());
    }

    private static Set<String> lower(List<String> values) {
        return values.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    private static Set<String> upper(List<String> values) {
        return values.stream().map(s -> s.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
