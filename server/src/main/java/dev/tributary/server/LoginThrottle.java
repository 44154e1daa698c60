package dev.tributary.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@value #FREE_FAILURES} failed logins from one address, each further failure locks
 * that address out for twice as long as the last (1 s, 2 s, 4 s ... up to 15 minutes). A success clears the count.
 */
public final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    private static final Duration MAX_LOCK = Duration.ofMinutes(15);

    private record Failures(int count, Instant lockedUntil) {}

    private final Map<String, Failures> byAddress = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long the address must still wait before it may try again, if locked out. */
    public Optional<Duration> lockedFor(String address) {
        Failures f = byAddress.get(address);
        if (f == null) return Optional.empty();
        Duration left = Duration.between(clock.instant(), f.lockedUntil());
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    public void failed(String address) {
        byAddress.compute(address, (a, f) -> {
            int count = f == null ? 1 : f.count() + 1;
            Instant until = clock.instant();
            if (count > FREE_FAILURES) {
                int doublings = Math.min(count - FREE_FAILURES - 1, 20);
                Duration lock = Duration.ofSeconds(1L << doublings);
                until = until.plus(lock.compareTo(MAX_LOCK) > 0 ? MAX_LOCK : lock);
            }
            return new Failures(count, until);
        });
        if (byAddress.size() > 10_000) byAddress.clear(); // a flood of addresses must not grow memory without bound
    }

    public void succeeded(String address) {
        byAddress.remove(address);
    }

    public int failures(String address) {
        Failures f = byAddress.get(address);
        return f == null ? 0 : f.count();
    }
}
