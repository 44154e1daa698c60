package dev.tributary.destination.postgres;

import static dev.tributary.testkit.DestinationWrites.appendStream;
import static dev.tributary.testkit.DestinationWrites.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.Schema;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code dropNamespace} (the kit's {@code Bookkeeping.dropSchema}): the schema, its column names and the connection's state go; others stay. */
class PostgresDropNamespaceTest {
    @Test
    void dropsTheSchemaItsColumnNamesAndTheConnectionsStateOnly() {
        Schema schema = Schema.of(List.of(Field.of("Id", DataType.INTEGER)));
        try (TestWarehouse warehouse = TestWarehouse.create(); PostgresSession session = new PostgresDestination().open(warehouse.config())) {
            String p = warehouse.prefix();
            commit(session, appendStream("a", "tenant_a", "contacts", schema), new Object[] {1L});
            commit(session, appendStream("b", "tenant_b", "contacts", schema), new Object[] {1L});

            assertThat(session.dropNamespace("Tenant A", "a")).isEqualTo(p + "tenant_a");

            assertThat(Rows.query(session, "SELECT table_schema FROM information_schema.tables WHERE table_name = 'contacts' "
                    + "AND table_schema LIKE '" + p + "%' ORDER BY 1")).extracting(r -> r.get("table_schema")).containsExactly(p + "tenant_b");
            assertThat(Rows.query(session, "SELECT DISTINCT schema_name FROM " + Identifiers.quote(session.metadataSchema()) + "._tributary_columns"))
                    .extracting(r -> r.get("schema_name")).containsExactly(p + "tenant_b");
            assertThat(session.states()).extracting(s -> s.connection()).containsExactly("b");
            assertThatThrownBy(() -> session.dropNamespace("tributary", "b")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
