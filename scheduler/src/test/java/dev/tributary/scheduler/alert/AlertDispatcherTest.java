package dev.tributary.scheduler.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunStatus;
import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.StepRecord;
import dev.tributary.scheduler.StepStatus;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alerts through a real SMTP server (GreenMail) and real HTTP webhook receivers, all on 127.0.0.1. */
class AlertDispatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2026-11-30T07:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "smtp-pa55-secret";

    private GreenMail smtp;
    private WebhookReceiver jsonHook;
    private WebhookReceiver slackHook;
    private final MutableClock clock = new MutableClock(T0.plusSeconds(100));
    private final List<DeliveryFailure> failures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.setUser("tributary@example.com", "alerts", PASSWORD);
        smtp.start();
        jsonHook = new WebhookReceiver();
        slackHook = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        smtp.stop();
        jsonHook.close();
        slackHook.close();
    }

    private AlertsConfig config(String on, int smtpPort) {
        return AlertsConfig.parse(AlertsConfigTest.alerts("""
                alerts:
                  on: %s
                  public_url: http://127.0.0.1:8080/
                  email:
                    smtp: {host: 127.0.0.1, port: %d, user: alerts, password: %s, timeout: 5s}
                    from: tributary@example.com
                    to: [ops@example.com]
                  webhooks:
                    - url: %s
                    - url: %s
                      format: slack
                """.formatted(on, smtpPort, PASSWORD, jsonHook.url("/hook/json-TOKEN"), slackHook.url("/services/T1/B2/SLACK-TOKEN"))));
    }

    private AlertDispatcher dispatcher(String on) {
        return new AlertDispatcher(config(on, smtp.getSmtp().getPort()), clock, Duration.ofMillis(20), failures::add);
    }

    static RunRecord run(long id, RunStatus status, Optional<String> error) {
        return new RunRecord(id, "revops", status, "schedule", T0, Optional.of(T0), Optional.of(T0.plusSeconds(95)), error,
                Optional.empty(), 1200);
    }

    static StepRecord step(long runId, StepStatus status, int attempt, String error) {
        return new StepRecord(runId, "sync-1", StepKind.SYNC, status, attempt, Optional.of(T0), Optional.of(T0.plusSeconds(90)), 0,
                "", Optional.of(error));
    }

    static JsonNode json(WebhookReceiver.Request r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    static String event(WebhookReceiver.Request r) {
        return json(r).get("event").asText();
    }

    private void fail(AlertDispatcher d, long id, RunStatus previous) {
        RunRecord running = run(id, RunStatus.RUNNING, Optional.empty());
        d.runStarted(running);
        d.stepFinished(running, step(id, StepStatus.FAILED, 1, "HTTP 401 from HubSpot: token expired\n  at HubspotClient.get"));
        d.runFinished(run(id, RunStatus.FAILED, Optional.of("step sync-1 failed")), previous);
    }

    @Test
    void failedRunSendsOneEmailAndPostsJsonAndSlack() throws Exception {
        try (AlertDispatcher d = dispatcher("[failure, recovery]")) {
            fail(d, 42, RunStatus.SUCCEEDED);

            assertThat(smtp.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
            JsonNode json = JSON.readTree(jsonHook.next(WAIT).body());
            WebhookReceiver.Request slackRequest = slackHook.next(WAIT);
            assertThat(d.awaitIdle(WAIT)).isTrue();

            MimeMessage[] mails = smtp.getReceivedMessages();
            assertThat(mails).hasSize(1);
            MimeMessage mail = mails[0];
            assertThat(mail.getSubject()).isEqualTo("[tributary] revops FAILED (run 42): step sync-1: HTTP 401 from HubSpot: token expired");
            assertThat(mail.getRecipients(Message.RecipientType.TO)).extracting(Object::toString).containsExactly("ops@example.com");
            assertThat(mail.getFrom()).extracting(Object::toString).containsExactly("tributary@example.com");
            String body = GreenMailUtil.getBody(mail);
            assertThat(body).contains("HTTP 401 from HubSpot: token expired", "at HubspotClient.get",
                    "http://127.0.0.1:8080/runs/42", "Step: sync-1", "Duration: 1m 35s");

            assertThat(json.get("event").asText()).isEqualTo("failure");
            assertThat(json.get("pipeline").asText()).isEqualTo("revops");
            assertThat(json.get("run_id").asLong()).isEqualTo(42);
            assertThat(json.get("status").asText()).isEqualTo("FAILED");
            assertThat(json.get("step").asText()).isEqualTo("sync-1");
            assertThat(json.get("error").asText()).startsWith("HTTP 401 from HubSpot: token expired");
            assertThat(Instant.parse(json.get("started_at").asText())).isEqualTo(T0);
            assertThat(Instant.parse(json.get("ended_at").asText())).isEqualTo(T0.plusSeconds(95));
            assertThat(json.get("duration_seconds").asDouble()).isEqualTo(95.0);
            assertThat(json.get("url").asText()).isEqualTo("http://127.0.0.1:8080/runs/42");

            assertThat(slackRequest.path()).isEqualTo("/services/T1/B2/SLACK-TOKEN");
            assertThat(slackRequest.contentType()).startsWith("application/json");
            JsonNode slack = JSON.readTree(slackRequest.body());
            assertThat(slack.fieldNames()).toIterable().containsExactly("text");
            String text = slack.get("text").asText();
            assertThat(text).startsWith("*revops FAILED (run 42): step sync-1: HTTP 401 from HubSpot: token expired*")
                    .contains("`HTTP 401 from HubSpot: token expired`", "<http://127.0.0.1:8080/runs/42|Open run 42>");
            assertThat(failures).isEmpty();
        }
        assertThat(jsonHook.all()).hasSize(1);
        assertThat(slackHook.all()).hasSize(1);
    }

    @Test
    void successAfterFailureIsARecovery() throws Exception {
        try (AlertDispatcher d = dispatcher("[failure, recovery]")) {
            d.runFinished(run(43, RunStatus.SUCCEEDED, Optional.empty()), RunStatus.FAILED);
            JsonNode json = JSON.readTree(jsonHook.next(WAIT).body());
            assertThat(json.get("event").asText()).isEqualTo("recovery");
            assertThat(json.get("run_id").asLong()).isEqualTo(43);
            assertThat(json.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(json.get("error").isNull()).isTrue();
            assertThat(smtp.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
            assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo("[tributary] revops RECOVERED (run 43): succeeded after a FAILED run");
            assertThat(JSON.readTree(slackHook.next(WAIT).body()).get("text").asText()).contains("revops RECOVERED (run 43)");
        }
    }

    @Test
    void aStepServedFromAFallbackAlertsOnTheFailureChannels() throws Exception {
        try (AlertDispatcher d = dispatcher("[failure]")) {
            RunRecord running = run(44, RunStatus.RUNNING, Optional.empty());
            d.stepFinished(running, new StepRecord(44, "sync-1", StepKind.SYNC, StepStatus.SUCCEEDED, 1, Optional.of(T0), Optional.of(T0.plusSeconds(9)), 120,
                    "1 connection, 1 streams, 120 records; " + dev.tributary.scheduler.StepOutcome.FALLBACK_MARK
                            + "leads_sheet.leads (Google Sheets API unusable (Invalid JWT Signature.); served from fallback exports/leads.csv (1 file))",
                    Optional.empty()));
            d.runFinished(run(44, RunStatus.SUCCEEDED, Optional.empty()), RunStatus.SUCCEEDED);
            JsonNode json = JSON.readTree(jsonHook.next(WAIT).body());
            assertThat(json.get("event").asText()).isEqualTo("fallback");
            assertThat(smtp.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
            assertThat(smtp.getReceivedMessages()[0].getSubject()).startsWith("[tributary] revops FALLBACK (run 44): step sync-1: FALLBACK: leads_sheet.leads")
                    .contains("Invalid JWT Signature.");
        }
    }

    @Test
    void successAfterSuccessAndCancelledRunsDoNotAlert() throws Exception {
        try (AlertDispatcher d = dispatcher("[failure, recovery]")) {
            d.runFinished(run(1, RunStatus.SUCCEEDED, Optional.empty()), RunStatus.SUCCEEDED);
            d.runFinished(run(2, RunStatus.SUCCEEDED, Optional.empty()), null);
            d.runFinished(run(3, RunStatus.CANCELLED, Optional.empty()), RunStatus.SUCCEEDED);
            // A failure afterwards is the first and only alert each channel gets: the runs above sent nothing.
            fail(d, 4, RunStatus.CANCELLED);
            assertThat(d.awaitIdle(WAIT)).isTrue();
        }
        assertThat(smtp.getReceivedMessages()).extracting(MimeMessage::getSubject).singleElement().asString().contains("(run 4)");
        assertThat(jsonHook.all()).singleElement().extracting(r -> json(r).get("run_id").asLong()).isEqualTo(4L);
        assertThat(slackHook.all()).hasSize(1);
    }

    @Test
    void retryAlertsOnlyWhenListed() throws Exception {
        RunRecord running = run(7, RunStatus.RUNNING, Optional.empty());
        try (AlertDispatcher d = dispatcher("[failure, recovery]")) {
            d.stepRetrying(running, step(7, StepStatus.RETRYING, 1, "connection reset"), Duration.ofSeconds(30));
            d.runFinished(run(7, RunStatus.SUCCEEDED, Optional.empty()), RunStatus.FAILED);
            assertThat(d.awaitIdle(WAIT)).isTrue();
        }
        assertThat(jsonHook.all()).extracting(AlertDispatcherTest::event).containsExactly("recovery");

        try (AlertDispatcher d = dispatcher("[failure, retry]")) {
            d.stepRetrying(running, step(7, StepStatus.RETRYING, 1, "connection reset"), Duration.ofSeconds(30));
            JsonNode json = JSON.readTree(jsonHook.next(WAIT).body());
            JsonNode retry = JSON.readTree(jsonHook.next(WAIT).body());
            assertThat(json.get("event").asText()).isEqualTo("recovery");
            assertThat(retry.get("event").asText()).isEqualTo("retry");
            assertThat(retry.get("step").asText()).isEqualTo("sync-1");
            assertThat(retry.get("error").asText()).isEqualTo("connection reset");
            assertThat(retry.get("note").asText()).isEqualTo("attempt 1 failed; next attempt in 30s");
            assertThat(smtp.waitForIncomingEmail(WAIT.toMillis(), 2)).isTrue();
            assertThat(smtp.getReceivedMessages()[1].getSubject()).isEqualTo("[tributary] revops RETRYING (run 7): step sync-1: connection reset");
        }
    }

    @Test
    void channelOverridesItsEvents() throws Exception {
        AlertsConfig config = AlertsConfig.parse(AlertsConfigTest.alerts("""
                alerts:
                  on: [failure, recovery]
                  webhooks:
                    - url: %s
                      on: [recovery]
                    - url: %s
                """.formatted(slackHook.url("/only-recovery"), jsonHook.url("/all"))));
        try (AlertDispatcher d = new AlertDispatcher(config, clock, Duration.ofMillis(20), failures::add)) {
            fail(d, 8, RunStatus.SUCCEEDED);
            d.runFinished(run(9, RunStatus.SUCCEEDED, Optional.empty()), RunStatus.FAILED);
            assertThat(d.awaitIdle(WAIT)).isTrue();
        }
        assertThat(slackHook.all()).extracting(AlertDispatcherTest::event).containsExactly("recovery");
        assertThat(jsonHook.all()).extracting(AlertDispatcherTest::event).containsExactly("failure", "recovery");
    }

    @Test
    void everyDeliveryOkOrFailedIsStoredWithItsChannelRunAndError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (WebhookReceiver broken = new WebhookReceiver(503, 503, 503);
             dev.tributary.scheduler.JdbcMetadataStore db = dev.tributary.scheduler.JdbcMetadataStore.h2(dir)) {
            AlertDeliveries stored = AlertDeliveries.open(db);
            AlertsConfig config = AlertsConfig.parse(AlertsConfigTest.alerts("""
                    alerts:
                      webhooks:
                        - url: %s
                        - url: %s
                    """.formatted(jsonHook.url("/fine"), broken.url("/broken"))));
            try (AlertDispatcher d = new AlertDispatcher(config, clock, Duration.ofMillis(20), failures::add)) {
                d.addDeliveryListener(stored::record);
                fail(d, 12, RunStatus.SUCCEEDED);
                assertThat(d.awaitIdle(WAIT)).isTrue();
            }
            List<AlertDelivery> latest = stored.latest(10);
            assertThat(latest).hasSize(2);
            AlertDelivery ok = latest.stream().filter(AlertDelivery::ok).findFirst().orElseThrow();
            AlertDelivery bad = latest.stream().filter(x -> !x.ok()).findFirst().orElseThrow();
            assertThat(ok.channel()).startsWith("webhook 1");
            assertThat(ok.attempts()).isEqualTo(1);
            assertThat(bad.channel()).startsWith("webhook 2");
            assertThat(bad.attempts()).isEqualTo(AlertDispatcher.ATTEMPTS);
            assertThat(bad.error().orElseThrow()).contains("503");
            for (AlertDelivery x : latest) {
                assertThat(x.kind()).isEqualTo(AlertKind.FAILURE);
                assertThat(x.pipeline()).contains("revops");
                assertThat(x.runId()).contains(12L);
            }
        }
    }

    @Test
    void webhookAnswering500TwiceThen200IsDeliveredOnce() throws Exception {
        try (WebhookReceiver flaky = new WebhookReceiver(500, 500)) {
            AlertsConfig config = AlertsConfig.parse(AlertsConfigTest.alerts("""
                    alerts:
                      webhooks:
                        - url: %s
                    """.formatted(flaky.url("/hook"))));
            try (AlertDispatcher d = new AlertDispatcher(config, clock, Duration.ofMillis(20), failures::add)) {
                fail(d, 11, RunStatus.SUCCEEDED);
                assertThat(flaky.next(WAIT).answered()).isEqualTo(500);
                assertThat(flaky.next(WAIT).answered()).isEqualTo(500);
                assertThat(flaky.next(WAIT).answered()).isEqualTo(200);
                assertThat(d.awaitIdle(WAIT)).isTrue();
            }
            assertThat(flaky.all()).hasSize(3).extracting(WebhookReceiver.Request::body).containsOnly(flaky.all().get(0).body());
            assertThat(failures).isEmpty();
        }
    }

    @Test
    void webhookFailingEveryAttemptIsRecordedWithoutItsToken() throws Exception {
        try (WebhookReceiver broken = new WebhookReceiver(503, 503, 503, 503)) {
            AlertsConfig config = AlertsConfig.parse(AlertsConfigTest.alerts("""
                    alerts:
                      webhooks:
                        - url: %s
                    """.formatted(broken.url("/services/SECRET-TOKEN"))));
            CountDownLatch recorded = new CountDownLatch(1);
            try (AlertDispatcher d = new AlertDispatcher(config, clock, Duration.ofMillis(20), f -> {
                failures.add(f);
                recorded.countDown();
            })) {
                fail(d, 12, RunStatus.SUCCEEDED);
                assertThat(recorded.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                assertThat(d.deliveryFailures()).hasSize(1);
            }
            assertThat(broken.all()).hasSize(AlertDispatcher.ATTEMPTS);
            DeliveryFailure f = failures.get(0);
            assertThat(f.attempts()).isEqualTo(3);
            assertThat(f.kind()).isEqualTo(AlertKind.FAILURE);
            assertThat(f.error()).isEqualTo("HTTP 503");
            assertThat(f.channel()).startsWith("webhook 1 (json, http://127.0.0.1:").doesNotContain("SECRET-TOKEN");
            assertThat(f.toString()).doesNotContain("SECRET-TOKEN");
        }
    }

    @Test
    void unreachableSmtpServerIsRecordedAndNeverThrows() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        CountDownLatch recorded = new CountDownLatch(1);
        AlertsConfig config = config("[failure]", closedPort);
        try (AlertDispatcher d = new AlertDispatcher(config, clock, Duration.ofMillis(20), f -> {
            failures.add(f);
            recorded.countDown();
        })) {
            assertThatCode(() -> fail(d, 13, RunStatus.SUCCEEDED)).doesNotThrowAnyException();
            assertThat(recorded.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(d.awaitIdle(WAIT)).isTrue();
            // The webhooks still got theirs: one broken channel does not hold up the others.
            assertThat(jsonHook.all()).hasSize(1);
            assertThat(slackHook.all()).hasSize(1);
            assertThat(d.deliveryFailures()).singleElement().satisfies(f -> {
                assertThat(f.channel()).isEqualTo("email to ops@example.com");
                assertThat(f.attempts()).isEqualTo(3);
                assertThat(f.subject()).contains("revops FAILED (run 13)");
                assertThat(f.error()).contains(Integer.toString(closedPort)).doesNotContain(PASSWORD);
            });
        }
        assertThat(failures).hasSize(1);
    }

    @Test
    void wrongSmtpPasswordIsRecordedWithoutThePassword() throws Exception {
        AlertsConfig good = config("[failure]", smtp.getSmtp().getPort());
        AlertsConfig.Email e = good.email().orElseThrow();
        AlertsConfig.Smtp s = e.smtp();
        AlertsConfig.Smtp wrong = new AlertsConfig.Smtp(s.host(), s.port(), s.user(), Optional.of("not-" + PASSWORD), false, false, s.timeout());
        AlertsConfig config = new AlertsConfig(good.on(), good.publicUrl(), Optional.of(new AlertsConfig.Email(wrong, e.from(), e.to(), e.on())),
                List.of(), good.freshness());
        try (AlertDispatcher d = new AlertDispatcher(config, clock, Duration.ofMillis(20), failures::add)) {
            fail(d, 14, RunStatus.SUCCEEDED);
            assertThat(d.awaitIdle(WAIT)).isTrue();
        }
        assertThat(smtp.getReceivedMessages()).isEmpty();
        assertThat(failures).singleElement().satisfies(f -> assertThat(f.error()).doesNotContain(PASSWORD));
    }

    @Test
    void starttlsIsRequiredWhenConfiguredSoThePasswordNeverGoesInClear() throws Exception {
        // GreenMail's plain SMTP port does not offer STARTTLS: with starttls: true nothing may be sent.
        AlertsConfig config = AlertsConfig.parse(AlertsConfigTest.alerts("""
                alerts:
                  email:
                    smtp: {host: 127.0.0.1, port: %d, user: alerts, password: %s, starttls: true, timeout: 5s}
                    from: tributary@example.com
                    to: ops@example.com
                """.formatted(smtp.getSmtp().getPort(), PASSWORD)));
        try (AlertDispatcher d = new AlertDispatcher(config, clock, Duration.ofMillis(20), failures::add)) {
            fail(d, 16, RunStatus.SUCCEEDED);
            assertThat(d.awaitIdle(WAIT)).isTrue();
        }
        assertThat(smtp.getReceivedMessages()).isEmpty();
        assertThat(failures).singleElement().satisfies(f -> assertThat(f.error()).containsIgnoringCase("STARTTLS").doesNotContain(PASSWORD));
    }

    @Test
    void afterCloseEventsAreIgnored() {
        AlertDispatcher d = dispatcher("[failure]");
        d.close();
        assertThatCode(() -> fail(d, 15, RunStatus.SUCCEEDED)).doesNotThrowAnyException();
        assertThat(jsonHook.all()).isEmpty();
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }
}
