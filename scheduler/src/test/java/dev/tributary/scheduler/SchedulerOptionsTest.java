package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.project.Environment;
import dev.tributary.project.YamlDocument;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchedulerOptionsTest {
    private static Config section(String yaml) {
        return YamlDocument.parse("tributary.yml", yaml, Environment.of(Map.of())).config().child("server").child("scheduler");
    }

    /**
     * The watchdog and the commit gates stop a worker's runs after half the worker timeout without a successful
     * heartbeat; by default a loaded machine gets 15 s of silence before healthy runs are stopped (it got 5 s).
     */
    @Test
    void theDefaultWorkerTimeoutLeavesALoadedMachineFifteenSecondsWithoutAHeartbeat() {
        WorkerOptions d = WorkerOptions.DEFAULT;
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.timeout().dividedBy(2)).as("silence before the watchdog stops runs").isGreaterThanOrEqualTo(Duration.ofSeconds(15));
        assertThat(d.timeout().dividedBy(d.heartbeat())).as("heartbeats a take-over needs to miss").isGreaterThanOrEqualTo(15);
    }

    @Test
    void readsTheServerSchedulerSettings() {
        SchedulerOptions o = SchedulerOptions.from(section("server: {scheduler: {max_concurrent_runs: 2, retention: 7d, catch_up: false}}"));
        assertThat(o.maxConcurrentRuns()).isEqualTo(2);
        assertThat(o.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(o.catchUp()).contains(false);
        SchedulerOptions defaults = SchedulerOptions.from(section("name: x"));
        assertThat(defaults.maxConcurrentRuns()).isEqualTo(4);
        assertThat(defaults.retention()).isEqualTo(Duration.ofDays(30));
        assertThat(defaults.catchUp()).isEqualTo(Optional.empty());
    }

    @Test
    void mistakesNameTheLine() {
        assertThatThrownBy(() -> SchedulerOptions.from(section("server:\n  scheduler:\n    retention: forever\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tributary.yml:3").hasMessageContaining("bad duration");
        assertThatThrownBy(() -> SchedulerOptions.from(section("server: {scheduler: {max_concurrent_runs: 0}}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new SchedulerOptions(1, Duration.ZERO, Optional.empty(), RetryBackoff.Jitter.NONE, line -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
