package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SystemSchedulerClockTest {
    @Test
    void aPastDeadlineIsReachedAtOnceAndAWakeUpEndsAWaitEarly() throws Exception {
        SchedulerClock clock = SchedulerClock.system();
        assertThat(clock.waitUntil(clock.now().minusSeconds(1), () -> false)).isTrue();
        assertThat(clock.waitUntil(clock.now().plus(Duration.ofHours(1)), () -> true)).isFalse();

        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return clock.waitUntil(clock.now().plus(Duration.ofHours(1)), stop::get);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        stop.set(true);
        clock.wakeUp();
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isFalse();
    }
}
