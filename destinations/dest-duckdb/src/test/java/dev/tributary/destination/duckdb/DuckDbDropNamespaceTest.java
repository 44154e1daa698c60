package dev.tributary.destination.duckdb;

import static dev.tributary.testkit.DestinationWrites.appendStream;
import static dev.tributary.testkit.DestinationWrites.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.spi.Config;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.Schema;
import java.nio.file.Path;
import java.util.List;
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
            commit(session, appendStream("a", "tenant_a", "contacts", schema), new Object[] {1L});
            commit(session, appendStream("b", "tenant_b", "contacts", schema), new Object[] {1L});

            assertThat(session.dropNamespace("Tenant A", "a")).isEqualTo("tenant_a");

            assertThat(Rows.query(session, "SELECT schema_name FROM duckdb_tables() WHERE table_name = 'contacts' ORDER BY 1"))
                    .extracting(r -> r.get("schema_name")).containsExactly("tenant_b");
            assertThat(Rows.query(session, "SELECT DISTINCT schema_name FROM main._tributary_columns"))
                    .extracting(r -> r.get("schema_name")).containsExactly("tenant_b");
            assertThat(session.states()).extracting(s -> s.connection()).containsExactly("b");
            assertThatThrownBy(() -> session.dropNamespace("main", "b")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
