package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TriggerTest {
    @Test
    void describesSchedulesInTheUnitsPeopleWriteThem() {
        assertThat(new Trigger.Interval(Duration.ofSeconds(90)).describe()).isEqualTo("every 90s after the last run ends");
        assertThat(new Trigger.Interval(Duration.ofMinutes(15)).describe()).isEqualTo("every 15m after the last run ends");
        assertThat(new Trigger.Interval(Duration.ofHours(2)).describe()).isEqualTo("every 2h after the last run ends");
        assertThat(new Trigger.Interval(Duration.ofDays(1)).describe()).isEqualTo("every 1d after the last run ends");
        assertThat(new Trigger.Cron("0 7 * * *", ZoneId.of("Europe/London")).describe()).isEqualTo("0 7 * * * (Europe/London)");
        assertThat(new Trigger.Manual().describe()).isEqualTo("manual");
    }
}
