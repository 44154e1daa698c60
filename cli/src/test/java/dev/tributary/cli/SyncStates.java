package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.project.Connectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** What a project's destination says each stream committed, and what serve's API says of each table's last sync. */
final class SyncStates {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SyncStates() {}

    /** {@code state show --json} of the project in {@code dir}: "connection/stream" to its committed_at. */
    static Map<String, String> committedAt(Map<String, String> env, Path dir) throws Exception {
        StringWriter out = new StringWriter();
        int exit = TributaryCommand.commandLine(env, Connectors.discover(), new PrintWriter(out, true), new PrintWriter(out, true))
                .execute("-p", dir.toString(), "state", "show", "--json");
        assertThat(exit).as(out.toString()).isZero();
        Map<String, String> committed = new TreeMap<>();
        for (JsonNode state : JSON.readTree(out.toString())) {
            String stream = state.path("stream").asText();
            committed.put(state.path("connection").asText() + "/" + stream.substring(stream.lastIndexOf('.') + 1), state.path("committed_at").asText());
        }
        return committed;
    }

    /** {@code /api/v1/connections}' answer: "connection/table" to its lastSync. */
    static Map<String, String> lastSyncs(JsonNode connections) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode connection : connections) {
            for (JsonNode stream : connection.path("streams")) {
                out.put(connection.path("name").asText() + "/" + stream.path("name").asText(), stream.path("lastSync").asText(null));
            }
        }
        return out;
    }
}
