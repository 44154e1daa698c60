package dev.tributary.sandbox.hubspot.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tributary.sandbox.hubspot.data.AssociationLink;
import dev.tributary.sandbox.hubspot.data.AssociationType;
import dev.tributary.sandbox.hubspot.data.HistoryEntry;
import dev.tributary.sandbox.hubspot.data.ObjectTable;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import dev.tributary.sandbox.hubspot.data.Portal;
import dev.tributary.sandbox.hubspot.data.SyntheticValues;
import java.io.IOException;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Writes CRM records in the v3 shape: id, properties (strings or null), history, timestamps, associations. */
final class RecordJson {
    /** v3 object reads list at most this many associations per type, with a paging link for the rest. */
    static final int V3_ASSOCIATION_LIMIT = 100;

    /** What a read asked for: properties (sorted, always with id/created/modified), history, associations. */
    record Selection(List<String> properties, List<String> withHistory, List<ObjectType> associations) {}

    private RecordJson() {}

    static Selection selection(Portal portal, ObjectType type, Collection<String> requested, Collection<String> history,
                               Collection<String> associations) {
        TreeSet<String> props = new TreeSet<>();
        if (requested == null || requested.isEmpty()) props.addAll(portal.catalog().defaultProperties(type));
        else for (String p : requested) if (portal.catalog().exists(type, p)) props.add(p);
        props.add("hs_object_id");
        props.add(type.createdProperty());
        props.add(type.modifiedProperty());
        TreeSet<String> hist = new TreeSet<>();
        if (history != null) for (String p : history) if (portal.catalog().exists(type, p)) hist.add(p);
        List<ObjectType> assoc = associations == null ? List.of()
                : associations.stream().map(a -> portal.resolveType(a).orElse(null)).filter(t -> t != null && t != type).distinct().toList();
        return new Selection(List.copyOf(props), List.copyOf(hist), assoc);
    }

    static void write(JsonGenerator g, Portal portal, ObjectTable t, int i, Selection s, ObjectTable.PendingChange searchView,
                      String baseUrl) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", Long.toString(t.id(i)));
        g.writeObjectFieldStart("properties");
        for (String p : s.properties()) {
            String v = searchView != null ? t.searchValue(i, p, searchView) : t.value(i, p);
            if (v == null) g.writeNullField(p);
            else g.writeStringField(p, v);
        }
        g.writeEndObject();
        if (!s.withHistory().isEmpty()) {
            g.writeObjectFieldStart("propertiesWithHistory");
            for (String p : s.withHistory()) {
                g.writeArrayFieldStart(p);
                for (HistoryEntry h : t.history(i, p)) {
                    g.writeStartObject();
                    g.writeStringField("value", h.value());
                    g.writeStringField("timestamp", SyntheticValues.isoMillis(h.timestampMillis()));
                    g.writeStringField("sourceType", h.sourceType());
                    if (h.sourceId() != null) g.writeStringField("sourceId", h.sourceId());
                    if (h.updatedByUserId() != null) g.writeNumberField("updatedByUserId", h.updatedByUserId());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeStringField("createdAt", SyntheticValues.isoMillis(t.createdAt(i)));
        long modified = searchView != null ? t.searchUpdatedAt(i, searchView) : t.updatedAt(i);
        g.writeStringField("updatedAt", SyntheticValues.isoMillis(modified));
        boolean archived = t.isArchived(i);
        g.writeBooleanField("archived", archived);
        if (archived) g.writeStringField("archivedAt", SyntheticValues.isoMillis(t.archivedAt(i)));
        if (!s.associations().isEmpty()) writeAssociations(g, portal, t, i, s.associations(), baseUrl);
        g.writeEndObject();
    }

    private static void writeAssociations(JsonGenerator g, Portal portal, ObjectTable t, int i, List<ObjectType> to,
                                          String baseUrl) throws IOException {
        boolean opened = false;
        for (ObjectType other : to) {
            AssociationLink link = portal.link(t.type(), other).orElse(null);
            if (link == null || link.targetCount(t.type(), i) == 0) continue;
            if (!opened) {
                g.writeObjectFieldStart("associations");
                opened = true;
            }
            ObjectTable ot = portal.table(other);
            int[] targets = link.targets(t.type(), i);
            g.writeObjectFieldStart(other.pathName());
            int written = 0;
            int k = 0;
            g.writeArrayFieldStart("results");
            for (; k < targets.length && written < V3_ASSOCIATION_LIMIT; k++) {
                for (AssociationType at : link.types(t.type(), i, targets[k])) {
                    g.writeStartObject();
                    g.writeStringField("id", Long.toString(ot.id(targets[k])));
                    g.writeStringField("type", at.v3Name());
                    g.writeEndObject();
                    written++;
                }
            }
            g.writeEndArray();
            if (k < targets.length) {
                String after = Base64.getUrlEncoder().withoutPadding().encodeToString(Integer.toString(k).getBytes());
                g.writeObjectFieldStart("paging");
                g.writeObjectFieldStart("next");
                g.writeStringField("after", after);
                g.writeStringField("link", baseUrl + "/crm/v4/objects/" + t.type().pathName() + "/" + t.id(i)
                        + "/associations/" + other.pathName() + "?after=" + after);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        if (opened) g.writeEndObject();
    }
}
