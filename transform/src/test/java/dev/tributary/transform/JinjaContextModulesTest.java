package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import dev.tributary.testkit.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbt's context: {@code modules.re / itertools / datetime / pytz} with Python's semantics (a missing function is an
 * error), {@code should_store_failures()}, {@code should_full_refresh()}, {@code dbt_version}, {@code local_md5},
 * {@code run_started_at.strftime/astimezone}, {@code flags}, and the {@code dbt.*} timestamp macros on DuckDB and
 * PostgreSQL.
 */
class JinjaContextModulesTest {
    @TempDir
    Path dir;

    static final String MODULES = """
            select '{{ modules.re.match("a(b)", "abc").group(1) }}' as re_group,
              {{ modules.re.match("x", "abc") is none }} as re_none,
              '{{ modules.re.sub("(\\\\w)b", "\\\\1X", "abcab") }}' as re_sub,
              '{{ modules.re.findall("[0-9]+", "a1b22")|join(",") }}' as re_all,
              {{ modules.re.search("B", "abc", modules.re.I).start() }} as re_ci,
              '{{ modules.re.split(",\\\\s*", "a, b,c")|join("|") }}' as re_split,
              '{{ modules.itertools.chain([1], [2, 3])|join(",") }}' as chained,
              {{ modules.itertools.product([1, 2], ["a", "b"])|length }} as prod,
              {{ modules.itertools.combinations([1, 2, 3], 2)|length }} as comb,
              {{ should_store_failures() }} as ssf, {{ should_full_refresh() }} as sfr,
              '{{ dbt_version }}' as ver, '{{ local_md5("a") }}' as md5,
              '{{ flags.WHICH }}' as which,
              {{ run_started_at.strftime("%Y")|int > 2000 }} as year_ok,
              '{{ run_started_at.astimezone(modules.pytz.timezone("UTC")).strftime("%Z %z") }}' as zone,
              '{{ run_started_at.tzinfo }}' as tz,
              {{ dbt.current_timestamp_backcompat() }} as ts, {{ current_timestamp_in_utc_backcompat() }} as ts_utc,
              {{ dbt.cast_bool_to_text("true") }} as bool_text, cast(1 as {{ dbt.type_bigint() }}) as big
            """;

    static final String EXPECTED = "[b, true, aXcaX, 1,22, 1, a|b|c, 1,2,3, 4, 3, false, false, 1.8.0, 0cc175b9c0f1b6a831c399e269772661, build, true, UTC +0000, UTC, true, true, true, 1]";

    static final String CHECK = "select re_group, re_none, re_sub, re_all, re_ci, re_split, chained, prod, comb, ssf, sfr, ver, md5, which, year_ok, zone, tz,"
            + " ts is not null, ts_utc is not null, bool_text, big from ";

    @Test
    void modulesAndContextOnDuckDb() {
        Fixtures.project(dir, "models/ctx.sql", MODULES);
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Fixtures.query("jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath(), CHECK + "main.ctx").get(0).toString()).isEqualTo(EXPECTED);
    }

    @Test
    void modulesAndContextOnPostgres() {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "tr_jinjactx");
        try {
            Fixtures.project(dir, "models/ctx.sql", MODULES);
            TransformOptions options = TransformOptions.defaults().withWarehouse(WarehouseTarget.of("postgres", url, schema, null, null).withThreads(2));
            RunSummary r = new TransformRunner(TransformProject.load(dir, options), null).build();
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(Fixtures.query(url, CHECK + schema + ".ctx").get(0).toString()).isEqualTo(EXPECTED);
        } finally {
            TestDatabases.dropPostgresSchema(url, schema);
        }
    }

    @Test
    void aMissingModuleFunctionIsAnErrorNotAnEmptyString() {
        Fixtures.project(dir, "models/m.sql", "select 1 as x,\n '{{ modules.re.no_such_function(\"a\", \"b\") }}' as y");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/m.sql:2").hasMessageContaining("no_such_function");
        Fixtures.write(dir.resolve("models/m.sql"), "select 1 as x,\n '{{ modules.itertools.no_such_function([1]) }}' as y");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/m.sql:2").hasMessageContaining("no_such_function");
    }
}
