package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.testkit.TestDatabases;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/revops end to end on the real PostgreSQL and the HubSpot sandbox: its generator seeds a product database
 * (in a schema of the test's own), its tributary.yml syncs it and HubSpot into DuckDB and, with the destination
 * line switched, into PostgreSQL; after the product changes, the next sync reads only what changed and merges it.
 */
class RevOpsExampleTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "revops").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private String url;
    private String productSchema;
    private String warehousePrefix;
    private HubSpotSandbox hubspot;

    @BeforeEach
    void seed() throws Exception {
        url = TestDatabases.postgresUrl();
        productSchema = TestDatabases.createPostgresSchema(url, "revops_product");
        warehousePrefix = productSchema + "_";
        TestDatabases.execute(url, generate("--users", "300", "--seed", "7"));
        hubspot = HubSpotSandbox.start(SandboxOptions.fromArgs("--port", "0", "--seed", "7", "--scale", "contacts=300"));
    }

    @AfterEach
    void drop() {
        if (hubspot != null) hubspot.close();
        if (url == null) return;
        TestDatabases.dropPostgresSchema(url, productSchema);
        TestDatabases.dropPostgresSchema(url, warehousePrefix + "product_db");
        TestDatabases.dropPostgresSchema(url, warehousePrefix + "hubspot");
        TestDatabases.dropPostgresSchema(url, warehousePrefix + "tributary");
    }

    @Test
    void productDatabaseSyncsIntoDuckDbThenOnlyChangesFollow() throws Exception {
        Files.copy(EXAMPLE.resolve("tributary.yml"), dir.resolve("tributary.yml"));
        CliRunner cli = new CliRunner(dir, env());
        CliRunner.Result check = cli.run("check");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        CliRunner.Result sync = cli.run("sync");
        assertThat(sync.exitCode()).as(sync.toString()).isZero();
        assertThat(sync.out()).containsPattern("Done: (\\d+) of \\1 streams synced");
        assertThat(Warehouse.number(dir.resolve("warehouse.duckdb"), "select count(*) from hubspot.contacts")).isPositive();
        assertThat(Warehouse.number(dir.resolve("warehouse.duckdb"), "select count(*) from hubspot.contact_company")).isPositive();

        Path warehouse = dir.resolve("warehouse.duckdb");
        for (String table : new String[] {"teams", "users", "team_membership", "transactions"}) {
            assertThat(Warehouse.number(warehouse, "select count(*) from product_db." + table)).as(table).isEqualTo(count(table));
        }
        long paid = Warehouse.number(warehouse, "select round(sum(amount) * 100) from product_db.transactions");
        assertThat(paid).isEqualTo(scalar("select round(sum(amount) * 100) from " + productSchema + ".transactions"));

        TestDatabases.execute(url, generate("--touch", "25"));
        CliRunner.Result again = cli.run("sync", "product_db", "--json");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("\"records\" : 50"); // 25 changed and 25 new transactions, nothing else
        assertThat(Warehouse.number(warehouse, "select count(*) from product_db.transactions")).isEqualTo(count("transactions"));
        assertThat(Warehouse.number(warehouse, "select count(*) from product_db.transactions where status = 'refunded'"))
                .isEqualTo(scalar("select count(*) from " + productSchema + ".transactions where status = 'refunded'"));
    }

    @Test
    void oneLineSwitchesTheWarehouseToPostgres() throws Exception {
        String yml = Files.readString(EXAMPLE.resolve("tributary.yml"));
        assertThat(yml).contains("destination: *duckdb ");
        Files.writeString(dir.resolve("tributary.yml"), yml.replace("destination: *duckdb ", "destination: *postgres"));
        CliRunner.Result sync = new CliRunner(dir, env()).run("sync");
        assertThat(sync.exitCode()).as(sync.toString()).isZero();
        assertThat(sync.out()).contains("PostgreSQL");
        assertThat(Files.exists(dir.resolve("warehouse.duckdb"))).isFalse();
        assertThat(scalar("select count(*) from " + warehousePrefix + "product_db.transactions")).isEqualTo(count("transactions"));
        assertThat(scalar("select count(*) from " + warehousePrefix + "hubspot.deals")).isPositive();
        assertThat(scalar("select count(*) from " + warehousePrefix + "product_db.users u join " + productSchema
                + ".users p using (id) where u.email = p.email and u.updated_at = p.updated_at")).isEqualTo(count("users"));
    }

    private Map<String, String> env() {
        URI uri = URI.create(url.substring("jdbc:".length()));
        String user = uri.getQuery().replaceAll(".*user=([^&]*).*", "$1");
        Map<String, String> env = new HashMap<>();
        env.put("PRODUCT_DB_HOST", uri.getHost());
        env.put("PRODUCT_DB_USER", user);
        env.put("PRODUCT_DB_SCHEMA", productSchema);
        env.put("WAREHOUSE_PG_HOST", uri.getHost());
        env.put("WAREHOUSE_PG_USER", user);
        env.put("WAREHOUSE_PG_SCHEMA_PREFIX", warehousePrefix);
        env.put("HUBSPOT_BASE_URL", hubspot.baseUrl());
        env.put("HUBSPOT_TOKEN", hubspot.privateAppToken(hubspot.hubIds().get(0)));
        return env;
    }

    /** The example's generator, run as the README says (a single-file Java program), printing SQL. */
    private String generate(String... args) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, EXAMPLE.resolve("GenerateProductDb.java").toString(), "--schema", productSchema));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String sql = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return sql;
    }

    private long count(String table) throws Exception {
        return scalar("select count(*) from " + productSchema + "." + table);
    }

    private long scalar(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
