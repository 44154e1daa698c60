package dev.tributary.scheduler.alert;

/** The body a webhook receives: {@code json} (every field) or {@code slack} (an incoming-webhook {"text": ...}). */
public enum WebhookFormat {
    JSON, SLACK
}
