package dev.tributary.sandbox.hubspot.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.sandbox.hubspot.data.ObjectTable;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import dev.tributary.sandbox.hubspot.data.Portal;
import dev.tributary.sandbox.hubspot.data.PropertyDefinition;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * POST /crm/v3/objects/{type}/search: filter groups (OR of ANDs) with every operator, one sort, at most 200 per
 * page and 10,000 results per query, archived and merged records excluded, and the index lag: a record changed
 * less than the lag ago is still seen in its previous state.
 */
final class SearchApi {
    static final int MAX_LIMIT = 200;
    static final int MAX_RESULTS = 10_000;
    static final Set<String> OPERATORS = Set.of("EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
            "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN");

    private final SandboxContext ctx;

    SearchApi(SandboxContext ctx) { this.ctx = ctx; }

    record Filter(String property, String operator, String value, String highValue, List<String> values, PropertyDefinition definition,
                  Long idValue, Long idHighValue) {
        Filter(String property, String operator, String value, String highValue, List<String> values, PropertyDefinition definition) {
            this(property, operator, value, highValue, values, definition, integral(value), integral(highValue));
        }

        /** The value as a whole number when it is one (for record ids), else null. */
        private static Long integral(String v) {
            if (v == null) return null;
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    SandboxResponse search(Portal portal, SandboxRequest r) {
        ObjectType type = ObjectsApi.type(portal, r.segment(3));
        ObjectTable t = portal.table(type);
        JsonNode body = r.body().length == 0 ? SandboxRequest.JSON.createObjectNode() : r.json();
        SandboxOptions o = ctx.options();
        List<List<Filter>> groups = new ArrayList<>();
        int total = 0;
        JsonNode fg = body.path("filterGroups");
        if (fg.size() > o.maxFilterGroups()) {
            throw ApiException.validation("Too many filter groups: " + fg.size() + ". The maximum is " + o.maxFilterGroups() + ".");
        }
        for (JsonNode g : fg) {
            JsonNode fs = g.path("filters");
            if (fs.size() > o.maxFiltersPerGroup()) {
                throw ApiException.validation("Too many filters in a filter group: " + fs.size() + ". The maximum is " + o.maxFiltersPerGroup() + ".");
            }
            total += fs.size();
            List<Filter> group = new ArrayList<>();
            for (JsonNode f : fs) group.add(filter(portal, type, f));
            groups.add(group);
        }
        if (total > o.maxFiltersTotal()) {
            throw ApiException.validation("Too many filters: " + total + ". The maximum across all filter groups is " + o.maxFiltersTotal() + ".");
        }
        JsonNode sorts = body.path("sorts");
        if (sorts.size() > 1) throw ApiException.validation("Only one sort is allowed, got " + sorts.size() + ".");
        String sortProperty = "hs_object_id";
        boolean descending = false;
        if (sorts.size() == 1) {
            JsonNode s = sorts.get(0);
            if (s.isTextual()) {
                String v = s.asText();
                descending = v.startsWith("-");
                sortProperty = descending ? v.substring(1) : v;
            } else {
                sortProperty = s.path("propertyName").asText("hs_object_id");
                descending = s.path("direction").asText("ASCENDING").equalsIgnoreCase("DESCENDING");
            }
        }
        int limit = body.path("limit").asInt(10);
        if (limit > MAX_LIMIT) throw ApiException.validation("Invalid input: 'limit' must be at most " + MAX_LIMIT + ", got " + limit + ".");
        if (limit < 1) limit = 10;
        long after;
        try {
            after = body.path("after").isMissingNode() || body.path("after").isNull() || body.path("after").asText().isBlank()
                    ? 0 : Long.parseLong(body.path("after").asText().trim());
        } catch (NumberFormatException e) {
            throw ApiException.validation("Invalid input: 'after' must be a number.");
        }
        if (after >= MAX_RESULTS) {
            throw ApiException.validation("Cannot page beyond " + MAX_RESULTS + " results: 'after' was " + after
                    + ". Narrow the query (for example by a modified-date range) instead.");
        }
        String query = body.path("query").asText(null);

        long now = ctx.clock().millis();
        boolean lag = t.hasPendingChanges();
        int n = t.size();
        int[] matches = new int[Math.min(n, 1 << 16)];
        int count = 0;
        for (int i = 0; i < n; i++) {
            ObjectTable.PendingChange p = lag ? t.pendingFor(i, now) : null;
            boolean live = p != null ? p.previouslyLive() : t.isLive(i);
            if (!live) continue;
            if (!groups.isEmpty() && !anyGroup(t, i, p, groups)) continue;
            if (query != null && !query.isBlank() && !matchesQuery(t, i, p, type, query)) continue;
            if (count == matches.length) matches = Arrays.copyOf(matches, matches.length * 2);
            matches[count++] = i;
        }
        int[] sorted = sort(portal, t, type, Arrays.copyOf(matches, count), sortProperty, descending, now, lag);
        int from = (int) Math.min(after, count);
        int to = (int) Math.min(Math.min(from + (long) limit, count), MAX_RESULTS);
        RecordJson.Selection sel = RecordJson.selection(portal, type, ObjectsApi.strings(body.get("properties")), List.of(), List.of());
        final int totalCount = count;
        final int end = to;
        String base = ctx.baseUrl();
        return SandboxResponse.json(200, JsonWriter.write(g -> {
            g.writeStartObject();
            g.writeNumberField("total", totalCount);
            g.writeArrayFieldStart("results");
            for (int k = from; k < end; k++) {
                int i = sorted[k];
                RecordJson.write(g, portal, t, i, sel, lag ? t.pendingFor(i, now) : null, base);
            }
            g.writeEndArray();
            if (end < totalCount) {
                g.writeObjectFieldStart("paging");
                g.writeObjectFieldStart("next");
                g.writeStringField("after", Integer.toString(end));
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
        }));
    }

    private Filter filter(Portal portal, ObjectType type, JsonNode f) {
        String property = f.path("propertyName").asText(null);
        String op = f.path("operator").asText("EQ").toUpperCase(Locale.ROOT);
        if (property == null || property.isBlank()) throw ApiException.validation("Invalid filter: propertyName is required.");
        if (!OPERATORS.contains(op)) throw ApiException.validation("Invalid filter operator: " + op + ".");
        List<String> values = new ArrayList<>();
        for (JsonNode v : f.path("values")) values.add(v.asText());
        String value = f.has("value") && !f.get("value").isNull() ? f.get("value").asText() : null;
        String high = f.has("highValue") && !f.get("highValue").isNull() ? f.get("highValue").asText() : null;
        if ((op.equals("IN") || op.equals("NOT_IN")) && values.isEmpty()) throw ApiException.validation("Operator " + op + " requires 'values'.");
        if (op.equals("BETWEEN") && (value == null || high == null)) throw ApiException.validation("Operator BETWEEN requires 'value' and 'highValue'.");
        boolean needsValue = !op.equals("HAS_PROPERTY") && !op.equals("NOT_HAS_PROPERTY") && !op.equals("IN") && !op.equals("NOT_IN");
        if (needsValue && value == null) throw ApiException.validation("Operator " + op + " requires a 'value'.");
        return new Filter(property, op, value, high, values, portal.catalog().property(type, property));
    }

    private static boolean anyGroup(ObjectTable t, int i, ObjectTable.PendingChange p, List<List<Filter>> groups) {
        for (List<Filter> g : groups) {
            boolean all = true;
            for (Filter f : g) {
                if (!matches(t, i, p, f)) { all = false; break; }
            }
            if (all) return true;
        }
        return false;
    }

    private static boolean matchesQuery(ObjectTable t, int i, ObjectTable.PendingChange p, ObjectType type, String q) {
        String needle = q.toLowerCase(Locale.ROOT);
        for (String prop : List.of("email", "firstname", "lastname", "name", "domain", "dealname", "subject", "plan_name")) {
            String v = t.searchValue(i, prop, p);
            if (v != null && v.toLowerCase(Locale.ROOT).contains(needle)) return true;
        }
        return false;
    }

    /** Epoch millis of a datetime or date value written as millis, ISO instant or YYYY-MM-DD. */
    static Long millis(String v) {
        if (v == null || v.isBlank()) return null;
        String s = v.trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException ignored) {
            // not millis
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (RuntimeException ignored) {
            // not an instant
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int compare(PropertyDefinition d, String recordValue, String filterValue) {
        if (d != null && (d.isDatetime() || d.isDate())) {
            Long a = millis(recordValue);
            Long b = millis(filterValue);
            if (a == null || b == null) throw new IllegalStateException("incomparable");
            return Long.compare(a, b);
        }
        if (d != null && d.isNumber()) {
            try {
                return new BigDecimal(recordValue.trim()).compareTo(new BigDecimal(filterValue.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("incomparable");
            }
        }
        return recordValue.compareToIgnoreCase(filterValue);
    }

    private static String value(ObjectTable t, int i, ObjectTable.PendingChange p, String property) {
        if (property.equals("id")) property = "hs_object_id";
        return t.searchValue(i, property, p);
    }

    static boolean matches(ObjectTable t, int i, ObjectTable.PendingChange p, Filter f) {
        String property = f.property();
        PropertyDefinition d = f.definition();
        // fast path for the cursor columns, which every incremental reader filters on
        if (property.equals(t.type().modifiedProperty()) || property.equals(t.type().createdProperty())
                || property.equals("hs_lastmodifieddate")) {
            boolean created = property.equals(t.type().createdProperty());
            long v = created ? t.createdAt(i) : t.searchUpdatedAt(i, p);
            return compareMillis(f, v);
        }
        // record ids (read-only, so always the record's own id) compared as numbers, without formatting and parsing
        // them for every record: every page of an incremental or full read filters on hs_object_id > last id, and
        // search scans the whole table for each page, so this made a 1M-record sync take hours
        if ((property.equals("hs_object_id") || property.equals("id")) && f.idValue() != null) {
            long id = t.id(i);
            long x = f.idValue();
            switch (f.operator()) {
                case "EQ": return id == x;
                case "NEQ": return id != x;
                case "LT": return id < x;
                case "LTE": return id <= x;
                case "GT": return id > x;
                case "GTE": return id >= x;
                case "BETWEEN": if (f.idHighValue() != null) return id >= x && id <= f.idHighValue(); break;
                default: break;
            }
        }
        String v = value(t, i, p, property);
        boolean has = v != null && !v.isEmpty();
        try {
            return switch (f.operator()) {
                case "HAS_PROPERTY" -> has;
                case "NOT_HAS_PROPERTY" -> !has;
                case "EQ" -> has && equalsValue(d, v, f.value());
                case "NEQ" -> !has || !equalsValue(d, v, f.value());
                case "LT" -> has && compare(d, v, f.value()) < 0;
                case "LTE" -> has && compare(d, v, f.value()) <= 0;
                case "GT" -> has && compare(d, v, f.value()) > 0;
                case "GTE" -> has && compare(d, v, f.value()) >= 0;
                case "BETWEEN" -> has && compare(d, v, f.value()) >= 0 && compare(d, v, f.highValue()) <= 0;
                case "IN" -> has && f.values().stream().anyMatch(x -> equalsValue(d, v, x));
                case "NOT_IN" -> !has || f.values().stream().noneMatch(x -> equalsValue(d, v, x));
                case "CONTAINS_TOKEN" -> has && containsToken(v, f.value());
                case "NOT_CONTAINS_TOKEN" -> !has || !containsToken(v, f.value());
                default -> false;
            };
        } catch (IllegalStateException incomparable) {
            return false;
        }
    }

    private static boolean compareMillis(Filter f, long v) {
        return switch (f.operator()) {
            case "HAS_PROPERTY" -> true;
            case "NOT_HAS_PROPERTY" -> false;
            case "EQ" -> eqMillis(f.value(), v);
            case "NEQ" -> !eqMillis(f.value(), v);
            case "LT" -> v < need(f.value());
            case "LTE" -> v <= need(f.value());
            case "GT" -> v > need(f.value());
            case "GTE" -> v >= need(f.value());
            case "BETWEEN" -> v >= need(f.value()) && v <= need(f.highValue());
            case "IN" -> f.values().stream().anyMatch(x -> eqMillis(x, v));
            case "NOT_IN" -> f.values().stream().noneMatch(x -> eqMillis(x, v));
            default -> false;
        };
    }

    private static boolean eqMillis(String filterValue, long v) {
        Long m = millis(filterValue);
        return m != null && m == v;
    }

    private static long need(String filterValue) {
        Long m = millis(filterValue);
        if (m == null) throw ApiException.validation("Invalid filter value for a date property: '" + filterValue + "'");
        return m;
    }

    private static boolean equalsValue(PropertyDefinition d, String recordValue, String filterValue) {
        if (filterValue == null) return false;
        if (d != null && d.type().equals("enumeration") && recordValue.contains(";")) {
            for (String part : recordValue.split(";")) if (part.equalsIgnoreCase(filterValue)) return true;
            return false;
        }
        if (d != null && (d.isNumber() || d.isDatetime() || d.isDate())) {
            try {
                return compare(d, recordValue, filterValue) == 0;
            } catch (IllegalStateException e) {
                return recordValue.equals(filterValue);
            }
        }
        return recordValue.equalsIgnoreCase(filterValue);
    }

    private static final Pattern TOKEN_SPLIT = Pattern.compile("[\\s;,@]+");

    /** Token match: whole value or any word (split on blanks, ';', ',' and '@'); '*' is a wildcard. */
    static boolean containsToken(String recordValue, String token) {
        String v = recordValue.toLowerCase(Locale.ROOT);
        String t = token.toLowerCase(Locale.ROOT).trim();
        if (t.contains("*")) {
            Pattern glob = Pattern.compile(Arrays.stream(t.split("\\*", -1)).map(Pattern::quote).reduce((a, b) -> a + ".*" + b).orElse(""));
            if (glob.matcher(v).matches()) return true;
            for (String w : TOKEN_SPLIT.split(v)) if (glob.matcher(w).matches()) return true;
            return false;
        }
        if (v.equals(t)) return true;
        for (String w : TOKEN_SPLIT.split(v)) if (w.equals(t)) return true;
        return false;
    }

    private static int[] sort(Portal portal, ObjectTable t, ObjectType type, int[] idx, String property, boolean desc,
                              long now, boolean lag) {
        if (property.equals("hs_object_id") || property.equals("id")) {
            if (desc) reverse(idx);
            return idx;
        }
        boolean modified = property.equals(type.modifiedProperty()) || property.equals("hs_lastmodifieddate");
        boolean created = property.equals(type.createdProperty());
        if ((modified || created) && t.size() <= (1 << 22)) { // pack (millis, index) into one long and sort primitives
            long[] keys = new long[idx.length];
            for (int k = 0; k < idx.length; k++) {
                int i = idx[k];
                long m = created ? t.createdAt(i) : t.searchUpdatedAt(i, lag ? t.pendingFor(i, now) : null);
                keys[k] = (m << 22) | i;
            }
            Arrays.sort(keys);
            int[] out = new int[idx.length];
            for (int k = 0; k < keys.length; k++) out[k] = (int) (keys[k] & ((1 << 22) - 1));
            if (desc) reverseStable(out, t, created, now, lag);
            return out;
        }
        PropertyDefinition d = portal.catalog().property(type, property);
        Integer[] boxed = Arrays.stream(idx).boxed().toArray(Integer[]::new);
        Comparator<Integer> byValue = (a, b) -> {
            String va = t.searchValue(a, property, lag ? t.pendingFor(a, now) : null);
            String vb = t.searchValue(b, property, lag ? t.pendingFor(b, now) : null);
            if (va == null || vb == null) return va == null ? (vb == null ? 0 : 1) : -1; // empty values last
            try {
                return compare(d, va, vb);
            } catch (IllegalStateException e) {
                return va.compareTo(vb);
            }
        };
        Comparator<Integer> c = desc ? byValue.reversed() : byValue;
        Arrays.sort(boxed, c.thenComparing(Comparator.naturalOrder()));
        return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }

    /** Descending by time, ties still by ascending id. */
    private static void reverseStable(int[] out, ObjectTable t, boolean created, long now, boolean lag) {
        reverse(out);
        int s = 0;
        while (s < out.length) {
            int e = s + 1;
            long key = created ? t.createdAt(out[s]) : t.searchUpdatedAt(out[s], lag ? t.pendingFor(out[s], now) : null);
            while (e < out.length && (created ? t.createdAt(out[e]) : t.searchUpdatedAt(out[e], lag ? t.pendingFor(out[e], now) : null)) == key) e++;
            Arrays.sort(out, s, e);
            s = e;
        }
    }

    private static void reverse(int[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            int x = a[i];
            a[i] = a[j];
            a[j] = x;
        }
    }
}
