package dev.tributary.scheduler.alert;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * The outcome of one alert on one channel: delivered ({@code error} empty) or given up after {@code attempts}. Holds no
 * secret: the channel's name carries no password or webhook token, and the error is redacted by the channel.
 *
 * @param subject the alert's headline
 */
public record AlertDelivery(Instant at, String channel, AlertKind kind, String subject, Optional<String> pipeline, Optional<Long> runId,
                            int attempts, Optional<String> error) {
    public AlertDelivery {
        requireNonNull(at, "at is null");
        requireNonNull(channel, "channel is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(subject, "subject is null");
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(error, "error is null");
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1");
    }

    public boolean ok() {
        return error.isEmpty();
    }
}
