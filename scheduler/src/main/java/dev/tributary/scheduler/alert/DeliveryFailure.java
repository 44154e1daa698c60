package dev.tributary.scheduler.alert;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An alert that could not be delivered after every attempt, for the server to show. Holds no secret: the channel
 * is named without password or webhook token, and the error is redacted by the channel.
 *
 * @param subject the alert's headline
 */
public record DeliveryFailure(Instant at, String channel, AlertKind kind, String subject, int attempts, String error) {
    public DeliveryFailure {
        requireNonNull(at, "at is null");
        requireNonNull(channel, "channel is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(subject, "subject is null");
        requireNonNull(error, "error is null");
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1");
    }
}
