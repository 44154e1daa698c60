package dev.tributary.source.singer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.destination.duckdb.DuckDbDestination;
import dev.tributary.destination.duckdb.DuckDbSession;
import dev.tributary.engine.CheckpointPolicy;
import dev.tributary.engine.SyncEngine;
import dev.tributary.engine.SyncJob;
import dev.tributary.engine.SyncOptions;
import dev.tributary.engine.SyncResult;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs the test tap ({@code taps/tap_test.py}, a real python3 process) through the engine into a DuckDB file. */
final class TapHarness {
    static final ObjectMapper JSON = new ObjectMapper();
    final Path dir;
    final Path spy;
    final SingerSource source = new SingerSource();

    TapHarness(Path dir) {
        this.dir = dir;
        this.spy = dir.resolve("spy");
    }

    static Path tapScript() {
        try {
            return Path.of(TapHarness.class.getResource("/taps/tap_test.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connection settings for the test tap; {@code tap} holds the tap's own config. */
    ObjectNode settings(ObjectNode tap) {
        ObjectNode s = JSON.createObjectNode();
        s.putArray("command").add("python3").add(tapScript().toString());
        tap.put("spy_dir", spy.toString());
        s.set("config", tap);
        s.put("base_path", dir.toString());
        return s;
    }

    static ObjectNode tap(String mode) {
        return JSON.createObjectNode().put("mode", mode);
    }

    Config config(ObjectNode settings) {
        return Config.of(settings.deepCopy(), "connections.crm.config", p -> "tributary.yml");
    }

    ConfiguredStream stream(ObjectNode settings, String name, SyncMode sync, WriteMode write) {
        StreamDescriptor d = source.discover(config(settings)).stream(name).orElseThrow();
        return ConfiguredStream.defaults("crm", d).withModes(sync, write);
    }

    SyncResult sync(ObjectNode settings, ConfiguredStream stream) {
        try (DuckDbSession session = (DuckDbSession) new DuckDbDestination().open(duckdb())) {
            return new SyncEngine(SyncOptions.defaults().withCheckpointPolicy(CheckpointPolicy.everyBatch()), e -> {})
                    .run(new SyncJob("crm", source, config(settings), session, List.of(stream)));
        }
    }

    Config duckdb() {
        return Config.of(JSON.createObjectNode().put("path", dir.resolve("warehouse.duckdb").toString()));
    }

    Optional<StreamState> committedState(String stream) {
        try (DuckDbSession session = (DuckDbSession) new DuckDbDestination().open(duckdb())) {
            return session.committedState("crm", StreamId.of(stream));
        }
    }

    /** Rows of a query, each column by name. */
    List<Map<String, Object>> query(String sql) {
        try (DuckDbSession session = (DuckDbSession) new DuckDbDestination().open(duckdb());
             Connection c = session.newConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnName(i), rs.getObject(i));
                rows.add(row);
            }
            return rows;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Column name to DuckDB type of a table. */
    Map<String, String> columnTypes(String schema, String table) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> r : query("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '" + schema
                + "' AND table_name = '" + table + "' ORDER BY ordinal_position")) {
            out.put((String) r.get("column_name"), (String) r.get("data_type"));
        }
        return out;
    }

    String spyFile(String name) {
        try {
            return Files.readString(spy.resolve(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode spyJson(String name) {
        try {
            return JSON.readTree(spy.resolve(name).toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
