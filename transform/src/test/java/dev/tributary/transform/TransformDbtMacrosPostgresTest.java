package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dbt macro projects of {@link TransformDbtMacrosDuckDbTest} on PostgreSQL, where dispatch picks postgres__ macros. */
class TransformDbtMacrosPostgresTest {
    @TempDir
    Path dir;

    private String url;
    private String schema;

    @BeforeEach
    void createSchema() {
        url = TestDatabases.postgresUrl();
        schema = TestDatabases.createPostgresSchema(url, "tr_dbtmacros");
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) TestDatabases.dropPostgresSchema(url, schema);
    }

    private void build() {
        TransformOptions options = TransformOptions.defaults().withWarehouse(WarehouseTarget.of("postgres", url, schema, null, null).withThreads(2));
        RunSummary r = new TransformRunner(TransformProject.load(dir, options), null).build();
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
    }

    @Test
    void macrosReturnValues() {
        DbtMacroProjects.returns(dir);
        build();
        assertThat(Fixtures.query(url, "select n_status, second_status, threshold, label, big7, big3, count_plus_one, e1, e2, plain, s_1, s_2 from " + schema + ".uses_values").toString())
                .isEqualTo("[[2, churned, 10, big, true, false, 3, early, late, text, active, churned]]");
    }

    @Test
    void dispatchPicksPostgresMacros() {
        DbtMacroProjects.dispatch(dir);
        build();
        assertThat(Fixtures.query(url, "select wh, shouted, greeting, greeting2 from " + schema + ".dispatched").toString())
                .isEqualTo("[[pg, mixed, hello pg bo?, hello pg al!]]");
    }

    @Test
    void dbtCrossDatabaseMacrosComputeTheExpectedValues() {
        DbtMacroProjects.dispatch(dir);
        build();
        assertThat(Fixtures.query(url, """
                select plus3::text, minus_month::text, diff_days::text, diff_months::text, diff_years::text, casted, abc, hashed, part2,
                  month_start::date::text, escaped, lit, bool_text, last_of_feb::text, last_of_q1::text, pos, replaced,
                  right2, len, today_ok, s, f, b, num, ts::text, bo, second_element
                from %s.cross_db""".formatted(schema)).toString())
                .isEqualTo("[[2024-02-02, 2024-02-29, 74, 2, 2, 42, abc, 9dd4e461268c8034f5c8564e155c67a6, b, 2024-02-01, it's, lit, true, 2024-02-29, 2024-03-31, 3, a-a, "
                        + "ef, 4, true, x, 1.5, 2, 1.250000, 2024-01-01 10:00:00, true, 2]]");
        assertThat(Fixtures.query(url, "select names, names_default, first_two, has_any, any_flag, except_count, intersect_count from " + schema + ".cross_db_agg").toString())
                .isEqualTo("[[a,b,c, c,a,b, b|a, true, true, 2, 1]]");
        assertThat(Fixtures.query(url, "select column_name, data_type from information_schema.columns where table_schema = '" + schema
                + "' and table_name = 'cross_db' and column_name in ('s', 'f', 'b', 'num', 'ts', 'bo') order by column_name").toString())
                .isEqualTo("[[b, bigint], [bo, boolean], [f, double precision], [num, numeric], [s, text], [ts, timestamp without time zone]]");
    }

    @Test
    void contextObjectsAndAgateLikeResults() {
        DbtMacroProjects.contextObjects(dir);
        build();
        assertThat(Fixtures.query(url, """
                select cols, rel_identifier, missing_is_none, loaded_exists, year_ok, target_type, schema_ok, column_names, n_rows, n_rows2,
                  first_team, first_n, second_n, second_n_attr, teams, second_column, zipped, from_json, to_json, quoted_ref
                from %s.context""".formatted(schema)).toString())
                .isEqualTo("[[id:bigint,name:text,team:text, people, true, true, true, postgres, true, team,n, 2, 2, blue, 1, 2, 2, blue|red, n, a1b2, 2, {\"a\": 1}, 1]]");
        assertThat(Fixtures.query(url, "select team, count(*) from " + schema + ".people group by team order by team").toString()).isEqualTo("[[blue, 1], [red, 2]]");
    }
}
