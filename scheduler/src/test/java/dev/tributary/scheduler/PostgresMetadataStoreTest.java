package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.Config;
import dev.tributary.testkit.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metadata store on the real PostgreSQL test server, in a schema of its own. */
class PostgresMetadataStoreTest extends MetadataStoreContract {
    private static final String PASSWORD = "not-a-real-password-7f3a";
    private String url;
    private String schema;

    @TempDir
    Path dir;

    @Override
    MetadataStore open() {
        url = TestDatabases.postgresUrl();
        schema = TestDatabases.createPostgresSchema(url, "sched");
        // The schema is created by the store itself: drop the empty one so that path is tested too.
        TestDatabases.dropPostgresSchema(url, schema);
        return JdbcMetadataStore.postgres(url, null, PASSWORD, schema);
    }

    @Override
    MetadataStore reopen() {
        return JdbcMetadataStore.postgres(url, null, PASSWORD, schema);
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) TestDatabases.dropPostgresSchema(url, schema);
    }

    @Test
    void openedFromTheServerSectionWithoutShowingThePassword() throws Exception {
        store.close();
        ObjectNode metadata = new ObjectMapper().createObjectNode();
        metadata.put("url", url);
        metadata.put("password", PASSWORD);
        metadata.put("schema", schema);
        ObjectNode server = new ObjectMapper().createObjectNode();
        server.set("metadata", metadata);
        store = MetadataStores.open(Config.of(server), dir);
        assertThat(store.toString()).contains("PostgreSQL").contains(schema).doesNotContain(PASSWORD);
        assertThat(store.createRun("a", "manual", T0, java.util.Optional.empty()).id()).isPositive();
        TestDatabases.execute(url, "SELECT version FROM " + schema + ".schema_version");
    }
}
