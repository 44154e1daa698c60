package dev.tributary.sandbox.hubspot.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sandbox.hubspot.data.ObjectTable;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import dev.tributary.sandbox.hubspot.data.Portal;
import dev.tributary.sandbox.hubspot.data.PropertyDefinition;
import dev.tributary.sandbox.hubspot.data.SyntheticValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** /crm/v3/objects/{type}: list, get, batch read, create, update, archive, batch writes, merge. */
final class ObjectsApi {
    static final int LIST_MAX = 100;
    static final int LIST_MAX_WITH_HISTORY = 50;
    static final int BATCH_MAX = 100;
    private static final Set<String> READ_ONLY = Set.of("hs_object_id", "createdate", "lastmodifieddate",
            "hs_lastmodifieddate", "hs_createdate", "hs_merged_object_ids");

    private final SandboxContext ctx;

    ObjectsApi(SandboxContext ctx) { this.ctx = ctx; }

    static ObjectType type(Portal portal, String segment) {
        return portal.resolveType(segment).orElseThrow(() -> new ApiException(400, "VALIDATION_ERROR",
                "Unable to infer object type from: " + segment));
    }

    static String encodeAfter(long value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(value).getBytes(StandardCharsets.UTF_8));
    }

    static long decodeAfter(String after) {
        try {
            return Long.parseLong(new String(Base64.getUrlDecoder().decode(after.trim()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            try {
                return Long.parseLong(after.trim()); // HubSpot also accepts a plain id as after
            } catch (NumberFormatException e2) {
                throw ApiException.validation("Invalid input: '" + after + "' is not a valid value for 'after'.");
            }
        }
    }

    SandboxResponse list(Portal portal, SandboxRequest r) {
        ObjectType type = type(portal, r.segment(3));
        ObjectTable t = portal.table(type);
        RecordJson.Selection s = RecordJson.selection(portal, type, r.listParam("properties"),
                r.listParam("propertiesWithHistory"), r.listParam("associations"));
        int max = s.withHistory().isEmpty() ? LIST_MAX : LIST_MAX_WITH_HISTORY;
        int limit = Math.max(1, Math.min(max, r.intParam("limit", 10)));
        boolean archived = r.boolParam("archived");
        int start = 0;
        if (r.param("after") != null && !r.param("after").isBlank()) {
            long afterId = decodeAfter(r.param("after"));
            int idx = t.indexOf(afterId);
            start = idx >= 0 ? idx : (afterId >= t.id(0) ? t.size() : 0);
        }
        int n = t.size();
        int[] page = new int[limit];
        int count = 0;
        int i = start;
        for (; i < n && count < limit; i++) if (matchesList(t, i, archived)) page[count++] = i;
        int next = -1;
        for (; i < n; i++) if (matchesList(t, i, archived)) { next = i; break; }
        final int found = count;
        final int nextIndex = next;
        String base = ctx.baseUrl();
        return SandboxResponse.json(200, JsonWriter.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("results");
            for (int k = 0; k < found; k++) RecordJson.write(g, portal, t, page[k], s, null, base);
            g.writeEndArray();
            if (nextIndex >= 0) {
                String after = encodeAfter(t.id(nextIndex));
                g.writeObjectFieldStart("paging");
                g.writeObjectFieldStart("next");
                g.writeStringField("after", after);
                g.writeStringField("link", base + "/crm/v3/objects/" + r.segment(3) + "?after=" + after);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
        }));
    }

    private static boolean matchesList(ObjectTable t, int i, boolean archived) {
        if (t.isMergedAway(i) || t.isPurged(i)) return false;
        return t.isArchived(i) == archived;
    }

    /** Finds a record by id or by a unique property; follows merges; honours archived. Returns -1 if absent. */
    static int find(ObjectTable t, String idOrValue, String idProperty, boolean archived) {
        int i;
        if (idProperty == null || idProperty.isBlank() || idProperty.equals("hs_object_id")) {
            i = t.indexOf(idOrValue);
        } else {
            i = -1;
            String wanted = idOrValue.trim();
            for (int k = 0; k < t.size(); k++) {
                if (t.isMergedAway(k) || t.isPurged(k)) continue;
                String v = t.value(k, idProperty);
                if (v != null && v.equalsIgnoreCase(wanted) && t.isArchived(k) == archived) { i = k; break; }
            }
        }
        if (i < 0) return -1;
        i = t.survivorOf(i);
        if (t.isPurged(i)) return -1;
        return t.isArchived(i) == archived ? i : -1;
    }

    SandboxResponse get(Portal portal, SandboxRequest r) {
        ObjectType type = type(portal, r.segment(3));
        ObjectTable t = portal.table(type);
        int i = find(t, r.segment(4), r.param("idProperty"), r.boolParam("archived"));
        if (i < 0) throw notFound(r.segment(4));
        RecordJson.Selection s = RecordJson.selection(portal, type, r.listParam("properties"),
                r.listParam("propertiesWithHistory"), r.listParam("associations"));
        return SandboxResponse.json(200, JsonWriter.write(g -> RecordJson.write(g, portal, t, i, s, null, ctx.baseUrl())));
    }

    static ApiException notFound(String id) {
        return new ApiException(404, "OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric.",
                Map.of("context", Map.of("id", List.of(id))));
    }

    SandboxResponse batchRead(Portal portal, SandboxRequest r) {
        ObjectType type = type(portal, r.segment(3));
        ObjectTable t = portal.table(type);
        JsonNode body = r.json();
        List<String> ids = inputIds(body);
        RecordJson.Selection s = RecordJson.selection(portal, type, strings(body.get("properties")),
                strings(body.get("propertiesWithHistory")), List.of());
        int max = s.withHistory().isEmpty() ? BATCH_MAX : LIST_MAX_WITH_HISTORY;
        if (ids.size() > max) throw ApiException.validation("Batch input limit exceeded: at most " + max + " inputs, got " + ids.size());
        String idProperty = body.path("idProperty").isTextual() ? body.get("idProperty").asText() : null;
        boolean archived = r.boolParam("archived");
        List<Integer> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<Integer> seen = new LinkedHashSet<>();
        for (String id : ids) {
            int i = find(t, id, idProperty, archived);
            if (i < 0) missing.add(id);
            else if (seen.add(i)) found.add(i);
        }
        String started = SyntheticValues.isoMillis(ctx.clock().millis());
        return batchAnswer(portal, t, s, found, missing.isEmpty() ? List.of() : List.of(batchNotFound(type, missing)), started, 200);
    }

    static Map<String, Object> batchNotFound(ObjectType type, List<String> ids) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("status", "error");
        e.put("category", "OBJECT_NOT_FOUND");
        e.put("message", "Could not get some " + type.singular().toUpperCase() + " objects, they may be deleted or not exist. Check that ids are valid.");
        e.put("context", Map.of("ids", ids));
        return e;
    }

    private SandboxResponse batchAnswer(Portal portal, ObjectTable t, RecordJson.Selection s, List<Integer> found,
                                        List<Map<String, Object>> errors, String started, int okStatus) {
        String base = ctx.baseUrl();
        return SandboxResponse.json(errors.isEmpty() ? okStatus : 207, JsonWriter.write(g -> {
            g.writeStartObject();
            g.writeStringField("status", "COMPLETE");
            g.writeArrayFieldStart("results");
            for (int i : found) RecordJson.write(g, portal, t, i, s, null, base);
            g.writeEndArray();
            if (!errors.isEmpty()) {
                g.writeNumberField("numErrors", errors.size());
                g.writeFieldName("errors");
                JsonWriter.writeValue(g, errors);
            }
            g.writeStringField("startedAt", started);
            g.writeStringField("completedAt", SyntheticValues.isoMillis(ctx.clock().millis()));
            g.writeEndObject();
        }));
    }

    static List<String> inputIds(JsonNode body) {
        List<String> ids = new ArrayList<>();
        for (JsonNode in : body.path("inputs")) {
            JsonNode id = in.isObject() ? in.get("id") : in;
            if (id != null && !id.isNull()) ids.add(id.asText());
        }
        return ids;
    }

    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) return out;
        if (node.isTextual()) {
            for (String p : node.asText().split(",")) if (!p.isBlank()) out.add(p.trim());
        } else for (JsonNode n : node) out.add(n.asText());
        return out;
    }

    /** Checks written properties as HubSpot does: unknown names and invalid options are 400s. */
    static Map<String, String> writableProperties(Portal portal, ObjectType type, JsonNode properties) {
        Map<String, String> out = new LinkedHashMap<>();
        List<Map<String, Object>> problems = new ArrayList<>();
        if (properties != null) {
            properties.fields().forEachRemaining(e -> {
                String name = e.getKey();
                PropertyDefinition d = portal.catalog().property(type, name);
                String value = e.getValue().isNull() ? null : e.getValue().asText();
                if (d == null) {
                    problems.add(problem("PROPERTY_DOESNT_EXIST", name, "Property \"" + name + "\" does not exist"));
                } else if (READ_ONLY.contains(name)) {
                    problems.add(problem("READ_ONLY_VALUE", name, name + " is a read only property; its value cannot be set."));
                } else {
                    if (d.type().equals("enumeration") && value != null && !value.isEmpty() && !d.name().equals("hubspot_owner_id")) {
                        for (String part : value.split(";")) {
                            if (d.options().stream().noneMatch(o -> o.value().equals(part))) {
                                problems.add(problem("INVALID_OPTION", name, part + " was not one of the allowed options"));
                            }
                        }
                    }
                    out.put(name, value);
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new ApiException(400, "VALIDATION_ERROR", "Property values were not valid: " + problems,
                    Map.of("errors", problems.stream().map(p -> Map.of("message", p.get("message"), "code", p.get("error"))).toList()));
        }
        return out;
    }

    private static Map<String, Object> problem(String code, String name, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("isValid", false);
        m.put("message", message);
        m.put("error", code);
        m.put("name", name);
        return m;
    }

    SandboxResponse create(Portal portal, SandboxRequest r) {
        ObjectType type = type(portal, r.segment(3));
        ObjectTable t = portal.table(type);
        int i = createOne(portal, type, t, r.json());
        RecordJson.Selection s = RecordJson.selection(portal, type, writtenNames(t, i, portal, type), List.of(), List.of());
        return SandboxResponse.json(201, JsonWriter.write(g -> RecordJson.write(g, portal, t, i, s, null, ctx.baseUrl())));
    }

    private static List<String> writtenNames(ObjectTable t, int i, Portal portal, ObjectType type) {
        List<String> names = new ArrayList<>(portal.catalog().defaultProperties(type));
        for (PropertyDefinition d : portal.catalog().properties(type)) {
            if (!d.name().startsWith("hs_") && t.value(i, d.name()) != null && !names.contains(d.name())) names.add(d.name());
        }
        return names;
    }

    private int createOne(Portal portal, ObjectType type, ObjectTable t, JsonNode body) {
        Map<String, String> props = writableProperties(portal, type, body.get("properties"));
        if (type == ObjectType.CONTACTS && props.get("email") != null && t.size() <= 200_000) {
            int existing = find(t, props.get("email"), "email", false);
            if (existing >= 0) {
                throw new ApiException(409, "CONFLICT", "Contact already exists. Existing ID: " + t.id(existing));
            }
        }
        return t.create(props, ctx.clock().millis(), ctx.searchLagMillis(), "API");
    }

    SandboxResponse update(Portal portal, SandboxRequest r) {
        ObjectType type = type(portal, r.segment(3));
        ObjectTable t = portal.table(type);
        int i = find(t, r.segment(4), r.param("idProperty"), false);
        if (i < 0) throw notFound(r.segment(4));
        Map<String, String> props = writableProperties(portal, type, r.json().get("properties"));
        t.update(i, props, ctx.clock().millis(), ctx.searchLagMillis(), "API");
        List<String> names = new ArrayList<>(props.keySet());
        names.addAll(portal.catalog().defaultProperties(type));
        RecordJson.Selection s = RecordJson.selection(portal, type, names, List.of(), List.of());
        return SandboxResponse.json(200, JsonWriter.write(g -> RecordJson.write(g, portal, t, i, s, null, ctx.baseUrl())));
    }

    SandboxResponse archive(Portal portal, SandboxRequest r) {
        ObjectTable t = portal.table(type(portal, r.segment(3)));
        int i = t.indexOf(r.segment(4));
        if (i >= 0) t.archive(t.survivorOf(i), ctx.clock().millis(), ctx.searchLagMillis());
        return SandboxResponse.empty(204);
    }

    SandboxResponse batchCreate(Portal portal, SandboxRequest r) {
        ObjectType type = type(portal, r.segment(3));
        ObjectTable t = portal.table(type);
        JsonNode inputs = r.json().path("inputs");
        if (inputs.size() > BATCH_MAX) throw ApiException.validation("Batch input limit exceeded: at most 100 inputs");
        String started = SyntheticValues.isoMillis(ctx.clock().millis());
        for (JsonNode in : inputs) writableProperties(portal, type, in.get("properties")); // all or nothing
        List<Integer> created = new ArrayList<>();
        for (JsonNode in : inputs) created.add(createOne(portal, type, t, in));
        RecordJson.Selection s = RecordJson.selection(portal, type, List.of(), List.of(), List.of());
        return batchAnswer(portal, t, s, created, List.of(), started, 201);
    }

    SandboxResponse batchUpdate(Portal portal, SandboxRequest r) {
        ObjectType type = type(portal, r.segment(3));
        ObjectTable t = portal.table(type);
        JsonNode body = r.json();
        JsonNode inputs = body.path("inputs");
        if (inputs.size() > BATCH_MAX) throw ApiException.validation("Batch input limit exceeded: at most 100 inputs");
        String idProperty = body.path("idProperty").isTextual() ? body.get("idProperty").asText() : null;
        String started = SyntheticValues.isoMillis(ctx.clock().millis());
        List<Integer> updated = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>(portal.catalog().defaultProperties(type));
        for (JsonNode in : inputs) {
            String id = in.path("id").asText();
            int i = find(t, id, idProperty, false);
            if (i < 0) { missing.add(id); continue; }
            Map<String, String> props = writableProperties(portal, type, in.get("properties"));
            names.addAll(props.keySet());
            t.update(i, props, ctx.clock().millis(), ctx.searchLagMillis(), "API");
            updated.add(i);
        }
        RecordJson.Selection s = RecordJson.selection(portal, type, names, List.of(), List.of());
        return batchAnswer(portal, t, s, updated, missing.isEmpty() ? List.of() : List.of(batchNotFound(type, missing)), started, 200);
    }

    SandboxResponse batchArchive(Portal portal, SandboxRequest r) {
        ObjectTable t = portal.table(type(portal, r.segment(3)));
        List<String> ids = inputIds(r.json());
        if (ids.size() > BATCH_MAX) throw ApiException.validation("Batch input limit exceeded: at most 100 inputs");
        for (String id : ids) {
            int i = t.indexOf(id);
            if (i >= 0) t.archive(t.survivorOf(i), ctx.clock().millis(), ctx.searchLagMillis());
        }
        return SandboxResponse.empty(204);
    }

    SandboxResponse merge(Portal portal, SandboxRequest r) {
        ObjectType type = type(portal, r.segment(3));
        ObjectTable t = portal.table(type);
        JsonNode body = r.json();
        String primary = body.path("primaryObjectId").asText("");
        String other = body.path("objectIdToMerge").asText("");
        int p = find(t, primary, null, false);
        int o = find(t, other, null, false);
        if (p < 0 || o < 0) throw ApiException.validation("Object ids must exist and not be archived: " + primary + ", " + other);
        if (p == o) throw ApiException.validation("Cannot merge an object with itself.");
        t.merge(p, o, ctx.clock().millis(), ctx.searchLagMillis());
        RecordJson.Selection s = RecordJson.selection(portal, type, List.of(), List.of(), List.of());
        return SandboxResponse.json(200, JsonWriter.write(g -> RecordJson.write(g, portal, t, p, s, null, ctx.baseUrl())));
    }
}
