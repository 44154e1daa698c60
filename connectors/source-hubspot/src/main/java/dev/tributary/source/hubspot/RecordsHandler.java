package dev.tributary.source.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.spi.Record;
import dev.tributary.spi.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rows of a CRM object itself: live records, records merged away into them, and archived ones. */
final class RecordsHandler implements ObjectStreamReader.PageHandler {
    private static final System.Logger LOG = System.getLogger(RecordsHandler.class.getName());
    private final String stream;
    private final ObjectRows rows;
    private final List<String> properties;

    RecordsHandler(String stream, Schema schema, List<PropertyDef> properties) {
        this.stream = stream;
        this.rows = new ObjectRows(stream, schema, properties);
        this.properties = properties.stream().map(PropertyDef::name).toList();
    }

    @Override
    public Schema schema() {
        return rows.schema();
    }

    @Override
    public List<String> searchProperties() {
        return properties;
    }

    @Override
    public List<Record> rows(List<JsonNode> results) {
        List<Record> out = new ArrayList<>(results.size());
        for (JsonNode r : results) {
            out.add(rows.live(r));
            String merged = r.path("properties").path("hs_merged_object_ids").asText("");
            if (merged.isEmpty()) continue;
            String survivor = r.path("id").asText();
            Instant at = ObjectRows.instantOrNull(r.path("updatedAt").asText(""));
            for (String m : merged.split(";")) {
                String mergedId = m.trim();
                if (!mergedId.isEmpty() && !mergedId.equals(survivor)) out.add(rows.merged(mergedId, survivor, at == null ? Instant.EPOCH : at));
            }
        }
        return out;
    }

    @Override
    public boolean readsArchived() {
        return true;
    }

    @Override
    public boolean reconciles() {
        return true;
    }

    @Override
    public Optional<Record> archivedRow(JsonNode r, Instant archivedAt) {
        return Optional.of(rows.archived(r, archivedAt == null ? Instant.EPOCH : archivedAt));
    }

    @Override
    public void finish() {
        if (!rows.invalidCounts().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "HubSpot " + stream + ": values that do not fit their property's type were kept as text in "
                    + ObjectRows.INVALID + " (the typed column is NULL): " + rows.invalidCounts());
        }
    }

    /** Values that did not fit their type, by property (for reports and tests). */
    java.util.Map<String, Long> invalidCounts() {
        return rows.invalidCounts();
    }
}
