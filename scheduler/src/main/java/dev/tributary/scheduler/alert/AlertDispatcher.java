package dev.tributary.scheduler.alert;

import static java.util.Objects.requireNonNull;

import dev.tributary.scheduler.RunEventListener;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunStatus;
import dev.tributary.scheduler.StepRecord;
import dev.tributary.scheduler.StepOutcome;
import dev.tributary.scheduler.StepStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Turns run events into alerts and sends them to every channel that wants them: a run FAILED (failure), a
 * SUCCEEDED run after a FAILED or CANCELLED one (recovery), a step retrying (retry, only when listed). A
 * cancelled run alone does not alert. Each channel sends on its own thread, so a slow SMTP server never
 * delays the scheduler or another channel; a failed send is tried {@value #ATTEMPTS} times with growing
 * pauses, then recorded as a {@link DeliveryFailure}.
 */
public final class AlertDispatcher implements RunEventListener, AutoCloseable {
    public static final int ATTEMPTS = 3;
    public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofSeconds(5);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int KEPT_FAILURES = 100;
    private static final System.Logger LOG = System.getLogger(AlertDispatcher.class.getName());

    private record Route(AlertChannel channel, Set<AlertEvent> on, ScheduledExecutorService executor) {
        Route {
            requireNonNull(channel, "channel is null");
            requireNonNull(on, "on is null");
            requireNonNull(executor, "executor is null");
        }
    }

    private final AlertsConfig config;
    private final List<Route> routes;
    private final Clock clock;
    private final Duration firstBackoff;
    private final Consumer<DeliveryFailure> onFailure;
    private final Deque<DeliveryFailure> failures = new ArrayDeque<>();
    private final List<Consumer<AlertDelivery>> deliveryListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<Long, StepRecord> failedSteps = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int pending;
    private volatile boolean closed;

    /** The channels of {@code config}, the system clock, 5 s then 20 s between attempts. */
    public static AlertDispatcher create(AlertsConfig config, Consumer<DeliveryFailure> onFailure) {
        return new AlertDispatcher(config, Clock.systemUTC(), DEFAULT_FIRST_BACKOFF, onFailure);
    }

    /**
     * @param firstBackoff pause before the second attempt; the third waits four times as long
     * @param onFailure    told about each alert that could not be delivered (on a channel's thread; must not block)
     */
    public AlertDispatcher(AlertsConfig config, Clock clock, Duration firstBackoff, Consumer<DeliveryFailure> onFailure) {
        this(config, channels(config), clock, firstBackoff, onFailure);
    }

    /** With channels built elsewhere, each paired with the events it receives (empty: {@code config.on()}). */
    public AlertDispatcher(AlertsConfig config, Map<AlertChannel, Optional<Set<AlertEvent>>> channels, Clock clock,
                           Duration firstBackoff, Consumer<DeliveryFailure> onFailure) {
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.firstBackoff = requireNonNull(firstBackoff, "firstBackoff is null");
        this.onFailure = requireNonNull(onFailure, "onFailure is null");
        if (firstBackoff.isNegative()) throw new IllegalArgumentException("firstBackoff is negative");
        List<Route> built = new ArrayList<>();
        int n = 0;
        for (Map.Entry<AlertChannel, Optional<Set<AlertEvent>>> e : requireNonNull(channels, "channels is null").entrySet()) {
            String threadName = "tributary-alerts-" + (++n);
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
            built.add(new Route(e.getKey(), Set.copyOf(e.getValue().orElse(config.on())), executor));
        }
        this.routes = List.copyOf(built);
    }

    private static Map<AlertChannel, Optional<Set<AlertEvent>>> channels(AlertsConfig config) {
        Map<AlertChannel, Optional<Set<AlertEvent>>> out = new LinkedHashMap<>();
        config.email().ifPresent(email -> out.put(new EmailChannel(email), email.on()));
        int i = 0;
        for (AlertsConfig.Webhook w : config.webhooks()) out.put(new WebhookChannel(w, ++i, DEFAULT_TIMEOUT), w.on());
        return out;
    }

    /** Told about every delivery, delivered or given up (on a channel's thread; must not block for long). */
    public void addDeliveryListener(Consumer<AlertDelivery> listener) {
        deliveryListeners.add(requireNonNull(listener, "listener is null"));
    }

    private void delivered(Route route, Alert alert, int attempts, Optional<String> error) {
        AlertDelivery d = new AlertDelivery(clock.instant(), route.channel().name(), alert.kind(), alert.headline(), alert.pipeline(), alert.runId(), attempts, error);
        for (Consumer<AlertDelivery> l : deliveryListeners) {
            try {
                l.accept(d);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "alerts: delivery listener threw", e);
            }
        }
    }

    /** Names of the channels, safe to show. */
    public List<String> channelNames() {
        return routes.stream().map(r -> r.channel().name()).toList();
    }

    @Override
    public void stepFinished(RunRecord run, StepRecord step) {
        try {
            // runFinished does not say which step failed; remember it until then.
            if (step.status() == StepStatus.FAILED) failedSteps.put(run.id(), step);
            // data came in, but not from the source: said on the same channels as failures, so nobody misses it
            if (step.status() == StepStatus.SUCCEEDED && StepOutcome.mentionsFallback(step.summary())) {
                String note = step.summary().substring(step.summary().indexOf(StepOutcome.FALLBACK_MARK));
                dispatch(runAlert(AlertKind.FALLBACK, run, Optional.of(step), Optional.of(note)));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "alerts: cannot handle step event", e);
        }
    }

    @Override
    public void stepRetrying(RunRecord run, StepRecord step, Duration wait) {
        try {
            String note = "attempt " + step.attempt() + " failed; next attempt in " + Alert.formatDuration(wait);
            dispatch(runAlert(AlertKind.RETRY, run, Optional.of(step), Optional.of(note)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "alerts: cannot handle retry event", e);
        }
    }

    @Override
    public void runFinished(RunRecord run, RunStatus previous) {
        try {
            Optional<StepRecord> failedStep = Optional.ofNullable(failedSteps.remove(run.id()));
            if (run.status() == RunStatus.FAILED) {
                dispatch(runAlert(AlertKind.FAILURE, run, failedStep, Optional.empty()));
            } else if (run.status() == RunStatus.SUCCEEDED && (previous == RunStatus.FAILED || previous == RunStatus.CANCELLED)) {
                dispatch(runAlert(AlertKind.RECOVERY, run, Optional.empty(), Optional.of("succeeded after a " + previous + " run")));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "alerts: cannot handle run event", e);
        }
    }

    private Alert runAlert(AlertKind kind, RunRecord run, Optional<StepRecord> step, Optional<String> note) {
        Optional<String> error = step.flatMap(StepRecord::error).or(run::error);
        return new Alert(kind, Optional.of(run.pipeline()), Optional.empty(), Optional.of(run.id()), Optional.of(run.status()),
                step.map(StepRecord::step), error, run.startedAt(), run.endedAt(), run.duration(), note,
                config.runUrl(run.id()), clock.instant());
    }

    /** Sends {@code alert} to each channel whose events include its kind; returns at once and never throws. */
    public void dispatch(Alert alert) {
        requireNonNull(alert, "alert is null");
        if (closed) return;
        for (Route route : routes) {
            if (!route.on().contains(alert.kind().event())) continue;
            changePending(1);
            try {
                route.executor().execute(() -> attempt(route, alert, 1));
            } catch (RejectedExecutionException e) {
                changePending(-1);
            }
        }
    }

    private void attempt(Route route, Alert alert, int attempt) {
        try {
            route.channel().send(alert);
            delivered(route, alert, attempt, Optional.empty());
            changePending(-1);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            String error = route.channel().redact(describe(e));
            if (attempt < ATTEMPTS && !Thread.currentThread().isInterrupted()) {
                // 1x, then 4x the first pause: enough for a webhook receiver or mail server to restart.
                long delay = firstBackoff.toMillis() * (attempt == 1 ? 1 : 4);
                try {
                    route.executor().schedule(() -> attempt(route, alert, attempt + 1), delay, TimeUnit.MILLISECONDS);
                    return;
                } catch (RejectedExecutionException rejected) {
                    error = error + " (not retried: alerts shut down)";
                }
            }
            record(new DeliveryFailure(clock.instant(), route.channel().name(), alert.kind(), alert.headline(), attempt, error));
            delivered(route, alert, attempt, Optional.of(error));
            changePending(-1);
        }
    }

    private void record(DeliveryFailure failure) {
        LOG.log(System.Logger.Level.WARNING, "alert not delivered via {0} after {1} attempts: {2}: {3}",
                failure.channel(), failure.attempts(), failure.subject(), failure.error());
        synchronized (failures) {
            failures.addLast(failure);
            if (failures.size() > KEPT_FAILURES) failures.removeFirst();
        }
        try {
            onFailure.accept(failure);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "alerts: delivery failure callback threw", e);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 500; t = t.getCause() == t ? null : t.getCause()) {
            if (!sb.isEmpty()) sb.append(": ");
            sb.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
        return sb.toString();
    }

    /** The last 100 alerts that could not be delivered, oldest first. */
    public List<DeliveryFailure> deliveryFailures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    private void changePending(int delta) {
        lock.lock();
        try {
            pending += delta;
            if (pending == 0) idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every alert dispatched so far is delivered or recorded as failed; false on timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (pending > 0) {
                if (nanos <= 0) return false;
                nanos = idle.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops taking alerts, gives pending ones (and their retries) up to a minute, then stops the channels. */
    @Override
    public void close() {
        closed = true;
        try {
            awaitIdle(Duration.ofMinutes(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Route route : routes) {
            route.executor().shutdownNow();
            try {
                route.channel().close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "alerts: cannot close " + route.channel().name(), e);
            }
        }
    }
}
