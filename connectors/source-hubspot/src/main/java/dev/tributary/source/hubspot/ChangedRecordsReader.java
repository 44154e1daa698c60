package dev.tributary.source.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.Completion;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.Record;
import dev.tributary.spi.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Page handlers for what hangs off changed records: their associations (v4 batch read, following each input's own
 * paging, so a company with thousands of contacts is complete), their property history and the deal stage
 * history derived from it (batch read with propertiesWithHistory, 50 per call). Only records in the window are
 * asked about, so an incremental sync fetches these for changed records only.
 */
final class ChangedRecordsReader {
    static final int ASSOCIATION_INPUTS = 1000;
    static final int HISTORY_INPUTS = 50;

    private ChangedRecordsReader() {}

    static Schema associationSchema() {
        return new Schema(List.of(new Field("from_id", DataType.TEXT, false), new Field("to_id", DataType.TEXT, false),
                new Field("type_id", DataType.INTEGER, false), new Field("category", DataType.TEXT, false),
                Field.of("label", DataType.TEXT)), List.of("from_id", "to_id", "type_id", "category"));
    }

    static Schema historySchema() {
        return new Schema(List.of(new Field("object_id", DataType.TEXT, false), new Field("property", DataType.TEXT, false),
                new Field("timestamp", DataType.TIMESTAMP_TZ, false), Field.of("value", DataType.TEXT),
                Field.of("source_type", DataType.TEXT), Field.of("source_id", DataType.TEXT),
                Field.of("updated_by_user_id", DataType.TEXT)), List.of("object_id", "property", "timestamp"));
    }

    static Schema dealStageSchema() {
        return new Schema(List.of(new Field("deal_id", DataType.TEXT, false), new Field("stage", DataType.TEXT, false),
                new Field("entered_at", DataType.TIMESTAMP_TZ, false), Field.of("exited_at", DataType.TIMESTAMP_TZ),
                Field.of("source_type", DataType.TEXT)), List.of("deal_id", "stage", "entered_at"));
    }

    /** Associations of changed {@code from} records to {@code to} records, one row per association type. */
    static ObjectStreamReader.PageHandler associations(HubspotClient client, CrmObject from, CrmObject to) {
        return new CursorOnly(from, associationSchema()) {
            /** The page's rows are every association of its records now: rows of these from-ids not among them are gone. */
            @Override
            public List<Completion> completions(List<JsonNode> results) {
                if (results.isEmpty()) return List.of();
                List<List<Object>> fromIds = results.stream().map(r -> List.<Object>of(r.path("id").asText())).toList();
                return List.of(new Completion.Scopes(List.of("from_id"), fromIds, client.clock().instant()));
            }

            @Override
            public List<Record> rows(List<JsonNode> results) {
                List<Record> out = new ArrayList<>();
                for (int i = 0; i < results.size(); i += ASSOCIATION_INPUTS) {
                    List<String[]> pending = new ArrayList<>();
                    for (JsonNode r : results.subList(i, Math.min(results.size(), i + ASSOCIATION_INPUTS))) {
                        pending.add(new String[] {r.path("id").asText(), null});
                    }
                    while (!pending.isEmpty()) {
                        ObjectNode body = HubspotClient.JSON.createObjectNode();
                        ArrayNode inputs = body.putArray("inputs");
                        for (String[] p : pending) {
                            ObjectNode in = inputs.addObject().put("id", p[0]);
                            if (p[1] != null) in.put("after", p[1]);
                        }
                        JsonNode answer = client.post("/crm/v4/associations/" + from.apiType() + "/" + to.apiType() + "/batch/read", body);
                        pending = new ArrayList<>();
                        for (JsonNode res : answer.path("results")) {
                            String fromId = res.path("from").path("id").asText();
                            for (JsonNode t : res.path("to")) {
                                for (JsonNode type : t.path("associationTypes")) {
                                    out.add(new Record(new Object[] {fromId, t.path("toObjectId").asText(), type.path("typeId").asLong(),
                                            type.path("category").asText(), type.path("label").isNull() ? null : type.path("label").asText(null)},
                                            "hubspot:" + from.stream() + "/" + fromId + "->" + to.stream()));
                                }
                            }
                            String after = res.path("paging").path("next").path("after").asText(null);
                            if (after != null && !after.isEmpty()) pending.add(new String[] {fromId, after});
                        }
                    }
                }
                return out;
            }
        };
    }

    /** Every version of the selected properties of changed records, newest first as HubSpot gives them. */
    static ObjectStreamReader.PageHandler history(HubspotClient client, CrmObject object, List<String> properties) {
        return new CursorOnly(object, historySchema()) {
            @Override
            public List<Record> rows(List<JsonNode> results) {
                List<Record> out = new ArrayList<>();
                for (JsonNode r : withHistory(client, object, results, properties)) {
                    String oid = r.path("id").asText();
                    for (var it = r.path("propertiesWithHistory").fields(); it.hasNext(); ) {
                        var e = it.next();
                        for (JsonNode v : e.getValue()) {
                            Instant ts = ObjectRows.instantOrNull(v.path("timestamp").asText(""));
                            if (ts == null) continue;
                            out.add(new Record(new Object[] {oid, e.getKey(), ts, emptyToNull(v.path("value").asText(null)),
                                    v.path("sourceType").asText(null), v.path("sourceId").asText(null),
                                    v.path("updatedByUserId").isMissingNode() || v.path("updatedByUserId").isNull() ? null : v.path("updatedByUserId").asText()},
                                    "hubspot:" + object.stream() + "/" + oid + "/" + e.getKey()));
                        }
                    }
                }
                return out;
            }
        };
    }

    /** Each stage a changed deal went through: entered when the value was set, exited when the next value was. */
    static ObjectStreamReader.PageHandler dealStages(HubspotClient client, CrmObject deals) {
        return new CursorOnly(deals, dealStageSchema()) {
            @Override
            public List<Record> rows(List<JsonNode> results) {
                List<Record> out = new ArrayList<>();
                for (JsonNode r : withHistory(client, deals, results, List.of("dealstage"))) {
                    String did = r.path("id").asText();
                    List<JsonNode> versions = new ArrayList<>();
                    r.path("propertiesWithHistory").path("dealstage").forEach(versions::add);
                    versions.sort(java.util.Comparator.comparing((JsonNode v) -> ObjectRows.instantOrNull(v.path("timestamp").asText("")),
                            java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
                    for (int k = 0; k < versions.size(); k++) {
                        JsonNode v = versions.get(k);
                        Instant entered = ObjectRows.instantOrNull(v.path("timestamp").asText(""));
                        String stage = emptyToNull(v.path("value").asText(null));
                        if (entered == null || stage == null) continue;
                        Instant exited = k + 1 < versions.size() ? ObjectRows.instantOrNull(versions.get(k + 1).path("timestamp").asText("")) : null;
                        out.add(new Record(new Object[] {did, stage, entered, exited, v.path("sourceType").asText(null)},
                                "hubspot:deals/" + did + "/dealstage"));
                    }
                }
                return out;
            }
        };
    }

    private static List<JsonNode> withHistory(HubspotClient client, CrmObject object, List<JsonNode> results, List<String> properties) {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < results.size(); i += HISTORY_INPUTS) {
            ObjectNode body = HubspotClient.JSON.createObjectNode();
            ArrayNode inputs = body.putArray("inputs");
            for (JsonNode r : results.subList(i, Math.min(results.size(), i + HISTORY_INPUTS))) inputs.addObject().put("id", r.path("id").asText());
            body.putArray("properties").add(object.modifiedProperty());
            ArrayNode h = body.putArray("propertiesWithHistory");
            properties.forEach(h::add);
            client.post("/crm/v3/objects/" + object.apiType() + "/batch/read?archived=false", body).path("results").forEach(out::add);
        }
        return out;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** A handler that only needs the ids of changed records from the search. */
    private abstract static class CursorOnly implements ObjectStreamReader.PageHandler {
        private final CrmObject object;
        private final Schema schema;

        CursorOnly(CrmObject object, Schema schema) {
            this.object = object;
            this.schema = schema;
        }

        @Override
        public Schema schema() {
            return schema;
        }

        @Override
        public List<String> searchProperties() {
            return List.of(object.modifiedProperty());
        }

        @Override
        public boolean readsArchived() {
            return false;
        }
    }
}
