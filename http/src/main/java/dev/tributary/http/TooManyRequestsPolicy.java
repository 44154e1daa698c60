package dev.tributary.http;

import java.time.Duration;

/**
 * What to do with a 429: wait and try again, or stop. APIs say in their own way which limit was hit
 * (HubSpot: {@code policyName}), so each connector supplies its policy; {@link #RETRY_AFTER} is the generic one.
 */
@FunctionalInterface
public interface TooManyRequestsPolicy {
    /** Waits {@code Retry-After} when sent, else a second. */
    TooManyRequestsPolicy RETRY_AFTER = (response, limiter) -> Decision.waitFor(
            ApiClient.retryAfter(response).orElse(Duration.ofSeconds(1)));

    Decision decide(ApiResponse response, RateLimiter limiter);

    /** Wait {@code delay} then retry, or stop with {@code message}. */
    record Decision(Duration delay, String stopMessage) {
        public static Decision waitFor(Duration delay) {
            return new Decision(delay, null);
        }

        public static Decision stop(String message) {
            return new Decision(Duration.ZERO, message);
        }

        public boolean stops() {
            return stopMessage != null;
        }
    }
}
