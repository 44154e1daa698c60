package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import dev.tributary.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dbt 1.8 {@code unit_tests:}: given rows (dict, csv, sql) in place of refs and sources, expected rows compared, in build and test. */
class UnitTestsTest {
    @TempDir
    Path dir;

    private static final String UNIT_TESTS = """
            unit_tests:
              - name: totals_skip_cancelled
                model: customer_totals
                given:
                  - input: ref('stg_orders')
                    rows:
                      - {id: 1, customer_id: 10, amount: 5.5, status: shipped}
                      - {id: 2, customer_id: 10, amount: 4.5, status: returned}
                      - {id: 3, customer_id: 20, amount: 7, status: cancelled}
                      - {id: 4, customer_id: 20, amount: 1, status: shipped}
                expect:
                  rows:
                    - {customer_id: 10, n_orders: 2, total: 10.0, any_returned: true}
                    - {customer_id: 20, n_orders: 1, total: 1, any_returned: false}
              - name: regions_joined
                model: with_region
                given:
                  - input: ref('customer_totals')
                    format: csv
                    rows: |
                      customer_id,total
                      10,3.5
                      20,
                  - input: source('crm', 'regions')
                    format: sql
                    rows: select 10 as customer_id, 'north' as region
                  - input: ref('raw_regions')
                    rows: []
                expect:
                  format: csv
                  rows: |
                    customer_id,total,region
                    10,3.5,north
                    20,,
            """;

    private void project(String unitTests) {
        Fixtures.project(dir,
                "seeds/raw_orders.csv", "id,customer_id,amount,status\n1,10,2.5,SHIPPED\n2,20,3,CANCELLED\n",
                "seeds/raw_regions.csv", "customer_id,region\n10,south\n",
                "models/stg_orders.sql", "select id, customer_id, amount, lower(status) as status from {{ ref('raw_orders') }}",
                "models/customer_totals.sql", """
                        select customer_id, count(*) as n_orders, sum(amount) as total, bool_or(status = 'returned') as any_returned
                        from {{ ref('stg_orders') }} where status <> 'cancelled' group by customer_id
                        """,
                "models/with_region.sql", """
                        -- depends_on: {{ ref('raw_regions') }}
                        select c.customer_id, c.total, r.region
                        from {{ ref('customer_totals') }} c left join {{ source('crm', 'regions') }} r on r.customer_id = c.customer_id
                        """,
                "models/sources.yml", "sources:\n  - name: crm\n    schema: \"{{ target.schema }}\"\n    tables:\n      - name: regions\n        identifier: raw_regions\n",
                "models/unit_tests.yml", unitTests);
    }

    @Test
    void unitTestsRunInBuildAndTestOnDuckDb() {
        project(UNIT_TESTS);
        TransformOptions options = Fixtures.duck(dir);
        RunSummary built = new TransformRunner(TransformProject.load(dir, options), null).build();
        verifyPassed(built);
        // the model itself was built from the real seed, not the fixtures
        assertThat(Fixtures.query("jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath(), "select customer_id, total from main.customer_totals").toString())
                .isEqualTo("[[10, 2.5]]");
        RunSummary tested = new TransformRunner(TransformProject.load(dir, options), null).test();
        verifyPassed(tested);
        assertThat(dir.resolve("target/compiled/t/unit_tests/t/customer_totals/totals_skip_cancelled.sql")).exists();
        // dbt's test_type:unit selects them, test_type:singular does not
        assertThat(new TransformRunner(TransformProject.load(dir, options.withSelect("test_type:unit")), null).ls())
                .containsExactlyInAnyOrder("t.customer_totals.totals_skip_cancelled", "t.with_region.regions_joined");
        assertThat(new TransformRunner(TransformProject.load(dir, options.withSelect("test_type:singular")), null).ls()).isEmpty();
    }

    @Test
    void unitTestsRunInBuildOnPostgres() {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "tr_unit_tests");
        try {
            project(UNIT_TESTS);
            TransformOptions options = TransformOptions.defaults().withWarehouse(WarehouseTarget.of("postgres", url, schema, null, null).withThreads(2));
            verifyPassed(new TransformRunner(TransformProject.load(dir, options), null).build());
        } finally {
            TestDatabases.dropPostgresSchema(url, schema);
        }
    }

    private static void verifyPassed(RunSummary r) {
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        List<NodeResult> units = r.results().stream().filter(n -> n.uniqueId().startsWith("unit_test.")).toList();
        assertThat(units).extracting(NodeResult::uniqueId)
                .containsExactlyInAnyOrder("unit_test.t.customer_totals.totals_skip_cancelled", "unit_test.t.with_region.regions_joined");
        assertThat(units).allMatch(n -> n.status() == NodeStatus.PASS);
    }

    @Test
    void aWrongExpectationFailsWithTheRowsThatDiffer() {
        project("""
                unit_tests:
                  - name: wrong_total
                    model: customer_totals
                    given:
                      - input: ref('stg_orders')
                        rows:
                          - {id: 1, customer_id: 10, amount: 5, status: shipped}
                    expect:
                      rows:
                        - {customer_id: 10, total: 6}
                """);
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).isEqualTo(1);
        NodeResult unit = r.results().stream().filter(n -> n.name().equals("wrong_total")).findFirst().orElseThrow();
        assertThat(unit.status()).isEqualTo(NodeStatus.FAIL);
        assertThat(unit.failures()).isEqualTo(2L); // the actual row and the expected one
        // a model with a failing unit test holds back its children, as a failing test does
        assertThat(r.results().stream().filter(n -> n.name().equals("with_region")).findFirst().orElseThrow().status()).isEqualTo(NodeStatus.SKIP);
    }

    @Test
    void aMissingInputFailsTheUnitTestNamingIt() {
        project("""
                unit_tests:
                  - name: no_inputs
                    model: customer_totals
                    expect:
                      rows: [{customer_id: 1}]
                """);
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        NodeResult unit = r.results().stream().filter(n -> n.name().equals("no_inputs")).findFirst().orElseThrow();
        assertThat(unit.status()).isEqualTo(NodeStatus.ERROR);
        assertThat(unit.message()).contains("models/customer_totals.sql").contains("gives no input for ref('stg_orders')");
    }

    @Test
    void unsupportedFormsAreErrorsAtTheirFileAndLine() throws Exception {
        project("""
                unit_tests:
                  - name: with_overrides
                    model: customer_totals
                    overrides:
                      macros: {is_incremental: true}
                    given: []
                    expect: {rows: []}
                """);
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/unit_tests.yml:4").hasMessageContaining("'overrides' is not supported");
        Files.writeString(dir.resolve("models/unit_tests.yml"), """
                unit_tests:
                  - name: from_file
                    model: customer_totals
                    given:
                      - input: ref('stg_orders')
                        format: csv
                        fixture: orders_fixture
                    expect: {rows: []}
                """);
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/unit_tests.yml:7").hasMessageContaining("fixture files are not supported");
        Files.writeString(dir.resolve("models/unit_tests.yml"), """
                unit_tests:
                  - name: bad_model
                    model: customer_totalz
                    given: []
                    expect: {rows: []}
                """);
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/unit_tests.yml:3").hasMessageContaining("customer_totalz");
    }
}
