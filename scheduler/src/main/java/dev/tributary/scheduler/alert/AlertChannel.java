package dev.tributary.scheduler.alert;

/** Where alerts go (an SMTP server, a webhook). Implementations may block; the dispatcher calls them on their own thread. */
public interface AlertChannel extends AutoCloseable {
    /** A name safe to show and log: no passwords, no webhook tokens ("email to ops@example.com", "webhook 1 (slack, https://hooks.slack.com/…)"). */
    String name();

    /** Delivers one alert, or throws; the dispatcher retries. */
    void send(Alert alert) throws Exception;

    /** Removes secrets from an error message before it is recorded or shown. */
    default String redact(String message) {
        return message;
    }

    @Override
    default void close() {}
}
