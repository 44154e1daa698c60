package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generic tests' {@code fail_calc}, {@code limit}, {@code where}, {@code store_failures_as} and custom configs read with {@code config.get}. */
class GenericTestConfigsTest {
    @TempDir
    Path dir;

    static final String NEGATIVE = """
            {% test negative(model, column_name) %}
            select {{ column_name }} as v from {{ model }} where {{ column_name }} < {{ config.get('floor', 0) }}
            {% endtest %}
            """;

    static final String SCHEMA = """
            version: 2
            models:
              - name: o
                columns:
                  - name: n
                    tests:
                      - negative:
                          name: neg_sum
                          config: {fail_calc: "sum(-v)", warn_if: "> 4", error_if: "> 10"}
                      - negative:
                          name: neg_floor
                          config: {floor: -2}
                      - negative:
                          name: neg_none
                          config: {fail_calc: "sum(v)", where: "n > 100"}
                      - accepted_values:
                          name: av_limited
                          values: [5]
                          config: {limit: 2, store_failures_as: view}
                      - accepted_values:
                          name: av_where
                          values: [5]
                          config: {where: "n > 0", store_failures: true}
                      - not_null:
                          name: nn_ephemeral
                          config: {store_failures: true, store_failures_as: ephemeral}
                      - accepted_values:
                          name: av_table
                          values: [0]
                          config: {store_failures_as: table, severity: warn}
            """;

    @Test
    void failCalcLimitWhereStoreFailuresAsAndCustomConfigsOnDuckDb() {
        Fixtures.project(dir, "seeds/orders.csv", "id,n\n1,5\n2,0\n3,-2\n4,-3\n", "models/o.sql", "select * from {{ ref('orders') }}",
                "models/schema.yml", SCHEMA, "tests/generic/negative.sql", NEGATIVE);
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        Map<String, NodeResult> byName = r.results().stream().collect(Collectors.toMap(NodeResult::name, x -> x));
        assertThat(byName.get("neg_sum").status()).as(byName.get("neg_sum").message()).isEqualTo(NodeStatus.WARN);
        assertThat(byName.get("neg_sum").failures()).isEqualTo(5L);
        assertThat(byName.get("neg_floor").status()).isEqualTo(NodeStatus.FAIL);
        assertThat(byName.get("neg_floor").failures()).isEqualTo(1L);
        assertThat(byName.get("neg_none").status()).isEqualTo(NodeStatus.PASS);
        assertThat(byName.get("neg_none").failures()).isZero();
        assertThat(byName.get("av_limited").status()).as(byName.get("av_limited").message()).isEqualTo(NodeStatus.FAIL);
        assertThat(byName.get("av_limited").failures()).isEqualTo(2L);
        assertThat(byName.get("av_where").status()).isEqualTo(NodeStatus.PASS);
        assertThat(byName.get("nn_ephemeral").status()).isEqualTo(NodeStatus.PASS);
        assertThat(byName.get("av_table").status()).isEqualTo(NodeStatus.WARN);
        assertThat(byName.get("av_table").failures()).isEqualTo(3L);

        String url = "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
        assertThat(Fixtures.query(url, "select table_name, table_type from information_schema.tables where table_schema = 'main_dbt_test__audit' order by 1").toString())
                .isEqualTo("[[av_limited, VIEW], [av_table, BASE TABLE], [av_where, BASE TABLE]]");
        assertThat(Fixtures.scalar(url, "select count(*) from main_dbt_test__audit.av_limited").toString()).isEqualTo("2");
        assertThat(Fixtures.scalar(url, "select count(*) from main_dbt_test__audit.av_table").toString()).isEqualTo("3");

        // a second run replaces the stored view with a table and back, whatever was there
        Fixtures.write(dir.resolve("models/schema.yml"), SCHEMA.replace("store_failures_as: view", "store_failures_as: table"));
        new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).test();
        assertThat(Fixtures.scalar(url, "select table_type from information_schema.tables where table_schema = 'main_dbt_test__audit' and table_name = 'av_limited'"))
                .isEqualTo("BASE TABLE");
    }

    @Test
    void manyTestsStoringFailuresAtOnceAllGetTheirAuditRelation() {
        // each test used to create the audit schema itself when it stored its failures: two at once on DuckDB met a
        // write-write conflict on the catalog and one test ended in ERROR (seen once under load); now the build creates
        // it first, with the models' schemas
        StringBuilder schema = new StringBuilder("version: 2\nmodels:\n  - name: o\n    columns:\n      - name: n\n        tests:\n");
        int tests = 24;
        for (int i = 0; i < tests; i++) {
            schema.append("          - accepted_values:\n              name: av_").append(i).append("\n              values: [5]\n")
                    .append("              config: {store_failures_as: ").append(i % 2 == 0 ? "view" : "table").append("}\n");
        }
        Fixtures.project(dir, "seeds/orders.csv", "id,n\n1,5\n2,0\n3,-2\n", "models/o.sql", "select * from {{ ref('orders') }}",
                "models/schema.yml", schema.toString());
        TransformOptions eight = TransformOptions.defaults().withWarehouse(WarehouseTarget.duckdb(dir.resolve("w.duckdb"), "main", 8));
        RunSummary r = new TransformRunner(TransformProject.load(dir, eight), null).build();
        for (NodeResult n : r.results()) {
            if (n.name().startsWith("av_")) assertThat(n.status()).as(n.name() + ": " + n.message()).isEqualTo(NodeStatus.FAIL);
        }
        String url = "jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath();
        assertThat(Fixtures.scalar(url, "select count(*) from information_schema.tables where table_schema = 'main_dbt_test__audit'").toString())
                .isEqualTo(String.valueOf(tests));
    }

    @Test
    void anUnknownStoreFailuresAsIsAConfigErrorAtItsLine() {
        Fixtures.project(dir, "models/o.sql", "select 1 as n", "models/schema.yml", """
                version: 2
                models:
                  - name: o
                    columns:
                      - name: n
                        tests:
                          - not_null:
                              config: {store_failures_as: tabel}
                """);
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/schema.yml:6").hasMessageContaining("store_failures_as is 'tabel'");
    }

    /**
     * As dbt, a test's config values are rendered: an {@code enabled} written as a Jinja condition on the target keeps
     * or drops the test by its value, {@code severity} and {@code where} may be Jinja too. Unrendered, the text
     * {@code "{{ ... }}"} read as false and such a test silently vanished.
     */
    @Test
    void testConfigValuesAreRenderedAsDbtRendersThem() {
        Fixtures.project(dir, "seeds/orders.csv", "id,n\n1,5\n2,0\n", "models/o.sql", "select * from {{ ref('orders') }}",
                "models/schema.yml", """
                        version: 2
                        models:
                          - name: o
                            columns:
                              - name: n
                                tests:
                                  - accepted_values:
                                      name: kept_by_target
                                      values: [5]
                                      config:
                                        enabled: "{{ target.type not in ['bigquery', 'spark'] }}"
                                        severity: "{{ 'warn' if target.type == 'duckdb' else 'error' }}"
                                  - not_null:
                                      name: dropped_by_target
                                      config:
                                        enabled: "{{ target.type in ['bigquery', 'trino'] }}"
                                  - accepted_values:
                                      name: where_rendered
                                      values: [5]
                                      config:
                                        where: "n > {{ 1 + 1 }}"
                        """);
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        Map<String, NodeResult> byName = r.results().stream().collect(Collectors.toMap(NodeResult::name, x -> x));
        assertThat(byName).containsKeys("kept_by_target", "where_rendered").doesNotContainKey("dropped_by_target");
        assertThat(byName.get("kept_by_target").status()).as(byName.get("kept_by_target").message()).isEqualTo(NodeStatus.WARN);
        assertThat(byName.get("where_rendered").status()).as(byName.get("where_rendered").message()).isEqualTo(NodeStatus.PASS);
    }
}
