package dev.tributary.destination.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataType;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.Field;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dropNamespace} (the kit's {@code Bookkeeping.dropSchema}): the schema, its column names and the connection's state go; others stay. */
class DuckDbDropNamespaceTest {
    @TempDir
    Path dir;

    @Test
    void dropsTheSchemaItsColumnNamesAndTheConnectionsStateOnly() {
        Schema schema = Schema.of(List.of(Field.of("Id", DataType.INTEGER)));
        try (DuckDbSession session = new DuckDbDestination().open(Config.of(JsonNodeFactory.instance.objectNode()
                .put("path", dir.resolve("warehouse.duckdb").toString())))) {
            write(session, stream("tenant_a", "a"), schema);
            write(session, stream("tenant_b", "b"), schema);

            assertThat(session.dropNamespace("Tenant A", "a")).isEqualTo("tenant_a");

            assertThat(Rows.query(session, "SELECT schema_name FROM duckdb_tables() WHERE table_name = 'contacts' ORDER BY 1"))
                    .extracting(r -> r.get("schema_name")).containsExactly("tenant_b");
            assertThat(Rows.query(session, "SELECT DISTINCT schema_name FROM main._tributary_columns"))
                    .extracting(r -> r.get("schema_name")).containsExactly("tenant_b");
            assertThat(session.states()).extracting(s -> s.connection()).containsExactly("b");
            assertThatThrownBy(() -> session.dropNamespace("main", "b")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static void write(DuckDbSession session, ConfiguredStream s, Schema schema) {
        try (StreamWriter w = session.writer(s, RunId.generate())) {
            w.write(new RecordBatch(schema, List.of(new Record(new Object[] {1L}, "t:0")), null));
            w.commit(Optional.of(new StreamState(s.id(), 1, JsonNodeFactory.instance.objectNode().put("rows", 1))));
        }
    }

    private static ConfiguredStream stream(String namespace, String connection) {
        Schema schema = Schema.of(List.of(Field.of("Id", DataType.INTEGER)));
        StreamDescriptor d = new StreamDescriptor(StreamId.of("contacts"), schema, Set.of(SyncMode.FULL_REFRESH), Optional.empty());
        return new ConfiguredStream(connection, d, SyncMode.FULL_REFRESH, WriteMode.APPEND, List.of(), ErrorPolicy.FAIL, namespace, "contacts");
    }
}
