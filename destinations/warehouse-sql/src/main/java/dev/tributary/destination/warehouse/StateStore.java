package dev.tributary.destination.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.DestinationSession.StoredState;
import dev.tributary.spi.RunId;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code <metadata schema>._tributary_state}: one row per connection and stream (connection, namespace, stream,
 * version, value, run_id, committed_at), written in the transaction that commits the data it describes. The value is
 * JSON text in a text column (a JSON type may reorder keys or re-format numbers), written and read by Jackson, so it
 * comes back exactly.
 */
public final class StateStore {
    public static final String TABLE = "_tributary_state";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqlDialect dialect;
    private final String table;
    private final String select;
    private final String where;

    public StateStore(SqlDialect dialect, SchemaRef metadataSchema) {
        this.dialect = dialect;
        this.table = dialect.qualified(metadataSchema.table(TABLE));
        this.select = "SELECT " + dialect.quoteAll("connection", "namespace", "stream", "version", "value", "run_id", "committed_at") + " FROM " + table;
        this.where = " WHERE " + dialect.quote("connection") + " = ?";
    }

    private String column(String name, String type) {
        return dialect.quote(name) + " " + type + " NOT NULL";
    }

    public void createTable(Connection c) throws SQLException {
        String text = dialect.textType();
        Sql.execute(c, "CREATE TABLE IF NOT EXISTS " + table + " (" + column("connection", text) + ", " + column("namespace", text) + ", "
                + column("stream", text) + ", " + column("version", "INTEGER") + ", " + column("value", text) + ", " + column("run_id", text) + ", "
                + column("committed_at", dialect.timestampTzType())
                + (dialect.declaresPrimaryKeys() ? ", PRIMARY KEY (" + dialect.quoteAll("connection", "namespace", "stream") + "))" : ")"));
    }

    public Optional<StreamState> read(Connection c, String connection, StreamId stream) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(select + where + streamCondition())) {
            p.setString(1, connection);
            p.setString(2, stream.namespace());
            p.setString(3, stream.name());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(toStored(rs).state()) : Optional.empty();
            }
        }
    }

    /** Replaces the stream's state; call inside the commit transaction. */
    public void save(Connection c, String connection, StreamState state, RunId run) throws SQLException {
        delete(c, connection, Optional.of(state.stream()));
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
            p.setString(1, connection);
            p.setString(2, state.stream().namespace());
            p.setString(3, state.stream().name());
            p.setInt(4, state.version());
            p.setString(5, toJson(state));
            p.setString(6, run.value());
            p.executeUpdate();
        }
    }

    public List<StoredState> all(Connection c) throws SQLException {
        List<StoredState> states = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(select + " ORDER BY " + dialect.quoteAll("connection", "namespace", "stream"))) {
            while (rs.next()) states.add(toStored(rs));
        }
        return states;
    }

    /** Deletes the states of a connection, or of one of its streams; returns how many there were. */
    public int delete(Connection c, String connection, Optional<StreamId> stream) throws SQLException {
        String sql = "DELETE FROM " + table + where + (stream.isPresent() ? streamCondition() : "");
        return stream.isPresent() ? Sql.update(c, sql, connection, stream.get().namespace(), stream.get().name()) : Sql.update(c, sql, connection);
    }

    private String streamCondition() {
        return " AND " + dialect.quote("namespace") + " = ? AND " + dialect.quote("stream") + " = ?";
    }

    private static String toJson(StreamState state) {
        try {
            return JSON.writeValueAsString(state.value());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("state of " + state.stream() + " is not serialisable: " + e.getOriginalMessage(), e);
        }
    }

    private static StoredState toStored(ResultSet rs) throws SQLException {
        String connection = rs.getString(1);
        StreamId stream = new StreamId(rs.getString(2), rs.getString(3));
        try {
            StreamState state = new StreamState(stream, rs.getInt(4), JSON.readTree(rs.getString(5)));
            return new StoredState(connection, state, rs.getString(6), rs.getTimestamp(7).toInstant());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("state of " + connection + "/" + stream + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
