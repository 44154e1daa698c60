package dev.tributary.engine;

import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.RunId;
import java.time.Duration;

/** What a sync run tells its listeners, in order, from the thread doing the work. */
public sealed interface RunEvent {
    RunId run();

    record RunStarted(RunId run, String connection, int streams) implements RunEvent {}

    record StreamStarted(RunId run, ConfiguredStream stream, boolean resumed) implements RunEvent {}

    /** A batch staged: totals so far for the stream. */
    record BatchLoaded(RunId run, ConfiguredStream stream, long records, long rejected, Duration elapsed) implements RunEvent {
        public double recordsPerSecond() {
            double s = elapsed.toNanos() / 1e9;
            return s <= 0 ? 0 : records / s;
        }
    }

    /** A transient failure (such as a lost connection): the stream is tried again from its last commit after {@code delay}. */
    record StreamRetrying(RunId run, ConfiguredStream stream, int failedAttempt, String error, Duration delay) implements RunEvent {}

    record Checkpointed(RunId run, ConfiguredStream stream, long recordsCommitted) implements RunEvent {}

    record StreamFinished(RunId run, StreamResult result) implements RunEvent {}

    record RunFinished(RunId run, SyncResult result) implements RunEvent {}
}
