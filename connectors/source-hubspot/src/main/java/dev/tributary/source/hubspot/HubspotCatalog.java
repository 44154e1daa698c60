package dev.tributary.source.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.http.ApiException;
import dev.tributary.spi.Catalog;
import dev.tributary.spi.Config;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.SyncMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one HubSpot account offers: the CRM objects (standard and custom, from /crm/v3/schemas) with their
 * property definitions, and every stream built on them. Property definitions are fetched once per object.
 */
final class HubspotCatalog {
    /** A stream and how it is read. */
    sealed interface Kind permits ObjectKind, AssociationKind, HistoryKind, DealStageKind, MetadataKind {}

    record ObjectKind(CrmObject object) implements Kind {}

    record AssociationKind(CrmObject from, CrmObject to) implements Kind {}

    record HistoryKind(CrmObject object, List<String> properties) implements Kind {}

    record DealStageKind(CrmObject deals) implements Kind {}

    record MetadataKind(String name) implements Kind {}

    static final List<String> METADATA = List.of("owners", "deal_pipelines", "deal_pipeline_stages", "ticket_pipelines",
            "ticket_pipeline_stages", "properties");

    private final HubspotClient client;
    private final HubspotConfig config;
    private final List<CrmObject> objects = new ArrayList<>();
    private final Map<String, List<PropertyDef>> properties = new LinkedHashMap<>();
    private final Map<String, Kind> kinds = new LinkedHashMap<>();

    HubspotCatalog(HubspotClient client, HubspotConfig config) {
        this.client = client;
        this.config = config;
        objects.addAll(CrmObject.STANDARD);
        for (JsonNode s : client.getMetadata("/crm/v3/schemas").path("results")) {
            if (s.path("archived").asBoolean(false)) continue;
            String typeId = s.path("objectTypeId").asText();
            String name = s.path("name").asText(s.path("fullyQualifiedName").asText(typeId)).toLowerCase(java.util.Locale.ROOT);
            String finalName = name;
            if (objects.stream().anyMatch(o -> o.stream().equals(finalName)) || METADATA.contains(name)) {
                name = s.path("fullyQualifiedName").asText(typeId).toLowerCase(java.util.Locale.ROOT);
            }
            objects.add(new CrmObject(name, typeId, "hs_lastmodifieddate", true));
        }
        for (CrmObject o : objects) kinds.put(o.stream(), new ObjectKind(o));
        CrmObject contacts = object("contacts"), companies = object("companies"), deals = object("deals"), tickets = object("tickets"),
                lineItems = object("line_items");
        association(contacts, companies);
        association(deals, companies);
        association(deals, contacts);
        association(tickets, contacts);
        association(tickets, companies);
        association(lineItems, deals);
        for (CrmObject o : objects) {
            if (!o.custom()) continue;
            association(o, contacts);
            association(o, companies);
            association(o, deals);
        }
        for (CrmObject o : objects) kinds.put(o.singular() + "_property_history", new HistoryKind(o, config.historyProperties()));
        kinds.put("deal_stage_history", new DealStageKind(deals));
        for (String m : METADATA) kinds.put(m, new MetadataKind(m));
        validateSelection();
    }

    private void association(CrmObject from, CrmObject to) {
        kinds.put(from.singular() + "_" + to.singular(), new AssociationKind(from, to));
    }

    private void validateSelection() {
        Config c = config.settings();
        for (String s : config.streams().orElse(List.of())) {
            if (!kinds.containsKey(s)) {
                throw c.error("streams", "no stream '" + s + "' in this HubSpot account" + Config.didYouMean(s, new ArrayList<>(kinds.keySet())));
            }
        }
        for (String o : config.properties().keySet()) {
            if (objects.stream().noneMatch(x -> x.stream().equals(o) || x.apiType().equals(o))) {
                throw c.error("properties", "no object '" + o + "'" + Config.didYouMean(o, objects.stream().map(CrmObject::stream).toList()));
            }
        }
    }

    CrmObject object(String stream) {
        return objects.stream().filter(o -> o.stream().equals(stream)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no object " + stream));
    }

    List<CrmObject> objects() {
        return objects;
    }

    Optional<Kind> kind(String stream) {
        return Optional.ofNullable(kinds.get(stream));
    }

    /** Every property definition of an object (all sensitivities the credentials may read), as HubSpot returns them. */
    List<JsonNode> definitions(CrmObject o) {
        List<JsonNode> out = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        List<String> levels = config.sensitiveProperties() ? List.of("non_sensitive", "sensitive", "highly_sensitive") : List.of("non_sensitive");
        for (String level : levels) {
            JsonNode page;
            try {
                page = client.getMetadata("/crm/v3/properties/" + o.apiType() + "?archived=false&dataSensitivity=" + level);
            } catch (ApiException e) {
                // sensitive properties need scopes the app may not have: read what it may
                if (!level.equals("non_sensitive") && (e.status() == 403 || e.status() == 400 || e.status() == 401)) continue;
                throw e;
            }
            for (JsonNode p : page.path("results")) if (seen.add(p.path("name").asText())) out.add(p);
        }
        return out;
    }

    /** The properties read for an object: the selection in {@code properties}, or all; always the cursor and merge ids. */
    synchronized List<PropertyDef> properties(CrmObject o) {
        List<PropertyDef> cached = properties.get(o.stream());
        if (cached != null) return cached;
        List<PropertyDef> all = definitions(o).stream().map(PropertyDef::of).toList();
        List<String> selected = config.properties().getOrDefault(o.stream(), config.properties().get(o.apiType()));
        List<PropertyDef> out;
        if (selected == null || selected.isEmpty()) {
            out = all;
        } else {
            Map<String, PropertyDef> byName = new LinkedHashMap<>();
            for (PropertyDef p : all) byName.put(p.name(), p);
            out = new ArrayList<>();
            for (String name : selected) {
                PropertyDef p = byName.get(name);
                if (p == null) {
                    throw config.settings().error("properties", o.stream() + " has no property '" + name + "'"
                            + Config.didYouMean(name, new ArrayList<>(byName.keySet())));
                }
                out.add(p);
            }
            for (String always : List.of(o.modifiedProperty(), "hs_object_id", "hs_merged_object_ids")) {
                if (byName.containsKey(always) && out.stream().noneMatch(p -> p.name().equals(always))) out.add(byName.get(always));
            }
        }
        properties.put(o.stream(), out);
        return out;
    }

    Catalog catalog() {
        List<StreamDescriptor> out = new ArrayList<>();
        for (String name : kinds.keySet()) {
            if (config.streams().isPresent() && !config.streams().get().contains(name)) continue;
            out.add(descriptor(name));
        }
        return new Catalog(out);
    }

    StreamDescriptor descriptor(String name) {
        Kind k = kinds.get(name);
        StreamId id = StreamId.of(name);
        Set<SyncMode> both = Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL);
        return switch (k) {
            case ObjectKind o -> new StreamDescriptor(id, ObjectRows.schema(properties(o.object())), both, Optional.of("updatedAt"));
            case AssociationKind a -> new StreamDescriptor(id, ChangedRecordsReader.associationSchema(), both, Optional.empty());
            case HistoryKind h -> new StreamDescriptor(id, ChangedRecordsReader.historySchema(), both, Optional.empty());
            case DealStageKind d -> new StreamDescriptor(id, ChangedRecordsReader.dealStageSchema(), both, Optional.empty());
            case MetadataKind m -> new StreamDescriptor(id, MetadataReader.schema(m.name()), Set.of(SyncMode.FULL_REFRESH), Optional.empty());
        };
    }

    static Schema keyed(List<String> key, Field... fields) {
        return new Schema(List.of(fields), key);
    }

    static Field text(String name) {
        return Field.of(name, DataType.TEXT);
    }
}
