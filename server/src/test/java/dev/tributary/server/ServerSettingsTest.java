package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {
    @Test
    void defaultsBindToLoopbackOnPort8080WithTwelveHourSessions() {
        ServerSettings s = ServerSettings.parse(TestServer.serverConfig("{}"), Map.of(ServerSettings.ENV_ADMIN_PASSWORD, "pw"));
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.sessionTimeout()).isEqualTo(Duration.ofHours(12));
        assertThat(s.adminUser()).isEqualTo("admin");
        assertThat(s.apiToken()).isEmpty();
        assertThat(s.metricsPublic()).isFalse();
        assertThat(s.adminPassword().matches("pw".toCharArray())).isTrue();
        assertThat(s.adminPassword().matches("pw2".toCharArray())).isFalse();
        assertThat(s.adminPassword().iterations()).isGreaterThanOrEqualTo(100_000);
    }

    @Test
    void readsEverySettingAndTheMetadataKeyBelongsToTheScheduler() {
        ServerSettings s = ServerSettings.parse(TestServer.serverConfig("""
                host: 0.0.0.0
                port: 9000
                public_url: https://tributary.example.com/
                session_timeout: 30m
                metrics_public: true
                metadata: {type: postgres, url: "jdbc:postgresql://db/meta"}
                """), Map.of(ServerSettings.ENV_ADMIN_USER, "ops", ServerSettings.ENV_ADMIN_PASSWORD, "pw", ServerSettings.ENV_API_TOKEN, "tok"));
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isEqualTo(9000);
        assertThat(s.publicUrl()).contains("https://tributary.example.com");
        assertThat(s.sessionTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.metricsPublic()).isTrue();
        assertThat(s.adminUser()).isEqualTo("ops");
        assertThat(s.apiToken()).contains("tok");
    }

    @Test
    void unknownKeyIsAnErrorWithLocationAndSuggestion() {
        assertThatThrownBy(() -> ServerSettings.parse(TestServer.serverConfig("host: 127.0.0.1\nprot: 80"), Map.of(ServerSettings.ENV_ADMIN_PASSWORD, "pw")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.prot")
                .hasMessageContaining("tributary.yml:3")
                .hasMessageContaining("did you mean 'port'");
    }

    @Test
    void badDurationIsAnError() {
        assertThatThrownBy(() -> ServerSettings.parse(TestServer.serverConfig("session_timeout: soon"), Map.of(ServerSettings.ENV_ADMIN_PASSWORD, "pw")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("session_timeout");
    }

    @Test
    void dashboardsWithQueryOrModelAndOneOrManyYColumns() {
        ServerSettings s = ServerSettings.parse(TestServer.serverConfig("""
                dashboards:
                  leads:
                    title: Leads
                    charts:
                      - {title: Leads per month, query: "select month, leads from leads_per_month order by month", x: month, y: leads, type: bar}
                      - {model: team_spending, x: team, y: [budget, spent], type: line}
                """), Map.of(ServerSettings.ENV_ADMIN_PASSWORD, "pw"));
        DashboardDef d = s.dashboard("leads").orElseThrow();
        assertThat(d.title()).isEqualTo("Leads");
        assertThat(d.charts()).hasSize(2);
        assertThat(d.charts().get(0).query()).contains("select month, leads from leads_per_month order by month");
        assertThat(d.charts().get(0).y()).containsExactly("leads");
        assertThat(d.charts().get(0).type()).isEqualTo(ChartDef.ChartType.BAR);
        assertThat(d.charts().get(1).model()).contains("team_spending");
        assertThat(d.charts().get(1).y()).containsExactly("budget", "spent");
        assertThat(d.charts().get(1).type()).isEqualTo(ChartDef.ChartType.LINE);
    }

    @Test
    void chartWithBothQueryAndModelIsAnError() {
        assertThatThrownBy(() -> ServerSettings.parse(TestServer.serverConfig("""
                dashboards:
                  x: {charts: [{query: "select 1", model: m, x: a, y: b}]}
                """), Map.of(ServerSettings.ENV_ADMIN_PASSWORD, "pw"))).isInstanceOf(ConfigException.class).hasMessageContaining("either query or model");
    }

    @Test
    void unsetPasswordIsGeneratedHandedToTheCallbackAndNeverInToString() {
        List<String> shown = new ArrayList<>();
        ServerSettings s = ServerSettings.parse(TestServer.serverConfig("{}"), Map.of(ServerSettings.ENV_API_TOKEN, "secret-token"), shown::add);
        assertThat(shown).hasSize(1);
        assertThat(shown.get(0)).hasSizeGreaterThanOrEqualTo(20);
        assertThat(s.adminPassword().matches(shown.get(0).toCharArray())).isTrue();
        assertThat(s.toString()).doesNotContain(shown.get(0)).doesNotContain("secret-token");
    }
}
