package dev.tributary.sandbox.hubspot.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sandbox.hubspot.data.AssociationLink;
import dev.tributary.sandbox.hubspot.data.AssociationType;
import dev.tributary.sandbox.hubspot.data.ObjectTable;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import dev.tributary.sandbox.hubspot.data.Portal;
import dev.tributary.sandbox.hubspot.data.SyntheticValues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Associations v4: batch read with paging per input, one record's associations, and the labels of a pair. */
final class AssociationsApi {
    /** Associations one input returns per batch-read answer before its own paging.next appears. */
    static final int BATCH_PAGE = 500;
    static final int BATCH_MAX_INPUTS = 1_000;
    static final int SINGLE_MAX = 500;

    private final SandboxContext ctx;

    AssociationsApi(SandboxContext ctx) { this.ctx = ctx; }

    private record Pair(ObjectType from, ObjectType to, AssociationLink link) {}

    private Pair pair(Portal portal, String from, String to) {
        ObjectType f = ObjectsApi.type(portal, from);
        ObjectType t = ObjectsApi.type(portal, to);
        AssociationLink link = portal.link(f, t).orElse(null);
        return new Pair(f, t, link);
    }

    /** POST /crm/v4/associations/{from}/{to}/batch/read. */
    SandboxResponse batchRead(Portal portal, SandboxRequest r) {
        Pair p = pair(portal, r.segment(3), r.segment(4));
        JsonNode inputs = r.json().path("inputs");
        if (inputs.size() > BATCH_MAX_INPUTS) throw ApiException.validation("Batch input limit exceeded: at most " + BATCH_MAX_INPUTS + " inputs");
        ObjectTable fromTable = portal.table(p.from());
        ObjectTable toTable = portal.table(p.to());
        String started = SyntheticValues.isoMillis(ctx.clock().millis());
        List<Map<String, Object>> errors = new ArrayList<>();
        record Item(String id, int index, int offset) {}
        List<Item> items = new ArrayList<>();
        for (JsonNode in : inputs) {
            String id = in.path("id").asText();
            int i = fromTable.indexOf(id);
            if (i >= 0) i = fromTable.survivorOf(i);
            int offset = in.hasNonNull("after") ? (int) ObjectsApi.decodeAfter(in.get("after").asText()) : 0;
            if (i < 0 || p.link() == null || p.link().targetCount(p.from(), i) == 0 || !fromTable.isLive(i)) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("status", "error");
                e.put("category", "OBJECT_NOT_FOUND");
                e.put("subCategory", "crm.associations.NO_ASSOCIATIONS_FOUND");
                e.put("message", "No " + p.to().singular() + " is associated with " + p.from().singular() + " " + id + ".");
                e.put("context", Map.of("fromObjectId", List.of(id)));
                errors.add(e);
                continue;
            }
            items.add(new Item(id, i, offset));
        }
        return SandboxResponse.json(errors.isEmpty() ? 200 : 207, JsonWriter.write(g -> {
            g.writeStartObject();
            g.writeStringField("status", "COMPLETE");
            g.writeArrayFieldStart("results");
            for (Item it : items) {
                g.writeStartObject();
                g.writeObjectFieldStart("from");
                g.writeStringField("id", Long.toString(fromTable.id(it.index())));
                g.writeEndObject();
                int next = writeTargets(g, "to", p, it.index(), toTable, it.offset(), BATCH_PAGE);
                if (next >= 0) {
                    g.writeObjectFieldStart("paging");
                    g.writeObjectFieldStart("next");
                    g.writeStringField("after", ObjectsApi.encodeAfter(next));
                    g.writeNullField("link");
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
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

    /** Writes targets from offset; returns the next offset or -1. Archived targets are skipped. */
    private static int writeTargets(JsonGenerator g, String field, Pair p, int index, ObjectTable toTable, int offset,
                                    int pageSize) throws IOException {
        int[] targets = p.link().targets(p.from(), index);
        g.writeArrayFieldStart(field);
        int k = Math.max(0, offset);
        int written = 0;
        for (; k < targets.length && written < pageSize; k++) {
            int target = targets[k];
            if (!toTable.isLive(target)) continue;
            g.writeStartObject();
            g.writeNumberField("toObjectId", toTable.id(target));
            g.writeArrayFieldStart("associationTypes");
            for (AssociationType at : p.link().types(p.from(), index, target)) writeType(g, at);
            g.writeEndArray();
            g.writeEndObject();
            written++;
        }
        g.writeEndArray();
        return k < targets.length ? k : -1;
    }

    private static void writeType(JsonGenerator g, AssociationType at) throws IOException {
        g.writeStartObject();
        g.writeStringField("category", at.category());
        g.writeNumberField("typeId", at.typeId());
        if (at.label() == null) g.writeNullField("label");
        else g.writeStringField("label", at.label());
        g.writeEndObject();
    }

    /** GET /crm/v4/objects/{from}/{id}/associations/{to}?limit&after. */
    SandboxResponse single(Portal portal, SandboxRequest r) {
        Pair p = pair(portal, r.segment(3), r.segment(6));
        ObjectTable fromTable = portal.table(p.from());
        int i = fromTable.indexOf(r.segment(4));
        if (i >= 0) i = fromTable.survivorOf(i);
        if (i < 0 || !fromTable.isLive(i)) throw ObjectsApi.notFound(r.segment(4));
        int limit = Math.max(1, Math.min(SINGLE_MAX, r.intParam("limit", SINGLE_MAX)));
        int offset = r.param("after") == null || r.param("after").isBlank() ? 0 : (int) ObjectsApi.decodeAfter(r.param("after"));
        final int index = i;
        ObjectTable toTable = portal.table(p.to());
        return SandboxResponse.json(200, JsonWriter.write(g -> {
            g.writeStartObject();
            int next = p.link() == null ? -1 : writeTargets(g, "results", p, index, toTable, offset, limit);
            if (p.link() == null) {
                g.writeArrayFieldStart("results");
                g.writeEndArray();
            }
            if (next >= 0) {
                String after = ObjectsApi.encodeAfter(next);
                g.writeObjectFieldStart("paging");
                g.writeObjectFieldStart("next");
                g.writeStringField("after", after);
                g.writeStringField("link", ctx.baseUrl() + "/crm/v4/objects/" + r.segment(3) + "/" + r.segment(4)
                        + "/associations/" + r.segment(6) + "?limit=" + limit + "&after=" + after);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
        }));
    }

    /** GET /crm/v4/associations/{from}/{to}/labels. */
    SandboxResponse labels(Portal portal, SandboxRequest r) {
        Pair p = pair(portal, r.segment(3), r.segment(4));
        return SandboxResponse.json(200, JsonWriter.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("results");
            if (p.link() != null) for (AssociationType at : p.link().allTypes(p.from())) writeType(g, at);
            g.writeEndArray();
            g.writeEndObject();
        }));
    }
}
