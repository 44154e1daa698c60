package dev.tributary.sandbox.sheets.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Google's partial-response {@code fields} parameter: {@code sheets.properties}, {@code sheets/properties(title,sheetId)},
 * {@code spreadsheetId,properties.title}, {@code *}. Applied to the full answer; arrays are masked element by element.
 */
final class FieldMask {
    /** A tree of selected names; an empty map below a name selects all of it. */
    private final Map<String, FieldMask> children = new LinkedHashMap<>();

    static FieldMask parse(String spec) {
        FieldMask root = new FieldMask();
        int end = root.parseList(spec, 0);
        if (end != spec.length()) throw GoogleError.badRequest("Invalid field selection " + spec);
        return root;
    }

    private int parseList(String s, int i) {
        while (i < s.length()) {
            int start = i;
            FieldMask node = this;
            StringBuilder name = new StringBuilder();
            while (i < s.length() && ",()".indexOf(s.charAt(i)) < 0) {
                char ch = s.charAt(i);
                if (ch == '.' || ch == '/') {
                    node = node.child(name.toString(), s);
                    name.setLength(0);
                } else if (!Character.isWhitespace(ch)) {
                    name.append(ch);
                }
                i++;
            }
            if (name.isEmpty() && i == start) throw GoogleError.badRequest("Invalid field selection " + s);
            FieldMask leaf = node.child(name.toString(), s);
            if (i < s.length() && s.charAt(i) == '(') {
                i = leaf.parseList(s, i + 1);
                if (i >= s.length() || s.charAt(i) != ')') throw GoogleError.badRequest("Invalid field selection " + s);
                i++;
            }
            if (i < s.length() && s.charAt(i) == ',') { i++; continue; }
            if (i < s.length() && s.charAt(i) == ')') return i;
        }
        return i;
    }

    private FieldMask child(String name, String spec) {
        if (name.isEmpty()) throw GoogleError.badRequest("Invalid field selection " + spec);
        return children.computeIfAbsent(name, n -> new FieldMask());
    }

    JsonNode apply(JsonNode node) {
        if (children.isEmpty() || children.containsKey("*")) return node;
        if (node instanceof ArrayNode array) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            array.forEach(e -> out.add(apply(e)));
            return out;
        }
        if (!(node instanceof ObjectNode obj)) return node;
        for (String name : children.keySet()) {
            if (!obj.has(name) && !knownElsewhere(name)) throw GoogleError.badRequest("Request contains an invalid argument.");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            FieldMask sub = children.get(e.getKey());
            if (sub != null) out.set(e.getKey(), sub.apply(e.getValue()));
        }
        return out;
    }

    /** Names valid in Google's schema that our answers may leave out (so masking for them is not an error). */
    private static boolean knownElsewhere(String name) {
        return java.util.Set.of("namedRanges", "developerMetadata", "dataSources", "dataSourceSchedules", "data", "merges",
                "conditionalFormats", "filterViews", "protectedRanges", "basicFilter", "charts", "bandedRanges", "kind", "id", "name",
                "mimeType", "modifiedTime", "version", "hidden", "tabColor", "rightToLeft", "frozenRowCount", "frozenColumnCount",
                "autoRecalc", "defaultFormat", "spreadsheetTheme", "iterativeCalculationSettings", "spreadsheetUrl", "locale", "timeZone",
                "title", "sheetId", "index", "sheetType", "gridProperties", "rowCount", "columnCount", "properties", "sheets", "spreadsheetId",
                "startRow", "startColumn", "rowData", "values", "rowMetadata", "columnMetadata", "effectiveValue", "userEnteredValue",
                "formattedValue", "effectiveFormat", "userEnteredFormat", "numberFormat", "type", "pattern", "note", "hyperlink").contains(name);
    }
}
