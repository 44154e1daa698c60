package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import dev.tributary.transform.dialect.SparkDialect;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** profiles.yml {@code type: spark} as dbt-spark's: session (local, Iceberg catalog) or Spark Connect; the mistakes named. */
class SparkProfileTest {
    @TempDir
    Path dir;

    private WarehouseTarget target(String output) {
        return Fixtures.profileTarget(dir, output);
    }

    @Test
    void aSessionRunsLocalSparkOnTheEmbeddedIcebergCatalog() throws Exception {
        WarehouseTarget t = target("type: spark\nmethod: session\nschema: gold\nthreads: 3\nserver_side_parameters: {spark.sql.shuffle.partitions: 8}");
        assertThat(t.type()).isEqualTo("spark");
        assertThat(t.dialect()).isInstanceOf(SparkDialect.class);
        assertThat(t.schema()).isEqualTo("gold");
        assertThat(t.threads()).isEqualTo(3);
        assertThat(t.database()).isEqualTo("tributary");
        assertThat(SparkTargets.master(t.jdbcUrl())).isEqualTo("local[3]");
        assertThat(SparkTargets.settings(t.jdbcUrl()))
                .containsEntry("spark.sql.catalog.tributary", "org.apache.iceberg.spark.SparkCatalog")
                .containsEntry("spark.sql.catalog.tributary.type", "jdbc")
                .containsEntry("spark.sql.catalog.tributary.uri", "jdbc:sqlite:" + dir.toAbsolutePath().normalize().resolve("lakehouse/catalog.sqlite"))
                .containsEntry("spark.sql.catalog.tributary.warehouse", dir.toAbsolutePath().normalize().resolve("lakehouse").toString())
                .containsEntry("spark.sql.defaultCatalog", "tributary")
                .containsEntry("spark.sql.shuffle.partitions", "8");
    }

    @Test
    void aJdbcCatalogKeepsItsPasswordOutOfTheUrl() throws Exception {
        WarehouseTarget t = target("type: spark\nmaster: local[1]\ncatalog: {type: jdbc, url: 'jdbc:postgresql://127.0.0.1:5432/test', user: postgres, password: s3cret, name: lake}");
        assertThat(t.jdbcUrl()).doesNotContain("s3cret").contains("spark.sql.catalog.lake.jdbc.user=postgres");
        assertThat(t.password()).isEqualTo("s3cret");
        assertThat(t.toString()).doesNotContain("s3cret");
        assertThat(t.database()).isEqualTo("lake");
    }

    @Test
    void connectNamesTheServer() throws Exception {
        assertThat(target("type: spark\nmethod: connect\nhost: sc://spark.internal:15002").jdbcUrl()).isEqualTo("jdbc:tributary-spark:sc://spark.internal:15002");
        assertThat(target("type: spark\nmethod: connect\nhost: spark.internal\nport: 443").jdbcUrl()).isEqualTo("jdbc:tributary-spark:sc://spark.internal:443");
    }

    @Test
    void mistakesAreNamedWithTheirKey() {
        assertThatThrownBy(() -> target("type: spark\nmaster: yarn")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("p.outputs.t.master").hasMessageContaining("master must be local[N] (got 'yarn'); use method: connect for a cluster");
        assertThatThrownBy(() -> target("type: spark\nmethod: connect")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("p.outputs.t.host").hasMessageContaining("method: connect needs host");
        assertThatThrownBy(() -> target("type: spark\nmethod: thrift")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unsupported method 'thrift' (session, connect)");
        assertThatThrownBy(() -> target("type: spark\ncatalog: {type: glue}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown Iceberg catalog type 'glue' (embedded, jdbc, hadoop, rest)");
        assertThatThrownBy(() -> target("type: spark\ncatalog: {type: jdbc}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("catalog type jdbc needs url");
    }
}
