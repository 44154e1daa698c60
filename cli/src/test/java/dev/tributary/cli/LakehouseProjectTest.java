package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project whose destination is the Iceberg lakehouse: sync lands Iceberg tables, build runs the models in
 * lakehouse.duckdb over views of the tables' current snapshots, show reads both, export writes partitioned Parquet.
 */
class LakehouseProjectTest {
    @TempDir
    Path dir;

    @Test
    void syncIntoIcebergThenBuildShowAndExportOverTheCurrentSnapshot() throws Exception {
        CliRunner cli = new CliRunner(dir, Map.of());
        assertThat(cli.run("init").exitCode()).isZero();
        Path yml = dir.resolve("tributary.yml");
        Files.writeString(yml, Files.readString(yml).replace("  type: duckdb\n  path: warehouse.duckdb\n", "  type: iceberg\n"));

        CliRunner.Result sync = cli.run("sync");
        assertThat(sync.exitCode()).as(sync.toString()).isZero();
        assertThat(dir.resolve("lakehouse/catalog.sqlite")).as(sync.toString()).exists();
        assertThat(dir.resolve("warehouse.duckdb")).doesNotExist();
        CliRunner.Result build = cli.run("build");
        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(count("select count(*) from example.customers")).isEqualTo(3);

        // a changed and a new customer: the merge deletes the old row in Iceberg, the view reads the new snapshot
        Files.writeString(dir.resolve("data/customers-2.csv"), "id,name,email,country,signed_up,lifetime_value\n"
                + "4,Barbara Liskov,barbara@example.com,US,2026-02-01,300\n2,Grace B. Hopper,grace@example.com,US,2025-07-01,990.00\n");
        assertThat(cli.run("sync").exitCode()).isZero();
        CliRunner.Result rebuild = cli.run("build");
        assertThat(rebuild.exitCode()).as(rebuild.toString()).isZero();
        assertThat(count("select count(*) from example.customers")).as("merged on id, no doubles").isEqualTo(4);
        assertThat(count("select customers from main.customers_by_country where country = 'US'")).isEqualTo(2);

        CliRunner.Result show = cli.run("show", "customers_by_country", "--order-by", "country");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out()).contains("customers_by_country (\"main\".\"customers_by_country\"): 3 rows").contains("United States");
        CliRunner.Result table = cli.run("show", "example.customers");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).contains("4 rows").contains("Grace B. Hopper").doesNotContain("| Grace Hopper ");

        CliRunner.Result export = cli.run("export", "example.customers", "exports/customers", "--partition-by", "country");
        assertThat(export.exitCode()).as(export.toString()).isZero();
        assertThat(export.out()).as("the summary once, on stdout").containsOnlyOnce("4 rows in 3 partitions (").startsWith("4 rows in 3 partitions (");
        assertThat(export.err()).as("progress only on stderr").doesNotContain("4 rows in 3 partitions (").contains("country=US: ");
        assertThat(dir.resolve("exports/customers/country=US/_SUCCESS")).exists();
        CliRunner.Result typo = cli.run("export", "example.customers", "exports/customers", "--partition-by", "countri");
        assertThat(typo.exitCode()).as(typo.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(typo.err()).contains("partition_by column 'countri' is not a column of example.customers (its columns: id, name, email, country");
        assertThat(count("select count(*) from read_parquet('" + dir.resolve("exports/customers") + "/*/*.parquet', hive_partitioning=true) where country = 'US'"))
                .isEqualTo(2);
    }

    /**
     * {@code build -t spark} on the same lakehouse project runs its models, seed, snapshot, tests and checks as Spark SQL
     * over the catalog the syncs wrote, and the model holds the rows the DuckDB build computed.
     */
    @Test
    void targetSparkBuildsTheSameModelsOnSparkOverTheSameCatalog() throws Exception {
        CliRunner cli = new CliRunner(dir, Map.of());
        assertThat(cli.run("init").exitCode()).isZero();
        Path yml = dir.resolve("tributary.yml");
        Files.writeString(yml, Files.readString(yml).replace("  type: duckdb\n  path: warehouse.duckdb\n", "  type: iceberg\n"));
        // a table, so Spark writes an Iceberg table (a view would be an Iceberg view, which Iceberg's generic reader cannot read)
        Path model = dir.resolve("models/customers_by_country.sql");
        Files.writeString(model, "{{ config(materialized='table') }}\n" + Files.readString(model));
        assertThat(cli.run("sync").exitCode()).isZero();
        CliRunner.Result onDuckDb = cli.run("build");
        assertThat(onDuckDb.exitCode()).as(onDuckDb.toString()).isZero();
        java.util.List<String> expected = new java.util.ArrayList<>();
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(LakehouseSources.MODELS_FILE));
             var rs = c.createStatement().executeQuery("select country, customers from main.customers_by_country")) {
            while (rs.next()) expected.add(rs.getString(1) + "=" + rs.getLong(2));
        }
        assertThat(expected).hasSize(3);

        CliRunner.Result typo = cli.run("build", "-t", "sparc");
        assertThat(typo.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(typo.err()).contains("on this lakehouse, --target spark runs them on Spark");

        CliRunner.Result onSpark = cli.run("build", "-t", "spark");
        assertThat(onSpark.exitCode()).as(onSpark.toString()).isZero();
        assertThat(onSpark.out()).contains("ERROR=0");
        try (var session = (dev.tributary.spi.DestinationSession) new dev.tributary.destination.iceberg.IcebergDestination().open(
                dev.tributary.spi.Config.of(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                        .put("warehouse", dir.resolve("lakehouse").toString())));
             var rows = org.apache.iceberg.data.IcebergGenerics.read(((dev.tributary.destination.iceberg.IcebergSession) session).lakehouse()
                     .catalog().loadTable(org.apache.iceberg.catalog.TableIdentifier.of("analytics", "customers_by_country"))).build()) {
            java.util.List<String> actual = new java.util.ArrayList<>();
            rows.forEach(r -> actual.add(r.getField("country") + "=" + r.getField("customers")));
            assertThat(actual).as("Spark's table in the lakehouse catalog").containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private long count(String sql) throws SQLException {
        return Warehouse.number(dir.resolve(LakehouseSources.MODELS_FILE), sql);
    }
}
