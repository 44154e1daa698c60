package dev.tributary.destination.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.spi.RunId;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every identifier the kit writes into its bookkeeping tables goes through {@link SqlDialect#quote}, so a warehouse
 * where a column name is a reserved word (Snowflake's CONNECTION) can quote it. Proven with a dialect that spells
 * every name its own way (a {@code _q} suffix): a name that bypassed {@code quote} would create or look for a column
 * the catalog does not hold.
 */
class KitQuotingTest {
    @Test
    void bookkeepingTablesNameEveryColumnThroughTheDialect() throws SQLException {
        DuckTestDialect dialect = new DuckTestDialect("_q", false, false);
        SchemaRef metadata = new SchemaRef(null, "meta");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            Sql.execute(c, "CREATE SCHEMA " + dialect.qualifiedSchema(metadata));
            StateStore states = new StateStore(dialect, metadata);
            states.createTable(c);
            new TableCatalog(dialect, metadata).createMappingTable(c);
            RejectsTable.create(c, dialect, metadata.table(RejectsTable.NAME));
            new Reconciler(c, dialect, metadata, "crm", "crm.contacts").createTables();

            assertThat(unsuffixedColumns(c)).isEmpty();

            StreamId stream = new StreamId("crm", "contacts");
            StreamState state = new StreamState(stream, 1, JsonNodeFactory.instance.objectNode().put("cursor", 42));
            states.save(c, "hubspot", state, new RunId("r1"));
            states.save(c, "hubspot", state, new RunId("r2"));
            assertThat(states.read(c, "hubspot", stream)).contains(state);
            assertThat(states.all(c)).singleElement().satisfies(s -> assertThat(s.runId()).isEqualTo("r2"));
            assertThat(states.delete(c, "hubspot", Optional.empty())).isEqualTo(1);
            Bookkeeping.dropSchema(c, dialect, metadata, new SchemaRef(null, "crm"), "hubspot");
        }
    }

    /** Columns of the kit's tables whose names did not come from {@code quote}. */
    private static List<String> unsuffixedColumns(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'meta_q' AND column_name NOT LIKE '%\\_q' ESCAPE '\\'")) {
            while (rs.next()) names.add(rs.getString(1));
        }
        return names;
    }
}
