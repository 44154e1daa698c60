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
 * (1 s, 2 s, 4 s ... up to 15 minutes). A successful login clears its address.
 *
 * <p>Across addresses there is no lockout (it would let anyone lock the one admin out with a wrong guess now and then),
 * but a shared pace: password hashes start at most {@value #HASHES_PER_SECOND} a second, all addresses together, each
 * attempt waiting for its turn ({@link #reserveHash}), so many addresses cannot guess faster than that while a right
 * password from an address without failures still gets in, only later.
 *
 * <p>Memory is bounded: at most {@value #MAX_ADDRESSES} addresses are remembered. When full, the addresses whose lockouts
 * ended longest ago are forgotten first (1% at a time; a lockout still running is forgotten only when every remembered
 * address is locked, and then the ones ending soonest); there is never a reset of everyone. Addresses quiet for a day are forgotten.
 */
public final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    static final int HASHES_PER_SECOND = 4;
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
    private final Duration hashInterval;
    private Instant nextHash = Instant.MIN;

    public LoginThrottle(Clock clock) {
        this(clock, MAX_ADDRESSES, HASHES_PER_SECOND);
    }

    LoginThrottle(Clock clock, int maxAddresses, int hashesPerSecond) {
        this.clock = clock;
        this.maxAddresses = maxAddresses;
        this.hashInterval = Duration.ofSeconds(1).dividedBy(hashesPerSecond);
    }

    /**
     * Takes the next turn to hash a password, shared by all addresses: how long the caller must wait before hashing
     * (zero when the pace allows it now). Turns are handed out in order and never refused.
     */
    public synchronized Duration reserveHash() {
        Instant now = clock.instant();
        Instant turn = nextHash.isAfter(now) ? nextHash : now;
        nextHash = turn.plus(hashInterval);
        return Duration.between(now, turn);
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
        return Optional.empty();
    }

    /** How long the address must still wait before it may try again, if locked out. */
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
    }

    /** The attempt from {@code address} had the right credentials: its count starts again. */
    public synchronized void succeeded(String address) {
        byAddress.remove(address);
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
        return mine == null ? Optional.empty() : mine.lockLeft(now);
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
