package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code modules.datetime} with Python's semantics: constructors, strptime, fromisoformat, timedelta and + / - / comparisons. */
class JinjaDatetimeModuleTest {
    @TempDir
    Path dir;

    static final String MODEL = """
            {%- set dt = modules.datetime -%}
            {%- set a = dt.datetime(2024, 1, 31, 22, 30) -%}
            {%- set b = a + dt.timedelta(days=1, hours=2) -%}
            {%- set out = [
                a, b, (a - dt.timedelta(weeks=1)).strftime('%Y-%m-%d'),
                b - a, (b - a).days, (b - a).seconds, (b - a).total_seconds(), dt.timedelta(seconds=-1), dt.timedelta(0, 90),
                dt.datetime.strptime('2024-03-05 07:08:09', '%Y-%m-%d %H:%M:%S'),
                dt.datetime.strptime('2024-03-05 07:08:09', '%Y-%m-%d %H:%M:%S').isoformat(),
                dt.datetime.strptime('2024-03-05T07:08:09.5+0200', '%Y-%m-%dT%H:%M:%S.%f%z'),
                dt.datetime.strptime('05 Mar 24 7PM', '%d %b %y %I%p'),
                dt.datetime.fromisoformat('2024-03-05T07:08:09'), dt.datetime.fromisoformat('2024-03-05'),
                dt.datetime.fromisoformat('2024-03-05 07:08:09+00:00').tzinfo,
                dt.date(2024, 2, 28) + dt.timedelta(days=1), dt.date.fromisoformat('2024-12-31').strftime('%d/%m'),
                a < b, dt.timedelta(hours=1) == dt.timedelta(minutes=60), dt.datetime(2024, 1, 1) == dt.datetime(2024, 1, 1, 0, 0, 0),
                dt.datetime(2024, 1, 1, tzinfo=modules.pytz.utc), dt.datetime.now(modules.pytz.utc).tzinfo,
                (run_started_at - dt.timedelta(days=1)) < run_started_at, a.replace(day=1).weekday(),
                1 + 2, 5 - 2, 'x' + 'y'
            ] -%}
            select '{{ out | join("|") }}' as v
            """;

    @Test
    void pythonDatetimeOnDuckDb() {
        Fixtures.project(dir, "models/d.sql", MODEL);
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String v = String.valueOf(Fixtures.scalar("jdbc:duckdb:" + dir.resolve("w.duckdb").toAbsolutePath(), "select v from main.d"));
        assertThat(v.split("\\|")).containsExactly(
                "2024-01-31 22:30:00", "2024-02-02 00:30:00", "2024-01-24",
                "1 day, 2:00:00", "1", "7200", "93600.0", "-1 day, 23:59:59", "0:01:30",
                "2024-03-05 07:08:09", "2024-03-05T07:08:09", "2024-03-05 07:08:09.500000+02:00", "2024-03-05 19:00:00",
                "2024-03-05 07:08:09", "2024-03-05 00:00:00", "UTC",
                "2024-02-29", "31/12",
                "True", "True", "True",
                "2024-01-01 00:00:00+00:00", "UTC",
                "True", "0",
                "3", "3", "xy");
    }

    @Test
    void pythonsErrorsNameTheModelLine() {
        Fixtures.project(dir, "models/d.sql", "select 1 as x,\n '{{ modules.datetime.datetime.strptime(\"2024-13\", \"%Y-%d-%m\") }}' as y");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/d.sql:2").hasMessageContaining("does not match format");
        Fixtures.write(dir.resolve("models/d.sql"), "select 1 as x,\n '{{ modules.datetime.datetime(2024, 1, 1) + 1 }}' as y");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/d.sql:2").hasMessageContaining("unsupported operand type(s) for +: 'datetime.datetime' and 'int'");
        Fixtures.write(dir.resolve("models/d.sql"), "select 1 as x,\n '{{ modules.datetime.timedelta(fortnights=1) }}' as y");
        assertThatThrownBy(() -> TransformProject.load(dir, Fixtures.duck(dir))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models/d.sql:2").hasMessageContaining("unexpected keyword argument 'fortnights'");
    }
}
