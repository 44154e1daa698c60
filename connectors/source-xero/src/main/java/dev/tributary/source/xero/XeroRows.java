package dev.tributary.source.xero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.source.xero.XeroCatalog.Column;
import dev.tributary.source.xero.XeroCatalog.Kind;
import dev.tributary.source.xero.XeroCatalog.StreamDef;
import dev.tributary.spi.JsonText;
import dev.tributary.spi.Record;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Xero documents into typed rows of a stream: Microsoft JSON dates to dates and instants, money to exact
 * BigDecimal (the parser reads every number as BigDecimal), nested objects to JSON, children to one row each.
 */
final class XeroRows {
    private static final Pattern MS_DATE = Pattern.compile("/Date\\((-?\\d+)([+-]\\d{4})?\\)/");

    private XeroRows() {}

    /** The rows a stream makes of one document. */
    static List<Record> rows(StreamDef s, String tenant, JsonNode doc, String origin) {
        List<Record> out = new ArrayList<>();
        String parentId = doc.path(s.parentId()).asText(null);
        switch (s.kind()) {
            case DOCUMENT -> out.add(new Record(documentRow(s, tenant, doc), origin));
            case LINE_ITEMS -> {
                int n = 0;
                for (JsonNode line : doc.path("LineItems")) {
                    ObjectNode l = line.deepCopy();
                    l.put(s.parentId(), parentId);
                    l.put("LineNumber", ++n);
                    if (!l.hasNonNull("LineItemID")) l.put("LineItemID", parentId + ":" + n);
                    out.add(new Record(row(s, tenant, l), origin + " line " + n));
                }
            }
            case LINE_TRACKING -> {
                int n = 0;
                for (JsonNode line : doc.path("LineItems")) {
                    n++;
                    String lineId = line.hasNonNull("LineItemID") ? line.get("LineItemID").asText() : parentId + ":" + n;
                    for (JsonNode t : line.path("Tracking")) {
                        ObjectNode x = t.deepCopy();
                        x.put(s.parentId(), parentId);
                        x.put("LineItemID", lineId);
                        out.add(new Record(row(s, tenant, x), origin + " line " + n));
                    }
                }
            }
            case ALLOCATIONS -> {
                int n = 0;
                for (JsonNode a : doc.path("Allocations")) {
                    ObjectNode x = a.deepCopy();
                    x.put(s.parentId(), parentId);
                    n++;
                    if (!x.hasNonNull("AllocationID")) x.put("AllocationID", parentId + ":" + n);
                    out.add(new Record(row(s, tenant, x), origin + " allocation " + n));
                }
            }
            case JOURNAL_LINES -> {
                for (JsonNode l : doc.path("JournalLines")) {
                    ObjectNode x = l.deepCopy();
                    x.put("JournalID", parentId);
                    x.set("JournalNumber", doc.path("JournalNumber"));
                    out.add(new Record(row(s, tenant, x), origin));
                }
            }
            case MANUAL_JOURNAL_LINES -> {
                int n = 0;
                for (JsonNode l : doc.path("JournalLines")) {
                    ObjectNode x = l.deepCopy();
                    x.put("ManualJournalID", parentId);
                    x.put("LineNumber", ++n);
                    out.add(new Record(row(s, tenant, x), origin + " line " + n));
                }
            }
            case TRACKING_OPTIONS -> {
                for (JsonNode o : doc.path("Options")) {
                    ObjectNode x = o.deepCopy();
                    x.put("TrackingCategoryID", parentId);
                    out.add(new Record(row(s, tenant, x), origin));
                }
            }
        }
        return out;
    }

    private static Object[] documentRow(StreamDef s, String tenant, JsonNode doc) {
        Object[] values = row(s, tenant, doc);
        // whatever Xero sends that the schema does not name is kept, not dropped
        Set<String> consumed = new HashSet<>();
        for (Column c : s.columns()) if (c.path() != null) consumed.add(c.path().split("\\.")[0]);
        consumed.add("LineItems");
        consumed.add("Allocations");
        consumed.add("JournalLines");
        consumed.add("Options");
        ObjectNode other = XeroTokens.JSON.createObjectNode();
        doc.fields().forEachRemaining(e -> {
            String k = e.getKey();
            if (consumed.contains(k) || k.endsWith("DateString") || e.getValue().isNull()) return;
            if (e.getValue().isContainerNode() && e.getValue().isEmpty()) return;
            if (k.equals("ValidationErrors") || k.equals("Warnings")) { if (e.getValue().isEmpty()) return; }
            other.set(k, e.getValue());
        });
        values[values.length - 1] = other.isEmpty() ? null : new JsonText(other.toString());
        return values;
    }

    private static Object[] row(StreamDef s, String tenant, JsonNode doc) {
        List<Column> cols = s.columns();
        Object[] values = new Object[cols.size()];
        values[0] = tenant;
        for (int i = 1; i < cols.size(); i++) {
            Column c = cols.get(i);
            if (c.path() == null) continue;
            JsonNode v = doc;
            for (String part : c.path().split("\\.")) v = v.path(part);
            values[i] = value(c, v, s.name());
        }
        return values;
    }

    static Object value(Column c, JsonNode v, String stream) {
        if (v == null || v.isMissingNode() || v.isNull()) return null;
        try {
            return switch (c.type()) {
                case TEXT -> v.isContainerNode() ? v.toString() : v.asText();
                case DECIMAL -> v.isNumber() ? v.decimalValue() : v.asText().isBlank() ? null : new BigDecimal(v.asText().trim());
                case INTEGER -> v.isIntegralNumber() ? v.asLong() : Long.parseLong(v.asText().trim());
                case NUMBER -> v.asDouble();
                case BOOLEAN -> v.isBoolean() ? v.asBoolean() : Boolean.parseBoolean(v.asText());
                case DATE -> {
                    Instant at = instant(v.asText());
                    yield at == null ? null : LocalDate.ofInstant(at, ZoneOffset.UTC);
                }
                case TIMESTAMP_TZ, TIMESTAMP -> instant(v.asText());
                case JSON -> new JsonText(v.toString());
            };
        } catch (RuntimeException e) {
            throw new IllegalStateException("Xero stream " + stream + ", field " + c.path() + ": cannot read '" + v.asText() + "' as "
                    + c.type().configName(), e);
        }
    }

    /** A Microsoft JSON date ({@code /Date(1541116800000+0000)/}) or an ISO date-time (taken as UTC when it has no zone). */
    static Instant instant(String s) {
        if (s == null || s.isBlank()) return null;
        Matcher m = MS_DATE.matcher(s.trim());
        if (m.matches()) return Instant.ofEpochMilli(Long.parseLong(m.group(1)));
        String t = s.trim();
        if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) return java.time.OffsetDateTime.parse(t).toInstant();
        if (t.length() == 10) return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    }

    static boolean isChild(Kind k) {
        return k != Kind.DOCUMENT;
    }
}
