package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** A cron slot whose firing fails on a store error is fired once the store answers again (it used to be skipped). */
class MissedSlotTest {
    @Test
    void aSlotWhoseFiringFailsOnceIsFiredLater() throws Exception {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "workfix_slot");
        StepDef step = new StepDef("work", StepKind.SYNC, List.of(), true, Map.of(), List.of(), Optional.empty());
        PipelineDef p = new PipelineDef("tick", "", List.of(step), new Trigger.Cron("* * * * *", java.time.ZoneOffset.UTC), false,
                new RetrySettings(0, Duration.ofSeconds(1), Duration.ofSeconds(1)), Optional.empty());
        ManualClock clock = new ManualClock(Instant.parse("2026-12-06T10:00:30Z"));
        MetadataStore store = JdbcMetadataStore.postgres(url, null, null, schema);
        Scheduler s = new Scheduler(Map.of("tick", p), store, ctx -> StepOutcome.success(1, "ok"), clock,
                SchedulerOptions.DEFAULT.withJitter(RetryBackoff.Jitter.NONE)
                        .withWorker(new WorkerOptions("a", Duration.ofMillis(100), Duration.ofMillis(5000), Duration.ofMillis(50), true)));
        s.start();
        try {
            while (!s.nextRun("tick").equals(Optional.of(Instant.parse("2026-12-06T10:01:00Z")))) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.execute("ALTER TABLE " + schema + ".pipeline_schedule RENAME TO ps_x"); // a moment's store error
                clock.set(Instant.parse("2026-12-06T10:01:00Z"));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1500));
                st.execute("ALTER TABLE " + schema + ".ps_x RENAME TO pipeline_schedule");
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3));
            clock.set(Instant.parse("2026-12-06T10:02:00Z"));
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3));
            List<String> due = s.runs(RunQuery.latest(10).pipeline("tick")).stream().map(r -> r.dueAt().toString()).toList();
            assertThat(due).contains("2026-12-06T10:01:00Z");
        } finally {
            s.close();
            store.close();
            TestDatabases.dropPostgresSchema(url, schema);
        }
    }
}
