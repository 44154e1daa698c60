package dev.tributary.source.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HubspotScheduleSettingsTest {
    private static HubspotConfig parse(String archivedEvery, String reconcileEvery) {
        ObjectNode o = SandboxSupport.JSON.createObjectNode().put("access_token", "pat-na1-x");
        if (archivedEvery != null) o.put("archived_every", archivedEvery);
        if (reconcileEvery != null) o.put("reconcile_every", reconcileEvery);
        return HubspotConfig.from(Config.of(o));
    }

    @Test
    void defaultsAreAnHourAndAWeek() {
        HubspotConfig c = parse(null, null);
        assertThat(c.archivedEvery()).isEqualTo(Duration.ofHours(1));
        assertThat(c.reconcileEvery()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void durationsReadInEveryWrittenForm() {
        assertThat(parse("30m", "1d").archivedEvery()).isEqualTo(Duration.ofMinutes(30));
        assertThat(parse("90s", "PT12H").reconcileEvery()).isEqualTo(Duration.ofHours(12));
        assertThat(parse("0", "off").archivedEvery()).isZero();
        assertThat(parse("0", "off").reconcileEvery()).isZero();
    }

    @Test
    void aBadDurationNamesTheKey() {
        assertThatThrownBy(() -> parse("soon", null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("archived_every").hasMessageContaining("expected a duration such as 30m, 1h or 7d");
        assertThatThrownBy(() -> parse(null, "-1d")).isInstanceOf(ConfigException.class).hasMessageContaining("reconcile_every");
    }
}
