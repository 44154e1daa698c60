package dev.tributary.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing. Every login attempt is counted when it starts, before the slow password hash, so a burst of
 * parallel guesses cannot all pass the check before the first one is recorded. After {@value #FREE_FAILURES} attempts
 * from one address without a success, each further attempt locks that address out for twice as long as the last
 * (1 s, 2 s, 4 s ... up to 15 minutes). Attempts from all addresses also count together (there is one admin user):
 * after {@value #FREE_GLOBAL_FAILURES} of them everyone is locked out the same doubling way, so many addresses cannot
 * share the guessing. A successful login clears its address and the shared count.
 *
 * <p>Memory is bounded: at most {@value #MAX_ADDRESSES} addresses are remembered. When full, the addresses whose lockouts
 * ended longest ago are forgotten first (1% at a time; a lockout still running is forgotten only when every remembered
 * address is locked, and then the ones ending soonest); there is never a reset of everyone. Addresses quiet for a day are forgotten.
 */
public final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    static final int FREE_GLOBAL_FAILURES = 20;
    static final int MAX_ADDRESSES = 10_000;
    private static final Duration MAX_LOCK = Duration.ofMinutes(15);
    private static final Duration FORGET_AFTER = Duration.ofDays(1);

    /** Attempts counted since the last success, when the last one started, and until when further ones are refused. */
    private record Failures(int count, Instant lastAttempt, Instant lockedUntil) {
        Failures next(Instant now, int free) {
            int n = count + 1;
            Instant until = n > free ? now.plus(lockFor(n - free)) : now;
            return new Failures(n, now, until);
        }

        Failures relocked(Instant now, int free) {
            if (count <= free) return this;
            Instant until = now.plus(lockFor(count - free));
            return new Failures(count, lastAttempt, until.isAfter(lockedUntil) ? until : lockedUntil);
        }

        Optional<Duration> lockLeft(Instant now) {
            Duration left = Duration.between(now, lockedUntil);
            return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
        }

        boolean forgettable(Instant now) {
            return !lockedUntil.isAfter(now) && !lastAttempt.plus(FORGET_AFTER).isAfter(now);
        }
    }

    private final Map<String, Failures> byAddress = new HashMap<>();
    private final Clock clock;
    private final int maxAddresses;
    private final int freeGlobalFailures;
    private Failures global;

    public LoginThrottle(Clock clock) {
        this(clock, MAX_ADDRESSES, FREE_GLOBAL_FAILURES);
    }

    LoginThrottle(Clock clock, int maxAddresses, int freeGlobalFailures) {
        this.clock = clock;
        this.maxAddresses = maxAddresses;
        this.freeGlobalFailures = freeGlobalFailures;
    }

    /**
     * Starts a login attempt from {@code address}: empty when it may go on (it is counted as a failure from now on
     * until {@link #succeeded} says otherwise), or how long the caller must still wait (then nothing is counted).
     */
    public synchronized Optional<Duration> tryAttempt(String address) {
        Instant now = clock.instant();
        Optional<Duration> wait = lockedFor(address, now);
        if (wait.isPresent()) return wait;
        Failures mine = byAddress.get(address);
        if (mine == null) makeRoom(now);
        byAddress.put(address, (mine == null ? new Failures(0, now, now) : mine).next(now, FREE_FAILURES));
        global = (global == null || global.forgettable(now) ? new Failures(0, now, now) : global).next(now, freeGlobalFailures);
        return Optional.empty();
    }

    /** How long the address must still wait before it may try again, if locked out (by its own or everyone's count). */
    public synchronized Optional<Duration> lockedFor(String address) {
        return lockedFor(address, clock.instant());
    }

    /**
     * The attempt from {@code address} had wrong credentials. It was counted when it started; a lockout it earned runs
     * from now, after the slow hash, so a slow machine does not shorten it.
     */
    public synchronized void failed(String address) {
        Instant now = clock.instant();
        byAddress.computeIfPresent(address, (a, f) -> f.relocked(now, FREE_FAILURES));
        if (global != null) global = global.relocked(now, freeGlobalFailures);
    }

    /** The attempt from {@code address} had the right credentials: its count and the shared one start again. */
    public synchronized void succeeded(String address) {
        byAddress.remove(address);
        global = null;
    }

    /** Attempts counted for the address since its last success. */
    public synchronized int failures(String address) {
        Failures f = byAddress.get(address);
        return f == null ? 0 : f.count();
    }

    synchronized int rememberedAddresses() {
        return byAddress.size();
    }

    private Optional<Duration> lockedFor(String address, Instant now) {
        Failures mine = byAddress.get(address);
        Optional<Duration> own = mine == null ? Optional.empty() : mine.lockLeft(now);
        Optional<Duration> shared = global == null ? Optional.empty() : global.lockLeft(now);
        if (own.isEmpty()) return shared;
        if (shared.isEmpty()) return own;
        return Optional.of(own.get().compareTo(shared.get()) >= 0 ? own.get() : shared.get());
    }

    /**
     * Before a new address is remembered: forget quiet ones, then, if still full, the 1% whose lockouts ended (or end)
     * first, so a flood of new addresses costs one sort per hundred of them.
     */
    private void makeRoom(Instant now) {
        if (byAddress.size() < maxAddresses) return;
        byAddress.values().removeIf(f -> f.forgettable(now));
        if (byAddress.size() < maxAddresses) return;
        int evict = Math.max(1, maxAddresses / 100);
        byAddress.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Failures> e) -> e.getValue().lockedUntil()).thenComparing(e -> e.getValue().lastAttempt()))
                .limit(evict).map(Map.Entry::getKey).toList()
                .forEach(byAddress::remove);
    }

    private static Duration lockFor(int lockingFailures) {
        int doublings = Math.min(lockingFailures - 1, 20);
        Duration lock = Duration.ofSeconds(1L << doublings);
        return lock.compareTo(MAX_LOCK) > 0 ? MAX_LOCK : lock;
    }
}
