package dev.tributary.http;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API accounts this process talks to, with their call counters and rate limiters, so a server can publish API
 * calls, 429s and rate-limit headroom per account ({@code /metrics}). Connectors register each shared client once.
 */
public final class ApiAccounts {
    /** One account of one API: {@code api} like "hubspot", {@code account} a label that identifies it without secrets. */
    public record Account(String api, String account, RequestCounters counters, RateLimiter limiter) {
        public Account {
            requireNonNull(api, "api is null");
            requireNonNull(account, "account is null");
            requireNonNull(counters, "counters is null");
            requireNonNull(limiter, "limiter is null");
        }
    }

    private static final Map<String, Account> ACCOUNTS = new ConcurrentHashMap<>();

    private ApiAccounts() {}

    /** Registers an account; a later registration of the same api and account replaces the earlier one. */
    public static void register(Account account) {
        requireNonNull(account, "account is null");
        ACCOUNTS.put(account.api() + "|" + account.account(), account);
    }

    /** Forgets an account whose client is gone (a bounded client cache dropped it); a newer registration stays. */
    public static void unregister(Account account) {
        requireNonNull(account, "account is null");
        ACCOUNTS.remove(account.api() + "|" + account.account(), account);
    }

    public static List<Account> all() {
        return List.copyOf(ACCOUNTS.values());
    }
}
