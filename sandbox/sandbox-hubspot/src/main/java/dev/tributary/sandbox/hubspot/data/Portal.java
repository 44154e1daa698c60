package dev.tributary.sandbox.hubspot.data;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One HubSpot account (hub id) with its own records, owners, pipelines and associations. */
public final class Portal {
    private final long hubId;
    private final String domain;
    private final PropertyCatalog catalog;
    private final Map<ObjectType, ObjectTable> tables;
    private final List<Owner> owners;
    private final List<Pipeline> dealPipelines;
    private final List<Pipeline> ticketPipelines;
    private final List<AssociationLink> links;
    private final long schemaCreatedAt;

    Portal(long hubId, String domain, PropertyCatalog catalog, Map<ObjectType, ObjectTable> tables, List<Owner> owners,
           List<Pipeline> dealPipelines, List<Pipeline> ticketPipelines, List<AssociationLink> links, long schemaCreatedAt) {
        this.hubId = hubId;
        this.domain = domain;
        this.catalog = catalog;
        this.tables = new EnumMap<>(tables);
        this.owners = List.copyOf(owners);
        this.dealPipelines = List.copyOf(dealPipelines);
        this.ticketPipelines = List.copyOf(ticketPipelines);
        this.links = List.copyOf(links);
        this.schemaCreatedAt = schemaCreatedAt;
    }

    public long hubId() { return hubId; }
    public String domain() { return domain; }
    public PropertyCatalog catalog() { return catalog; }
    public ObjectTable table(ObjectType type) { return tables.get(type); }
    public List<Owner> owners() { return owners; }
    public List<Pipeline> dealPipelines() { return dealPipelines; }
    public List<Pipeline> ticketPipelines() { return ticketPipelines; }
    public List<AssociationLink> links() { return links; }
    public long schemaCreatedAt() { return schemaCreatedAt; }

    public Optional<ObjectType> resolveType(String segment) {
        return ObjectType.resolve(segment, hubId);
    }

    public Optional<AssociationLink> link(ObjectType from, ObjectType to) {
        for (AssociationLink l : links) if (l.connects(from, to)) return Optional.of(l);
        return Optional.empty();
    }

    /** Total records of all types, for banners. */
    public long recordCount() {
        long n = 0;
        for (ObjectTable t : tables.values()) n += t.size();
        return n;
    }
}
