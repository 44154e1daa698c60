package dev.tributary.sandbox.hubspot.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tributary.sandbox.hubspot.data.AssociationLink;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import dev.tributary.sandbox.hubspot.data.Owner;
import dev.tributary.sandbox.hubspot.data.Pipeline;
import dev.tributary.sandbox.hubspot.data.Portal;
import dev.tributary.sandbox.hubspot.data.PropertyDefinition;
import dev.tributary.sandbox.hubspot.data.SyntheticValues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Properties, custom object schemas, owners and pipelines. */
final class MetadataApi {
    private final SandboxContext ctx;

    MetadataApi(SandboxContext ctx) { this.ctx = ctx; }

    /** GET /crm/v3/properties/{type}[/{name}]: sensitive ones only when dataSensitivity asks for them. */
    SandboxResponse properties(Portal portal, SandboxRequest r) {
        ObjectType type = ObjectsApi.type(portal, r.segment(3));
        long at = portal.schemaCreatedAt();
        if (r.segment(4) != null) {
            PropertyDefinition d = portal.catalog().property(type, r.segment(4));
            if (d == null) throw new ApiException(404, "OBJECT_NOT_FOUND", "Unable to find property " + r.segment(4) + " on object type " + type.typeId(portal.hubId()));
            return SandboxResponse.json(200, JsonWriter.write(g -> writeProperty(g, d, at)));
        }
        if (r.boolParam("archived")) return SandboxResponse.json(200, JsonWriter.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("results");
            g.writeEndArray();
            g.writeEndObject();
        }));
        String sensitivity = r.param("dataSensitivity") == null ? "non_sensitive" : r.param("dataSensitivity").toLowerCase(Locale.ROOT);
        List<PropertyDefinition> all = portal.catalog().properties(type);
        return SandboxResponse.json(200, JsonWriter.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("results");
            for (PropertyDefinition d : all) if (d.dataSensitivity().equals(sensitivity)) writeProperty(g, d, at);
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    static void writeProperty(JsonGenerator g, PropertyDefinition d, long at) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", d.name());
        g.writeStringField("label", d.label());
        g.writeStringField("type", d.type());
        g.writeStringField("fieldType", d.fieldType());
        g.writeStringField("description", "");
        g.writeStringField("groupName", d.groupName());
        g.writeArrayFieldStart("options");
        for (PropertyDefinition.Option o : d.options()) {
            g.writeStartObject();
            g.writeStringField("label", o.label());
            g.writeStringField("value", o.value());
            g.writeNumberField("displayOrder", o.displayOrder());
            g.writeBooleanField("hidden", o.hidden());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("displayOrder", -1);
        g.writeBooleanField("calculated", d.calculated());
        g.writeBooleanField("externalOptions", d.name().equals("hubspot_owner_id"));
        g.writeBooleanField("hasUniqueValue", d.hasUniqueValue());
        g.writeBooleanField("hidden", d.hidden());
        g.writeBooleanField("hubspotDefined", d.hubspotDefined());
        g.writeObjectFieldStart("modificationMetadata");
        g.writeBooleanField("archivable", !d.hubspotDefined());
        g.writeBooleanField("readOnlyDefinition", d.hubspotDefined());
        g.writeBooleanField("readOnlyValue", d.calculated() || d.name().equals("hs_object_id"));
        g.writeEndObject();
        g.writeBooleanField("formField", !d.hubspotDefined());
        g.writeStringField("dataSensitivity", d.dataSensitivity());
        g.writeStringField("createdAt", SyntheticValues.isoMillis(at));
        g.writeStringField("updatedAt", SyntheticValues.isoMillis(at + 86_400_000L));
        g.writeBooleanField("archived", false);
        g.writeEndObject();
    }

    /** GET /crm/v3/schemas and /crm/v3/schemas/{objectType}: the portal's one custom object. */
    SandboxResponse schemas(Portal portal, SandboxRequest r) {
        if (r.segment(3) != null) {
            ObjectType t = portal.resolveType(r.segment(3)).filter(ObjectType::isCustom)
                    .orElseThrow(() -> new ApiException(404, "OBJECT_NOT_FOUND", "Unable to find schema " + r.segment(3)));
            return SandboxResponse.json(200, JsonWriter.write(g -> writeSchema(g, portal, t)));
        }
        return SandboxResponse.json(200, JsonWriter.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("results");
            writeSchema(g, portal, ObjectType.SUBSCRIPTIONS);
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private static void writeSchema(JsonGenerator g, Portal portal, ObjectType t) throws IOException {
        long hub = portal.hubId();
        long at = portal.schemaCreatedAt();
        g.writeStartObject();
        g.writeStringField("id", t.typeId(hub).substring(2));
        g.writeStringField("objectTypeId", t.typeId(hub));
        g.writeStringField("fullyQualifiedName", t.fullyQualifiedName(hub));
        g.writeStringField("name", t.pathName());
        g.writeObjectFieldStart("labels");
        g.writeStringField("singular", "Subscription");
        g.writeStringField("plural", "Subscriptions");
        g.writeEndObject();
        g.writeStringField("primaryDisplayProperty", "plan_name");
        g.writeArrayFieldStart("secondaryDisplayProperties");
        g.writeString("status");
        g.writeEndArray();
        g.writeArrayFieldStart("requiredProperties");
        g.writeString("plan_name");
        g.writeEndArray();
        g.writeArrayFieldStart("searchableProperties");
        g.writeString("plan_name");
        g.writeEndArray();
        g.writeArrayFieldStart("properties");
        for (PropertyDefinition d : portal.catalog().properties(t)) writeProperty(g, d, at);
        g.writeEndArray();
        g.writeArrayFieldStart("associations");
        for (AssociationLink l : portal.links()) {
            if (l.child() != t && l.parent() != t) continue;
            ObjectType other = l.child() == t ? l.parent() : l.child();
            g.writeStartObject();
            g.writeStringField("fromObjectTypeId", t.typeId(hub));
            g.writeStringField("toObjectTypeId", other.typeId(hub));
            g.writeStringField("name", l.allTypes(t).get(0).v3Name());
            g.writeStringField("id", Integer.toString(l.allTypes(t).get(0).typeId()));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("createdAt", SyntheticValues.isoMillis(at));
        g.writeStringField("updatedAt", SyntheticValues.isoMillis(at));
        g.writeBooleanField("archived", false);
        g.writeEndObject();
    }

    /** GET /account-info/v3/details: the portal (hub) id the token belongs to, as HubSpot answers a private app. */
    SandboxResponse accountDetails(Portal portal) {
        return SandboxResponse.json(200, JsonWriter.write(g -> {
            g.writeStartObject();
            g.writeNumberField("portalId", portal.hubId());
            g.writeStringField("accountType", "STANDARD");
            g.writeStringField("timeZone", "US/Eastern");
            g.writeStringField("companyCurrency", "USD");
            g.writeArrayFieldStart("additionalCurrencies");
            g.writeEndArray();
            g.writeStringField("utcOffset", "-05:00");
            g.writeNumberField("utcOffsetMilliseconds", -18_000_000);
            g.writeStringField("uiDomain", "app.hubspot.com");
            g.writeStringField("dataHostingLocation", "na1");
            g.writeEndObject();
        }));
    }

    /** GET /crm/v3/owners[/{id}] with limit, after, email, archived. */
    SandboxResponse owners(Portal portal, SandboxRequest r) {
        boolean archived = r.boolParam("archived");
        if (r.segment(3) != null) {
            Owner o = portal.owners().stream().filter(x -> x.id().equals(r.segment(3))).findFirst()
                    .orElseThrow(() -> ApiException.notFound("Owner " + r.segment(3) + " not found"));
            return SandboxResponse.json(200, JsonWriter.write(g -> writeOwner(g, o)));
        }
        int limit = Math.max(1, Math.min(500, r.intParam("limit", 100)));
        String email = r.param("email");
        List<Owner> matching = new ArrayList<>();
        for (Owner o : portal.owners()) {
            if (o.archived() != archived) continue;
            if (email != null && !o.email().equalsIgnoreCase(email)) continue;
            matching.add(o);
        }
        int from = r.param("after") == null ? 0 : (int) ObjectsApi.decodeAfter(r.param("after"));
        int to = Math.min(matching.size(), from + limit);
        return SandboxResponse.json(200, JsonWriter.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("results");
            for (int k = from; k < to; k++) writeOwner(g, matching.get(k));
            g.writeEndArray();
            if (to < matching.size()) {
                String after = ObjectsApi.encodeAfter(to);
                g.writeObjectFieldStart("paging");
                g.writeObjectFieldStart("next");
                g.writeStringField("after", after);
                g.writeStringField("link", ctx.baseUrl() + "/crm/v3/owners/?after=" + after);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
        }));
    }

    private static void writeOwner(JsonGenerator g, Owner o) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", o.id());
        g.writeStringField("email", o.email());
        g.writeStringField("type", "PERSON");
        g.writeStringField("firstName", o.firstName());
        g.writeStringField("lastName", o.lastName());
        g.writeNumberField("userId", o.userId());
        g.writeNumberField("userIdIncludingInactive", o.userId());
        g.writeStringField("createdAt", SyntheticValues.isoMillis(o.createdAt()));
        g.writeStringField("updatedAt", SyntheticValues.isoMillis(o.updatedAt()));
        g.writeBooleanField("archived", o.archived());
        g.writeArrayFieldStart("teams");
        for (Owner.Team t : o.teams()) {
            g.writeStartObject();
            g.writeStringField("id", t.id());
            g.writeStringField("name", t.name());
            g.writeBooleanField("primary", t.primary());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** GET /crm/v3/pipelines/{deals|tickets}[/{pipelineId}[/stages]]. */
    SandboxResponse pipelines(Portal portal, SandboxRequest r) {
        ObjectType type = ObjectsApi.type(portal, r.segment(3));
        List<Pipeline> pipelines = switch (type) {
            case DEALS -> portal.dealPipelines();
            case TICKETS -> portal.ticketPipelines();
            default -> throw ApiException.validation("Pipelines are not supported for object type " + r.segment(3));
        };
        String id = r.segment(4);
        if (id != null) {
            Pipeline p = pipelines.stream().filter(x -> x.id().equals(id)).findFirst()
                    .orElseThrow(() -> ApiException.notFound("Unable to find pipeline " + id));
            if ("stages".equals(r.segment(5))) {
                return SandboxResponse.json(200, JsonWriter.write(g -> {
                    g.writeStartObject();
                    g.writeArrayFieldStart("results");
                    for (Pipeline.Stage s : p.stages()) writeStage(g, s, p);
                    g.writeEndArray();
                    g.writeEndObject();
                }));
            }
            return SandboxResponse.json(200, JsonWriter.write(g -> writePipeline(g, p)));
        }
        return SandboxResponse.json(200, JsonWriter.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("results");
            for (Pipeline p : pipelines) writePipeline(g, p);
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private static void writePipeline(JsonGenerator g, Pipeline p) throws IOException {
        g.writeStartObject();
        g.writeStringField("label", p.label());
        g.writeNumberField("displayOrder", p.displayOrder());
        g.writeStringField("id", p.id());
        g.writeArrayFieldStart("stages");
        for (Pipeline.Stage s : p.stages()) writeStage(g, s, p);
        g.writeEndArray();
        g.writeStringField("createdAt", SyntheticValues.isoMillis(p.createdAt()));
        g.writeStringField("updatedAt", SyntheticValues.isoMillis(p.updatedAt()));
        g.writeBooleanField("archived", false);
        g.writeEndObject();
    }

    private static void writeStage(JsonGenerator g, Pipeline.Stage s, Pipeline p) throws IOException {
        g.writeStartObject();
        g.writeStringField("label", s.label());
        g.writeNumberField("displayOrder", s.displayOrder());
        g.writeObjectFieldStart("metadata");
        for (var e : new java.util.TreeMap<>(s.metadata()).entrySet()) g.writeStringField(e.getKey(), e.getValue());
        g.writeEndObject();
        g.writeStringField("id", s.id());
        g.writeStringField("createdAt", SyntheticValues.isoMillis(p.createdAt()));
        g.writeStringField("updatedAt", SyntheticValues.isoMillis(p.updatedAt()));
        g.writeBooleanField("archived", false);
        g.writeNumberField("writePermissions", 0);
        g.writeEndObject();
    }
}
