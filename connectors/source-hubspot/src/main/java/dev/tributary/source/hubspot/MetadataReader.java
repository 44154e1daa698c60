package dev.tributary.source.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.JsonText;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Small reference streams read in full each time: owners (archived ones as soft deletes), deal and ticket
 * pipelines and their stages, and property definitions with their option labels. One batch per API page.
 */
final class MetadataReader implements StreamReader {
    private final HubspotClient client;
    private final HubspotCatalog catalog;
    private final StreamId id;
    private final String kind;
    private final Schema schema;
    private int step;
    private String after;
    private boolean archivedOwners;
    private boolean finished;

    MetadataReader(HubspotClient client, HubspotCatalog catalog, StreamId id, String kind) {
        this.client = client;
        this.catalog = catalog;
        this.id = id;
        this.kind = kind;
        this.schema = schema(kind);
    }

    static Schema schema(String kind) {
        return switch (kind) {
            case "owners" -> new Schema(List.of(new Field("id", DataType.TEXT, false), txt("email"), txt("firstName"), txt("lastName"),
                    Field.of("userId", DataType.INTEGER), Field.of("teams", DataType.JSON), ts("createdAt"), ts("updatedAt"),
                    Field.of("archived", DataType.BOOLEAN)), List.of("id"));
            case "deal_pipelines", "ticket_pipelines" -> new Schema(List.of(new Field("id", DataType.TEXT, false), txt("label"),
                    Field.of("displayOrder", DataType.INTEGER), Field.of("archived", DataType.BOOLEAN), ts("createdAt"), ts("updatedAt"),
                    Field.of("stages", DataType.JSON)), List.of("id"));
            case "deal_pipeline_stages", "ticket_pipeline_stages" -> new Schema(List.of(new Field("pipeline_id", DataType.TEXT, false),
                    new Field("id", DataType.TEXT, false), txt("label"), Field.of("displayOrder", DataType.INTEGER),
                    Field.of("probability", DataType.DECIMAL), Field.of("is_closed", DataType.BOOLEAN), txt("ticket_state"),
                    Field.of("metadata", DataType.JSON), Field.of("archived", DataType.BOOLEAN), ts("createdAt"), ts("updatedAt")),
                    List.of("pipeline_id", "id"));
            case "properties" -> new Schema(List.of(new Field("object_type", DataType.TEXT, false), new Field("name", DataType.TEXT, false),
                    txt("label"), txt("type"), txt("fieldType"), txt("groupName"), txt("description"), Field.of("options", DataType.JSON),
                    Field.of("calculated", DataType.BOOLEAN), Field.of("hidden", DataType.BOOLEAN), Field.of("hubspotDefined", DataType.BOOLEAN),
                    Field.of("hasUniqueValue", DataType.BOOLEAN), txt("dataSensitivity"), ts("createdAt"), ts("updatedAt")),
                    List.of("object_type", "name"));
            default -> throw new IllegalArgumentException("unknown metadata stream " + kind);
        };
    }

    @Override
    public Optional<RecordBatch> next() {
        if (finished) return Optional.empty();
        List<Record> rows = new ArrayList<>();
        switch (kind) {
            case "owners" -> {
                JsonNode page = client.get("/crm/v3/owners?limit=100&archived=" + archivedOwners
                        + (after == null ? "" : "&after=" + ObjectStreamReader.enc(after)));
                for (JsonNode o : page.path("results")) {
                    Instant updated = ObjectRows.instantOrNull(o.path("updatedAt").asText(""));
                    rows.add(new Record(new Object[] {o.path("id").asText(), str(o, "email"), str(o, "firstName"), str(o, "lastName"),
                            o.path("userId").canConvertToLong() ? o.path("userId").asLong() : null, json(o.path("teams")),
                            ObjectRows.instantOrNull(o.path("createdAt").asText("")), updated, archivedOwners},
                            "hubspot:owners/" + o.path("id").asText(), archivedOwners ? (updated == null ? Instant.EPOCH : updated) : null));
                }
                after = page.path("paging").path("next").path("after").asText(null);
                if (after == null || after.isEmpty()) {
                    after = null;
                    if (archivedOwners) finished = true;
                    archivedOwners = true;
                }
            }
            case "deal_pipelines", "ticket_pipelines", "deal_pipeline_stages", "ticket_pipeline_stages" -> {
                String object = kind.startsWith("deal") ? "deals" : "tickets";
                for (JsonNode p : client.get("/crm/v3/pipelines/" + object).path("results")) {
                    String pid = p.path("id").asText();
                    if (kind.endsWith("_stages")) {
                        for (JsonNode s : p.path("stages")) {
                            JsonNode m = s.path("metadata");
                            Object probability = m.has("probability") ? ObjectRows.convert(new PropertyDef("p", "number", ""), m.path("probability").asText("")) : null;
                            Object closed = m.has("isClosed") ? Boolean.valueOf(m.path("isClosed").asText()) : null;
                            rows.add(new Record(new Object[] {pid, s.path("id").asText(), str(s, "label"), integer(s.path("displayOrder")),
                                    probability, closed, m.path("ticketState").isMissingNode() ? null : m.path("ticketState").asText(),
                                    json(m), s.path("archived").asBoolean(false), ObjectRows.instantOrNull(s.path("createdAt").asText("")),
                                    ObjectRows.instantOrNull(s.path("updatedAt").asText(""))}, "hubspot:pipelines/" + object + "/" + pid + "/" + s.path("id").asText()));
                        }
                    } else {
                        rows.add(new Record(new Object[] {pid, str(p, "label"), integer(p.path("displayOrder")), p.path("archived").asBoolean(false),
                                ObjectRows.instantOrNull(p.path("createdAt").asText("")), ObjectRows.instantOrNull(p.path("updatedAt").asText("")),
                                json(p.path("stages"))}, "hubspot:pipelines/" + object + "/" + pid));
                    }
                }
                finished = true;
            }
            case "properties" -> {
                List<CrmObject> objects = catalog.objects();
                CrmObject o = objects.get(step++);
                for (JsonNode p : catalog.definitions(o)) {
                    rows.add(new Record(new Object[] {o.stream(), p.path("name").asText(), str(p, "label"), str(p, "type"), str(p, "fieldType"),
                            str(p, "groupName"), str(p, "description"), json(p.path("options")), bool(p.path("calculated")), bool(p.path("hidden")),
                            bool(p.path("hubspotDefined")), bool(p.path("hasUniqueValue")), str(p, "dataSensitivity"),
                            ObjectRows.instantOrNull(p.path("createdAt").asText("")), ObjectRows.instantOrNull(p.path("updatedAt").asText(""))},
                            "hubspot:properties/" + o.stream() + "/" + p.path("name").asText()));
                }
                if (step >= objects.size()) finished = true;
            }
            default -> throw new IllegalStateException(kind);
        }
        var state = HubspotClient.JSON.createObjectNode().put("step", step).put("done", finished);
        return Optional.of(new RecordBatch(schema, rows, new dev.tributary.spi.StreamState(id, 1, state)));
    }

    private static Field txt(String name) {
        return Field.of(name, DataType.TEXT);
    }

    private static Field ts(String name) {
        return Field.of(name, DataType.TIMESTAMP_TZ);
    }

    private static String str(JsonNode o, String field) {
        JsonNode v = o.path(field);
        return v.isMissingNode() || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    private static Long integer(JsonNode v) {
        return v.canConvertToLong() ? v.asLong() : null;
    }

    private static Boolean bool(JsonNode v) {
        return v.isMissingNode() || v.isNull() ? null : v.asBoolean();
    }

    private static JsonText json(JsonNode v) {
        return v.isMissingNode() || v.isNull() ? null : new JsonText(v.toString());
    }

    @Override
    public void close() {
        finished = true;
    }
}
