package dev.tributary.destination.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IcebergCatalogsTest {
    @TempDir
    Path dir;

    static Config yaml(Map<String, Object> map) {
        return Config.of(new ObjectMapper().valueToTree(map));
    }

    @Test
    void embeddedCatalogIsASqliteFileInTheWarehouseFolderAndKeepsTables() {
        IcebergConfig config = IcebergConfig.parse(yaml(Map.of()), dir);
        assertThat(config.warehouse()).isEqualTo(dir.resolve("lakehouse").toString());
        TableIdentifier id = IcebergNames.tableFor("HubSpot CRM", "Contacts");
        assertThat(id.toString()).isEqualTo("hubspot_crm.contacts");
        try (LakehouseCatalog lake = IcebergCatalogs.open(config, dir)) {
            ((SupportsNamespaces) lake.catalog()).createNamespace(id.namespace());
            lake.catalog().createTable(id, new Schema(Types.NestedField.optional(1, "id", Types.LongType.get())));
        }
        assertThat(dir.resolve("lakehouse/catalog.sqlite")).exists();
        try (LakehouseCatalog lake = IcebergCatalogs.open(config, dir)) {
            assertThat(lake.catalog().tableExists(id)).isTrue();
            assertThat(lake.catalog().loadTable(id).location()).startsWith(dir.resolve("lakehouse").toString());
        }
        assertThat(Files.isDirectory(dir.resolve("lakehouse/hubspot_crm"))).isTrue();
    }

    @Test
    void eachTenantConnectionHasItsOwnNamespace() {
        assertThat(IcebergNames.tableFor("crm_123", "contacts")).isEqualTo(TableIdentifier.of("crm_123", "contacts"));
        assertThat(IcebergNames.tableFor("crm_123", "contacts").namespace()).isNotEqualTo(IcebergNames.tableFor("crm_456", "contacts").namespace());
    }

    @Test
    void settingsAreCheckedWithTheKeyNamed() {
        assertThatThrownBy(() -> IcebergConfig.parse(yaml(Map.of("warehouse", "gs://bucket/x")), dir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("warehouse").hasMessageContaining("not supported");
        assertThatThrownBy(() -> IcebergConfig.parse(yaml(Map.of("warehouse", "s3://b/p", "s3", Map.of("access_key_id", "k"))), dir))
                .hasMessageContaining("s3.secret_access_key");
        assertThatThrownBy(() -> IcebergConfig.parse(yaml(Map.of("tables", Map.of("crm.contacts", Map.of("partition_by", java.util.List.of("days(a, b, c)"))))), dir))
                .hasMessageContaining("tables.crm.contacts.partition_by");
        assertThatThrownBy(() -> IcebergConfig.parse(yaml(Map.of("catalog", Map.of("type", "jdbc"))), dir))
                .hasMessageContaining("catalog.url");
        IcebergConfig s3 = IcebergConfig.parse(yaml(Map.of("warehouse", "s3://bucket/prefix/", "s3",
                Map.of("endpoint", "http://127.0.0.1:9", "path_style", true, "access_key_id", "k", "secret_access_key", "very-secret"))), dir);
        assertThat(s3.warehouse()).isEqualTo("s3://bucket/prefix");
        assertThat(s3.toString()).doesNotContain("very-secret");
        assertThat(s3.catalog().sqliteFile()).contains(dir.resolve("lakehouse-catalog.sqlite"));
    }

    @Test
    void tablePropertiesTributaryOwnsAreRefused() {
        // commit.retry.num-retries: Iceberg retrying on its own would commit a snapshot with a stale state summary
        assertThatThrownBy(() -> IcebergConfig.parse(yaml(Map.of("tables", Map.of("crm.contacts",
                Map.of("properties", Map.of("commit.retry.num-retries", "4"))))), dir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tables.crm.contacts.properties.commit.retry.num-retries")
                .hasMessageContaining("Tributary retries commits itself");
        assertThatThrownBy(() -> IcebergConfig.parse(yaml(Map.of("tables", Map.of("crm.contacts",
                Map.of("properties", Map.of("format-version", "1"))))), dir))
                .hasMessageContaining("format-version");
    }

    @Test
    void aCatalogUrlsPasswordIsNeverShown() {
        assertThat(CatalogUrls.redact("Failed to connect: jdbc:postgresql://h:5432/db?user=u&password=s3cret&ssl=true"))
                .isEqualTo("Failed to connect: jdbc:postgresql://h:5432/db?user=u&password=***&ssl=true");
        assertThat(CatalogUrls.redact("https://alice:s3cret@catalog.example.com/v1")).isEqualTo("https://alice:***@catalog.example.com/v1");
        assertThatThrownBy(() -> IcebergConfig.parse(yaml(Map.of("catalog", Map.of("type", "jdbc", "url", "jdbc:mysql://h/db?password=s3cret"))), dir))
                .hasMessageContaining("catalog.url").hasMessageNotContaining("s3cret");
    }
}
