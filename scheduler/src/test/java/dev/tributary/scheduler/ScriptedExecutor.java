package dev.tributary.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A step executor whose steps do what the test says: succeed, fail N times, block until released or cancelled. */
final class ScriptedExecutor implements StepExecutor {
    @FunctionalInterface
    interface Behaviour {
        StepOutcome run(StepContext context) throws Exception;
    }

    private final SchedulerClock clock;
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, List<Instant>> attemptTimes = new ConcurrentHashMap<>();

    ScriptedExecutor(SchedulerClock clock) {
        this.clock = clock;
    }

    ScriptedExecutor on(String step, Behaviour behaviour) {
        behaviours.put(step, behaviour);
        return this;
    }

    @Override
    public StepOutcome execute(StepContext context) throws Exception {
        String step = context.step().name();
        calls.add(step);
        attemptTimes.computeIfAbsent(step, k -> new CopyOnWriteArrayList<>()).add(clock.now());
        return behaviours.getOrDefault(step, succeed(10)).run(context);
    }

    /** Step names in the order their attempts started (one entry per attempt). */
    List<String> calls() {
        return List.copyOf(calls);
    }

    List<Instant> attemptTimes(String step) {
        return new ArrayList<>(attemptTimes.getOrDefault(step, List.of()));
    }

    static Behaviour succeed(long records) {
        return c -> {
            c.log("did " + c.step().name());
            return StepOutcome.success(records, records + " records");
        };
    }

    /** Fails every attempt with a failure that would happen again (not retried). */
    static Behaviour alwaysFail(String error) {
        return c -> StepOutcome.failure(0, "", error);
    }

    /** Fails every attempt with a transient failure (retried until the retries run out). */
    static Behaviour alwaysFailTransiently(String error) {
        return c -> StepOutcome.transientFailure(0, "", error);
    }

    /** Fails the first {@code times} attempts transiently (alternately by outcome and by a TransientException), then succeeds. */
    static Behaviour failTimes(int times, String error) {
        AtomicInteger attempts = new AtomicInteger();
        return c -> {
            int n = attempts.incrementAndGet();
            if (n <= times) {
                if (n % 2 == 0) throw new dev.tributary.spi.TransientException(error);
                return StepOutcome.transientFailure(1, "", error);
            }
            return StepOutcome.success(5, "ok at attempt " + n);
        };
    }

    /** Throws {@code failure} on every attempt. */
    static Behaviour alwaysThrow(Exception failure) {
        return c -> {
            throw failure;
        };
    }

    /** A step that runs until released or cancelled. */
    static final class Blocker implements Behaviour {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean sawCancel = new AtomicBoolean();
        final AtomicBoolean cancelActionRan = new AtomicBoolean();

        @Override
        public StepOutcome run(StepContext c) throws Exception {
            c.onCancel(() -> {
                cancelActionRan.set(true);
                release.countDown();
            });
            started.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) return StepOutcome.failure(0, "", "the test never released this step");
            if (c.cancelled()) {
                sawCancel.set(true);
                return StepOutcome.failure(0, "", "stopped: cancelled");
            }
            return StepOutcome.success(7, "released");
        }

        void awaitStarted() throws InterruptedException {
            if (!started.await(30, TimeUnit.SECONDS)) throw new AssertionError("the step did not start within 30 s");
        }
    }
}
