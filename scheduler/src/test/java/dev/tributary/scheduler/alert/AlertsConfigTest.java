package dev.tributary.scheduler.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.project.Environment;
import dev.tributary.project.YamlDocument;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertsConfigTest {
    private static final Map<String, String> ENV = Map.of(
            "SMTP_USER", "alerts", "SMTP_PASSWORD", "pa55-w0rd-secret",
            "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/TOKEN-XYZ");

    static Config alerts(String yaml) {
        return YamlDocument.parse("tributary.yml", yaml, Environment.of(ENV)).config().child("alerts");
    }

    @Test
    void readsTheDocumentedExample() {
        AlertsConfig c = AlertsConfig.parse(alerts("""
                alerts:
                  on: [failure, recovery, retry]
                  public_url: http://127.0.0.1:8080/
                  email:
                    smtp:
                      host: smtp.example.com
                      port: 587
                      user: ${SMTP_USER}
                      password: ${SMTP_PASSWORD}
                      starttls: true
                      ssl: false
                    from: tributary@example.com
                    to: [ops@example.com, data@example.com]
                    on: [failure]
                  webhooks:
                    - url: ${SLACK_WEBHOOK_URL}
                      format: slack
                    - url: http://127.0.0.1:9000/hook
                  freshness:
                    check_every: 5m
                    tables:
                      - {table: hubspot.contacts, column: _tributary_extracted_at, max_age: 6h}
                      - {table: files.leads, max_age: 1d}
                """));
        assertThat(c.on()).containsExactlyInAnyOrder(AlertEvent.FAILURE, AlertEvent.RECOVERY, AlertEvent.RETRY);
        assertThat(c.runUrl(42)).contains("http://127.0.0.1:8080/runs/42");
        AlertsConfig.Email email = c.email().orElseThrow();
        assertThat(email.smtp().host()).isEqualTo("smtp.example.com");
        assertThat(email.smtp().port()).isEqualTo(587);
        assertThat(email.smtp().user()).contains("alerts");
        assertThat(email.smtp().password()).contains("pa55-w0rd-secret");
        assertThat(email.smtp().starttls()).isTrue();
        assertThat(email.smtp().ssl()).isFalse();
        assertThat(email.to()).containsExactly("ops@example.com", "data@example.com");
        assertThat(email.on()).contains(Set.of(AlertEvent.FAILURE));
        assertThat(c.webhooks()).hasSize(2);
        assertThat(c.webhooks().get(0).url()).isEqualTo(URI.create("https://hooks.slack.com/services/T000/B000/TOKEN-XYZ"));
        assertThat(c.webhooks().get(0).format()).isEqualTo(WebhookFormat.SLACK);
        assertThat(c.webhooks().get(1).format()).isEqualTo(WebhookFormat.JSON);
        assertThat(c.webhooks().get(1).on()).isEmpty();
        assertThat(c.freshness().checkEvery()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.freshness().tables()).containsExactly(
                new AlertsConfig.TableDeadline("hubspot.contacts", "_tributary_extracted_at", Duration.ofHours(6)),
                new AlertsConfig.TableDeadline("files.leads", "_tributary_extracted_at", Duration.ofDays(1)));
    }

    @Test
    void defaultsAlertOnFailureRecoveryAndFreshnessWithNoChannels() {
        AlertsConfig c = AlertsConfig.parse(alerts("""
                alerts:
                  webhooks:
                    - url: http://127.0.0.1:9000/hook
                """));
        assertThat(c.on()).containsExactlyInAnyOrder(AlertEvent.FAILURE, AlertEvent.RECOVERY, AlertEvent.FRESHNESS);
        assertThat(c.publicUrl()).isEmpty();
        assertThat(c.runUrl(1)).isEmpty();
        assertThat(c.email()).isEmpty();
        assertThat(c.freshness().checkEvery()).isEqualTo(AlertsConfig.DEFAULT_CHECK_EVERY);
        assertThat(AlertsConfig.parse(alerts("name: x\n"))).isEqualTo(AlertsConfig.none());
    }

    @Test
    void smtpPortFollowsTheTlsMode() {
        AlertsConfig ssl = AlertsConfig.parse(alerts("""
                alerts:
                  email: {smtp: {host: mail.local, ssl: true}, from: a@b.c, to: ops@b.c}
                """));
        assertThat(ssl.email().orElseThrow().smtp().port()).isEqualTo(465);
        AlertsConfig plain = AlertsConfig.parse(alerts("""
                alerts:
                  email: {smtp: {host: mail.local}, from: a@b.c, to: ops@b.c}
                """));
        assertThat(plain.email().orElseThrow().smtp().port()).isEqualTo(25);
        assertThat(plain.email().orElseThrow().to()).containsExactly("ops@b.c");
    }

    @Test
    void toStringHidesThePasswordAndTheWebhookToken() {
        AlertsConfig c = AlertsConfig.parse(alerts("""
                alerts:
                  email:
                    # in a {flow mapping} a ${VAR} must be quoted: YAML reads its brace as a nested mapping
                    smtp: {host: smtp.example.com, user: "${SMTP_USER}", password: "${SMTP_PASSWORD}"}
                    from: tributary@example.com
                    to: ops@example.com
                  webhooks:
                    - url: ${SLACK_WEBHOOK_URL}
                      format: slack
                """));
        assertThat(c.email().orElseThrow().smtp().password()).contains("pa55-w0rd-secret");
        String text = c.toString();
        assertThat(text).contains("smtp.example.com", "hooks.slack.com", "password=***");
        assertThat(text).doesNotContain("pa55-w0rd-secret", "TOKEN-XYZ", "/services/");
    }

    @Test
    void unknownKeyIsAnErrorWithFileLineAndSuggestion() {
        assertThatThrownBy(() -> AlertsConfig.parse(alerts("""
                alerts:
                  on: [failure]
                  email:
                    smtp: {host: smtp.example.com}
                    from: tributary@example.com
                    too: [ops@example.com]
                    to: ops@example.com
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tributary.yml:6")
                .hasMessageContaining("alerts.email.too")
                .hasMessageContaining("unknown key")
                .hasMessageContaining("did you mean 'to'");
    }

    @Test
    void unknownKeyInsideAWebhookOrTableIsAnError() {
        assertThatThrownBy(() -> AlertsConfig.parse(alerts("""
                alerts:
                  webhooks:
                    - url: http://127.0.0.1:9000/hook
                      fromat: slack
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tributary.yml:4")
                .hasMessageContaining("alerts.webhooks[0].fromat");
        assertThatThrownBy(() -> AlertsConfig.parse(alerts("""
                alerts:
                  freshness:
                    tables:
                      - {table: a.b, max_age: 1h, colum: x}
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("alerts.freshness.tables[0].colum");
    }

    @Test
    void badWebhookFormatIsAnError() {
        assertThatThrownBy(() -> AlertsConfig.parse(alerts("""
                alerts:
                  webhooks:
                    - url: http://127.0.0.1:9000/hook
                      format: teams
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tributary.yml:4")
                .hasMessageContaining("alerts.webhooks[0].format")
                .hasMessageContaining("json, slack");
    }

    @Test
    void missingSmtpHostIsAnError() {
        assertThatThrownBy(() -> AlertsConfig.parse(alerts("""
                alerts:
                  email:
                    smtp: {port: 587}
                    from: tributary@example.com
                    to: [ops@example.com]
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tributary.yml:3")
                .hasMessageContaining("alerts.email.smtp.host")
                .hasMessageContaining("is required");
        assertThatThrownBy(() -> AlertsConfig.parse(alerts("""
                alerts:
                  email: {from: tributary@example.com, to: ops@example.com}
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("alerts.email.smtp");
    }

    @Test
    void badWebhookUrlIsAnErrorThatDoesNotEchoTheUrl() {
        assertThatThrownBy(() -> AlertsConfig.parse(alerts("""
                alerts:
                  webhooks:
                    - url: hooks.slack.com/services/SECRET-TOKEN
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("alerts.webhooks[0].url")
                .hasMessageNotContaining("SECRET-TOKEN");
    }

    @Test
    void unknownEventAndBadDurationAreErrors() {
        assertThatThrownBy(() -> AlertsConfig.parse(alerts("""
                alerts:
                  on: [failure, recovry]
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("alerts.on")
                .hasMessageContaining("unknown event 'recovry'")
                .hasMessageContaining("did you mean 'recovery'");
        assertThatThrownBy(() -> AlertsConfig.parse(alerts("""
                alerts:
                  freshness:
                    check_every: soon
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("alerts.freshness.check_every")
                .hasMessageContaining("'soon'");
        assertThatThrownBy(() -> AlertsConfig.parse(alerts("""
                alerts:
                  freshness:
                    tables:
                      - {table: a.b}
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("alerts.freshness.tables[0].max_age")
                .hasMessageContaining("is required");
    }

    @Test
    void durationsAcceptUnitsSecondsAndIso() {
        Config c = Config.of(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("a", "250ms").put("b", "90").put("c", "PT2H").put("d", "3d").put("e", "0s"));
        assertThat(AlertsConfig.duration(c, "a")).isEqualTo(Duration.ofMillis(250));
        assertThat(AlertsConfig.duration(c, "b")).isEqualTo(Duration.ofSeconds(90));
        assertThat(AlertsConfig.duration(c, "c")).isEqualTo(Duration.ofHours(2));
        assertThat(AlertsConfig.duration(c, "d")).isEqualTo(Duration.ofDays(3));
        assertThatThrownBy(() -> AlertsConfig.duration(c, "e")).hasMessageContaining("longer than zero");
    }
}
