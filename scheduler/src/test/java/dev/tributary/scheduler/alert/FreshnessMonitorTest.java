package dev.tributary.scheduler.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FreshnessMonitorTest {
    private static final Instant T0 = Instant.parse("2026-11-30T06:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final FakePipelineService service = new FakePipelineService();
    private final List<Alert> sent = new CopyOnWriteArrayList<>();
    private String url;
    private Connection keepAlive;

    @BeforeEach
    void database() throws SQLException {
        url = "jdbc:h2:mem:fresh_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        keepAlive = DriverManager.getConnection(url);
        try (Statement s = keepAlive.createStatement()) {
            s.execute("create schema \"hubspot\"");
            s.execute("create table \"hubspot\".\"contacts\" (\"id\" int, \"_tributary_extracted_at\" timestamp)");
        }
    }

    @AfterEach
    void closeDatabase() throws SQLException {
        try (Statement s = keepAlive.createStatement()) {
            s.execute("shutdown");
        }
        keepAlive.close();
    }

    private Supplier<Connection> connections() {
        return () -> {
            try {
                return DriverManager.getConnection(url);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static AlertsConfig config(String tablesYaml) {
        return AlertsConfig.parse(AlertsConfigTest.alerts("""
                alerts:
                  public_url: http://127.0.0.1:8080
                  freshness:
                    check_every: 1m
                %s""".formatted(tablesYaml)));
    }

    private FreshnessMonitor monitor(AlertsConfig config) {
        return new FreshnessMonitor(config, service, (t, c) -> {
            throw new AssertionError("no table configured");
        }, clock, sent::add);
    }

    private static RunRecord succeeded(long id, Instant end) {
        return new RunRecord(id, "revops", RunStatus.SUCCEEDED, "schedule", end.minusSeconds(60), Optional.of(end.minusSeconds(60)),
                Optional.of(end), Optional.empty(), Optional.empty(), 10);
    }

    private void insertRow(Instant extractedAt) throws SQLException {
        try (PreparedStatement p = keepAlive.prepareStatement("insert into \"hubspot\".\"contacts\" values (1, ?)")) {
            p.setObject(1, LocalDateTime.ofInstant(extractedAt, ZoneOffset.UTC));
            p.executeUpdate();
        }
    }

    @Test
    void stalePipelineAlertsOnceStaysQuietThenRecovers() {
        service.add(FakePipelineService.pipeline("revops", Optional.of(Duration.ofHours(6))));
        service.add(FakePipelineService.pipeline("no-deadline", Optional.empty()));
        service.addRun(succeeded(1, T0.minus(Duration.ofHours(5))));
        try (FreshnessMonitor m = monitor(config(""))) {
            assertThat(m.check()).isEmpty();

            clock.advance(Duration.ofHours(1).plusSeconds(1));
            List<Alert> stale = m.check();
            assertThat(stale).singleElement().satisfies(a -> {
                assertThat(a.kind()).isEqualTo(AlertKind.FRESHNESS);
                assertThat(a.pipeline()).contains("revops");
                assertThat(a.headline()).isEqualTo("[tributary] revops STALE: no success since 2026-11-30T01:00:00Z (deadline 6h)");
            });
            assertThat(sent).containsExactlyElementsOf(stale);
            assertThat(m.stale()).containsExactly("pipeline:revops");

            clock.advance(Duration.ofHours(3));
            assertThat(m.check()).isEmpty();
            assertThat(m.check()).isEmpty();

            service.addRun(succeeded(2, clock.instant().minusSeconds(10)));
            List<Alert> fresh = m.check();
            assertThat(fresh).singleElement().satisfies(a -> {
                assertThat(a.kind()).isEqualTo(AlertKind.FRESHNESS_RECOVERY);
                assertThat(a.runId()).contains(2L);
                assertThat(a.url()).contains("http://127.0.0.1:8080/runs/2");
                assertThat(a.headline()).startsWith("[tributary] revops FRESH AGAIN (run 2)");
            });
            assertThat(m.check()).isEmpty();
            assertThat(m.stale()).isEmpty();

            // Stale a second time: alerts again, once.
            clock.advance(Duration.ofHours(7));
            assertThat(m.check()).extracting(Alert::kind).containsExactly(AlertKind.FRESHNESS);
            assertThat(m.check()).isEmpty();
        }
        assertThat(sent).extracting(Alert::kind).containsExactly(AlertKind.FRESHNESS, AlertKind.FRESHNESS_RECOVERY, AlertKind.FRESHNESS);
    }

    @Test
    void pipelineThatNeverSucceededCountsFromMonitorStart() {
        service.add(FakePipelineService.pipeline("revops", Optional.of(Duration.ofMinutes(30))));
        try (FreshnessMonitor m = monitor(config(""))) {
            clock.advance(Duration.ofMinutes(30));
            assertThat(m.check()).isEmpty();
            clock.advance(Duration.ofSeconds(1));
            assertThat(m.check()).singleElement().satisfies(a ->
                    assertThat(a.note()).contains("no success since monitoring started at 2026-11-30T06:00:00Z (deadline 30m)"));
            assertThat(m.check()).isEmpty();
        }
    }

    @Test
    void staleTableInARealDatabaseAlertsOnceAndRecovers() throws SQLException {
        insertRow(T0.minus(Duration.ofHours(2)));
        AlertsConfig config = config("""
                    tables:
                      - {table: hubspot.contacts, column: _tributary_extracted_at, max_age: 6h}
                """);
        try (FreshnessMonitor m = new FreshnessMonitor(config, service, new JdbcTableAgeProbe(connections()), clock, sent::add)) {
            assertThat(m.check()).isEmpty();
            clock.advance(Duration.ofHours(4).plusMinutes(1));
            assertThat(m.check()).singleElement().satisfies(a -> {
                assertThat(a.kind()).isEqualTo(AlertKind.FRESHNESS);
                assertThat(a.table()).contains("hubspot.contacts");
                assertThat(a.pipeline()).isEmpty();
                assertThat(a.headline()).isEqualTo("[tributary] table hubspot.contacts STALE: newest _tributary_extracted_at is "
                        + "2026-11-30T04:00:00Z, older than the max age 6h");
            });
            assertThat(m.check()).isEmpty();
            insertRow(clock.instant().minusSeconds(5));
            assertThat(m.check()).singleElement().satisfies(a -> {
                assertThat(a.kind()).isEqualTo(AlertKind.FRESHNESS_RECOVERY);
                assertThat(a.note()).hasValueSatisfying(n -> assertThat(n).endsWith("Z, within the max age 6h"));
            });
            assertThat(m.check()).isEmpty();
        }
    }

    @Test
    void unreadableTableIsSkippedAndOtherChecksStillRun() {
        service.add(FakePipelineService.pipeline("revops", Optional.of(Duration.ofMinutes(5))));
        AlertsConfig config = config("""
                    tables:
                      - {table: hubspot.missing, max_age: 1h}
                """);
        try (FreshnessMonitor m = new FreshnessMonitor(config, service, new JdbcTableAgeProbe(connections()), clock, sent::add)) {
            clock.advance(Duration.ofHours(2));
            assertThat(m.check()).extracting(Alert::subject).containsExactly("revops");
        }
    }

    @Test
    void startChecksOnItsOwnThreadAndDispatcherSendsTheAlert() throws Exception {
        service.add(FakePipelineService.pipeline("revops", Optional.of(Duration.ofMinutes(5))));
        clock.advance(Duration.ofHours(1));
        try (WebhookReceiver hook = new WebhookReceiver()) {
            AlertsConfig config = AlertsConfig.parse(AlertsConfigTest.alerts("""
                    alerts:
                      webhooks:
                        - url: %s
                      freshness: {check_every: 50ms}
                    """.formatted(hook.url("/hook"))));
            CountDownLatch raised = new CountDownLatch(1);
            try (AlertDispatcher dispatcher = new AlertDispatcher(config, clock, Duration.ofMillis(20), f -> {});
                 FreshnessMonitor m = new FreshnessMonitor(config, service, (t, c) -> Optional.empty(), clock, alert -> {
                     dispatcher.dispatch(alert);
                     raised.countDown();
                 })) {
                // Created after the clock moved, so the pipeline is not stale yet.
                clock.advance(Duration.ofMinutes(6));
                m.start();
                assertThat(raised.await(10, TimeUnit.SECONDS)).isTrue();
                WebhookReceiver.Request r = hook.next(Duration.ofSeconds(10));
                assertThat(AlertDispatcherTest.json(r).get("event").asText()).isEqualTo("freshness");
                assertThat(AlertDispatcherTest.json(r).get("pipeline").asText()).isEqualTo("revops");
            }
            assertThat(hook.all()).hasSize(1);
        }
    }
}
