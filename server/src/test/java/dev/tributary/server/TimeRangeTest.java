package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeRangeTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void placeholdersBecomeParametersBoundInOrder() {
        TimeRange week = TimeRange.of("7d", NOW);
        TimeRange.Bound bound = week.bind("select day, n from t where at >= {{ range_start }} and at < {{range_end}} and x >= {{ range_start }}");
        assertThat(bound.sql()).isEqualTo("select day, n from t where at >= ? and at < ? and x >= ?");
        assertThat(bound.parameters()).containsExactly(Instant.parse("2026-11-29T12:00:00Z"), NOW, Instant.parse("2026-11-29T12:00:00Z"));
        assertThat(TimeRange.of("all", NOW).start()).isEqualTo(TimeRange.ALL_START);
        assertThat(TimeRange.of("90D", NOW).name()).isEqualTo("90d");
        assertThat(TimeRange.takesRange("select 1")).isFalse();
    }

    @Test
    void aQuotedPlaceholderOrAnUnknownRangeIsRefusedWithWhatToDo() {
        assertThatThrownBy(() -> TimeRange.check("select * from t where d >= '{{ range_start }}'"))
                .hasMessageContaining("without quotes").hasMessageContaining("{{ range_start }}");
        assertThatThrownBy(() -> TimeRange.of("2w", NOW)).hasMessage("unknown range '2w'; expected one of 7d, 30d, 90d, all");
        // quotes closed before the placeholder are fine
        TimeRange.check("select 'a''b' as s from t where d >= {{ range_start }}");
    }
}
