package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The introspection-utilities package (src/test/resources/introspect_utils: star, union_relations, pivot/unpivot,
 * equality and row-count tests, date_spine, generate_surrogate_key, get_relations_by_pattern/prefix,
 * get_column_values) run as a user runs it: its integration-test project installs it with {@code local: ../}, then
 * {@code seed} and {@code build}, on DuckDB and on PostgreSQL. Every model's rows and columns are checked against the
 * seeds, so a relation name that resolved to nothing (an empty union, a star of no columns) fails here; the tests that
 * must fail (equality of a changed copy, fewer_rows_than of a bigger model, both severity warn) are checked to warn.
 */
class IntrospectUtilsPackageTest {
    @TempDir
    Path dir;

    private Path copyProject() {
        return Fixtures.copy("introspect_utils", dir.resolve("introspect_utils")).resolve("integration_tests");
    }

    @Test
    void seedsAndBuildsOnDuckDb() {
        Path project = copyProject();
        Path file = dir.resolve("introspect.duckdb");
        TransformOptions options = TransformOptions.defaults().withWarehouse(WarehouseTarget.duckdb(file, "main", 2));
        RunSummary seeded = new TransformRunner(TransformProject.load(project, options), null).seed();
        assertThat(seeded.exitCode()).as(seeded.results().toString()).isZero();
        RunSummary built = new TransformRunner(TransformProject.load(project, options), null).build();
        verify(built, "jdbc:duckdb:" + file.toAbsolutePath(), "main", "introspect");
    }

    @Test
    void seedsAndBuildsOnPostgres() {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "tr_introspect_utils");
        try {
            Path project = copyProject();
            TransformOptions options = TransformOptions.defaults().withWarehouse(WarehouseTarget.of("postgres", url, schema, null, null).withThreads(2));
            RunSummary seeded = new TransformRunner(TransformProject.load(project, options), null).seed();
            assertThat(seeded.exitCode()).as(seeded.results().toString()).isZero();
            RunSummary built = new TransformRunner(TransformProject.load(project, options), null).build();
            verify(built, url, schema, "test");
        } finally {
            TestDatabases.dropPostgresSchema(url, schema);
            TestDatabases.dropPostgresSchema(url, schema + "_dbt_test__audit");
        }
    }

    /** A star of a misspelt relation, and a union of a pattern that matches nothing, fail their model loudly. */
    @Test
    void aNameThatResolvesToNothingFailsTheModel() {
        Path project = copyProject();
        Fixtures.write(project.resolve("models/misspelt_star.sql"), "-- depends_on: {{ ref('data_people_a') }}\n"
                + "select {{ introspect_utils.star(api.Relation.create(database=target.database, schema=target.schema, identifier='data_peple_a')) }} from {{ ref('data_people_a') }}\n");
        Fixtures.write(project.resolve("models/empty_pattern.sql"), "-- depends_on: {{ ref('data_people_a') }}\n"
                + "{{ introspect_utils.union_relations(introspect_utils.get_relations_by_pattern(target.schema, 'data_peple%')) }}\n");
        Fixtures.write(project.resolve("models/missing_values.sql"), "select {{ introspect_utils.pivot('kind', introspect_utils.get_column_values("
                + "api.Relation.create(database=target.database, schema=target.schema, identifier='data_evnts'), 'kind')) }} from {{ ref('data_events') }}\n");
        TransformOptions options = Fixtures.duck(dir);
        new TransformRunner(TransformProject.load(project, options), null).seed();
        RunSummary r = new TransformRunner(TransformProject.load(project, options.withSelect("misspelt_star", "empty_pattern", "missing_values")), null).run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(status(r, "misspelt_star").status()).isEqualTo(NodeStatus.ERROR);
        assertThat(status(r, "misspelt_star").message()).contains("star: no columns in", "data_peple_a");
        assertThat(status(r, "empty_pattern").message()).contains("union_relations: no relations to union");
        assertThat(status(r, "missing_values").message()).contains("get_column_values: relation", "data_evnts", "does not exist and no default");
    }

    private static NodeResult status(RunSummary r, String name) {
        List<NodeResult> m = r.results().stream().filter(n -> n.name().equals(name)).toList();
        assertThat(m).as(name + " in " + r.results()).hasSize(1);
        return m.get(0);
    }

    private static String columns(String url, String schema, String table) {
        return Fixtures.query(url, "select column_name from information_schema.columns where table_schema = '" + schema
                + "' and table_name = '" + table + "' order by ordinal_position").toString();
    }

    private static String q(String url, String sql) {
        return Fixtures.query(url, sql).toString();
    }

    private static void verify(RunSummary r, String url, String s, String database) {
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        // star: the seed's columns minus except (matched case-insensitively), aliased and renamed with prefix/suffix
        assertThat(columns(url, s, "people_star")).isEqualTo("[[id], [name]]");
        assertThat(q(url, "select count(*), count(name) from " + s + ".people_star")).isEqualTo("[[3, 3]]");
        assertThat(columns(url, s, "people_renamed")).isEqualTo("[[person_name_v], [person_city_v]]");
        assertThat(q(url, "select person_name_v, person_city_v from " + s + ".people_renamed order by 1")).isEqualTo("[[Ann, Oslo], [Bob, Lima], [Cy, Rome]]");

        // union_relations: every column of any relation, null where a relation lacks it, the source relation per row
        assertThat(columns(url, s, "people_union")).isEqualTo("[[_dbt_source_relation], [id], [name], [city], [age]]");
        assertThat(q(url, "select count(*), count(name), count(city), count(age), sum(id) from " + s + ".people_union")).isEqualTo("[[6, 5, 4, 3, 21]]");
        assertThat(q(url, "select _dbt_source_relation, count(*) from " + s + ".people_union group by 1 order by 1"))
                .isEqualTo("[[\"" + database + "\".\"" + s + "\".\"data_people_a\", 3], [\"" + database + "\".\"" + s + "\".\"data_people_b\", 2], [\""
                        + database + "\".\"" + s + "\".\"data_people_c\", 1]]");
        assertThat(q(url, "select name, city, age from " + s + ".people_union where id = 4")).isEqualTo("[[Dee, null, 41]]");
        assertThat(columns(url, s, "people_union_exclude")).isEqualTo("[[origin], [id], [name], [city]]");
        assertThat(q(url, "select id from " + s + ".people_union_exclude order by id")).isEqualTo("[[1], [3], [4], [5]]");
        // strings widened to the largest size seen (PostgreSQL would cut 'Maximilian' to varchar(3))
        assertThat(q(url, "select name from " + s + ".names_union order by id")).isEqualTo("[[Ann], [Bob], [Cy], [Maximilian]]");

        // get_relations_by_pattern (information_schema) and get_relations_by_prefix (list_relations_without_caching)
        assertThat(q(url, "select _dbt_source_relation, count(*) from " + s + ".people_by_pattern group by 1 order by 1"))
                .isEqualTo(q(url, "select _dbt_source_relation, count(*) from " + s + ".people_union group by 1 order by 1"));
        assertThat(q(url, "select count(*), count(distinct _dbt_source_relation), sum(id) from " + s + ".people_by_prefix")).isEqualTo("[[5, 2, 15]]");

        // pivot over get_column_values (ordered by product; a value with a quote escaped), and a literal value list
        assertThat(columns(url, s, "sales_pivot")).isEqualTo("[[region], [amt_apple], [amt_o'range], [amt_pear], [amt_plum]]");
        assertThat(q(url, "select region, cast(amt_apple as integer), cast(\"amt_o'range\" as integer), cast(amt_pear as integer), cast(amt_plum as integer) from "
                + s + ".sales_pivot order by region")).isEqualTo("[[east, 0, 2, 8, 0], [north, 10, 0, 5, 0], [south, 10, 0, 0, 4]]");
        assertThat(q(url, "select product, cast(north_orders as integer), cast(south_orders as integer), cast(east_orders as integer) from "
                + s + ".sales_pivot_counts order by product")).isEqualTo("[[apple, 1, 2, 0], [o'range, 0, 0, 1], [pear, 1, 0, 1], [plum, 0, 1, 0]]");

        // unpivot: id kept, q3 removed, q1/q2 turned into rows
        assertThat(columns(url, s, "wide_unpivot")).isEqualTo("[[id], [quarter], [amount]]");
        assertThat(q(url, "select id, quarter, amount from " + s + ".wide_unpivot order by id, quarter")).isEqualTo("[[1, q1, 10], [1, q2, 20], [2, q1, 1], [2, q2, 2]]");

        // date_spine: end excluded, 2024 a leap year
        assertThat(q(url, "select count(*), cast(min(date_day) as varchar), cast(max(date_day) as varchar) from " + s + ".calendar_days"))
                .isEqualTo("[[60, 2024-01-01, 2024-02-29]]");
        assertThat(q(url, "select count(*), cast(max(date_month) as varchar) from " + s + ".calendar_months")).isEqualTo("[[12, 2024-12-01]]");

        // generate_surrogate_key: md5 of the fields as text joined by '-', a null marked
        assertThat(q(url, "select event_id, event_key = md5(cast(event_id as varchar) || '-' || coalesce(cast(user_id as varchar), '_introspect_utils_null_')) from "
                + s + ".event_keys k join " + s + ".data_events e using (event_id) order by event_id")).isEqualTo("[[1, true], [2, true], [3, true]]");

        // get_column_values, and its default (with a warning) for a relation that does not exist
        assertThat(q(url, "select kinds, fallback from " + s + ".kinds_or_default")).isEqualTo("[[click,view, none]]");

        // the tests: equality / row counts pass where they should, and warn (with their failing rows) where they must
        assertThat(status(r, "union_matches_seeds").status()).isEqualTo(NodeStatus.PASS);
        NodeResult changed = r.results().stream().filter(n -> n.name().startsWith("equality_sales_changed")).findFirst().orElseThrow();
        assertThat(changed.status()).isEqualTo(NodeStatus.WARN);
        assertThat(changed.failures()).isEqualTo(2L);
        assertThat(status(r, "sales_changed_equal_without_amount").status()).isEqualTo(NodeStatus.PASS);
        NodeResult notFewer = status(r, "people_union_not_fewer_than_a");
        assertThat(notFewer.status()).isEqualTo(NodeStatus.WARN);
        assertThat(notFewer.failures()).isEqualTo(1L);
        List<NodeResult> tests = r.results().stream().filter(n -> n.resourceType() == ResourceType.TEST).toList();
        assertThat(tests).hasSize(15);
        assertThat(tests).filteredOn(n -> n != changed && n != notFewer).allMatch(n -> n.status() == NodeStatus.PASS);
        assertThat(r.results()).filteredOn(n -> n.resourceType() == ResourceType.MODEL).hasSize(18).allMatch(n -> n.status() == NodeStatus.SUCCESS);
    }
}
