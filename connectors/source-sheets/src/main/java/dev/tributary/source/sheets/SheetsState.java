package dev.tributary.source.sheets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.StateCodec;
import java.time.Instant;

/**
 * Where a stream stands: the Drive modifiedTime and version of the spreadsheet it read, the next sheet row to read
 * and whether that read finished. A finished read of an unchanged spreadsheet is skipped; an unfinished one resumes
 * at {@code nextRow} if the spreadsheet has not changed since, else starts over (merge on the key keeps rows single).
 */
record SheetsState(Instant modifiedTime, long version, int nextRow, boolean complete) {
    static final StateCodec<SheetsState> CODEC = new StateCodec<>() {
        @Override public int currentVersion() { return 1; }

        @Override public JsonNode encode(SheetsState s) {
            ObjectNode o = SheetsClient.JSON.createObjectNode();
            o.put("modified_time", s.modifiedTime().toString());
            o.put("version", s.version());
            o.put("next_row", s.nextRow());
            o.put("complete", s.complete());
            return o;
        }

        @Override public SheetsState decode(int version, JsonNode v) {
            return new SheetsState(Instant.parse(v.path("modified_time").asText()), v.path("version").asLong(), v.path("next_row").asInt(1),
                    v.path("complete").asBoolean(false));
        }
    };
}
